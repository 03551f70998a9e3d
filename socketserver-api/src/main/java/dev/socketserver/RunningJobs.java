package dev.socketserver;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A count of jobs a policy has running, and a wait for it to reach zero: what CPython's
 * {@code _Threads.join()} does for {@code server_close()}, in O(1) memory whatever the load
 * (cpython#81374 kept every finished thread).
 */
final class RunningJobs {

    private final AtomicInteger count = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition none = lock.newCondition();
    private volatile boolean waiting; // someone is in awaitNone: only then does an end take the lock

    void started() {
        count.incrementAndGet();
    }

    void ended() {
        if (count.decrementAndGet() == 0 && waiting) {
            lock.lock();
            try {
                none.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    int count() {
        return count.get();
    }

    /**
     * Waits until no job runs.
     *
     * @param timeout the longest wait, or {@code null} for none
     * @return {@code true} if none runs
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitNone(Duration timeout) throws InterruptedException {
        long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        lock.lock();
        try {
            waiting = true;
            while (count.get() > 0) {
                if (timeout == null) {
                    none.await();
                } else if (left <= 0) {
                    return false;
                } else {
                    left = none.awaitNanos(left);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
