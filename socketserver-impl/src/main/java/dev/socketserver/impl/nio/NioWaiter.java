package dev.socketserver.impl.nio;

import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code _ServerSelector} for one NIO channel: a {@link Selector} that
 * {@link #wakeup()} returns at once (a wake-up before the wait is latched by the Selector).
 */
final class NioWaiter implements Waiter {

    private final Selector selector;
    private final SelectionKey key;
    private final int readyOp;
    private boolean interested = true;

    NioWaiter(SelectableChannel channel, int readyOp) throws IOException {
        this.selector = Selector.open();
        try {
            this.key = channel.register(selector, readyOp);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e instanceof ClosedChannelException c ? c : e instanceof IOException io ? io : new IOException(e);
        }
        this.readyOp = readyOp;
    }

    @Override
    public boolean await(long timeoutNanos, boolean wantRequests) throws IOException {
        try {
            if (wantRequests != interested) {
                key.interestOps(wantRequests ? readyOp : 0);
                interested = wantRequests;
            }
            if (timeoutNanos < 0) {
                selector.select();
            } else if (timeoutNanos == 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
            }
            boolean ready = selector.selectedKeys().remove(key) && key.isValid() && (key.readyOps() & readyOp) != 0;
            selector.selectedKeys().clear();
            if (!key.isValid()) {
                throw new ClosedChannelException();
            }
            return ready;
        } catch (CancelledKeyException e) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
