package dev.socketserver;

import java.net.SocketAddress;

/**
 * What {@link BaseServer#getRequest()} returns: Python's {@code (request, client_address)} pair.
 *
 * @param request the request: a {@link Connection} for stream servers,
 *     a {@code DatagramRequest} for datagram servers
 * @param clientAddress the peer's address; for a Unix stream peer an empty path, as Python's {@code ''}
 * @param <R> the request type of the server
 */
public record IncomingRequest<R>(R request, SocketAddress clientAddress) {
}
