package dev.socketserver;

import dev.socketserver.spi.Endpoint;
import dev.socketserver.spi.StreamConnection;
import dev.socketserver.spi.StreamEndpoint;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.TCPServer}: a stream server on an IPv4 or IPv6 address.
 *
 * <pre>{@code
 * try (var server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The address family follows the address: an {@link Inet6Address} gives an IPv6 server, with no
 * subclass (CPython needs {@code address_family = AF_INET6}, cpython#64414). The request is the
 * accepted {@link Connection}. Handles one request at a time unless given a
 * mix-in; see {@link ThreadingTCPServer} and {@link VirtualThreadingMixIn}.
 */
@SuppressWarnings("this-escape") // Python's constructor binds too; subclass hooks see a constructed BaseServer
public class TCPServer extends BaseServer<Connection> {

    private final StreamEndpoint endpoint;

    /**
     * Python: {@code TCPServer(server_address, RequestHandlerClass)}: creates, binds and activates a
     * synchronous server.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection, e.g. {@code Echo::new}
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public TCPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * Python: {@code TCPServer(server_address, RequestHandlerClass, bind_and_activate)}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first;
     *     then call {@link #serverBind()} and {@link #serverActivate()}
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public TCPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                     boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, MixIn.synchronous(), bindAndActivate);
    }

    /**
     * A TCP server with a mix-in, e.g. {@code new TCPServer(address, Echo::new, new VirtualThreadingMixIn())}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public TCPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                     MixIn mixIn) throws IOException {
        this(serverAddress, handlerFactory, mixIn, true);
    }

    /**
     * A TCP server with a mix-in and Python's {@code bind_and_activate}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public TCPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                     MixIn mixIn, boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, mixIn, bindAndActivate, Addresses.protocolFamily(serverAddress), ServerFamily.TCP);
    }

    /**
     * For stream servers of another address family ({@link UnixStreamServer}).
     *
     * @param serverAddress the address
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy
     * @param bindAndActivate whether to bind and activate now
     * @param protocolFamily the socket's protocol family
     * @param family the server family, for listings
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    protected TCPServer(SocketAddress serverAddress,
                        Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                        MixIn mixIn, boolean bindAndActivate, ProtocolFamily protocolFamily,
                        ServerFamily family) throws IOException {
        super(serverAddress, handlerFactory, mixIn, family);
        this.endpoint = Engines.provider().openStream(protocolFamily);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    @Override
    protected final Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Python: {@code TCPServer.get_request()}: {@code socket.accept()}.
     *
     * @return the connection and the peer's address, or {@code null} if the client went away first
     * @throws IOException if accepting fails
     */
    @Override
    protected IncomingRequest<Connection> getRequest() throws IOException {
        StreamConnection accepted = endpoint.accept();
        if (accepted == null) {
            return null;
        }
        Connection connection = new Connection(accepted, stats());
        return new IncomingRequest<>(connection, connection.remoteAddress());
    }

    /**
     * Python: {@code TCPServer.shutdown_request()}: shuts the write side down (so the client sees
     * EOF even if a handler thread still holds the socket), ignoring errors, then closes.
     */
    @Override
    protected void shutdownRequest(Connection request) {
        try {
            if (request.isOpen()) {
                request.shutdownOutput();
            }
        } catch (IOException ignored) {
            // ENOTCONN and friends: the peer is already gone, as CPython ignores OSError here
        }
        closeRequest(request);
    }

    /** Python: {@code TCPServer.close_request()}: closes the connection. */
    @Override
    protected void closeRequest(Connection request) {
        try {
            request.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
