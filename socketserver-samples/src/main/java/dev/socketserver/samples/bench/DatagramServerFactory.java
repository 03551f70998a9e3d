package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The seam for the datagram servers, which live on branch {@code datagram} and are not merged here
 * yet. {@link BenchServer} asks {@link BenchServer#datagrams} for its {@code udp} and
 * {@code unix-datagram} families; until the merge that is {@link #NOT_MERGED}, which refuses.
 *
 * <p>After the merge, the whole wiring is one class and one line in {@code BenchServer}
 * ({@code static DatagramServerFactory datagrams = new DatagramEchoServers();}):
 *
 * <pre>{@code
 * final class DatagramEchoServers implements DatagramServerFactory {
 *     static final class Echo extends DatagramRequestHandler {
 *         @Override protected void handle() { wfile().writeBytes(packet()); }  // reply sent in finish()
 *     }
 *     public BaseServer<?> open(boolean unix, SocketAddress address, MixIn mixIn) throws IOException {
 *         return unix ? new UnixDatagramServer(address, Echo::new, mixIn)
 *                     : new UDPServer((InetSocketAddress) address, Echo::new, mixIn);
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface DatagramServerFactory {

    /** Refuses: the datagram servers are not on this branch yet. */
    DatagramServerFactory NOT_MERGED = (unix, address, mixIn) -> {
        throw new UnsupportedOperationException((unix ? "unix-datagram" : "udp")
                + " not merged yet: UDPServer/UnixDatagramServer come with branch 'datagram'; "
                + "wire them in DatagramServerFactory / BenchServer.datagrams");
    };

    /**
     * Creates, binds and activates a datagram echo server: each datagram is sent back as received.
     *
     * @param unix {@code true} for a Unix datagram socket, {@code false} for UDP
     * @param address where to bind
     * @param mixIn the concurrency policy
     * @return the bound server, not yet serving
     * @throws IOException if it cannot be bound
     */
    BaseServer<?> open(boolean unix, SocketAddress address, MixIn mixIn) throws IOException;
}
