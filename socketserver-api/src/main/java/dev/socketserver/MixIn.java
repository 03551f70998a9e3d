package dev.socketserver;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A concurrency policy: Python's mix-in classes ({@code ThreadingMixIn}, {@code ForkingMixIn}) as
 * far as they decide where a request runs.
 *
 * <p>Java has no multiple inheritance, so a mix-in here is an object given to the server's
 * constructor: {@code new TCPServer(address, Echo::new, new VirtualThreadingMixIn())}. The server
 * packs the whole work of each request into a {@link RequestJob} and hands it over in one call,
 * {@link #processRequest(RequestJob)}; the policy only decides where and when the job runs. It holds
 * no reference to the server and never calls into it (the shape of the JDK's
 * {@code HttpServer.setExecutor} and Jetty's {@code ThreadPool}).
 *
 * <p>The policies: {@link #synchronous()} (the serving thread, one request at a time: a Python
 * server class without a mix-in), {@link ThreadingMixIn} (a platform thread per request),
 * {@link VirtualThreadingMixIn} (a virtual thread per request) and {@link #executor(Executor)} (a pool
 * you supply). To write your own, extend this class, or {@link ThreadPerRequestMixIn} for another
 * kind of thread; no server subclass is needed. Each instance belongs to one server.
 */
public abstract class MixIn {

    private volatile String owner; // the id of the server that claimed this instance
    private volatile boolean fixed; // true once that server is bound

    /** For subclasses. */
    protected MixIn() {
    }

    /**
     * Returns the synchronous policy: each request is handled on the serving thread, one at a time
     * (Python: a server class without a mix-in).
     *
     * @return a new synchronous mix-in
     */
    public static MixIn synchronous() {
        return new SyncMixIn();
    }

    /**
     * Returns a policy that runs each request on {@code executor}, e.g. a bounded pool of your own.
     * A job the executor rejects is reported to {@code handleError} and its request closed;
     * {@code serverClose()} waits for the jobs given to the executor, but does not shut it down: it
     * is yours. Python has no counterpart.
     *
     * @param executor where jobs run
     * @return a new mix-in over that executor
     */
    public static MixIn executor(Executor executor) {
        return new ExecutorMixIn(executor);
    }

    /**
     * Python: {@code process_request(request, client_address)} as the mix-in overrides it: runs the
     * job now, or arranges for it to run. Called on the serving thread.
     *
     * <p>Contract: if this returns, the policy owns the job and must see that {@link RequestJob#run()}
     * or {@link RequestJob#abandon} is called exactly once. If it throws before the job ran, the server
     * abandons the job (reporting the exception and closing the request) and keeps serving.
     *
     * @param job the request's work
     * @throws Exception if the job could not be dispatched, e.g. a thread failed to start
     */
    protected abstract void processRequest(RequestJob job) throws Exception;

    /**
     * The most requests handled at once; {@code 0} means no limit. The serving loop asks for it and
     * stops accepting at the limit, leaving clients in the kernel's queue, until a request ends.
     * Python has no counterpart.
     *
     * @return {@code 0} here: no limit
     */
    public int maxConcurrentRequests() {
        return 0;
    }

    /**
     * Python: the mix-in's part of {@code server_close()}, called after the server's socket is closed.
     * {@code ThreadingMixIn} joins its handler threads here.
     *
     * @param timeout how long to wait at most, or {@code null} without a limit
     * @return {@code true} if nothing is left running; {@code true} here
     * @throws InterruptedException if interrupted while waiting
     */
    protected boolean serverClose(Duration timeout) throws InterruptedException {
        return true;
    }

    /**
     * Returns the name shown in listings; the class's simple name unless overridden.
     *
     * @return the name
     */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Throws if the server this mix-in belongs to is bound: mix-in options, like server options, are
     * fixed before bind, so none is silently ignored.
     *
     * @param option the option's name, for the message
     * @throws IllegalStateException if the server is bound
     */
    protected final void checkNotBound(String option) {
        if (fixed) {
            throw new IllegalStateException(option + " cannot change after server " + owner + " is bound");
        }
    }

    /** Called by the server's constructor: one server per instance. */
    final void claim(String serverId) {
        synchronized (this) {
            if (owner != null) {
                throw new IllegalArgumentException("this " + name() + " already belongs to server " + owner
                        + "; give each server its own mix-in instance");
            }
            owner = serverId;
        }
    }

    /** Called when the server is bound: from now on the options are fixed. */
    final void fix() {
        fixed = true;
    }
}
