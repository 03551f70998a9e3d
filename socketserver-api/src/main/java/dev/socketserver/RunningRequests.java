package dev.socketserver;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The jobs running now, each with its thread: what a drain reaches into. Only touched as a job starts
 * and ends, both on the job's own thread, so the set is striped by thread: the start and end of one
 * job take the same small lock, which other threads rarely share, and no counter is shared by all
 * (a {@code ConcurrentHashMap} key set's size counter is, and the profile of a virtual thread per
 * datagram showed the JDK's own such set, the root thread container's, as its largest cost).
 *
 * <p>A job that starts after {@link #drainAll} began still gets the drain: the starter adds itself, then
 * reads the flag; the drain sets the flag, then walks the set. One of the two sees the other (both may,
 * and a second drain of the same job is harmless).
 *
 * @param <R> the request type
 */
final class RunningRequests<R> {

    private static final int STRIPES = 64; // a power of two, well above the carriers and threads that run at once

    private final List<Set<ServerJob<R>>> stripes = new ArrayList<>(STRIPES); // never resized: read without a lock
    private volatile Consumer<R> drainer; // set once the drain reaches running requests
    private volatile boolean forcing;     // the deadline passed: every running job is stopped

    /**
     * A job starts on the current thread.
     *
     * @param job the job
     * @param force stops a request: closes its connection
     */
    RunningRequests() {
        for (int i = 0; i < STRIPES; i++) {
            stripes.add(new HashSet<>());
        }
    }

    private Set<ServerJob<R>> stripe(Thread thread) {
        return stripes.get((int) (thread.threadId() & (STRIPES - 1)));
    }

    void started(ServerJob<R> job, Consumer<R> force) {
        Thread me = Thread.currentThread();
        job.thread = me;
        Set<ServerJob<R>> stripe = stripe(me);
        synchronized (stripe) {
            stripe.add(job);
        }
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
        Set<ServerJob<R>> stripe = stripe(Thread.currentThread());
        synchronized (stripe) {
            stripe.remove(job);
        }
        job.thread = null;
    }

    /** The jobs running now, copied stripe by stripe. */
    private List<ServerJob<R>> snapshot() {
        List<ServerJob<R>> all = new ArrayList<>();
        for (Set<ServerJob<R>> stripe : stripes) {
            synchronized (stripe) {
                all.addAll(stripe);
            }
        }
        return all;
    }

    /** Whether the calling thread runs one of the jobs (a drain from a handler would wait for itself). */
    boolean onJobThread() {
        Thread me = Thread.currentThread();
        Set<ServerJob<R>> stripe = stripe(me);
        synchronized (stripe) {
            for (ServerJob<R> job : stripe) {
                if (job.thread == me) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Hands every running request, and every one that starts from now on, to {@code drain}. */
    void drainAll(Consumer<R> drain) {
        drainer = drain;
        for (ServerJob<R> job : snapshot()) {
            drain.accept(job.request());
        }
    }

    /** The deadline passed: interrupts every running job's thread and stops its request, now and from now on. */
    void forceAll(Consumer<R> force) {
        forcing = true;
        for (ServerJob<R> job : snapshot()) {
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
