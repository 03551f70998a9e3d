package dev.socketserver;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared part of {@link ThreadingMixIn} and {@link VirtualThreadingMixIn}: a new thread per
 * request, Python's {@code daemon_threads} and {@code block_on_close}, and an optional limit on
 * concurrent requests.
 *
 * <p>Better than CPython (decided): running threads are tracked by a counter that each thread
 * leaves when it ends, so bookkeeping never grows with the number of requests served (cpython#81374)
 * and costs the same under any load; a thread that failed to start is never tracked; and with {@link #setMaxConcurrentRequests} the serving loop stops accepting
 * at the limit, leaving clients in the kernel backlog, instead of starting unbounded threads.
 *
 * <p>Extend it and implement {@link #newThread} for another kind of thread.
 */
public abstract class ThreadPerRequestMixIn extends MixIn {

    private final AtomicInteger active = new AtomicInteger();  // requests running, for the limit
    private final AtomicInteger tracked = new AtomicInteger(); // non-daemon threads serverClose waits for
    private final AtomicLong started = new AtomicLong();
    private final ReentrantLock joinLock = new ReentrantLock();
    private final Condition allEnded = joinLock.newCondition();
    private volatile boolean closing;
    private volatile boolean daemonThreads;
    private volatile boolean blockOnClose = true;
    private volatile int maxConcurrentRequests;
    private volatile int requestsPerThread; // 0: automatic
    private Batch filling; // serving thread only: the batch requests are added to, started or not
    private final IdleThreads idleThreads = new IdleThreads();
    private volatile Duration threadKeepAlive; // null: automatic

    /** For subclasses. */
    protected ThreadPerRequestMixIn() {
    }

    /**
     * Creates the unstarted thread that will run one request.
     *
     * @param number the request's number within the server, from 1; {@link #threadName(long)} makes a
     *     name of it
     * @param daemon the value of {@link #daemonThreads()}
     * @param task what the thread runs
     * @return a new, unstarted thread
     */
    protected abstract Thread newThread(long number, boolean daemon, Runnable task);

    /**
     * Returns a thread name for request {@code number}: {@code socketserver-<server id>-<number>}.
     *
     * @param number the request's number
     * @return the name
     */
    protected final String threadName(long number) {
        BaseServer<?> s = server();
        return "socketserver-" + (s == null ? "?" : s.id()) + "-" + number;
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
     * The most requests, taken at one wake-up of the serving loop, that one handler thread runs one
     * after another. {@code 1} is CPython's thread per request. {@code 0} (the default) means
     * automatic: {@code 1} for stream servers, whose requests are connections that may last long,
     * and {@value #DATAGRAM_REQUESTS_PER_THREAD} for datagram servers, whose requests are single
     * datagrams: under load a burst of datagrams then costs one thread start instead of one per
     * datagram, while a datagram arriving alone still gets a thread of its own. Python has no
     * counterpart.
     *
     * <p>Each request still gets its own handler ({@code setup/handle/finish}), its own
     * {@code handleError} and {@code shutdownRequest}, runs off the serving thread, counts toward
     * {@link #maxConcurrentRequests()} and is waited for by {@code serverClose()}. What changes is
     * that requests of one batch run in sequence, so a slow handler delays the rest of its batch.
     *
     * @return the configured value, 0 for automatic
     */
    public int requestsPerThread() {
        return requestsPerThread;
    }

    /**
     * Sets {@link #requestsPerThread()}; only before the server is bound.
     *
     * @param requests at least 1, or 0 for automatic
     * @return this mix-in
     */
    public ThreadPerRequestMixIn setRequestsPerThread(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requestsPerThread must be 0 (automatic) or positive: " + requests);
        }
        checkNotBound("requestsPerThread");
        this.requestsPerThread = requests;
        return this;
    }

    /** The automatic {@link #requestsPerThread()} of datagram servers. */
    public static final int DATAGRAM_REQUESTS_PER_THREAD = 16;

    /**
     * How long a thread that ran a batch of requests (see {@link #requestsPerThread()}) waits for
     * the next batch before it ends; {@code null} (the default) means {@link #defaultThreadKeepAlive()}:
     * 50 ms for {@link ThreadingMixIn}'s platform threads, zero for {@link VirtualThreadingMixIn}
     * (starting a virtual thread costs no more than waking a parked one). Applies only to batches,
     * so stream servers keep CPython's new thread per connection unless {@code requestsPerThread} is
     * raised. Python has no counterpart.
     *
     * <p>Why: a platform thread start costs several times a datagram echo, and a thread serving one
     * batch after another is what a batch already is. A handler must therefore not rely on
     * thread-local state being fresh per request (true of batches too). Idle threads end when the
     * keep-alive passes or at {@code serverClose()}.
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
    public ThreadPerRequestMixIn setThreadKeepAlive(Duration keepAlive) {
        if (keepAlive != null && keepAlive.isNegative()) {
            throw new IllegalArgumentException("threadKeepAlive must be zero, positive or null (automatic): " + keepAlive);
        }
        checkNotBound("threadKeepAlive");
        this.threadKeepAlive = keepAlive;
        return this;
    }

    /**
     * The automatic {@link #threadKeepAlive()}: 50 ms here; {@link VirtualThreadingMixIn} returns zero.
     *
     * @return the keep-alive used when none is configured
     */
    protected Duration defaultThreadKeepAlive() {
        return Duration.ofMillis(50);
    }

    private Duration effectiveThreadKeepAlive() {
        Duration configured = threadKeepAlive;
        return configured != null ? configured : defaultThreadKeepAlive();
    }

    /**
     * Returns how many handler threads are tracked now: the running, non-daemon ones that
     * {@code serverClose()} waits for (Python: {@code len(server._threads)} after a reap). Tracking
     * is a counter, not a list of threads, so it costs the same whatever the load.
     *
     * @return the number of tracked threads
     */
    public int trackedThreads() {
        return tracked.get();
    }

    /**
     * Python: {@code ThreadingMixIn.process_request}: starts a thread that runs
     * {@link #processRequestThread}.
     */
    @Override
    protected <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) {
        boolean track = !daemonThreads && blockOnClose;
        Runnable task = () -> {
            try {
                processRequestThread(server, request, clientAddress);
            } finally {
                requestEnded(track);
            }
        };
        active.incrementAndGet();
        if (track) {
            tracked.incrementAndGet();
        }
        int perThread = effectiveRequestsPerThread(server);
        if (perThread == 1) {
            start(task, () -> requestEnded(track));
            return;
        }
        Abandon abandon = e -> {
            try {
                server.reportError(request, clientAddress, e);
            } finally {
                server.shutdownRequest(request);
                requestEnded(track);
            }
        };
        Batch batch = filling;
        if (batch == null || !batch.offer(task, abandon, perThread)) {
            batch = new Batch();
            batch.offer(task, abandon, perThread);
            filling = batch;
        }
        if (batch.size() >= perThread) {
            endOfBatch();
        }
    }

    /**
     * Starts a thread for the batch being filled, unless it has one already. The batch stays open:
     * requests taken before its thread begins to run join it (up to {@link #requestsPerThread()}),
     * so under load a batch grows to what arrived while its thread waited for a CPU, instead of
     * costing a thread start per wake-up of the serving loop.
     */
    @Override
    protected void endOfBatch() {
        Batch batch = filling;
        if (batch == null || batch.threadStarted) {
            return;
        }
        batch.threadStarted = true;
        long keepAlive = effectiveThreadKeepAlive().toNanos();
        if (keepAlive > 0 && idleThreads.handOff(batch)) {
            return;
        }
        try {
            start(keepAlive > 0 ? idleThreads.lingering(batch, keepAlive) : batch, null);
        } catch (RuntimeException | Error e) {
            filling = null;
            // the requests were already handed over, so the mix-in closes them itself (E28)
            for (Abandon failure : batch.abandonAll()) {
                failure.abandon(e);
            }
            if (e instanceof Error) {
                throw e;
            }
        }
    }

    private void start(Runnable work, Runnable onStartFailure) {
        Thread thread = newThread(started.incrementAndGet(), daemonThreads, work);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            if (onStartFailure != null) {
                onStartFailure.run(); // never started: no longer tracked; the server closes the request
            }
            throw e;
        }
    }

    /**
     * Requests that one thread runs in turn. The serving thread adds to it; the thread, when it begins
     * to run, takes what is there and closes it to further requests.
     */
    private static final class Batch implements Runnable {
        private List<Runnable> tasks = new ArrayList<>(); // guarded by this, as the rest
        private List<Abandon> failures = new ArrayList<>();
        private boolean taken;
        boolean threadStarted; // serving thread only

        synchronized boolean offer(Runnable task, Abandon failure, int max) {
            if (taken || tasks.size() >= max) {
                return false;
            }
            tasks.add(task);
            failures.add(failure);
            return true;
        }

        synchronized int size() {
            return tasks.size();
        }

        private synchronized List<Runnable> take() {
            List<Runnable> mine = tasks;
            close();
            return mine;
        }

        synchronized List<Abandon> abandonAll() {
            List<Abandon> mine = failures;
            close();
            return mine;
        }

        /** No more requests; and the serving thread, which still refers to this batch, keeps none alive. */
        private void close() {
            taken = true;
            tasks = List.of();
            failures = List.of();
        }

        @Override
        public void run() {
            runInTurn(take());
        }
    }

    /**
     * Runs a batch in order. An {@link Error} from one request (not passed to handleError, as in
     * CPython) must not leave the rest unhandled and unclosed: they still run, and the first Error is
     * rethrown at the end, to the thread's uncaught-exception handler.
     */
    private static void runInTurn(List<Runnable> tasks) {
        Throwable first = null;
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
    }

    private int effectiveRequestsPerThread(BaseServer<?> server) {
        int configured = requestsPerThread;
        if (configured > 0) {
            return configured;
        }
        ServerFamily family = server.family();
        return family == ServerFamily.UDP || family == ServerFamily.UNIX_DATAGRAM ? DATAGRAM_REQUESTS_PER_THREAD : 1;
    }

    /** Closes a request whose thread never started. */
    private interface Abandon {
        void abandon(Throwable cause);
    }

    private void requestEnded(boolean track) {
        if (track && tracked.decrementAndGet() == 0 && closing) {
            joinLock.lock();
            try {
                allEnded.signalAll();
            } finally {
                joinLock.unlock();
            }
        }
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

    /**
     * Waits for the tracked threads to end, as CPython's {@code _Threads.join()}, within the timeout if
     * one is given.
     */
    @Override
    protected boolean serverClose(Duration timeout) throws InterruptedException {
        idleThreads.close();
        if (!blockOnClose) {
            return tracked.get() == 0;
        }
        closing = true;
        long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        joinLock.lock();
        try {
            while (tracked.get() > 0) {
                if (timeout == null) {
                    allEnded.await();
                } else if (left <= 0) {
                    return false;
                } else {
                    left = allEnded.awaitNanos(left);
                }
            }
            return true;
        } finally {
            joinLock.unlock();
        }
    }
}
