package dev.socketserver.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Blocking test clients; the class-level {@code @Timeout} interrupts (and so closes) a stuck read. */
public final class Clients {

    private Clients() {
    }

    public static SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX
                : ((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.connect(address);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    public static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads up to and including '\n', or to EOF. */
    public static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(one.get(0));
            if (one.get(0) == '\n') {
                return out.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Reads to EOF and returns how many bytes came. */
    public static long drain(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int n;
        while ((n = ch.read(b)) >= 0) {
            total += n;
            b.clear();
        }
        return total;
    }

    /** CPython's stream_examine: send TEST_STR, read the echo line. */
    public static String echo(SocketAddress address, String line) throws IOException {
        try (SocketChannel ch = connect(address)) {
            send(ch, line);
            return readLine(ch);
        }
    }
}
