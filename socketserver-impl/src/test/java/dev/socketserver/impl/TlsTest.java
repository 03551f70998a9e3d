package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.ErrorKind;
import dev.socketserver.KeyMaterial;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.TlsClientAuth;
import dev.socketserver.UnixStreamServer;
import dev.socketserver.VirtualThreadingMixIn;
import dev.socketserver.impl.ExternalTools.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on stream servers, with clients nobody here wrote: openssl s_client, CPython's ssl module and
 * curl; and bad input (plaintext, a stalled handshake, TLS 1.1, an untrusted client certificate, a
 * reset mid-record), each closed, counted and logged in one line while the server keeps serving.
 */
class TlsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Duration TOOL = Duration.ofSeconds(60);

    /** argv: host-or-path port cafile [certfile keyfile]; sends a line, prints the reply, then how the stream ended. */
    private static final String PY_CLIENT = """
            import socket, ssl, sys
            host, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(cafile)
            if len(sys.argv) > 5:
                ctx.load_cert_chain(sys.argv[4], sys.argv[5])
            try:
                if host.startswith('/'):
                    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    raw.settimeout(20)
                    raw.connect(host)
                else:
                    raw = socket.create_connection((host, port), timeout=20)
                with ctx.wrap_socket(raw, server_hostname='localhost', suppress_ragged_eofs=False) as s:
                    s.sendall(b'hello\\n')
                    buf = b''
                    while not buf.endswith(b'\\n'):
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        buf += chunk
                    print(buf.decode().strip())
                    print('close_notify' if s.recv(4096) == b'' else 'more')
            except (ssl.SSLError, ConnectionError) as e:
                print('failed', type(e).__name__, e)
            """;

    /** argv: port cafile; sends two lines, then close_notify (unwrap) and waits for the server's. */
    private static final String PY_UNWRAP = """
            import socket, ssl, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(sys.argv[2])
            raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=20)
            s = ctx.wrap_socket(raw, server_hostname='localhost')
            s.sendall(b'a\\nb\\n')
            plain = s.unwrap()
            print('unwrapped')
            plain.close()
            """;

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        ExternalTools.assumeInstalled("openssl", "the TLS tests make their certificates with openssl and talk to s_client");
        pki = TestPki.create(dir);
    }

    /** Replies with what the handler sees of the session, then closes (close_notify). */
    static final class Report extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            byte[] line = rfile().readLine();
            Connection c = connection();
            SSLSession session = c.sslSession();
            String peer;
            try {
                peer = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                peer = "-";
            }
            String reply = "tls=" + session.getProtocol() + " sni=" + c.sniHostName() + " peer=" + peer
                    + " cipher=" + !session.getCipherSuite().isEmpty()
                    + " line=" + new String(line, StandardCharsets.UTF_8).strip() + "\n";
            wfile().write(reply.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static TCPServer tlsServer(TlsClientAuth auth, Duration handshakeTimeout) throws IOException {
        TCPServer server = new TCPServer(LOOPBACK, Report::new, new VirtualThreadingMixIn(), false);
        server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, pki.caCert))
                .setTlsClientAuth(auth).setHandshakeTimeout(handshakeTimeout);
        server.serverBind();
        server.serverActivate();
        return server;
    }

    private static int port(TCPServer server) {
        return server.inetServerAddress().getPort();
    }

    @Test
    void opensslSClientGetsThePlaintextRepliesAndTheSessionIsVisible() throws Exception {
        try (TCPServer server = tlsServer(TlsClientAuth.NONE, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Result r = ExternalTools.run(TOOL, "hello\n".getBytes(StandardCharsets.US_ASCII), "openssl", "s_client",
                        "-connect", "127.0.0.1:" + port(server), "-servername", "localhost", "-CAfile", pki.caCert.toString(),
                        "-verify_return_error", "-quiet", version);
                String expected = "tls=" + (version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2")
                        + " sni=localhost peer=- cipher=true line=hello";
                assertTrue(r.stdout().contains(expected), () -> "s_client " + version + " printed: " + r.stdout() + r.stderr());
            }
            assertEquals(0, server.stats().errors());
        }
    }

    @Test
    void pythonSslVerifiesTheServerAndSeesCloseNotifyAsEof() throws Exception {
        ExternalTools.assumeInstalled("python3", "CPython's ssl module is the outside TLS client");
        try (TCPServer server = tlsServer(TlsClientAuth.NONE, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            Result r = python(PY_CLIENT, "127.0.0.1", String.valueOf(port(server)), pki.caCert.toString());
            assertEquals(List.of("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", "close_notify"), r.lines(), r.stderr());
        }
    }

    @Test
    void clientCertificatesUnderNeedAndWant() throws Exception {
        ExternalTools.assumeInstalled("python3", "CPython's ssl module is the outside TLS client");
        try (LogCapture log = new LogCapture();
             TCPServer server = tlsServer(TlsClientAuth.NEED, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            String port = String.valueOf(port(server));
            Result trusted = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString(), pki.clientCert.toString(), pki.clientKey.toString());
            assertEquals("tls=TLSv1.3 sni=localhost peer=CN=test client cipher=true line=hello", trusted.lines().get(0), trusted.stderr());

            Result none = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString());
            assertTrue(none.stdout().startsWith("failed"), () -> "no certificate under need: " + none.stdout());
            Result stranger = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString(), pki.strangerCert.toString(), pki.strangerKey.toString());
            assertTrue(stranger.stdout().startsWith("failed"), () -> "an untrusted certificate under need: " + stranger.stdout());
            awaitCondition(() -> server.stats().errors(ErrorKind.TLS_HANDSHAKE) == 2, "two refused handshakes counted");
            assertEquals(2, server.stats().errors());
            List<LogRecord> lines = log.containing("TLS handshake failed");
            assertEquals(2, lines.size(), () -> "one log line each: " + lines);
            assertTrue(lines.stream().allMatch(l -> l.getThrown() == null && !l.getMessage().contains("\n")
                    && l.getLevel().intValue() < Level.INFO.intValue()), "one line each, no trace, below INFO");
        }
        try (TCPServer server = tlsServer(TlsClientAuth.WANT, Duration.ofSeconds(10)); Serving serving = Serving.start(server)) {
            String port = String.valueOf(port(server));
            Result without = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString());
            assertEquals("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", without.lines().get(0), without.stderr());
            Result with = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString(), pki.clientCert.toString(), pki.clientKey.toString());
            assertEquals("tls=TLSv1.3 sni=localhost peer=CN=test client cipher=true line=hello", with.lines().get(0), with.stderr());
            Result stranger = python(PY_CLIENT, "127.0.0.1", port, pki.caCert.toString(), pki.strangerCert.toString(), pki.strangerKey.toString());
            assertTrue(stranger.stdout().startsWith("failed"), () -> "a certificate sent under want must be trusted: " + stranger.stdout());
            awaitCondition(() -> server.stats().errors(ErrorKind.TLS_HANDSHAKE) == 1, "the untrusted certificate counted");
        }
    }

    /** Counts the lines up to end of stream, which the client's close_notify is. */
    static final BlockingQueue<Integer> LINES = new LinkedBlockingQueue<>();

    static final class CountLines extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            int n = 0;
            while (rfile().readLine().length > 0) {
                n++;
            }
            LINES.add(n);
        }
    }

    @Test
    void aPeersCloseNotifyIsEndOfStreamAndTheServerAnswersWithItsOwn() throws Exception {
        ExternalTools.assumeInstalled("python3", "CPython's ssl module is the outside TLS client");
        LINES.clear();
        try (TCPServer server = new TCPServer(LOOPBACK, CountLines::new, new VirtualThreadingMixIn(), false)) {
            server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, null));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server)) {
                Result r = python(PY_UNWRAP, String.valueOf(port(server)), pki.caCert.toString());
                assertEquals(List.of("unwrapped"), r.lines(), r.stderr());
                assertEquals(2, LINES.poll(20, TimeUnit.SECONDS));
                assertEquals(0, server.stats().errors());
            }
        }
    }

    @Test
    void curlFetchesOverHttpsWithTheTestCa() throws Exception {
        ExternalTools.assumeInstalled("curl", "curl is the outside HTTPS client");
        class Https extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                byte[] line;
                do {
                    line = rfile().readLine();
                } while (line.length > 2); // up to the blank line that ends the request head
                wfile().write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 15\r\n\r\nhello over tls\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Https::new, new VirtualThreadingMixIn(), false)) {
            server.setSslContext(KeyMaterial.serverContext(pki.ecServerCert, pki.ecServerKey, null));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server)) {
                int port = port(server);
                Result r = ExternalTools.run(TOOL, null, "curl", "-sS", "--max-time", "20", "--cacert", pki.caCert.toString(),
                        "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/");
                assertEquals(0, r.exitCode(), r.stderr());
                assertEquals("hello over tls\n", r.stdout());
            }
        }
    }

    @Test
    void aUnixStreamServerSpeaksTlsToo() throws Exception {
        ExternalTools.assumeInstalled("python3", "CPython's ssl module is the outside TLS client");
        Path path = Files.createTempDirectory("tls-unix").resolve("s.sock");
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Report::new,
                new VirtualThreadingMixIn(), false)) {
            server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, null));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server)) {
                Result r = python(PY_CLIENT, path.toString(), "0", pki.caCert.toString());
                assertEquals(List.of("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", "close_notify"), r.lines(), r.stderr());
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }

    @Test
    void plaintextToATlsPortIsClosedCountedAndLoggedInOneLine() throws Exception {
        try (LogCapture log = new LogCapture();
             TCPServer server = tlsServer(TlsClientAuth.NONE, Duration.ofSeconds(10)); Serving serving = Serving.start(server);
             Socket plain = connect(server)) {
            plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = readToEnd(plain); // an alert at most, then EOF
            assertTrue(answer.length == 0 || answer[0] == 0x15, "only a TLS alert comes back");
            awaitCondition(() -> server.stats().errors(ErrorKind.TLS_HANDSHAKE) == 1, "the handshake failure counted");
            assertEquals(1, log.containing("TLS handshake failed").size());
            assertEquals("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", javaClient(server), "still serving");
        }
    }

    @Test
    void aStalledHandshakeIsClosedAtTheTimeoutAndDelaysNobody() throws Exception {
        try (TCPServer server = tlsServer(TlsClientAuth.NONE, Duration.ofMillis(3000)); Serving serving = Serving.start(server);
             Socket staller = connect(server)) {
            long start = System.nanoTime();
            staller.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01}); // a ClientHello's first bytes
            assertEquals("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", javaClient(server),
                    "another client is served while one stalls mid-handshake");
            assertEquals(0, server.stats().errors());
            byte[] answer = readToEnd(staller); // an alert at most, then EOF
            assertTrue(answer.length == 0 || answer[0] == 0x15, "only a TLS alert comes back");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 2500 && took < 15_000, "closed at the handshake timeout, after " + took + " ms");
            awaitCondition(() -> server.stats().errors(ErrorKind.TLS_HANDSHAKE) == 1, "the stalled handshake counted");
        }
    }

    @Test
    void tls11IsRefusedWithAnAlert() throws Exception {
        // A TLS 1.1 ClientHello (legacy version 3.2, no supported_versions): what an old client sends.
        byte[] hello = new byte[52];
        byte[] head = {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x02};
        System.arraycopy(head, 0, hello, 0, head.length);
        for (int i = 0; i < 32; i++) {
            hello[11 + i] = (byte) (i * 7 + 1); // the client random
        }
        byte[] tail = {0x00, 0x00, 0x04, 0x00, 0x2f, (byte) 0xc0, 0x13, 0x01, 0x00};
        System.arraycopy(tail, 0, hello, 43, tail.length);
        try (TCPServer server = tlsServer(TlsClientAuth.NONE, Duration.ofSeconds(10)); Serving serving = Serving.start(server);
             Socket old = connect(server)) {
            old.getOutputStream().write(hello);
            byte[] answer = readToEnd(old);
            assertTrue(answer.length >= 7 && answer[0] == 0x15, "a TLS alert comes back, got " + answer.length + " bytes");
            awaitCondition(() -> server.stats().errors(ErrorKind.TLS_HANDSHAKE) == 1, "the refused version counted");
            assertEquals("tls=TLSv1.3 sni=localhost peer=- cipher=true line=hello", javaClient(server), "still serving");
        }
    }

    /** Echoes lines until end of stream. */
    static final class EchoLines extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            byte[] line;
            while ((line = rfile().readLine()).length > 0) {
                wfile().write(line);
            }
            LINES.add(0);
        }
    }

    @Test
    void aPeerThatResetsMidRecordIsCountedAsGone() throws Exception {
        LINES.clear();
        try (TCPServer server = new TCPServer(LOOPBACK, EchoLines::new, new VirtualThreadingMixIn(), false)) {
            server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, null));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server); Socket raw = connect(server)) {
                SSLSocket tls = (SSLSocket) clientContext().getSocketFactory().createSocket(raw, "localhost", port(server), false);
                tls.startHandshake();
                tls.getOutputStream().write("one line\n".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                byte[] echo = new byte[9];
                tls.getInputStream().readNBytes(echo, 0, 9); // the handler has the line: the handshake is over on both sides
                assertEquals("one line\n", new String(echo, StandardCharsets.US_ASCII));
                OutputStream wire = raw.getOutputStream();
                wire.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3}); // the start of a record, never finished
                wire.flush();
                raw.setSoLinger(true, 0);
                raw.close(); // RST
                awaitCondition(() -> server.stats().errors(ErrorKind.PEER_GONE) == 1, "the reset counted as a peer gone");
                assertNull(LINES.poll(), "the handler saw a failure, not end of stream");
                assertEquals(0, server.stats().errors(ErrorKind.TLS_HANDSHAKE));
                assertEquals("hello", javaClient(server), "still serving");
            }
        }
    }

    /** Reads to end of stream; a reset (the server closed with bytes unread) ends it too. */
    private static byte[] readToEnd(Socket socket) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(got);
        } catch (java.net.SocketException e) {
            // reset: what came before it still counts
        }
        return got.toByteArray();
    }

    @Test
    void anIdleTlsConnectionEndsWithCloseNotifyWhenTheServerDrains() throws Exception {
        DrainTest.release = new java.util.concurrent.CountDownLatch(0);
        TCPServer server = new TCPServer(LOOPBACK, DrainTest.GatedEcho::new, new VirtualThreadingMixIn(), false);
        server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, pki.caCert));
        server.serverBind();
        server.serverActivate();
        try (server; Serving serving = Serving.start(server);
             SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port(server))) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("one\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("one\n", new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
            dev.socketserver.DrainReport report = server.drain(Duration.ofSeconds(20));
            assertEquals(-1, socket.getInputStream().read(), "the server's close_notify, between requests");
            assertEquals(1, report.finished(), report::toString);
            assertEquals(0, report.forced(), report::toString);
            assertEquals(0, server.stats().errors(), "a clean end, no error");
        }
    }

    private static Socket connect(TCPServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", port(server));
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static SSLContext clientContext() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyMaterial.trustedCertificates(pki.caCert));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The JDK's own TLS client: one line, one reply. */
    private static String javaClient(TCPServer server) throws Exception {
        try (SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port(server))) {
            socket.setSoTimeout(20_000);
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private static Result python(String script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        return ExternalTools.run(TOOL, null, command);
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5); // polling a counter with a deadline, not waiting for an event to happen by itself
        }
    }
}
