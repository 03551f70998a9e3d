package dev.socketserver.impl.nio;

import dev.socketserver.impl.os.BindFailures;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.impl.os.Fileno;
import dev.socketserver.spi.BindOptions;
import dev.socketserver.spi.Endpoint;
import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;

/**
 * What the NIO-based endpoints share: a non-blocking channel, reuse options set explicitly, a bind
 * error that names the address, the cached descriptor, and a {@link NioWaiter} for the ready operation.
 *
 * @param <C> the channel type
 */
abstract class NioEndpoint<C extends SelectableChannel & NetworkChannel> implements Endpoint {

    /** The channel, in non-blocking mode. */
    final C channel;
    private final Fileno fileno;
    private final int readyOp;

    /**
     * Takes ownership of a freshly opened channel; closes it if it cannot be made non-blocking.
     *
     * @param channel the channel
     * @param kind where {@code /proc} lists it, for fileno
     * @param readyOp the selection operation that means "a request is ready"
     * @throws IOException if the channel cannot be configured
     */
    NioEndpoint(C channel, ProcFd.Kind kind, int readyOp) throws IOException {
        try {
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.channel = channel;
        this.fileno = new Fileno(channel, kind);
        this.readyOp = readyOp;
    }

    /** Binds the channel; a stream channel also listens with the backlog. */
    abstract void bindChannel(SocketAddress local, int backlog) throws IOException;

    /**
     * Tells whether the channel came bound (an inherited socket): then {@link #bind} does nothing.
     *
     * @return {@code true} for an adopted channel
     */
    boolean adopted() {
        return false;
    }

    /**
     * Closes the channel; an adopted channel may need more care.
     *
     * @throws IOException if closing fails
     */
    void closeChannel() throws IOException {
        channel.close();
    }

    @Override
    public final void bind(SocketAddress local, BindOptions options) throws IOException {
        if (adopted()) {
            return; // bound and listening already; the options only matter at bind (Python: no server_bind)
        }
        SocketOptions.applyReuse(channel, options);
        try {
            bindChannel(local, options.backlog());
        } catch (IOException e) {
            throw BindFailures.naming(local, e);
        }
    }

    @Override
    public final SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public final int fileno() {
        return fileno.get();
    }

    @Override
    public final boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public final Waiter newWaiter() throws IOException {
        return new NioWaiter(channel, readyOp);
    }

    @Override
    public final void close() throws IOException {
        closeChannel();
    }
}
