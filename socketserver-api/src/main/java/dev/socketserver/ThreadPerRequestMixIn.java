package dev.socketserver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared part of {@link ThreadingMixIn} and {@link VirtualThreadingMixIn}: each request on a
 * thread of its own, Python's {@code daemon_threads} and {@code block_on_close}, and an optional
 * limit on concurrent requests.
 *
 * <p>As in CPython no request ever waits behind another request's running handler, datagrams
 * included: each job gets a new thread, or a thread that is idle at that moment
 * ({@link #threadKeepAlive()}), never one that is busy.
 *
 * <p>Better than CPython (decided): running requests are tracked by a counter, so bookkeeping never
 * grows with the number of requests served (cpython#81374); a thread that failed to start is never
 * tracked; and with {@link #setMaxConcurrentRequests} the serving loop stops accepting at the limit,
 * leaving clients in the kernel backlog, instead of starting unbounded threads.
 *
 * <p>Extend it and implement {@link #newThread} for another kind of thread. The setters return the
 * subclass's own type ({@code M}), so options chain: {@code new ThreadingMixIn().setDaemonThreads(true)
 * .setMaxConcurrentRequests(100)}.
 *
 * @param <M> the concrete mix-in type, returned by the setters
 */
public abstract class ThreadPerRequestMixIn<M extends ThreadPerRequestMixIn<M>> extends MixIn {

    private final RunningJobs tracked = new RunningJobs(); // jobs on non-daemon threads, for serverClose
    private final AtomicLong started = new AtomicLong();
    private final IdleThreads idleThreads = new IdleThreads();
    private volatile boolean daemonThreads;
    private volatile boolean blockOnClose = true;
    private volatile int maxConcurrentRequests;
    private volatile Duration threadKeepAlive; // null: automatic

    /** For subclasses. */
    protected ThreadPerRequestMixIn() {
    }

    /**
     * Creates the unstarted thread that will run a job.
     *
     * @param serverId the id of the job's server, for {@link #threadName(String, long)}
     * @param number the n-th thread this mix-in starts, from 1
     * @param daemon the value of {@link #daemonThreads()}
     * @param task what the thread runs
     * @return a new, unstarted thread
     */
    protected abstract Thread newThread(String serverId, long number, boolean daemon, Runnable task);

    /**
     * A thread name: {@code socketserver-<server id>-<number>}. Made only by mix-ins that name their
     * threads: formatting it for every request was a measurable part of a short one's cost.
     *
     * @param serverId the server's id
     * @param number the thread's number
     * @return the name
     */
    protected static String threadName(String serverId, long number) {
        return "socketserver-" + serverId + "-" + number;
    }

    /**
     * Python: {@code ThreadingMixIn.process_request}: starts a thread (or wakes an idle one) that
     * runs the job.
     *
     * @throws RuntimeException if the thread cannot be started; the server then closes the request
     */
    @Override
    protected void processRequest(RequestJob job) {
        boolean track = !daemonThreads && blockOnClose;
        if (track) {
            tracked.started();
        }
        Runnable task = track ? () -> {
            try {
                job.run();
            } finally {
                tracked.ended();
            }
        } : job;
        long keepAlive = effectiveThreadKeepAlive().toNanos();
        if (keepAlive > 0 && idleThreads.handOff(task)) {
            return;
        }
        Thread thread = newThread(job.serverId(), started.incrementAndGet(), daemonThreads,
                keepAlive > 0 ? idleThreads.lingering(task, keepAlive) : task);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            if (track) {
                tracked.ended(); // never started: not tracked; the server closes the request
            }
            throw e;
        }
    }

    /**
     * Waits for the tracked handler threads to end, as CPython's {@code _Threads.join()}, within the
     * timeout if one is given; idle threads end at once.
     */
    @Override
    protected boolean serverClose(Duration timeout) throws InterruptedException {
        idleThreads.close();
        if (!blockOnClose) {
            return tracked.count() == 0;
        }
        return tracked.awaitNone(timeout);
    }

    /**
     * Python: {@code daemon_threads}, default {@code false}. Non-daemon threads are tracked and
     * joined by {@code serverClose()} when {@link #blockOnClose()} is on.
     *
     * @return whether handler threads are daemon threads
     */
    public boolean daemonThreads() {
        return daemonThreads;
    }

    /**
     * Sets {@link #daemonThreads()}; only before the server is bound.
     *
     * @param daemon the new value
     * @return this mix-in
     */
    public M setDaemonThreads(boolean daemon) {
        checkNotBound("daemonThreads");
        this.daemonThreads = daemon;
        return self();
    }

    /**
     * Python: {@code block_on_close}, default {@code true}: {@code serverClose()} waits for the
     * tracked handler threads.
     *
     * @return whether closing waits for handlers
     */
    public boolean blockOnClose() {
        return blockOnClose;
    }

    /**
     * Sets {@link #blockOnClose()}; only before the server is bound.
     *
     * @param block the new value
     * @return this mix-in
     */
    public M setBlockOnClose(boolean block) {
        checkNotBound("blockOnClose");
        this.blockOnClose = block;
        return self();
    }

    /**
     * The most requests handled at once; {@code 0} (the default) means no limit. At the limit the
     * serving loop stops accepting until a request ends; a request counts from the moment it is
     * handed to this mix-in until its handler, {@code handleError} and {@code shutdownRequest} are
     * done. Python has no counterpart.
     *
     * @return the limit, or 0
     */
    @Override
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /**
     * Sets {@link #maxConcurrentRequests()}; only before the server is bound.
     *
     * @param max the limit, or 0 for none
     * @return this mix-in
     */
    public M setMaxConcurrentRequests(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxConcurrentRequests must be 0 (no limit) or positive: " + max);
        }
        checkNotBound("maxConcurrentRequests");
        this.maxConcurrentRequests = max;
        return self();
    }

    /**
     * How long a thread that finished its request waits, idle, to be given the next one before it
     * ends; {@code null} (the default) means {@link #defaultThreadKeepAlive()}: 50 ms for
     * {@link ThreadingMixIn}'s platform threads, zero for {@link VirtualThreadingMixIn}. Zero is
     * CPython's strict new thread per request. Python has no counterpart.
     *
     * <p>Why: starting a platform thread costs tens of microseconds, several times a datagram echo;
     * handing a request to a thread that is already parked costs one unpark. Only idle threads are
     * reused, so no request waits for another. A handler must not rely on thread-local state being
     * fresh per request. Idle threads end when the keep-alive passes or at {@code serverClose()}.
     *
     * @return the configured keep-alive, or {@code null} for automatic
     */
    public Duration threadKeepAlive() {
        return threadKeepAlive;
    }

    /**
     * Sets {@link #threadKeepAlive()}; only before the server is bound.
     *
     * @param keepAlive zero or positive, or {@code null} for automatic
     * @return this mix-in
     */
    public M setThreadKeepAlive(Duration keepAlive) {
        if (keepAlive != null && keepAlive.isNegative()) {
            throw new IllegalArgumentException("threadKeepAlive must be zero, positive or null (automatic): " + keepAlive);
        }
        checkNotBound("threadKeepAlive");
        this.threadKeepAlive = keepAlive;
        return self();
    }

    /**
     * The automatic {@link #threadKeepAlive()}: 50 ms here; {@link VirtualThreadingMixIn} returns zero.
     *
     * @return the keep-alive used when none is configured
     */
    protected Duration defaultThreadKeepAlive() {
        return Duration.ofMillis(50);
    }

    /**
     * Returns how many requests run on tracked threads now: the non-daemon ones that
     * {@code serverClose()} waits for (Python: {@code len(server._threads)} after a reap). A counter,
     * not a list of threads, so it costs the same whatever the load.
     *
     * @return the number of tracked requests running
     */
    public int trackedThreads() {
        return tracked.count();
    }

    private Duration effectiveThreadKeepAlive() {
        Duration configured = threadKeepAlive;
        return configured != null ? configured : defaultThreadKeepAlive();
    }

    @SuppressWarnings("unchecked") // M is this class's own type, by the declaration of every subclass
    private M self() {
        return (M) this;
    }
}
