package dev.socketserver.impl.nio;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

import dev.socketserver.impl.poller.EdgePoller;

/**
 * Waiting through the engine's {@link EdgePoller}: the descriptor joins its edge-triggered set on the
 * first wait and stays until closed; a waiter parks (with a deadline, for a timeout) and the poller
 * unparks it. Works on virtual and platform threads alike.
 */
final class PolledReadiness extends Readiness implements EdgePoller.Registrant {

    private final ChannelConnection connection;
    private final SocketChannel channel;
    private final EdgePoller poller;
    private final int fd;
    private final Object registration = new Object(); // held while the descriptor joins the set or is closed
    private volatile long serial; // written under registration; 0 until a wait first needed the poller
    private volatile boolean outputWatched; // written under registration
    private volatile Thread reader;
    private volatile Thread writer;

    PolledReadiness(ChannelConnection connection, SocketChannel channel, EdgePoller poller, int fd) {
        this.connection = connection;
        this.channel = channel;
        this.poller = poller;
        this.fd = fd;
    }

    @Override
    public void ready(boolean input, boolean output, boolean hangup) {
        if (hangup) {
            inputEnded = true; // sticky: the FIN may have come in the same event as the data before it
        }
        if (input || hangup) {
            inputReady = true;
            wake(reader);
        }
        if (output || hangup) {
            outputReady = true;
            wake(writer);
        }
    }

    @Override
    void awaitInput(long deadline) throws IOException {
        if (inputReady || inputEnded) {
            return;
        }
        register(false);
        Thread me = Thread.currentThread();
        reader = me;
        try {
            while (!inputReady && !inputEnded) {
                checkNotClosedOrInterrupted(channel, connection);
                checkExpired();
                park(left(deadline, "input"));
            }
        } finally {
            reader = null;
        }
    }

    @Override
    void awaitOutput(long deadline) throws IOException {
        register(true);
        if (outputReady) {
            return;
        }
        Thread me = Thread.currentThread();
        writer = me;
        try {
            while (!outputReady) {
                checkNotClosedOrInterrupted(channel, connection);
                park(left(deadline, "room to write"));
            }
        } finally {
            writer = null;
        }
    }

    private void park(long nanos) {
        if (nanos == 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
    }

    /**
     * Adds the descriptor to the poller, or adds output to what it watches. Under {@code registration},
     * which {@link #close} holds while it closes the channel: the descriptor cannot be closed, and its
     * number reused by another connection, in the middle of this.
     */
    private void register(boolean output) throws IOException {
        if (serial != 0 && (!output || outputWatched)) {
            return; // the usual case on every wait after the first: no lock on the request path
        }
        synchronized (registration) {
            if (!channel.isOpen()) {
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

    /** Whether the descriptor is in the poller's set (for tests). */
    boolean registered() {
        return serial != 0;
    }

    /** Whether a reader is parked (for tests). */
    boolean readerParked() {
        return reader != null;
    }

    /** Whether a writer is parked (for tests). */
    boolean writerParked() {
        return writer != null;
    }

    @Override
    void expireInput() {
        inputExpired = true;
        wake(reader);
    }

    @Override
    void inputShut() {
        inputEnded = true;
        wake(reader);
    }

    @Override
    void outputShut() {
        outputReady = true;
        wake(writer);
    }

    @Override
    void close(SocketChannel channel) throws IOException {
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

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
