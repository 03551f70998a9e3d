package dev.socketserver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;

/**
 * The whole work of one request, packed by the server for its concurrency policy: Python's
 * {@code process_request_thread(request, client_address)} bound to its arguments.
 *
 * <p>Running it runs the server's {@code processRequestThread}: {@code finishRequest} (the handler's
 * {@code setup/handle/finish}), {@code handleError} if that throws an {@link Exception}, and
 * {@code shutdownRequest} exactly once, with the server's counters kept around it. A {@link MixIn}
 * only decides where and when it runs: on the serving thread, a new thread, a pool. It never calls
 * back into the server.
 *
 * <p>A job runs at most once. A policy that accepted a job but cannot run it (its pool was shut
 * down, say) calls {@link #abandon}, which reports the cause and closes the request instead.
 */
public abstract sealed class RequestJob implements Runnable permits ServerJob {

    private static final VarHandle TAKEN;

    static {
        try {
            TAKEN = MethodHandles.lookup().findVarHandle(RequestJob.class, "taken", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through TAKEN
    private volatile boolean taken;

    RequestJob() {
    }

    /**
     * Runs the request's work on the calling thread: Python's {@code process_request_thread}. An
     * {@link Exception} from the handler goes to {@code handleError}; an {@link Error}, or an
     * exception from {@code handleError} itself, propagates after the request is closed.
     *
     * @throws IllegalStateException if the job already ran or was abandoned
     */
    @Override
    public final void run() {
        if (!TAKEN.compareAndSet(this, false, true)) {
            throw new IllegalStateException("this request job already ran or was abandoned");
        }
        try {
            runRequest();
        } finally {
            ended();
        }
    }

    /**
     * Gives up a job that will not run: the server passes {@code cause} to {@code handleError} (when
     * it is an {@link Exception}, as CPython does for a failed {@code process_request}) and closes the
     * request. Does nothing if the job already ran or was abandoned.
     *
     * @param cause why the job cannot run
     * @return {@code true} if this call abandoned the job
     */
    public final boolean abandon(Throwable cause) {
        if (!TAKEN.compareAndSet(this, false, true)) {
            return false;
        }
        try {
            abandonRequest(cause);
        } finally {
            ended();
        }
        return true;
    }

    /**
     * Returns the id of the server that made the job, e.g. {@code tcp-3}, for thread names and logs.
     *
     * @return the server's id
     */
    public abstract String serverId();

    /**
     * Returns the client's address: Python's {@code client_address}.
     *
     * @return the address; {@code null} for an unbound Unix datagram client
     */
    public abstract SocketAddress clientAddress();

    /** Whether {@link #run} or {@link #abandon} was called. */
    final boolean taken() {
        return (boolean) TAKEN.getVolatile(this);
    }

    abstract void runRequest();

    abstract void abandonRequest(Throwable cause);

    abstract void ended();
}
