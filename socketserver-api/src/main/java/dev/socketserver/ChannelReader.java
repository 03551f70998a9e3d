package dev.socketserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads a blocking socket channel as an {@link InputStream}, optionally with a read timeout.
 *
 * <p>NIO gives no read timeout on a channel, and Unix domain channels have no socket adaptor to
 * carry {@code SO_TIMEOUT}. So a timed read arms a watchdog that shuts the input side down when the
 * time is up; the blocked read then returns and this stream throws {@link SocketTimeoutException}.
 * After a timeout the input side stays shut (documented on {@link StreamRequestHandler#timeout()});
 * in practice a handler that times out ends the request, as in Python.
 */
final class ChannelReader extends InputStream {

    private final SocketChannel channel;
    private final Duration timeout;
    private volatile boolean timedOut;

    ChannelReader(SocketChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (timedOut) {
            throw new SocketTimeoutException("an earlier read timed out after " + timeout + "; the input side is shut");
        }
        if (len == 0) {
            return 0;
        }
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        if (timeout == null) {
            return channel.read(buffer);
        }
        ScheduledFuture<?> watchdog = Watchdog.TIMER.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        int n;
        try {
            n = channel.read(buffer);
        } finally {
            watchdog.cancel(false);
        }
        if (n < 0 && timedOut) {
            throw new SocketTimeoutException("read timed out after " + timeout);
        }
        return n;
    }

    private void expire() {
        timedOut = true;
        try {
            channel.shutdownInput();
        } catch (IOException ignored) {
            // the connection is already gone; the read fails on its own
        }
    }

    /** One daemon timer thread for all timed reads in the JVM, created on first use. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().name("socketserver-read-timeouts").daemon(true).factory());
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
