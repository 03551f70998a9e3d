package dev.socketserver.impl;

import dev.socketserver.spi.BindOptions;
import dev.socketserver.spi.StreamEndpoint;
import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening TCP or Unix stream socket on a non-blocking {@link ServerSocketChannel}. */
final class NioStreamEndpoint implements StreamEndpoint {

    private final ServerSocketChannel channel;
    private final Fileno fileno;

    NioStreamEndpoint(ProtocolFamily family) throws IOException {
        this.channel = ServerSocketChannel.open(family);
        try {
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.fileno = new Fileno(channel, ProcFd.Kind.STREAM_LISTENER);
    }

    @Override
    public void bind(SocketAddress local, BindOptions options) throws IOException {
        SocketOptions.applyReuse(channel, options);
        try {
            channel.bind(local, options.backlog());
        } catch (IOException e) {
            throw BindFailures.naming(local, e);
        }
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public int fileno() {
        return fileno.get();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public Waiter newWaiter() throws IOException {
        return new NioWaiter(channel, SelectionKey.OP_ACCEPT);
    }

    @Override
    public SocketChannel accept() throws IOException {
        return channel.accept(); // accepted channels are in blocking mode, whatever the listener's mode
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
