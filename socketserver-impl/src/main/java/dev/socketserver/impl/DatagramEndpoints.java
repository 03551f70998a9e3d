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
            try {
                return UnixDatagramEndpoint.open();
            } catch (ExceptionInInitializerError | NoClassDefFoundError | IllegalCallerException e) {
                throw deniedNativeAccess(e);
            }
        }
        return new NioDatagramEndpoint(family);
    }

    /**
     * The FFM binding could not load: with {@code --illegal-native-access=deny} its first use throws an
     * {@link ExceptionInInitializerError} caused by {@link IllegalCallerException}, every later use a
     * {@link NoClassDefFoundError}. Neither says what to do, so this names the flag.
     */
    private static RuntimeException deniedNativeAccess(Throwable failure) {
        boolean denied = failure instanceof NoClassDefFoundError;
        for (Throwable t = failure; t != null && !denied; t = t.getCause()) {
            denied = t instanceof IllegalCallerException;
        }
        if (!denied) {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure; // IllegalCallerException is the only other kind caught
        }
        return new UnsupportedOperationException("Unix datagram servers need native access (the FFM API), which this "
                + "JVM denies: run it with --enable-native-access=dev.socketserver.impl (on the class path: "
                + "--enable-native-access=ALL-UNNAMED)", failure);
    }
}
