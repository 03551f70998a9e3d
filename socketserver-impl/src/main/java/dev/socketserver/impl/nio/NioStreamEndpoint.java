package dev.socketserver.impl.nio;

import dev.socketserver.impl.poller.EdgePoller;
import dev.socketserver.spi.StreamConnection;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.spi.StreamEndpoint;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening TCP or Unix stream socket on a non-blocking {@link ServerSocketChannel}. */
public final class NioStreamEndpoint extends NioEndpoint<ServerSocketChannel> implements StreamEndpoint {

    /**
     * Opens the listening channel.
     *
     * @param family INET, INET6 or UNIX
     * @throws IOException if it cannot be opened
     */
    public NioStreamEndpoint(ProtocolFamily family) throws IOException {
        super(ServerSocketChannel.open(family), ProcFd.Kind.STREAM_LISTENER, SelectionKey.OP_ACCEPT);
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
