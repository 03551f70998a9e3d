package dev.socketserver.impl;

import dev.socketserver.spi.StreamEndpoint;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening TCP or Unix stream socket on a non-blocking {@link ServerSocketChannel}. */
final class NioStreamEndpoint extends NioEndpoint<ServerSocketChannel> implements StreamEndpoint {

    NioStreamEndpoint(ProtocolFamily family) throws IOException {
        super(ServerSocketChannel.open(family), ProcFd.Kind.STREAM_LISTENER, SelectionKey.OP_ACCEPT);
    }

    @Override
    void bindChannel(SocketAddress local, int backlog) throws IOException {
        channel.bind(local, backlog);
    }

    @Override
    public SocketChannel accept() throws IOException {
        SocketChannel accepted = channel.accept(); // in blocking mode, whatever the listener's mode
        return accepted == null ? null : PolledSocketChannel.wrap(accepted);
    }
}
