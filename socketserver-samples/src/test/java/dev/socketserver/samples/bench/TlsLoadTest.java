package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.samples.SelfSigned;
import dev.socketserver.samples.bench.LoadOptions.Mode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's TLS mode against the bench server's TLS (TCPServer + VirtualThreadingMixIn with
 * setSslContext): ping-pong and connect-per-request complete requests without errors and report the
 * protocol and cipher the run is held to. The certificate is made by openssl at test time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsLoadTest {

    @TempDir
    Path dir;

    @Test
    void pingpongAndConnectPerRequestOverTls() throws Exception {
        SelfSigned cert = SelfSigned.create(dir);
        BenchTls tls = new BenchTls(cert.cert(), cert.key(), BenchTls.DEFAULT_PROTOCOL, BenchTls.DEFAULT_CIPHER);
        for (String handler : new String[] {"echo", "once"}) {
            BaseServer<?> server = BenchServer.open("tcp", "virtual", handler, LoopbackTarget.bindable("127.0.0.1:0"), tls);
            Thread loop = serve(server);
            LoadResult r;
            ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
            try {
                LoadOptions o = new LoadOptions(new LoopbackTarget(server.serverAddress()),
                        handler.equals("echo") ? Mode.PINGPONG : Mode.CONNECT, 4, 64, Duration.ofSeconds(1),
                        Duration.ofMillis(200), 1, 4, Duration.ofSeconds(60), Duration.ofMillis(200), 1, -1, "tls");
                BenchTls clientSide = new BenchTls(cert.cert(), null, tls.protocol(), tls.cipher());
                r = new LoadGenerator(o, new PrintStream(logBytes, true, StandardCharsets.UTF_8))
                        .tls(new TlsClient(clientSide)).run();
            } finally {
                server.shutdown(Duration.ofSeconds(10));
                server.serverClose(Duration.ofSeconds(10));
                assertTrue(loop.join(Duration.ofSeconds(10)), "serveForever did not return");
            }
            LoadResult result = r;
            assertTrue(result.reqs() > 0, () -> "no requests: " + result.line() + " " + logBytes);
            assertEquals(0, result.errors(), () -> "errors: " + result.line() + " " + logBytes);
            assertEquals("TLSv1.3:TLS_AES_128_GCM_SHA256", result.tls());
            assertTrue(result.line().endsWith(" tls=TLSv1.3:TLS_AES_128_GCM_SHA256"), result::line);
        }
    }

    @Test
    void tlsIsRefusedForDatagramsAndUnixTargetsBeforeAnyConnect() throws InterruptedException {
        for (String args : new String[] {"--family udp --mode udp --tls-cert x.pem", "--target unix:/tmp/x.sock --tls-cert x.pem",
                "--target 127.0.0.1:9 --tls-key k.pem"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = BenchMain.run(args.split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, status, args);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bench: "), err::toString);
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }
    }

    private static Thread serve(BaseServer<?> server) {
        return Thread.ofPlatform().name("serve-" + server.id()).start(() -> {
            try {
                server.serveForever(Duration.ofMillis(50));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
