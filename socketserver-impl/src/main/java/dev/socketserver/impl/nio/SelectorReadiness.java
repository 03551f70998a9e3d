package dev.socketserver.impl.nio;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting with a {@link Selector} of the connection's own, one per direction, opened on first use:
 * the way a timeout works where the engine's poller cannot run (no native access, or another OS).
 * It costs an epoll descriptor and a wake-up pipe per direction, which is why the poller is the
 * default where it can run, and why a connection without a timeout never comes here.
 */
final class SelectorReadiness extends Readiness {

    private final ChannelConnection connection;
    private final SocketChannel channel;
    private final Object lock = new Object();
    private Selector forInput; // under lock
    private Selector forOutput; // under lock
    private boolean closed; // under lock

    SelectorReadiness(ChannelConnection connection, SocketChannel channel) {
        this.connection = connection;
        this.channel = channel;
    }

    @Override
    void awaitInput(long deadline) throws IOException {
        if (inputReady || inputEnded) {
            return;
        }
        checkExpired();
        await(selector(SelectionKey.OP_READ), deadline, "input", () -> inputEnded || inputExpired);
        checkExpired();
        inputReady = true;
    }

    @Override
    void awaitOutput(long deadline) throws IOException {
        if (outputReady) {
            return;
        }
        await(selector(SelectionKey.OP_WRITE), deadline, "room to write", () -> outputReady);
        outputReady = true;
    }

    /** Selects until the channel is ready for the operation or {@code woken} says shutdown ended the wait. */
    private void await(Selector selector, long deadline, String what, BooleanSupplier woken) throws IOException {
        try {
            while (true) {
                checkNotClosedOrInterrupted(channel, connection);
                long left = left(deadline, what);
                int n = left == 0 ? selector.select() : selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                selector.selectedKeys().clear();
                if (n > 0 || woken.getAsBoolean()) {
                    return;
                }
            }
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException();
        }
    }

    private Selector selector(int op) throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            Selector selector = op == SelectionKey.OP_READ ? forInput : forOutput;
            if (selector == null) {
                selector = Selector.open();
                channel.register(selector, op);
                if (op == SelectionKey.OP_READ) {
                    forInput = selector;
                } else {
                    forOutput = selector;
                }
            }
            return selector;
        }
    }

    @Override
    void expireInput() {
        inputExpired = true;
        wakeup();
    }

    @Override
    void inputShut() {
        inputEnded = true;
        wakeup();
    }

    @Override
    void outputShut() {
        outputReady = true;
        wakeup();
    }

    private void wakeup() {
        synchronized (lock) {
            if (forInput != null) {
                forInput.wakeup();
            }
            if (forOutput != null) {
                forOutput.wakeup();
            }
        }
    }

    @Override
    void close(SocketChannel channel) throws IOException {
        Selector in;
        Selector out;
        synchronized (lock) {
            closed = true;
            in = forInput;
            out = forOutput;
        }
        try {
            channel.close();
        } finally {
            // closing a selector wakes a thread selecting on it and deregisters the channel, which
            // releases the descriptor
            if (in != null) {
                in.close();
            }
            if (out != null) {
                out.close();
            }
        }
    }
}
