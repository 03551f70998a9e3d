package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.MixIn;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The benchmark's datagram echo servers: {@link UDPServer} and {@link UnixDatagramServer} with a
 * handler that sends each datagram back as received (the reply goes out in
 * {@link DatagramRequestHandler#finish()}). {@code maxPacketSize} is raised from Python's 8192 bytes
 * to {@value #MAX_DATAGRAM}, so every {@code --size} the generator accepts (up to 65,000) comes back
 * whole. The {@code --handler} option does not apply: a datagram is one request either way.
 */
final class DatagramEchoServers implements DatagramServerFactory {

    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65_507;

    /** Echoes the whole datagram. */
    static final class Echo extends DatagramRequestHandler {
        @Override
        protected void handle() {
            wfile().writeBytes(packet());
        }
    }

    @Override
    public BaseServer<?> open(boolean unix, SocketAddress address, MixIn mixIn) throws IOException {
        UDPServer server = unix ? new UnixDatagramServer(address, Echo::new, mixIn, false)
                                : new UDPServer((InetSocketAddress) address, Echo::new, mixIn, false);
        try {
            server.setMaxPacketSize(MAX_DATAGRAM); // before bind, as Python's max_packet_size
            server.serverBind();
            server.serverActivate();
            return server;
        } catch (IOException | RuntimeException e) {
            server.serverClose();
            throw e;
        }
    }
}
