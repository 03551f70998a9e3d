package dev.socketserver.impl.unix;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Guards a native descriptor against use after close: every native call on it runs between
 * {@link #enter()} and {@link #exit()} (a read lock, so calls from many threads run at once), and
 * closing waits for the calls in progress ({@link #takeForClose()}, the write lock) before the
 * number is released. Without this, a handler's {@code sendto} racing {@code serverClose()} could
 * hit a descriptor number the OS has already given to another file.
 *
 * <p>Closing first marks the descriptor closing, so no new call starts; the caller then wakes the
 * calls that may be blocked ({@code shutdown(SHUT_RDWR)}) so the wait is short.
 */
final class FdGuard {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile int fd;

    FdGuard(int fd) {
        this.fd = fd;
    }

    /**
     * Starts a native call.
     *
     * @return the descriptor, valid until {@link #exit()}
     * @throws ClosedChannelException if closing has begun
     */
    int enter() throws ClosedChannelException {
        lock.readLock().lock();
        if (closing.get()) {
            lock.readLock().unlock();
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Ends a native call started with {@link #enter()}, on the same thread. */
    void exit() {
        lock.readLock().unlock();
    }

    /**
     * Returns the descriptor for display ({@code fileno()}).
     *
     * @return the descriptor, or -1 once closing has begun
     */
    int fd() {
        return closing.get() ? -1 : fd;
    }

    boolean isClosing() {
        return closing.get();
    }

    /**
     * Marks the descriptor closing; only the first caller gets {@code true} and must close it.
     *
     * @return {@code true} for the caller that must close
     */
    boolean beginClose() {
        return closing.compareAndSet(false, true);
    }

    /**
     * Waits until no native call is using the descriptor, then hands it over for closing.
     *
     * @return the descriptor, which no one else will use again
     */
    int takeForClose() {
        lock.writeLock().lock();
        try {
            int taken = fd;
            fd = -1;
            return taken;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Returns the descriptor, unguarded, for the closer's {@code shutdown()} before
     * {@link #takeForClose()}: only the closer may call it, and only it will close the number.
     *
     * @return the descriptor
     */
    int fdForCloser() {
        return fd;
    }
}
