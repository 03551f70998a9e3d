package dev.socketserver.impl;

import dev.socketserver.BaseServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Runs {@code serveForever} on its own thread (CPython's {@code run_server}); closing it shuts the
 * loop down, joins the thread within a bound, and closes the server.
 */
final class Serving implements AutoCloseable {

    static final Duration JOIN = Duration.ofSeconds(20);

    private final BaseServer<?> server;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Serving(BaseServer<?> server, Duration pollInterval) {
        this.server = server;
        this.thread = Thread.ofPlatform().name("serve-" + server.id()).unstarted(() -> {
            try {
                server.serveForever(pollInterval);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
    }

    static Serving start(BaseServer<?> server) {
        return new Serving(server, Duration.ofMillis(10));
    }

    static Serving start(BaseServer<?> server, Duration pollInterval) {
        return new Serving(server, pollInterval);
    }

    Thread thread() {
        return thread;
    }

    Throwable failure() {
        return failure.get();
    }

    /** Joins the serving thread within {@link #JOIN}; returns whether it ended. */
    boolean join() throws InterruptedException {
        return thread.join(JOIN);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            server.shutdown(JOIN);
            assertFalse(!thread.join(JOIN), "serveForever did not return after shutdown()");
        } finally {
            server.serverClose(JOIN);
        }
        assertNull(failure.get(), () -> "serveForever failed: " + failure.get());
    }
}
