package dev.socketserver;

import java.net.SocketAddress;
import java.time.Duration;

/**
 * A concurrency policy: Python's mix-in classes ({@code ThreadingMixIn}, {@code ForkingMixIn}), which
 * override {@code process_request} and {@code server_close}.
 *
 * <p>Java has no multiple inheritance, so a mix-in here is an object given to the server's
 * constructor: {@code new TCPServer(address, Echo::new, new VirtualThreadingMixIn())}. Each
 * instance belongs to one server. To write your own (a pool, a different thread factory), extend
 * this class, or {@link ThreadPerRequestMixIn} for thread-per-request variants, and pass it to any
 * server class; no server subclass is needed.
 *
 * <p>The contract of {@link #processRequest}, as in CPython: if it throws, the server reports the
 * error and closes the request; if it returns, the mix-in owns the request and must see that
 * {@code shutdownRequest} runs exactly once, which {@link #processRequestThread} does.
 */
public abstract class MixIn {

    private BaseServer<?> server;

    /** For subclasses. */
    protected MixIn() {
    }

    /**
     * Returns the plain synchronous policy: each request is handled on the serving thread, one at a
     * time (Python: a server class without a mix-in).
     *
     * @return a new synchronous mix-in
     */
    public static MixIn synchronous() {
        return new SyncMixIn();
    }

    /**
     * Python: {@code process_request(request, client_address)} as the mix-in overrides it. Called on
     * the serving thread.
     *
     * @param server the server the request came to
     * @param request the request
     * @param clientAddress the client's address
     * @param <R> the request type
     * @throws Exception if the request could not be dispatched; the server then calls
     *     {@code handleError} and {@code shutdownRequest}
     */
    protected abstract <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress)
            throws Exception;

    /**
     * Tells the serving loop whether to take another request now. A mix-in with a concurrency limit
     * returns {@code false} at the limit, leaving clients in the kernel's queue, and calls
     * {@link #capacityAvailable()} when a request ends. Python has no counterpart.
     *
     * @return {@code true} by default
     */
    protected boolean acceptsMoreRequests() {
        return true;
    }

    /**
     * Called on the serving thread after it has taken the requests that were ready at one wake-up
     * (one or more {@link #processRequest} calls). A mix-in that groups requests starts their work
     * here at the latest. Python has no counterpart. Does nothing by default.
     */
    protected void endOfBatch() {
    }

    /**
     * Python: the mix-in's part of {@code server_close()}; called after the server's socket is closed.
     * {@code ThreadingMixIn} joins its handler threads here.
     *
     * @param timeout how long to wait at most, or {@code null} without a limit
     * @return {@code true} if nothing is left running
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
     * Returns the server this mix-in belongs to.
     *
     * @return the server, or {@code null} before the server's constructor attached it
     */
    protected final BaseServer<?> server() {
        return server;
    }

    /**
     * Wakes the serving loop after {@link #acceptsMoreRequests()} turned true again.
     */
    protected final void capacityAvailable() {
        BaseServer<?> s = server;
        if (s != null) {
            s.wakeLoop();
        }
    }

    /**
     * Throws if the server is already bound: mix-in options, like server options, are fixed before bind.
     *
     * @param option the option's name, for the message
     */
    protected final void checkNotBound(String option) {
        BaseServer<?> s = server;
        if (s != null && s.isBound()) {
            throw new IllegalStateException(option + " cannot change after the server is bound");
        }
    }

    /**
     * Python: {@code BaseServer.process_request}: {@code finish_request} then {@code shutdown_request},
     * on the calling thread. Exceptions propagate and the caller cleans up.
     *
     * @param server the server
     * @param request the request
     * @param clientAddress the client's address
     * @param <R> the request type
     * @throws Exception whatever the handler threw
     */
    protected static <R> void finishAndShutdownRequest(BaseServer<R> server, R request, SocketAddress clientAddress)
            throws Exception {
        server.runFinishRequest(request, clientAddress);
        server.shutdownRequest(request);
    }

    /**
     * Python: {@code ThreadingMixIn.process_request_thread}: runs the handler, passes an
     * {@link Exception} to {@code handleError}, and always calls {@code shutdownRequest}. An
     * {@link Error} is not passed to {@code handleError}; it propagates after the request is closed.
     *
     * @param server the server
     * @param request the request
     * @param clientAddress the client's address
     * @param <R> the request type
     */
    protected static <R> void processRequestThread(BaseServer<R> server, R request, SocketAddress clientAddress) {
        try {
            server.runFinishRequest(request, clientAddress);
        } catch (Exception e) {
            server.reportError(request, clientAddress, e);
        } finally {
            server.shutdownRequest(request);
        }
    }

    final void attach(BaseServer<?> owner) {
        if (server != null) {
            throw new IllegalArgumentException("this " + name() + " already belongs to server " + server.id()
                    + "; give each server its own mix-in instance");
        }
        server = owner;
    }
}
