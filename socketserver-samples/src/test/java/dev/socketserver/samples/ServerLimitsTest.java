package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, point 7: {@code samples echo --backlog N --read-timeout D --max-concurrent N}, and the
 * launcher's defaults for real clients (the library's own stay CPython's).
 */
@Timeout(60)
class ServerLimitsTest {

    private static ServerLimits limits(String commandLine) throws UsageException {
        CommandLine line = CommandLine.parse(commandLine.split(" "));
        EchoFamily family = line.family();
        return ServerLimits.of(line, family, line.mixIn(null).get());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--family tcp --mixin virtual|1024|PT30S|10000",
            "--family tcp --mixin threading|1024|PT30S|1000",
            "--family unix-stream --mixin sync|1024|PT30S|0",
            "--family udp --mixin virtual||PT0S|10000",
            "--family unix-datagram --mixin threading||PT0S|1000",
            "--family tcp --mixin virtual --backlog 7 --read-timeout 500ms --max-concurrent 3|7|PT0.5S|3",
            "--family tcp --mixin threading --read-timeout none --max-concurrent 0|1024|PT0S|0",
            "--family unix-stream --mixin virtual --read-timeout PT2M|1024|PT2M|10000",
            "--family tcp --mixin virtual --read-timeout 2m|1024|PT2M|10000",
            "--family tcp --mixin virtual --read-timeout 0|1024|PT0S|10000"})
    void defaultsForRealClientsAndWhatTheOptionsSet(String options, Integer backlog, String timeout, int max) throws Exception {
        ServerLimits limits = limits("echo --bind 127.0.0.1:0 " + options);
        if (backlog != null) {
            assertEquals(backlog, limits.backlog());
        }
        Duration expected = Duration.parse(timeout);
        if (expected.isZero()) {
            assertNull(limits.readTimeout(), "no read timeout");
        } else {
            assertEquals(expected, limits.readTimeout());
        }
        assertEquals(max, limits.maxConcurrent());
    }

    @Test
    void theLibrarysOwnDefaultsStayCPythons() {
        assertEquals(new ServerLimits(5, null, 0), ServerLimits.LIBRARY);
        assertEquals(BaseServer.DEFAULT_REQUEST_QUEUE_SIZE, ServerLimits.LIBRARY.backlog());
    }

    @Test
    void theServerGetsTheBacklogTheLimitAndTheReadTimeout() throws Exception {
        ServerLimits limits = limits("echo --family tcp --mixin virtual --bind 127.0.0.1:0 --backlog 7 --read-timeout 300ms --max-concurrent 3");
        MixIn mixIn = new dev.socketserver.VirtualThreadingMixIn();
        BaseServer<?> server = EchoFamily.TCP.openServer(new InetSocketAddress("127.0.0.1", 0), mixIn, limits);
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Socket silent = new Socket()) {
            assertEquals(7, server.requestQueueSize());
            assertEquals(3, server.mixIn().maxConcurrentRequests());
            silent.connect(server.serverAddress(), 10_000);
            silent.setSoTimeout(20_000);
            OutputStream out = silent.getOutputStream();
            InputStream in = silent.getInputStream();
            out.write("one\n".getBytes());
            assertEquals("one\n", new String(in.readNBytes(4)));
            // then silence: the server hangs up after the read timeout (the client's own limit is far longer)
            assertEquals(-1, in.read(), "the server closed the silent connection");
            assertTrue(server.stats().errors() >= 1, "the timeout went to handleError");
        } finally {
            server.shutdown(Duration.ofSeconds(10));
            server.serverClose(Duration.ofSeconds(10));
            serving.join(10_000);
        }
    }
}
