package dev.socketserver;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one server, kept with {@link LongAdder} so that counting costs nothing measurable
 * on the request path. Python has none; the admin gateway exports them as metrics.
 *
 * <p>All getters are safe from any thread and return the value at the time of the call.
 */
public final class ServerStats {

    private final LongAdder received = new LongAdder();
    private final LongAdder handled = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder requestNanos = new LongAdder();

    ServerStats() {
    }

    /**
     * Returns how many requests {@code getRequest()} returned: connections accepted, or datagrams
     * received.
     *
     * @return the count since the server was created
     */
    public long received() {
        return received.sum();
    }

    /**
     * Returns how many requests ran to the end: handler, {@code handleError} if it threw, and
     * {@code shutdownRequest}, normally or not.
     *
     * @return the count since the server was created
     */
    public long requestsHandled() {
        return handled.sum();
    }

    /**
     * Returns how many requests are running now: inside {@code processRequestThread} (the handler,
     * {@code handleError} and {@code shutdownRequest}).
     *
     * @return the number of requests running
     */
    public long activeRequests() {
        return active.sum();
    }

    /**
     * Returns how many times {@code handleError()} was called.
     *
     * @return the count since the server was created
     */
    public long errors() {
        return errors.sum();
    }

    /**
     * Returns how many datagrams were longer than {@code maxPacketSize} and were cut (always 0 for
     * stream servers).
     *
     * @return the count since the server was created
     */
    public long datagramsTruncated() {
        return truncated.sum();
    }

    /**
     * Returns how many requests were received but never given to a handler: a datagram whose
     * request could not be built, or a reply that could not be sent.
     *
     * @return the count since the server was created
     */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Returns the total time requests ran (as {@link #activeRequests()} counts them), for a
     * request-duration timer.
     *
     * @return nanoseconds summed over all handled requests
     */
    public long totalRequestNanos() {
        return requestNanos.sum();
    }

    void requestReceived() {
        received.increment();
    }

    void requestStarted() {
        active.increment();
    }

    void requestEnded(long nanos) {
        active.decrement();
        handled.increment();
        requestNanos.add(nanos);
    }

    void errorReported() {
        errors.increment();
    }

    void datagramTruncated() {
        truncated.increment();
    }

    void requestDropped() {
        dropped.increment();
    }
}
