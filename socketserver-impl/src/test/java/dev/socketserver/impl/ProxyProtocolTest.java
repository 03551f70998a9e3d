package dev.socketserver.impl;

import dev.socketserver.ErrorKind;
import dev.socketserver.ProxyHeader;
import dev.socketserver.ProxyProtocol;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UnixStreamServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.socketserver.impl.ProxyHeaders.concat;
import static dev.socketserver.impl.ProxyHeaders.tlv;
import static dev.socketserver.impl.ProxyHeaders.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PROXY protocol, versions 1 and 2, from raw clients that play the proxy: the handler sees the
 * original client, the proxy's address and the TLVs; bad headers are closed, counted and logged in
 * one line while the server keeps serving.
 */
class ProxyProtocolTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    static TCPServer server(ProxyProtocol mode, List<String> trusted, Duration headerTimeout) throws IOException {
        TCPServer server = new TCPServer(LOOPBACK, Who::new, new VirtualThreadingMixIn(), false);
        server.setProxyProtocol(mode).setHandshakeTimeout(headerTimeout);
        if (trusted != null) {
            server.setProxyTrusted(trusted);
        }
        server.serverBind();
        server.serverActivate();
        return server;
    }

    /** What one connection got back, and its own address. */
    record Reply(String text, String self) {
    }

    /**
     * Sends the bytes, closes the sending side, reads everything back. A server that refuses closes
     * with bytes unread, which the kernel turns into a reset: that reads as an empty reply.
     */
    static Reply exchange(TCPServer server, byte[]... parts) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.inetServerAddress().getPort())) {
            socket.setSoTimeout(20_000);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            try {
                for (byte[] part : parts) {
                    socket.getOutputStream().write(part);
                }
                socket.shutdownOutput();
                socket.getInputStream().transferTo(got);
            } catch (java.net.SocketException e) {
                // reset or broken pipe: the server closed on us
            }
            return new Reply(got.toString(StandardCharsets.UTF_8), "127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void version1GivesTheOriginalClientAndKeepsTheProxy() throws Exception {
        try (TCPServer server = server(ProxyProtocol.REQUIRED, null, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            Reply r = exchange(server, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO);
            assertEquals("client=192.0.2.7:40000 proxy=" + r.self() + " tls=- v=1 local=false authority=null alpn=null line=hello\n", r.text());
            Reply six = exchange(server, v1("PROXY TCP6 2001:db8::7 2001:db8::1 40001 443"), HELLO);
            assertEquals("client=2001:db8:0:0:0:0:0:7:40001 proxy=" + six.self()
                    + " tls=- v=1 local=false authority=null alpn=null line=hello\n", six.text());
            Reply unknown = exchange(server, v1("PROXY UNKNOWN ffff::1 ffff::2 1 2"), HELLO);
            assertEquals("client=" + unknown.self() + " proxy=" + unknown.self()
                    + " tls=- v=1 local=false authority=null alpn=null line=hello\n", unknown.text());
            assertEquals(0, server.stats().errors());
        }
    }

    @Test
    void version2GivesTheClientTheTlvsAndLocalKeepsTheSocketAddress() throws Exception {
        try (TCPServer server = server(ProxyProtocol.REQUIRED, null, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            byte[] header = ProxyHeaders.v2Tcp4("203.0.113.9", 51234, "127.0.0.1", 443,
                    tlv(ProxyHeader.TYPE_ALPN, "h2"), tlv(ProxyHeader.TYPE_AUTHORITY, "example.com"),
                    ProxyHeaders.sslTlv("TLSv1.3", "alice"), tlv(0x04, new byte[3]));
            Reply r = exchange(server, concat(header, HELLO)); // header and data in one segment: the rest is replayed
            assertEquals("client=203.0.113.9:51234 proxy=" + r.self() + " tls=- v=2 local=false authority=example.com alpn=h2"
                    + " sslversion=TLSv1.3 cn=alice line=hello\n", r.text());
            Reply six = exchange(server, ProxyHeaders.v2Tcp6("2001:db8::9", 1, "2001:db8::1", 2), HELLO);
            assertTrue(six.text().startsWith("client=2001:db8:0:0:0:0:0:9:1 proxy=" + six.self() + " tls=- v=2"), six.text());
            Reply local = exchange(server, ProxyHeaders.v2Local(), HELLO);
            assertEquals("client=" + local.self() + " proxy=" + local.self()
                    + " tls=- v=2 local=true authority=null alpn=null line=hello\n", local.text());
            assertEquals(0, server.stats().errors());
        }
    }

    @Test
    void optionalServesConnectionsWithoutAHeaderWithTheirSocketAddress() throws Exception {
        try (TCPServer server = server(ProxyProtocol.OPTIONAL, null, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            Reply plain = exchange(server, HELLO);
            assertEquals("client=" + plain.self() + " proxy=- tls=- line=hello\n", plain.text());
            Reply pro = exchange(server, "PROBABLY NOT\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("client=" + pro.self() + " proxy=- tls=- line=PROBABLY NOT\n", pro.text(), "bytes read ahead are replayed");
            Reply proxied = exchange(server, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO);
            assertTrue(proxied.text().startsWith("client=192.0.2.7:40000 proxy=" + proxied.self()), proxied.text());
            assertEquals(0, server.stats().errors());
        }
    }

    @Test
    void headersFromUntrustedPeersAreRefused() throws Exception {
        try (LogCapture log = new LogCapture();
             TCPServer required = server(ProxyProtocol.REQUIRED, List.of("192.0.2.0/24", "2001:db8::/32"), Duration.ofSeconds(10));
             Serving serving = Serving.start(required)) {
            assertEquals("", exchange(required, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO).text());
            TlsTest.awaitCondition(() -> required.stats().errors(ErrorKind.PROXY_HEADER) == 1, "the untrusted peer counted");
            assertEquals(1, log.containing("PROXY header refused from 127.0.0.1:").size(), "one log line");
        }
        try (TCPServer optional = server(ProxyProtocol.OPTIONAL, List.of("10.0.0.0/8"), Duration.ofSeconds(10));
             Serving serving = Serving.start(optional)) {
            assertEquals("", exchange(optional, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO).text(),
                    "an untrusted peer cannot pass a header off, even where headers are optional");
            Reply plain = exchange(optional, HELLO);
            assertEquals("client=" + plain.self() + " proxy=- tls=- line=hello\n", plain.text());
            TlsTest.awaitCondition(() -> optional.stats().errors(ErrorKind.PROXY_HEADER) == 1, "the untrusted header counted");
        }
    }

    @Test
    void missingMalformedOversizedAndTruncatedHeadersAreClosedAndCounted() throws Exception {
        List<byte[]> bad = List.of(
                HELLO, // none, where one is required
                v1("PROXY TCP4 192.0.2 198.51.100.1 40000 443"), // three-part IPv4
                v1("PROXY TCP4 192.0.2.7 198.51.100.1 70000 443"), // port out of range
                v1("PROXY TCP4 192.0.2.7  198.51.100.1 40000 443"), // two spaces
                v1("PROXY TCP5 192.0.2.7 198.51.100.1 40000 443"),
                v1("PROXY TCP6 localhost ::1 1 2"), // a name, never resolved
                ("PROXY TCP4 " + "1".repeat(120) + "\r\n").getBytes(StandardCharsets.US_ASCII), // longer than 107 bytes
                "PROXY TCP4 192.0.2.7 198.51.100.1 40000 443\n".getBytes(StandardCharsets.US_ASCII), // LF without CR
                "PROXY TCP4 192.0.2.7".getBytes(StandardCharsets.US_ASCII), // truncated v1
                ProxyHeaders.v2(0x21, 0x11, new byte[65535]), // oversized
                ProxyHeaders.v2(0x31, 0x11, new byte[12]), // version 3
                ProxyHeaders.v2(0x22, 0x11, new byte[12]), // command 2
                ProxyHeaders.v2(0x21, 0x11, new byte[8]), // too short for IPv4 addresses
                ProxyHeaders.v2(0x21, 0x11, concat(new byte[12], new byte[] {0x02, 0x00, 0x09, 'a'})), // TLV past the end
                java.util.Arrays.copyOf(ProxyHeaders.v2Local(), 14)); // truncated v2
        try (LogCapture log = new LogCapture();
             TCPServer server = server(ProxyProtocol.REQUIRED, null, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            for (byte[] header : bad) {
                assertEquals("", exchange(server, header, HELLO).text(),
                        () -> "refused: " + new String(header, StandardCharsets.ISO_8859_1));
            }
            TlsTest.awaitCondition(() -> server.stats().errors(ErrorKind.PROXY_HEADER) == bad.size(), "each bad header counted");
            assertEquals(bad.size(), server.stats().errors());
            // every failure is counted; identical ones (same exception type and place) are logged once per
            // 10 s by handleError's rate limit, so there is a line per distinct failure, not per header
            int lines = log.containing("PROXY header refused").size();
            assertTrue(lines >= 1 && lines <= bad.size(), "between one and " + bad.size() + " lines: " + lines);
            assertTrue(log.containing("PROXY header refused").stream().allMatch(r -> r.getThrown() == null
                    && !r.getMessage().contains("\n") && !r.getMessage().contains("\r")), "one line each");
            Reply good = exchange(server, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO);
            assertTrue(good.text().startsWith("client=192.0.2.7:40000"), "still serving: " + good.text());
        }
    }

    @Test
    void aSlowHeaderIsCutOffAtTheTimeoutWhileOthersAreServed() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Who::new, new ThreadingMixIn(), false)) {
            server.setProxyProtocol(ProxyProtocol.REQUIRED).setHandshakeTimeout(Duration.ofMillis(1500));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server);
                 Socket slow = new Socket("127.0.0.1", server.inetServerAddress().getPort())) {
                slow.setSoTimeout(20_000);
                long start = System.nanoTime();
                slow.getOutputStream().write("PROXY TCP4 19".getBytes(StandardCharsets.US_ASCII));
                Reply other = exchange(server, v1("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443"), HELLO);
                assertTrue(other.text().startsWith("client=192.0.2.7:40000"), other.text());
                assertEquals(0, slow.getInputStream().readAllBytes().length);
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(took >= 1000 && took < 10_000, "cut off at the timeout, after " + took + " ms");
                TlsTest.awaitCondition(() -> server.stats().errors(ErrorKind.PROXY_HEADER) == 1, "the slow header counted");
            }
        }
    }

    @Test
    void aUnixStreamServerReadsTheHeaderToo() throws Exception {
        Path path = Files.createTempDirectory("proxy-unix").resolve("s.sock");
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Who::new,
                new VirtualThreadingMixIn(), false)) {
            server.setProxyProtocol(ProxyProtocol.REQUIRED);
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server);
                 SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(path));
                ch.write(ByteBuffer.wrap(concat(ProxyHeaders.v2Tcp4("198.51.100.20", 4242, "127.0.0.1", 80), HELLO)));
                ch.shutdownOutput();
                assertEquals("client=198.51.100.20:4242 proxy='' tls=- v=2 local=false authority=null alpn=null line=hello\n",
                        Clients.readLine(ch));
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }
}
