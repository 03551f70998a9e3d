package dev.socketserver.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * Waits for an endpoint to have a request ready (Python: the {@code selectors} object used by
 * {@code serve_forever} and {@code handle_request}), and can be woken from another thread.
 *
 * <p>A {@link #wakeup()} that arrives before {@link #await} is remembered, so a shutdown that
 * races ahead of the wait is never lost.
 */
public interface Waiter extends Closeable {

    /**
     * Blocks until the endpoint is ready, the timeout passes, or {@link #wakeup()} is called.
     *
     * @param timeoutNanos how long to wait; negative waits without a limit, zero polls
     * @param wantRequests {@code false} waits only for the timeout or a wake-up, without watching
     *     the endpoint (used while a mix-in is at its concurrency limit)
     * @return {@code true} if the endpoint has a request ready
     * @throws IOException if waiting fails, for example because the endpoint was closed
     */
    boolean await(long timeoutNanos, boolean wantRequests) throws IOException;

    /** Makes a blocked or the next {@link #await} return at once. Callable from any thread. */
    void wakeup();

    /** Releases the waiter's resources. Does not close the endpoint. */
    @Override
    void close() throws IOException;
}
