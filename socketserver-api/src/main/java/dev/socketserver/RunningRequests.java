package dev.socketserver;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The jobs running now, each with its thread: what a drain reaches into. The set is only touched as a
 * job starts and ends (one concurrent-set add and remove), so serving pays nothing else for it.
 *
 * <p>A job that starts after {@link #drainAll} began still gets the drain: the starter adds itself, then
 * reads the flag; the drain sets the flag, then walks the set. One of the two sees the other (both may,
 * and a second drain of the same job is harmless).
 *
 * @param <R> the request type
 */
final class RunningRequests<R> {

    private final Set<ServerJob<R>> running = ConcurrentHashMap.newKeySet();
    private volatile Consumer<R> drainer; // set once the drain reaches running requests
    private volatile boolean forcing;     // the deadline passed: every running job is stopped

    /**
     * A job starts on the current thread.
     *
     * @param job the job
     * @param force stops a request: closes its connection
     */
    void started(ServerJob<R> job, Consumer<R> force) {
        job.thread = Thread.currentThread();
        running.add(job);
        Consumer<R> d = drainer;
        if (d != null) {
            d.accept(job.request());
        }
        if (forcing) {
            stop(job, force);
        }
    }

    /** Whether a drain's deadline passed: failures from now on are likely what the forced stop caused. */
    boolean forcing() {
        return forcing;
    }

    void ended(ServerJob<R> job) {
        running.remove(job);
        job.thread = null;
    }

    /** Whether the calling thread runs one of the jobs (a drain from a handler would wait for itself). */
    boolean onJobThread() {
        Thread me = Thread.currentThread();
        for (ServerJob<R> job : running) {
            if (job.thread == me) {
                return true;
            }
        }
        return false;
    }

    /** Hands every running request, and every one that starts from now on, to {@code drain}. */
    void drainAll(Consumer<R> drain) {
        drainer = drain;
        for (ServerJob<R> job : running) {
            drain.accept(job.request());
        }
    }

    /** The deadline passed: interrupts every running job's thread and stops its request, now and from now on. */
    void forceAll(Consumer<R> force) {
        forcing = true;
        for (ServerJob<R> job : running) {
            stop(job, force);
        }
    }

    private static <R> void stop(ServerJob<R> job, Consumer<R> force) {
        Thread t = job.thread;
        if (t != null) {
            t.interrupt();
        }
        force.accept(job.request());
    }
}
