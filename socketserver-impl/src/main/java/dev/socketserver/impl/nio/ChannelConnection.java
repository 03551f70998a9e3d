package dev.socketserver.impl.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.socketserver.impl.os.Fileno;
import dev.socketserver.impl.poller.EdgePoller;
import dev.socketserver.spi.StreamConnection;

/**
 * An accepted connection: a JDK {@link SocketChannel} that always behaves as a blocking channel,
 * with a real timeout and no timer thread.
 *
 * <p><b>How it waits.</b> It starts in the channel's blocking mode, the cheapest wait for a platform
 * thread (the kernel's blocking read). The first read or write that must wait differently
 * <em>attaches</em> the connection for good: the channel goes non-blocking and waits go through a
 * {@link Readiness}:
 * <ul>
 *   <li>the engine's edge-triggered {@link EdgePoller}, where it runs, for a virtual thread (it saves
 *       the JDK poller's per-read registration) or whenever a timeout is set (a timed park);</li>
 *   <li>a {@link java.nio.channels.Selector} of its own, where the poller cannot run and a timeout is
 *       set.</li>
 * </ul>
 * Without a timeout and without the poller nothing attaches, and the JDK's blocking calls do the
 * waiting, on any thread. Handlers see the same behaviour in every case.
 *
 * <p><b>Saving the failed read.</b> An edge-triggered poller reports new input once. The connection
 * keeps a flag, set by the poller and cleared before each read: when a read returned less than it asked
 * for, everything there was has been taken, and unless the poller has since set the flag the next read
 * parks without the {@code EAGAIN} system call a level-triggered wait needs. A hang-up reported by the
 * poller is kept for good, so the end of stream that follows the last data is always read.
 *
 * <p><b>Interruption and close</b> follow {@link java.nio.channels.spi.AbstractInterruptibleChannel}:
 * closing wakes a waiting reader or writer with {@link java.nio.channels.AsynchronousCloseException};
 * interrupting a waiting thread closes the connection and throws
 * {@link java.nio.channels.ClosedByInterruptException}. {@link #shutdownInput()} wakes a waiting
 * reader, which then reads end of stream.
 */
public final class ChannelConnection implements StreamConnection {

    private final SocketChannel channel;
    private final EdgePoller poller; // null where the engine's poller does not run
    private final int fd; // exact descriptor, or -1 where it cannot be learned
    private final SocketAddress local;
    private final SocketAddress remote;
    private final ReentrantLock readLock = new ReentrantLock(); // one waiting reader at a time, as in the JDK
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Readiness readiness; // null while the channel is in blocking mode
    private volatile Duration timeout;
    private volatile long timeoutNanos; // 0: none

    /**
     * Wraps a freshly accepted connection.
     *
     * @param accepted a connected channel in blocking mode
     * @param poller the poller to wait through, or {@code null} to use the JDK's waits and selectors
     * @throws IOException if the channel's addresses cannot be read (the peer is already gone)
     */
    public ChannelConnection(SocketChannel accepted, EdgePoller poller) throws IOException {
        this.channel = accepted;
        this.local = accepted.getLocalAddress();
        this.remote = accepted.getRemoteAddress();
        int exact = Fileno.exact(accepted);
        this.fd = exact;
        this.poller = exact >= 0 ? poller : null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Readiness r = readiness(dst.hasRemaining());
        if (r == null) {
            return channel.read(dst);
        }
        readLock.lock();
        try {
            long deadline = deadline();
            while (true) {
                r.awaitInput(deadline);
                r.inputReady = false;
                int n = channel.read(dst);
                if (n != 0 || !dst.hasRemaining()) {
                    if (!dst.hasRemaining()) {
                        r.inputReady = true; // filled the buffer: more may be there, and no new edge would say so
                    }
                    return n;
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Readiness r = readiness(hasRemaining(dsts, offset, length));
        if (r == null) {
            return channel.read(dsts, offset, length);
        }
        readLock.lock();
        try {
            long deadline = deadline();
            while (true) {
                r.awaitInput(deadline);
                r.inputReady = false;
                long n = channel.read(dsts, offset, length);
                boolean full = !hasRemaining(dsts, offset, length);
                if (n != 0 || full) {
                    if (full) {
                        r.inputReady = true;
                    }
                    return n;
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Readiness r = readiness(src.hasRemaining());
        if (r == null) {
            return channel.write(src); // a blocking channel writes everything
        }
        writeLock.lock();
        try {
            long deadline = deadline();
            int total = 0;
            while (src.hasRemaining()) {
                r.outputReady = false;
                total += channel.write(src);
                if (src.hasRemaining()) {
                    r.awaitOutput(deadline);
                }
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Readiness r = readiness(hasRemaining(srcs, offset, length));
        if (r == null) {
            return channel.write(srcs, offset, length);
        }
        writeLock.lock();
        try {
            long deadline = deadline();
            long total = 0;
            while (hasRemaining(srcs, offset, length)) {
                r.outputReady = false;
                total += channel.write(srcs, offset, length);
                if (hasRemaining(srcs, offset, length)) {
                    r.awaitOutput(deadline);
                }
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * The way this call waits: {@code null} for the channel's own blocking call, else the attached
     * {@link Readiness}, attaching on first need. A call with nothing to transfer never attaches.
     */
    private Readiness readiness(boolean transfers) throws IOException {
        Readiness r = readiness;
        if (r != null || !transfers) {
            return r;
        }
        boolean timed = timeoutNanos > 0;
        boolean polled = poller != null && (timed || Thread.currentThread().isVirtual());
        if (!polled && !timed) {
            return null;
        }
        synchronized (this) {
            if (readiness == null) {
                channel.configureBlocking(false); // waits for a blocking call in progress on another thread
                readiness = polled ? new PolledReadiness(this, channel, poller, fd) : new SelectorReadiness(this, channel);
            }
            return readiness;
        }
    }

    private long deadline() {
        long nanos = timeoutNanos;
        if (nanos == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + nanos;
        return deadline == 0 ? 1 : deadline;
    }

    private static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout == null ? 0 : Math.max(1, timeout.toNanos());
    }

    @Override
    public boolean expireRead() {
        Readiness r = readiness;
        if (r == null) {
            return false; // a blocking read cannot be woken without shutting the input
        }
        r.expireInput();
        return true;
    }

    @Override
    public void cancelExpiredRead() {
        Readiness r = readiness;
        if (r != null) {
            r.inputExpired = false;
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
        Readiness r = readiness;
        if (r != null) {
            r.inputShut(); // a waiting reader wakes and reads end of stream
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
        Readiness r = readiness;
        if (r != null) {
            r.outputShut();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        // No lock: an attach racing with this fails on the closed channel (configureBlocking, or the
        // poller registration, which checks under its own lock that the channel is still open).
        Readiness r = readiness;
        if (r == null) {
            channel.close();
        } else {
            r.close(channel);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return channel.isOpen() ? local : null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.isOpen() ? remote : null;
    }

    @Override
    public int fileno() {
        return channel.isOpen() ? fd : -1;
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return channel.supportedOptions();
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    /** The attached way of waiting, or {@code null} while the channel is blocking (for tests). */
    Readiness readinessForTest() {
        return readiness;
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
