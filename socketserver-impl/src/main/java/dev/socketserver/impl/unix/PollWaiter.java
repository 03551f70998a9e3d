package dev.socketserver.impl.unix;

import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Python's {@code _ServerSelector} for a native socket: {@code poll([socket, wake-up pipe], timeout)}.
 *
 * <p>{@link #wakeup()} writes a byte to a non-blocking pipe, so it never blocks and a wake-up that
 * comes before {@link #await} is remembered (the byte stays until the next wait drains it), as the
 * {@link Waiter} contract asks. The poll runs on the calling thread when that is a platform thread,
 * the serving thread of {@code serveForever()} or {@code handleRequest()}. When the caller is a
 * virtual thread, a blocking {@code poll()} would hold its carrier, so the poll runs on a helper
 * platform thread (created on first need, one per waiter) while the virtual thread parks.
 */
final class PollWaiter implements Waiter {

    private final FdGuard socket;
    private final int wakeRead;
    private final int wakeWrite;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment pollFds = arena.allocate(16, 4); // two struct pollfd {int fd; short events, revents;}
    private final MemorySegment pollCapture = LibC.newCaptureSegment(arena);
    private final MemorySegment drainBuffer = arena.allocate(64);
    private final MemorySegment wakeByte = arena.allocate(1);
    private final MemorySegment wakeCapture = LibC.newCaptureSegment(arena);
    private final ReentrantLock wakeLock = new ReentrantLock(); // orders wakeup() against close() of the pipe
    private boolean closed;
    private ExecutorService platformPoller;

    private PollWaiter(FdGuard socket, int wakeRead, int wakeWrite) {
        this.socket = socket;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        wakeByte.set(JAVA_BYTE, 0, (byte) 1);
    }

    static PollWaiter open(FdGuard socket) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment capture = LibC.newCaptureSegment(arena);
            if (LibC.pipe2(capture, fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) < 0) {
                throw LibC.error("pipe2", LibC.errno(capture));
            }
            return new PollWaiter(socket, fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        }
    }

    @Override
    public boolean await(long timeoutNanos, boolean wantRequests) throws IOException {
        int millis = timeoutNanos < 0 ? -1
                : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
        if (millis != 0 && Thread.currentThread().isVirtual()) {
            return awaitOnPlatformThread(millis, wantRequests);
        }
        return pollOnce(millis, wantRequests);
    }

    private boolean pollOnce(int millis, boolean wantRequests) throws IOException {
        int fd = socket.enter();
        int result;
        int errno = 0;
        short socketEvents;
        short wakeEvents;
        try {
            pollFds.set(JAVA_INT, 0, wantRequests ? fd : -1); // a negative fd is ignored by poll()
            pollFds.set(JAVA_SHORT, 4, LibC.POLLIN);
            pollFds.set(JAVA_SHORT, 6, (short) 0);
            pollFds.set(JAVA_INT, 8, wakeRead);
            pollFds.set(JAVA_SHORT, 12, LibC.POLLIN);
            pollFds.set(JAVA_SHORT, 14, (short) 0);
            result = LibC.poll(pollCapture, pollFds, 2, millis);
            if (result < 0) {
                errno = LibC.errno(pollCapture);
            }
            socketEvents = pollFds.get(JAVA_SHORT, 6);
            wakeEvents = pollFds.get(JAVA_SHORT, 14);
        } finally {
            socket.exit();
        }
        if (result < 0) {
            if (errno == LibC.EINTR) {
                return false; // a spurious wake-up; the server's loop waits again
            }
            throw LibC.error("poll", errno);
        }
        if ((wakeEvents & LibC.POLLIN) != 0) {
            drain();
        }
        if (socket.isClosing() || (socketEvents & LibC.POLLNVAL) != 0) {
            throw new ClosedChannelException();
        }
        return wantRequests && (socketEvents & (LibC.POLLIN | LibC.POLLERR | LibC.POLLHUP)) != 0;
    }

    private void drain() {
        while (LibC.read(pollCapture, wakeRead, drainBuffer, drainBuffer.byteSize()) > 0) {
            // empty the pipe; read returns -1 (EAGAIN) once it is empty
        }
    }

    private boolean awaitOnPlatformThread(int millis, boolean wantRequests) throws IOException {
        Future<Boolean> poll = platformPoller().submit(() -> pollOnce(millis, wantRequests));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return poll.get();
                } catch (InterruptedException e) {
                    // like a Selector: an interrupt ends the wait; wake the poll and take its result
                    interrupted = true;
                    wakeup();
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ExecutorService platformPoller() {
        if (platformPoller == null) {
            platformPoller = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon(true).name("socketserver-unix-dgram-poll").factory());
        }
        return platformPoller;
    }

    @Override
    public void wakeup() {
        wakeLock.lock();
        try {
            if (!closed) {
                // EAGAIN means the pipe is full: a wake-up is pending already
                LibC.write(wakeCapture, wakeWrite, wakeByte, 1);
            }
        } finally {
            wakeLock.unlock();
        }
    }

    /** Closes the pipe; the socket stays open. Called by the waiting thread once it stops waiting. */
    @Override
    public void close() {
        wakeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            LibC.close(wakeCapture, wakeRead);
            LibC.close(wakeCapture, wakeWrite);
        } finally {
            wakeLock.unlock();
        }
        if (platformPoller != null) {
            platformPoller.shutdown();
        }
    }
}
