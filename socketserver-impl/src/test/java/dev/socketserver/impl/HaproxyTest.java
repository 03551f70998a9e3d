package dev.socketserver.impl;

import dev.socketserver.KeyMaterial;
import dev.socketserver.ProxyProtocol;
import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;
import dev.socketserver.impl.ExternalTools.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real HAProxy (Debian's haproxy, installed by .ci/run) in TCP mode in front of the servers, with
 * Python clients behind it: {@code send-proxy} (v1) and {@code send-proxy-v2} to a plain server, and
 * {@code send-proxy-v2} to a TLS server (HAProxy passes the TLS bytes through after the header). The
 * handler sees each Python client's own address and port, and HAProxy's as the proxy.
 */
class HaproxyTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    /** argv: port count [cafile]; one connection per line, printing its own address and the reply. */
    private static final String PY_CLIENTS = """
            import socket, ssl, sys
            port, count = int(sys.argv[1]), int(sys.argv[2])
            cafile = sys.argv[3] if len(sys.argv) > 3 else None
            for i in range(count):
                raw = socket.create_connection(('127.0.0.1', port), timeout=20)
                me = raw.getsockname()
                s = raw
                if cafile:
                    s = ssl.create_default_context(cafile=cafile).wrap_socket(raw, server_hostname='localhost')
                s.sendall(b'hi %d\\n' % i)
                buf = b''
                while not buf.endswith(b'\\n'):
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
                print('%s:%d %s' % (me[0], me[1], buf.decode().strip()))
                s.close()
            """;

    @TempDir
    Path dir;

    @Test
    void pythonClientsBehindHaproxyAreSeenWithTheirOwnAddresses() throws Exception {
        ExternalTools.assumeInstalled("haproxy", "the PROXY protocol is tested against a real HAProxy");
        ExternalTools.assumeInstalled("python3", "Python clients connect through HAProxy");
        ExternalTools.assumeInstalled("openssl", "the TLS server's certificate is made with openssl");
        TestPki pki = TestPki.create(dir);
        try (TCPServer plain = proxied(null); TCPServer tls = proxied(pki);
             Serving servingPlain = Serving.start(plain); Serving servingTls = Serving.start(tls)) {
            int v1 = freePort();
            int v2 = freePort();
            int v2Tls = freePort();
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, """
                    global
                        maxconn 64
                    defaults
                        mode tcp
                        timeout connect 5s
                        timeout client 30s
                        timeout server 30s
                    frontend v1
                        bind 127.0.0.1:%d
                        default_backend v1
                    backend v1
                        server s1 127.0.0.1:%d send-proxy
                    frontend v2
                        bind 127.0.0.1:%d
                        default_backend v2
                    backend v2
                        server s2 127.0.0.1:%d send-proxy-v2
                    frontend v2tls
                        bind 127.0.0.1:%d
                        default_backend v2tls
                    backend v2tls
                        server s3 127.0.0.1:%d send-proxy-v2
                    """.formatted(v1, port(plain), v2, port(plain), v2Tls, port(tls)));
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            try {
                awaitListening(haproxy, v1, v2, v2Tls);
                check(python(String.valueOf(v1), "3"), "tls=- v=1", 3);
                check(python(String.valueOf(v2), "3"), "tls=- v=2", 3);
                check(python(String.valueOf(v2Tls), "3", pki.caCert.toString()), "tls=TLSv1.3 v=2", 3);
            } finally {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertEquals(0, plain.stats().errors());
            assertEquals(0, tls.stats().errors());
        }
    }

    /** Each line: the Python client's own address, then the handler's view; they must agree. */
    private static void check(Result result, String expected, int count) {
        List<String> lines = result.lines();
        assertEquals(count, lines.size(), () -> "python printed: " + result.stdout() + result.stderr());
        for (int i = 0; i < count; i++) {
            String[] fields = lines.get(i).split(" ");
            String self = fields[0];
            assertEquals("client=" + self, fields[1], lines.get(i));
            assertTrue(fields[2].startsWith("proxy=127.0.0.1:"), lines.get(i));
            assertNotEquals("proxy=" + self, fields[2], "the proxy is HAProxy's own connection");
            assertTrue(lines.get(i).contains(expected) && lines.get(i).endsWith("line=hi " + i), lines.get(i));
        }
    }

    private static TCPServer proxied(TestPki pki) throws IOException {
        TCPServer server = new TCPServer(LOOPBACK, Who::new, new VirtualThreadingMixIn(), false);
        server.setProxyProtocol(ProxyProtocol.REQUIRED);
        if (pki != null) {
            server.setSslContext(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, null));
        }
        server.serverBind();
        server.serverActivate();
        return server;
    }

    private static int port(TCPServer server) {
        return server.inetServerAddress().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * Polls {@code /proc/net/tcp} until HAProxy listens on every frontend (bounded), without
     * connecting: a probe connection would reach the servers as a real one.
     */
    private void awaitListening(Process haproxy, int... ports) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : ports) {
            String local = ProcNet.hexAddress(new InetSocketAddress("127.0.0.1", port));
            while (Files.readAllLines(Path.of("/proc/net/tcp")).stream()
                    .map(line -> line.trim().split("\\s+"))
                    .noneMatch(f -> f.length > 3 && f[1].equals(local) && f[3].equals("0A"))) {
                if (!haproxy.isAlive()) {
                    fail("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
                }
                if (System.nanoTime() > deadline) {
                    fail("haproxy did not listen on " + port + ": " + Files.readString(dir.resolve("haproxy.log")));
                }
                Thread.sleep(20); // polling the kernel's table with a deadline
            }
        }
    }

    private static Result python(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = PY_CLIENTS;
        System.arraycopy(args, 0, command, 3, args.length);
        return ExternalTools.run(Duration.ofSeconds(60), null, command);
    }
}
