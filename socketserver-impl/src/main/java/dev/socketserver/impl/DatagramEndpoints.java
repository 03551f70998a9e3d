package dev.socketserver.impl;

import dev.socketserver.impl.nio.NioDatagramEndpoint;
import dev.socketserver.impl.unix.UnixDatagramEndpoint;
import dev.socketserver.spi.DatagramEndpoint;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.Locale;

/**
 * Chooses the datagram endpoint for a family: NIO for UDP, FFM for Unix datagrams (NIO cannot open
 * those on any JDK). The FFM classes load only here, on the first Unix datagram server.
 */
final class DatagramEndpoints {

    private DatagramEndpoints() {
    }

    static DatagramEndpoint open(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
                throw new UnsupportedOperationException("Unix datagram servers need Linux on x86-64 or AArch64 "
                        + "(the FFM binding uses Linux's socket constants); this is " + os + " " + arch);
            }
            return UnixDatagramEndpoint.open();
        }
        return new NioDatagramEndpoint(family);
    }
}
