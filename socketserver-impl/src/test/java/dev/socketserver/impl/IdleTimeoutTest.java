package dev.socketserver.impl;

import dev.socketserver.ErrorKind;
import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's idle timeout closes a connection that stays silent, under every mix-in, and caps a
 * handler's own longer timeout; counted as TIMEOUT.
 */
class IdleTimeoutTest {

    /** Echoes lines until end of stream, with a handler timeout far above the server's idle timeout. */
    static final class PatientEcho extends StreamRequestHandler {
        @Override
        protected Duration timeout() {
            return Duration.ofMinutes(5);
        }

        @Override
        protected void handle() throws IOException {
            byte[] line;
            while ((line = rfile().readLine()).length > 0) {
                wfile().write(line);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous", "threading", "virtual"})
    void aSilentConnectionIsClosedAtTheIdleTimeout(String policy) throws Exception {
        MixIn mixIn = switch (policy) {
            case "synchronous" -> MixIn.synchronous();
            case "threading" -> new ThreadingMixIn();
            default -> new VirtualThreadingMixIn();
        };
        try (TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), PatientEcho::new, mixIn, false)) {
            server.setIdleTimeout(Duration.ofMillis(800));
            server.serverBind();
            server.serverActivate();
            try (Serving serving = Serving.start(server);
                 Socket client = new Socket("127.0.0.1", server.inetServerAddress().getPort())) {
                client.setSoTimeout(20_000);
                client.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                byte[] echo = client.getInputStream().readNBytes(5);
                assertEquals("ping\n", new String(echo, StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                assertEquals(-1, client.getInputStream().read(), "closed by the server");
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(took >= 600 && took < 10_000, "closed at the idle timeout, after " + took + " ms");
                TlsTest.awaitCondition(() -> server.stats().errors(ErrorKind.TIMEOUT) == 1, "the idle connection counted");
            }
        }
    }
}
