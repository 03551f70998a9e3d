package dev.socketserver.impl.nio;

import dev.socketserver.impl.poller.EdgePoller;
import dev.socketserver.spi.StreamConnection;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.spi.StreamEndpoint;

import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening TCP or Unix stream socket on a non-blocking {@link ServerSocketChannel}: one the engine
 * opened, or one adopted bound and listening (an inherited socket), whose {@link #bind} does nothing.
 */
public final class NioStreamEndpoint extends NioEndpoint<ServerSocketChannel> implements StreamEndpoint {

    private final boolean adopted;
    private final Closeable closer; // closes an adopted channel its own way, or null

    /**
     * Opens the listening channel.
     *
     * @param family INET, INET6 or UNIX
     * @throws IOException if it cannot be opened
     */
    public NioStreamEndpoint(ProtocolFamily family) throws IOException {
        super(ServerSocketChannel.open(family), ProcFd.Kind.STREAM_LISTENER, SelectionKey.OP_ACCEPT);
        this.adopted = false;
        this.closer = null;
    }

    private NioStreamEndpoint(ServerSocketChannel listening, Closeable closer) throws IOException {
        super(listening, ProcFd.Kind.STREAM_LISTENER, SelectionKey.OP_ACCEPT);
        this.adopted = true;
        this.closer = closer;
    }

    /**
     * Takes a channel that is already bound and listening, e.g. from {@link System#inheritedChannel()}:
     * Python's {@code server.socket = socket.socket(fileno=fd)}. The endpoint owns it from now on and
     * makes it non-blocking; closing the endpoint closes it.
     *
     * @param listening an open, bound channel
     * @param closer what closes the channel when it needs more than {@code close()} (the JDK's inherited
     *     channels detach the standard streams), or {@code null}
     * @return the endpoint
     * @throws IOException if the channel cannot be made non-blocking (it is closed then)
     * @throws IllegalArgumentException if it is closed or not bound
     */
    public static NioStreamEndpoint adopt(ServerSocketChannel listening, Closeable closer) throws IOException {
        if (!listening.isOpen()) {
            throw new IllegalArgumentException("the listening socket is closed");
        }
        if (listening.getLocalAddress() == null) {
            throw new IllegalArgumentException("the socket is not bound: a server takes a bound, listening socket");
        }
        return new NioStreamEndpoint(listening, closer);
    }

    @Override
    boolean adopted() {
        return adopted;
    }

    @Override
    void closeChannel() throws IOException {
        if (closer != null) {
            closer.close();
        } else {
            super.closeChannel();
        }
    }

    @Override
    void bindChannel(SocketAddress local, int backlog) throws IOException {
        channel.bind(local, backlog);
    }

    @Override
    public StreamConnection accept() throws IOException {
        SocketChannel accepted = channel.accept(); // in blocking mode, whatever the listener's mode
        if (accepted == null) {
            return null;
        }
        try {
            return new ChannelConnection(accepted, EdgePoller.get());
        } catch (IOException | RuntimeException e) {
            accepted.close(); // the peer went away before its addresses could be read
            throw e;
        }
    }
}
