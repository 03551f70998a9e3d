package dev.socketserver;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Handler threads of one mix-in that, after running their request, wait a short while
 * for another before they end ({@link ThreadPerRequestMixIn#threadKeepAlive()}).
 *
 * <p>Why: starting a platform thread costs tens of microseconds, several times the work of a
 * datagram echo; handing a request to a thread that is already parked costs one unpark. Only a
 * thread that is idle at that moment takes work, so no request waits for another. The most recently
 * idle thread is used first, so under a steady load a few threads stay warm and the rest time out.
 * {@code serverClose()} waits for requests, not threads. Closing ends every idle thread at once.
 */
final class IdleThreads {

    private final ConcurrentLinkedDeque<Lingering> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * Gives work to an idle thread.
     *
     * @param work what to run
     * @return {@code false} if no thread was idle; the caller starts one
     */
    boolean handOff(Runnable work) {
        Lingering thread;
        while ((thread = idle.pollFirst()) != null) {
            if (thread.assign(work)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wraps the first work of a new thread: after it, the thread waits up to {@code keepAliveNanos}
     * for more, handed over by {@link #handOff}.
     *
     * @param first the first work
     * @param keepAliveNanos how long to wait for more each time
     * @return what the new thread runs
     */
    Runnable lingering(Runnable first, long keepAliveNanos) {
        return new Lingering(first, keepAliveNanos);
    }

    /** Ends every idle thread now, and every busy one when its work is done. */
    void close() {
        closed = true;
        Lingering thread;
        while ((thread = idle.pollFirst()) != null) {
            thread.retire();
        }
    }

    private final class Lingering implements Runnable {
        private static final int BUSY = 0;
        private static final int IDLE = 1;
        private static final int ASSIGNED = 2;
        private static final int RETIRED = 3;

        private final AtomicInteger state = new AtomicInteger(BUSY);
        private final long keepAliveNanos;
        private Runnable first;
        private volatile Runnable next;
        private volatile Thread thread;

        Lingering(Runnable first, long keepAliveNanos) {
            this.first = first;
            this.keepAliveNanos = keepAliveNanos;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            Runnable work = first;
            first = null;
            while (work != null) {
                work.run();
                work = awaitNext();
            }
        }

        private Runnable awaitNext() {
            if (closed) {
                return null;
            }
            state.set(IDLE);
            idle.addFirst(this);
            long deadline = System.nanoTime() + keepAliveNanos;
            while (true) {
                Runnable work = next;
                if (work != null) {
                    next = null;
                    state.set(BUSY);
                    return work;
                }
                int now = state.get();
                if (now == RETIRED) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                boolean giveUp = left <= 0 || closed || Thread.currentThread().isInterrupted();
                if (giveUp && now == IDLE && state.compareAndSet(IDLE, RETIRED)) {
                    idle.remove(this);
                    return null;
                }
                // ASSIGNED: the work is being handed over; it arrives with the unpark
                LockSupport.parkNanos(this, Math.max(left, 10_000));
            }
        }

        boolean assign(Runnable work) {
            if (!state.compareAndSet(IDLE, ASSIGNED)) {
                return false; // it timed out or was retired meanwhile
            }
            next = work;
            LockSupport.unpark(thread);
            return true;
        }

        void retire() {
            if (state.compareAndSet(IDLE, RETIRED)) {
                LockSupport.unpark(thread);
            }
        }
    }
}
