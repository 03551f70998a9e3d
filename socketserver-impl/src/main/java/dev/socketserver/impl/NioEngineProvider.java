package dev.socketserver.impl;

import dev.socketserver.impl.nio.NioStreamEndpoint;
import dev.socketserver.impl.unix.InheritedDescriptors;
import dev.socketserver.impl.unix.StandardStreamsGuard;
import dev.socketserver.spi.DatagramEndpoint;
import dev.socketserver.spi.EngineProvider;
import dev.socketserver.spi.StreamEndpoint;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/** The engine: NIO channels for TCP, UDP and Unix stream sockets; FFM for Unix datagram sockets. */
public final class NioEngineProvider implements EngineProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public NioEngineProvider() {
    }

    @Override
    public StreamEndpoint openStream(ProtocolFamily family) throws IOException {
        return new NioStreamEndpoint(family);
    }

    @Override
    public DatagramEndpoint openDatagram(ProtocolFamily family) throws IOException {
        return DatagramEndpoints.open(family);
    }

    @Override
    public StreamEndpoint adoptStream(ServerSocketChannel listening) throws IOException {
        return NioStreamEndpoint.adopt(listening,
                StandardStreamsGuard.detachesOnClose(listening) ? new StandardStreamsGuard(listening) : null);
    }

    @Override
    public Channel inheritedChannel(int fd) throws IOException {
        return InheritedDescriptors.take(fd);
    }
}
