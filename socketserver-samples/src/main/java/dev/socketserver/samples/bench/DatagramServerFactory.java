package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * Where {@link BenchServer} gets its {@code udp} and {@code unix-datagram} servers from
 * ({@link BenchServer#datagrams}): {@link DatagramEchoServers}. A seam kept from before the datagram
 * servers were merged; a test or an experiment can put another datagram server behind the same
 * benchmark.
 */
@FunctionalInterface
public interface DatagramServerFactory {

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
