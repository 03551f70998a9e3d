package dev.socketserver;

import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state machine behind {@link BaseServer}: bound, activated, closed, and who owns the serving loop.
 *
 * <pre>
 *   CREATED --serverBind/serverActivate--> IDLE --serveForever/handleRequest--> SERVING
 *   SERVING --loop returns--> IDLE;  SERVING --shutdown() waits--> SHUTTING_DOWN --> IDLE
 *   any --serverClose--> CLOSED
 * </pre>
 *
 * <p>One lock guards it all. {@code stopRequested} is also read without the lock by the loop, so it is
 * volatile. A stop requested while no {@code serveForever} runs is kept for the next one, so a
 * {@code shutdown()} that races ahead of a starting loop is never lost (CPython's test_shutdown race).
 */
final class Lifecycle {

    /** Opens the waiter for a loop; called under the lock so a concurrent close cannot slip in between. */
    interface WaiterFactory {
        Waiter open() throws IOException;
    }

    /** What {@link #markClosed()} hands back: whether this was the first close, and a waiter to wake. */
    record Closing(boolean first, Waiter waiter) {
    }

    private final String id;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition loopEnded = lock.newCondition();
    private boolean bound;
    private boolean activated;
    private boolean closed;
    private Thread loopThread;
    private boolean inServeForever;
    private Waiter loopWaiter;
    private volatile boolean stopRequested;
    private volatile boolean draining;
    private boolean acceptingStopped; // a drain took the last queued request: no loop may start again
    private volatile ServerState state = ServerState.CREATED;
    private volatile Instant startedAt;

    Lifecycle(String id) {
        this.id = id;
    }

    ServerState state() {
        ServerState s = state;
        return draining && s != ServerState.CLOSED ? ServerState.DRAINING : s;
    }

    boolean draining() {
        return draining;
    }

    /** For drain(): throws unless activated and open and not draining already. */
    void markDraining() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("drain: server " + id + " is closed");
            }
            if (!activated) {
                throw new IllegalStateException("drain: server " + id + " is not activated; call serverActivate() first");
            }
            if (draining) {
                throw new IllegalStateException("drain: server " + id + " is already draining");
            }
            draining = true;
        } finally {
            lock.unlock();
        }
    }

    /** For drain(), after its last sweep: serveForever and handleRequest refuse to start from now on. */
    void stopAccepting() {
        lock.lock();
        try {
            acceptingStopped = true;
        } finally {
            lock.unlock();
        }
    }

    Instant startedAt() {
        return startedAt;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** For serverBind(): throws if closed or already bound. */
    void markBound(String boundTo) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("server " + id + " is closed");
            }
            if (bound) {
                throw new IllegalStateException("server " + id + " is already bound to " + boundTo);
            }
            bound = true;
        } finally {
            lock.unlock();
        }
    }

    /** For serverActivate(): returns true the first time, when the server should join its registry. */
    boolean markActivated() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("server " + id + " is closed");
            }
            if (!bound) {
                throw new IllegalStateException("server " + id + " must be bound (serverBind) before serverActivate");
            }
            if (activated) {
                return false;
            }
            activated = true;
            startedAt = Instant.now();
            state = ServerState.IDLE;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims the loop for the calling thread.
     *
     * @param what {@code serveForever} or {@code handleRequest}, for messages
     * @param forever whether this is serveForever, which consumes a pending stop
     * @param waiters opens the waiter
     * @return the waiter, or {@code null} if a pending stop was consumed and the loop must return at once
     */
    Waiter enterLoop(String what, boolean forever, WaiterFactory waiters) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(what + ": server " + id + " is closed");
            }
            if (!bound) {
                throw new IllegalStateException(what + ": server " + id + " is not bound; call serverBind() first");
            }
            if (acceptingStopped) {
                throw new IllegalStateException(what + ": server " + id + " is draining and takes no more requests");
            }
            if (loopThread != null) {
                throw new IllegalStateException(what + ": server " + id + " is already "
                        + (inServeForever ? "inside serveForever()" : "inside handleRequest()")
                        + " on thread " + loopThread.getName());
            }
            if (forever && stopRequested) {
                stopRequested = false;
                return null;
            }
            Waiter waiter = waiters.open();
            loopThread = Thread.currentThread();
            loopWaiter = waiter;
            inServeForever = forever;
            state = ServerState.SERVING;
            return waiter;
        } finally {
            lock.unlock();
        }
    }

    /** Releases the loop; a serveForever also forgets its stop request and wakes shutdown() callers. */
    void exitLoop(boolean forever) {
        lock.lock();
        try {
            loopThread = null;
            loopWaiter = null;
            if (forever) {
                inServeForever = false;
                stopRequested = false;
                loopEnded.signalAll();
            }
            state = closed ? ServerState.CLOSED : activated ? ServerState.IDLE : ServerState.CREATED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * shutdown(): requests the stop, wakes the loop, and waits for serveForever to return unless called
     * on the loop's own thread.
     *
     * @param timeout the longest wait, or {@code null} for none
     * @return {@code true} if no serveForever is running any more
     */
    boolean requestStop(Duration timeout) {
        lock.lock();
        try {
            if (!inServeForever) {
                // Remembered for the next serveForever (a shutdown racing ahead of a starting loop), but
                // not while a handleRequest() runs: it ignores shutdown, as CPython's does, and a stop
                // left behind by it would make a later serveForever() return at once for no reason.
                if (loopThread == null) {
                    stopRequested = true;
                }
                return true;
            }
            stopRequested = true;
            loopWaiter.wakeup();
            if (loopThread == Thread.currentThread()) {
                return false; // a handler on the serving thread: the loop ends after the current request
            }
            state = ServerState.SHUTTING_DOWN;
            long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
            while (inServeForever) {
                if (timeout == null) {
                    loopEnded.awaitUninterruptibly();
                    continue;
                }
                if (left <= 0) {
                    return false;
                }
                try {
                    left = loopEnded.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** serverClose(): marks the server closed and ends a running serveForever. */
    Closing markClosed() {
        lock.lock();
        try {
            boolean first = !closed;
            closed = true;
            if (inServeForever) {
                stopRequested = true;
            }
            state = ServerState.CLOSED;
            return new Closing(first, loopWaiter);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the loop, e.g. when a mix-in has room for requests again. */
    void wake() {
        lock.lock();
        try {
            if (loopWaiter != null) {
                loopWaiter.wakeup();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread runs this server's loop. */
    boolean isLoopThread() {
        lock.lock();
        try {
            return loopThread == Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    boolean isBound() {
        lock.lock();
        try {
            return bound;
        } finally {
            lock.unlock();
        }
    }

    boolean isActivated() {
        lock.lock();
        try {
            return activated;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
