package dev.socketserver.impl;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An accepted connection that blocks like any blocking {@link SocketChannel} but, on a virtual thread,
 * waits through the engine's {@link EdgePoller} instead of the JDK's per-read registration.
 *
 * <p><b>Two modes.</b> Until a virtual thread does a blocking read or write, every call goes straight
 * to the JDK channel, which is in blocking mode: synchronous and {@code ThreadingMixIn} servers keep
 * the kernel's own blocking read, the cheapest wait for a platform thread. The first blocking read or
 * write on a virtual thread <em>attaches</em> the connection: the JDK channel goes non-blocking. The
 * first time a call then has to wait, the descriptor is registered, edge-triggered, with the poller,
 * and stays so until it is closed (a short connection whose data is always there never registers).
 * A read that would block parks until the poller reports input; a write that cannot complete parks
 * until it reports room (output is watched only from the first such write). {@link #isBlocking()} stays {@code true} throughout, so callers see ordinary blocking
 * semantics; {@code configureBlocking(false)} gives the plain non-blocking behaviour.
 *
 * <p><b>Saving the failed read.</b> An edge-triggered poller reports new input once. The channel keeps
 * a flag, set by the poller and cleared before each read: when a read returned less than it was asked
 * for, everything there was has been taken, and unless the poller has since set the flag the next
 * read parks without the {@code EAGAIN} system call a level-triggered wait needs.
 *
 * <p><b>Interruption and close</b> follow {@link java.nio.channels.spi.AbstractInterruptibleChannel}:
 * closing the channel wakes a parked reader or writer with {@link java.nio.channels.AsynchronousCloseException};
 * interrupting it closes the channel and throws {@link java.nio.channels.ClosedByInterruptException}.
 * {@link #shutdownInput()} wakes a parked reader, which then reads end-of-stream.
 *
 * <p><b>Limits.</b> The channel cannot be registered with a {@link java.nio.channels.Selector} (the
 * JDK's selectors accept only their own channel classes), and {@link #socket()} returns the JDK
 * channel's adaptor, whose streams need blocking mode: use the channel itself, or {@code rfile}/{@code wfile}.
 */
final class PolledSocketChannel extends SocketChannel {

    private final SocketChannel channel;
    private final int fd;
    private volatile EdgePoller poller; // non-null once attached (the JDK channel non-blocking)
    private final Object registration = new Object(); // held while the descriptor is added to or leaves the poller
    private volatile long serial; // written under registration; 0 until a wait first needed the poller
    private volatile boolean readReady = true;
    private volatile boolean writeReady = true;
    private volatile boolean outputWatched; // written under registration
    private volatile Thread reader;
    private volatile Thread writer;
    private final ReentrantLock readLock = new ReentrantLock(); // one parked reader at a time, as in the JDK
    private final ReentrantLock writeLock = new ReentrantLock();

    private PolledSocketChannel(SocketChannel channel, int fd) {
        super(channel.provider());
        this.channel = channel;
        this.fd = fd;
    }

    /**
     * Wraps a freshly accepted connection when the engine's poller runs in this JVM.
     *
     * @param accepted a connected channel in blocking mode
     * @return the wrapper, or {@code accepted} itself where the poller cannot be used
     */
    static SocketChannel wrap(SocketChannel accepted) {
        if (!EdgePoller.enabled()) {
            return accepted;
        }
        int fd = Fileno.exact(accepted);
        return fd < 0 ? accepted : new PolledSocketChannel(accepted, fd);
    }

    /**
     * Called by the poller with what became ready.
     *
     * @param input input, end of stream or an error may be waiting
     * @param output there may be room to write
     */
    void ready(boolean input, boolean output) {
        if (input) {
            readReady = true;
            wake(reader);
        }
        if (output) {
            writeReady = true;
            wake(writer);
        }
    }

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** For tests: whether blocking calls go through the poller (the JDK channel is non-blocking). */
    boolean attached() {
        return poller != null;
    }

    /** For tests: whether the descriptor is in the poller's epoll set. */
    boolean registered() {
        synchronized (registration) {
            return serial != 0;
        }
    }

    /** For tests: whether a reader is parked waiting for input. */
    boolean readerParked() {
        return reader != null;
    }

    /** For tests: whether a writer is parked waiting for room. */
    boolean writerParked() {
        return writer != null;
    }

    /**
     * Tells whether a blocking call on this thread goes through the poller, attaching on first use:
     * the JDK channel goes non-blocking. The descriptor joins the epoll set only when a call first has
     * to wait ({@link #register}), so a short connection whose data is already there never does.
     */
    private boolean polled() throws IOException {
        if (poller != null) {
            return true;
        }
        if (!Thread.currentThread().isVirtual()) {
            return false;
        }
        synchronized (blockingLock()) { // the lock configureBlocking holds: no mode change meanwhile
            if (poller == null) {
                channel.configureBlocking(false);
                poller = EdgePoller.get();
            }
        }
        return true;
    }

    /**
     * Adds the descriptor to the poller, or adds output to what it watches. Under {@code registration},
     * which {@link #implCloseSelectableChannel} holds while it closes the JDK channel: the descriptor
     * cannot be closed, and its number reused by another connection, in the middle of this.
     */
    private void register(boolean output) throws IOException {
        if (serial != 0 && (!output || outputWatched)) {
            return; // the usual case on every wait after the first: no lock on the request path
        }
        synchronized (registration) {
            if (!isOpen()) {
                throw new AsynchronousCloseException();
            }
            if (serial == 0) {
                serial = poller.register(this, fd, output);
                outputWatched = output;
            } else if (output && !outputWatched) {
                poller.watchOutput(fd, serial);
                outputWatched = true;
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!isBlocking() || !polled()) {
            return channel.read(dst);
        }
        readLock.lock();
        try {
            int n;
            do {
                awaitInput();
                readReady = false;
                n = channel.read(dst);
            } while (n == 0 && dst.hasRemaining());
            if (!dst.hasRemaining()) {
                readReady = true; // filled the buffer: more may be there, and no new edge would say so
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (!isBlocking() || !polled()) {
            return channel.read(dsts, offset, length);
        }
        readLock.lock();
        try {
            long n;
            do {
                awaitInput();
                readReady = false;
                n = channel.read(dsts, offset, length);
            } while (n == 0 && hasRemaining(dsts, offset, length));
            if (!hasRemaining(dsts, offset, length)) {
                readReady = true;
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!isBlocking() || !polled()) {
            return channel.write(src);
        }
        writeLock.lock();
        try {
            int total = 0;
            while (src.hasRemaining()) {
                writeReady = false;
                int n = channel.write(src);
                total += n;
                if (n == 0) {
                    awaitOutput();
                }
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!isBlocking() || !polled()) {
            return channel.write(srcs, offset, length);
        }
        writeLock.lock();
        try {
            long total = 0;
            while (hasRemaining(srcs, offset, length)) {
                writeReady = false;
                long n = channel.write(srcs, offset, length);
                total += n;
                if (n == 0) {
                    awaitOutput();
                }
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    private static boolean hasRemaining(ByteBuffer[] buffers, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private void awaitInput() throws IOException {
        if (readReady) {
            return;
        }
        register(false);
        Thread me = Thread.currentThread();
        reader = me;
        try {
            while (!readReady) {
                checkNotClosedOrInterrupted(me);
                LockSupport.park(this);
            }
        } finally {
            reader = null;
        }
    }

    private void awaitOutput() throws IOException {
        register(true);
        if (writeReady) {
            return;
        }
        Thread me = Thread.currentThread();
        writer = me;
        try {
            while (!writeReady) {
                checkNotClosedOrInterrupted(me);
                LockSupport.park(this);
            }
        } finally {
            writer = null;
        }
    }

    /**
     * What {@code AbstractInterruptibleChannel.begin()/end()} would do, without their per-call cost:
     * a closed channel ends the wait, an interrupt closes the channel (the interrupt status stays set).
     */
    private void checkNotClosedOrInterrupted(Thread me) throws IOException {
        if (me.isInterrupted()) {
            close();
            throw new ClosedByInterruptException();
        }
        if (!isOpen()) {
            throw new AsynchronousCloseException();
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        try {
            synchronized (registration) {
                if (serial != 0) {
                    poller.forget(serial);
                }
                channel.close(); // removes the descriptor from the epoll set
            }
        } finally {
            wake(reader);
            wake(writer);
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        if (poller == null) {
            channel.configureBlocking(block);
        }
        // once attached the JDK channel stays non-blocking; isBlocking() decides how calls behave
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        channel.shutdownInput();
        ready(true, false); // a parked reader wakes and reads end-of-stream
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        channel.shutdownOutput();
        ready(false, true);
        return this;
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        channel.bind(local);
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
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
    public Socket socket() {
        return channel.socket();
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public boolean isConnectionPending() {
        return channel.isConnectionPending();
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return channel.connect(remote);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return channel.getLocalAddress();
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
