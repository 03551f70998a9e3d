package dev.socketserver.samples;

import dev.socketserver.BaseServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server running {@code serveForever()} on its own thread for a test; closing stops and closes it. */
final class Served implements AutoCloseable {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final BaseServer<?> server;
    private final Thread loop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Served(BaseServer<?> server) {
        this.server = server;
        this.loop = Thread.ofPlatform().name("test-serve-" + server.id()).start(() -> {
            try {
                server.serveForever();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
    }

    static Served start(BaseServer<?> server) {
        return new Served(server);
    }

    /** Shuts down, closes, and checks that the loop and every handler ended, without an error. */
    @Override
    public void close() {
        try {
            assertTrue(server.shutdown(BOUND), "serveForever() ended within " + BOUND);
        } finally {
            assertTrue(server.serverClose(BOUND), "every handler ended within " + BOUND);
            try {
                assertTrue(loop.join(BOUND));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the serving thread", e);
            }
        }
        assertFalse(loop.isAlive());
        assertNull(failure.get(), () -> "serveForever() failed: " + failure.get());
    }
}
