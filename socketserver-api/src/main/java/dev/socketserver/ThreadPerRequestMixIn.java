package dev.socketserver;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared part of {@link ThreadingMixIn} and {@link VirtualThreadingMixIn}: a new thread per
 * request, Python's {@code daemon_threads} and {@code block_on_close}, and an optional limit on
 * concurrent requests.
 *
 * <p>Better than CPython (decided): live threads are tracked in a concurrent set that each thread
 * leaves when it ends, so bookkeeping is O(live threads) (cpython#81374); a thread that failed to
 * start is never tracked; and with {@link #setMaxConcurrentRequests} the serving loop stops accepting
 * at the limit, leaving clients in the kernel backlog, instead of starting unbounded threads.
 *
 * <p>Extend it and implement {@link #newThread} for another kind of thread.
 */
public abstract class ThreadPerRequestMixIn extends MixIn {

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean daemonThreads;
    private volatile boolean blockOnClose = true;
    private volatile int maxConcurrentRequests;

    /** For subclasses. */
    protected ThreadPerRequestMixIn() {
    }

    /**
     * Creates the unstarted thread that will run one request.
     *
     * @param name a name for the thread, unique within the server
     * @param daemon the value of {@link #daemonThreads()}
     * @param task what the thread runs
     * @return a new, unstarted thread
     */
    protected abstract Thread newThread(String name, boolean daemon, Runnable task);

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
    public ThreadPerRequestMixIn setDaemonThreads(boolean daemon) {
        checkNotBound("daemonThreads");
        this.daemonThreads = daemon;
        return this;
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
    public ThreadPerRequestMixIn setBlockOnClose(boolean block) {
        checkNotBound("blockOnClose");
        this.blockOnClose = block;
        return this;
    }

    /**
     * The most requests handled at once; {@code 0} (the default) means no limit. At the limit the
     * serving loop stops accepting until a handler ends. Python has no counterpart.
     *
     * @return the limit, or 0
     */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /**
     * Sets {@link #maxConcurrentRequests()}; only before the server is bound.
     *
     * @param max the limit, or 0 for none
     * @return this mix-in
     */
    public ThreadPerRequestMixIn setMaxConcurrentRequests(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxConcurrentRequests must be 0 (no limit) or positive: " + max);
        }
        checkNotBound("maxConcurrentRequests");
        this.maxConcurrentRequests = max;
        return this;
    }

    /**
     * Returns how many handler threads are tracked now: the live, non-daemon ones (Python:
     * {@code len(server._threads)} after a reap).
     *
     * @return the number of tracked threads
     */
    public int trackedThreads() {
        return live.size();
    }

    /**
     * Python: {@code ThreadingMixIn.process_request}: starts a thread that runs
     * {@link #processRequestThread}.
     */
    @Override
    protected <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) {
        boolean daemon = daemonThreads;
        boolean track = !daemon && blockOnClose;
        String name = "socketserver-" + server.id() + "-" + started.incrementAndGet();
        Thread[] self = new Thread[1];
        Thread thread = newThread(name, daemon, () -> {
            try {
                processRequestThread(server, request, clientAddress);
            } finally {
                if (track) {
                    live.remove(self[0]);
                }
                requestEnded();
            }
        });
        self[0] = thread;
        active.incrementAndGet();
        if (track) {
            live.add(thread);
        }
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            // never started: not tracked, and the server closes the request (CPython keeps it, E28)
            live.remove(thread);
            requestEnded();
            throw e;
        }
    }

    private void requestEnded() {
        int max = maxConcurrentRequests;
        if (active.decrementAndGet() == max - 1) {
            capacityAvailable();
        }
    }

    @Override
    protected boolean acceptsMoreRequests() {
        int max = maxConcurrentRequests;
        return max == 0 || active.get() < max;
    }

    /** Joins the tracked threads, as CPython's {@code _Threads.join()}, within the timeout if one is given. */
    @Override
    protected boolean serverClose(Duration timeout) throws InterruptedException {
        if (!blockOnClose) {
            return live.isEmpty();
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        List<Thread> threads = new ArrayList<>(live);
        for (Thread t : threads) {
            if (timeout == null) {
                t.join();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    return false;
                }
            }
        }
        return live.isEmpty();
    }
}
