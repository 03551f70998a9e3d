package dev.socketserver.impl;

import dev.socketserver.ErrorKind;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * handleError's failures by kind: counted per kind, the handler's own exceptions logged with their
 * trace, a client that resets or a timeout in one line below INFO (CPython prints a traceback for each).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorKindTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void failuresAreClassifiedByTypeAndCause() {
        assertEquals(ErrorKind.TIMEOUT, ErrorKind.of(new SocketTimeoutException("timed out waiting for input")));
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new SocketException("Connection reset")));
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new IOException("Broken pipe")));
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new EOFException()));
        assertEquals(ErrorKind.PEER_GONE, ErrorKind.of(new IllegalStateException("wrapped", new SocketException("Connection reset"))));
        assertEquals(ErrorKind.HANDLER, ErrorKind.of(new IllegalArgumentException("Connection reset"))); // a handler's own text
        assertEquals(ErrorKind.HANDLER, ErrorKind.of(new IOException("disk full")));
    }

    /** Reads two lines; "boom" as the second throws; else a third read fails: reset (peer gone) or silence (timeout). */
    static final class Answer extends StreamRequestHandler {
        @Override
        protected Duration timeout() {
            return Duration.ofMillis(300);
        }

        @Override
        protected void handle() throws IOException {
            rfile().readLine(); // "x"
            byte[] second = rfile().readLine();
            if (second != null && new String(second, java.nio.charset.StandardCharsets.US_ASCII).startsWith("boom")) {
                throw new IllegalStateException("boom");
            }
            rfile().read(); // a reset peer: Connection reset; a silent one: timed out
        }
    }

    @Test
    void eachKindIsCountedAndOnlyTheHandlersOwnIsLoggedWithATrace() throws Exception {
        List<LogRecord> records;
        try (LogCapture log = new LogCapture();
             TCPServer server = new TCPServer(LOOPBACK, Answer::new, new VirtualThreadingMixIn());
             Serving serving = Serving.start(server)) {
            try (SocketChannel boom = Clients.connect(server.serverAddress())) {
                Clients.send(boom, "x\nboom\n");
                assertEquals(0, Clients.drain(boom));
            }
            try (SocketChannel reset = Clients.connect(server.serverAddress())) {
                Clients.send(reset, "x\ny\n");
                reset.setOption(StandardSocketOptions.SO_LINGER, 0);
            } // RST while the handler waits for more
            try (SocketChannel silent = Clients.connect(server.serverAddress())) {
                Clients.send(silent, "x\ny\n");
                assertEquals(0, Clients.drain(silent)); // the server closes after its timeout
            }
            awaitCondition(() -> server.stats().errors() == 3, "three errors reported");
            assertEquals(1, server.stats().errors(ErrorKind.HANDLER));
            assertEquals(1, server.stats().errors(ErrorKind.PEER_GONE));
            assertEquals(1, server.stats().errors(ErrorKind.TIMEOUT));
            assertTrue(server.stats().bytesReceived() >= 12, "bytes read by the handlers are counted");
            records = log.records();
        }
        List<LogRecord> loud = records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
        assertEquals(1, loud.size(), () -> "only the handler's own exception is logged at INFO or above: "
                + records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
        assertEquals("boom", loud.get(0).getThrown().getMessage());
        List<LogRecord> quiet = records.stream().filter(r -> r.getLevel().intValue() < Level.INFO.intValue()
                && r.getMessage().contains("during processing")).toList();
        assertEquals(2, quiet.size(), () -> records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString());
        assertTrue(quiet.stream().allMatch(r -> r.getThrown() == null && !r.getMessage().contains("\n")), "one line each, no trace");
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.onSpinWait();
        }
    }
}
