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
    private final LongAdder[] errorsByKind = newAdders(ErrorKind.values().length);
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile RequestTimer[] timers = new RequestTimer[0]; // copied on write: read on every request

    /**
     * Told how long each request of a server took, on the request's thread, for a latency histogram
     * (the admin gateway's {@code socketserver_request_latency_seconds}). Python has no counterpart.
     * Implementations must be fast and thread-safe; an exception from one is ignored.
     */
    @FunctionalInterface
    public interface RequestTimer {
        /**
         * One request ended, normally or not.
         *
         * @param nanos how long it ran, as {@link ServerStats#activeRequests()} counts it
         */
        void requestEnded(long nanos);
    }

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
     * Returns how many times {@code handleError()} was called for failures of one kind.
     *
     * @param kind the kind
     * @return the count since the server was created
     */
    public long errors(ErrorKind kind) {
        return errorsByKind[kind.ordinal()].sum();
    }

    /**
     * Returns how many requests are open now: taken from the socket and not yet closed, whether their
     * handler runs or they wait for a thread. For a stream server, the open connections. This is what
     * a mix-in's {@code maxConcurrentRequests} limits.
     *
     * @return the number of open requests
     */
    public int openRequests() {
        return inFlight.get();
    }

    /**
     * Returns how many bytes the handlers read: from their connections, or in the datagrams received.
     *
     * @return the count since the server was created
     */
    public long bytesReceived() {
        return bytesIn.sum();
    }

    /**
     * Returns how many bytes the handlers wrote: to their connections, or in the datagrams sent.
     *
     * @return the count since the server was created
     */
    public long bytesSent() {
        return bytesOut.sum();
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

    /**
     * Adds a timer told the duration of every request from now on.
     *
     * @param timer the timer
     * @return closing it removes the timer
     */
    public AutoCloseable addRequestTimer(RequestTimer timer) {
        java.util.Objects.requireNonNull(timer, "timer");
        synchronized (this) {
            RequestTimer[] now = timers;
            RequestTimer[] more = java.util.Arrays.copyOf(now, now.length + 1);
            more[now.length] = timer;
            timers = more;
        }
        return () -> removeRequestTimer(timer);
    }

    private synchronized void removeRequestTimer(RequestTimer timer) {
        timers = java.util.Arrays.stream(timers).filter(t -> t != timer).toArray(RequestTimer[]::new);
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
        for (RequestTimer timer : timers) {
            try {
                timer.requestEnded(nanos);
            } catch (RuntimeException ignored) {
                // a metrics bug must not fail the request
            }
        }
    }

    void errorReported(ErrorKind kind) {
        errors.increment();
        errorsByKind[kind.ordinal()].increment();
    }

    void bytesReceived(long n) {
        if (n > 0) {
            bytesIn.add(n);
        }
    }

    void bytesSent(long n) {
        if (n > 0) {
            bytesOut.add(n);
        }
    }

    /** The counter of open requests, which the serving loop checks against the mix-in's limit. */
    java.util.concurrent.atomic.AtomicInteger inFlight() {
        return inFlight;
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    void datagramTruncated() {
        truncated.increment();
    }

    void requestDropped() {
        dropped.increment();
    }
}
