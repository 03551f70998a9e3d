package dev.socketserver.impl;

import dev.socketserver.ErrorKind;
import dev.socketserver.ProxyHeader;
import dev.socketserver.ProxyProtocol;
import dev.socketserver.TCPServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.socketserver.impl.ProxyHeaders.concat;
import static dev.socketserver.impl.ProxyHeaders.tlv;
import static dev.socketserver.impl.ProxyHeaders.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded fuzz run through a real server: 10,000 connections, each starting with a mutated
 * version 1 or 2 header. Every one is served or refused, the serving loop never fails, every
 * failure is a counted PROXY_HEADER one, and no descriptor is left behind.
 */
class ProxyHeaderFuzzTest {

    private static final int RUNS = 10_000;
    private static final long SEED = 11;

    @Test
    void tenThousandMutatedHeadersNeverBreakTheServerNorLeakDescriptors() throws Exception {
        List<byte[]> seeds = List.of(
                v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"),
                v1("PROXY TCP6 2001:db8::7 2001:db8::1 40001 443"),
                v1("PROXY UNKNOWN"),
                ProxyHeaders.v2Tcp4("203.0.113.9", 51234, "127.0.0.1", 443, tlv(ProxyHeader.TYPE_ALPN, "h2"),
                        tlv(ProxyHeader.TYPE_AUTHORITY, "example.com"), ProxyHeaders.sslTlv("TLSv1.3", "alice")),
                ProxyHeaders.v2Tcp6("2001:db8::9", 1, "2001:db8::1", 2),
                ProxyHeaders.v2(0x21, 0x31, new byte[216]),
                ProxyHeaders.v2Local());
        Random random = new Random(SEED);
        try (TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), () -> new Who(false),
                new dev.socketserver.VirtualThreadingMixIn(), false)) {
            server.setProxyProtocol(ProxyProtocol.REQUIRED).setHandshakeTimeout(Duration.ofSeconds(5))
                    .setRequestQueueSize(128);
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server)) {
                for (int i = 0; i < 100; i++) { // warm-up: the JDK opens what it keeps open (jars, the poller) first
                    send(server, seeds.get(i % seeds.size()));
                }
                TlsTest.awaitCondition(() -> server.stats().requestsHandled() == 100, "the warm-up handled");
                long before = openDescriptors();
                for (int i = 0; i < RUNS; i++) {
                    send(server, mutate(seeds.get(random.nextInt(seeds.size())), random));
                }
                int total = RUNS + 100;
                TlsTest.awaitCondition(() -> server.stats().requestsHandled() == total, "every connection handled and closed");
                long refused = server.stats().errors(ErrorKind.PROXY_HEADER);
                assertEquals(refused, server.stats().errors(), "every failure is a refused header");
                long served = RUNS - refused; // handled without an error: the handler answered
                assertTrue(served > 0 && refused > RUNS / 2, "the run exercises both: " + served + " served, " + refused + " refused");
                assertEquals(before, openDescriptors(), "no descriptor left behind");
            }
        }
    }

    /** Sends one header, closes the sending side, and reads until the server closes. */
    private static void send(TCPServer server, byte[] header) throws IOException {
        try (SocketChannel ch = SocketChannel.open(server.serverAddress())) {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0); // no TIME_WAIT pile-up over 10,000 connections
            try {
                ch.write(ByteBuffer.wrap(header));
                ch.shutdownOutput();
                ByteBuffer reply = ByteBuffer.allocate(512);
                while (ch.read(reply) >= 0) {
                    reply.clear(); // up to end of stream
                }
            } catch (IOException e) {
                // the server closed with bytes unread, and the kernel reset us: that is an end too
            }
        }
    }

    /** One to three mutations: flip, overwrite, insert, delete, truncate, or a new length field. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int count = 1 + random.nextInt(3);
        for (int m = 0; m < count && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] inserted = new byte[1 + random.nextInt(8)];
                    random.nextBytes(inserted);
                    b = concat(Arrays.copyOf(b, at), inserted, Arrays.copyOfRange(b, at, b.length));
                }
                case 3 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + random.nextInt(4)), b.length));
                case 4 -> b = Arrays.copyOf(b, at);
                default -> {
                    if (b.length >= 16 && b[0] == 0x0D) {
                        int length = random.nextInt(70_000) & 0xffff;
                        b[14] = (byte) (length >> 8);
                        b[15] = (byte) length;
                    } else {
                        b[at] = (byte) ' ';
                    }
                }
            }
        }
        return b;
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
