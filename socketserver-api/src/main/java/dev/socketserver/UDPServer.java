package dev.socketserver;

import dev.socketserver.spi.DatagramEndpoint;
import dev.socketserver.spi.Endpoint;
import dev.socketserver.spi.ReceivedDatagram;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.UDPServer}: a datagram server on an IPv4 or IPv6 address. Each
 * datagram is one request.
 *
 * <pre>{@code
 * class Echo extends DatagramRequestHandler {
 *     @Override protected void handle() throws IOException {
 *         wfile().write(rfile().readAllBytes());
 *     }
 * }
 * try (var server = new UDPServer(new InetSocketAddress("127.0.0.1", 9999), Echo::new)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>Unlike Python, {@code UDPServer} does not extend {@link TCPServer}: its request is a
 * {@link DatagramRequest} (Python's {@code (data, socket)} pair), not a connected socket, and Java's
 * generics keep the two apart. Everything else follows CPython: {@link #getRequest()} receives one
 * datagram of at most {@link #maxPacketSize()} bytes, {@link #serverActivate()} does not listen,
 * and {@link #shutdownRequest}/{@link #closeRequest} do nothing, because every request shares the
 * server's socket. The address family follows the address, as for {@code TCPServer}: an
 * {@link Inet6Address} gives an IPv6 server without a subclass.
 *
 * <p>Better than CPython (decided): a datagram longer than {@code maxPacketSize} is still cut, but
 * {@link DatagramRequest#truncated()} says so and {@link ServerStats#datagramsTruncated()} counts it;
 * {@link #shutdown()} wakes the loop at once. Receiving always happens on the serving thread; with
 * {@link ThreadingMixIn} or {@link VirtualThreadingMixIn} only the handlers run elsewhere
 * ({@link ThreadingUDPServer}).
 */
@SuppressWarnings("this-escape") // Python's constructor binds too; subclass hooks see a constructed BaseServer
public class UDPServer extends BaseServer<DatagramRequest> {

    /** Python's {@code max_packet_size}: 8192 bytes. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 8192;

    /**
     * The largest {@link #setMaxPacketSize maxPacketSize}: 1 MiB. A UDP datagram never exceeds 65,535
     * bytes, but a Unix datagram may (Linux's default limit is about 208 KiB), so the cap is higher
     * than the UDP maximum.
     */
    public static final int MAX_PACKET_SIZE_LIMIT = 1 << 20;

    private final DatagramEndpoint endpoint;
    private volatile int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;

    /**
     * Python: {@code UDPServer(server_address, RequestHandlerClass)}: creates, binds and activates a
     * synchronous server.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram, e.g. {@code Echo::new}
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UDPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * Python: {@code UDPServer(server_address, RequestHandlerClass, bind_and_activate)}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @param bindAndActivate {@code false} leaves the socket unbound so options such as
     *     {@link #setMaxPacketSize} can be set first; then call {@link #serverBind()} and
     *     {@link #serverActivate()}
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UDPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                     boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, MixIn.synchronous(), bindAndActivate);
    }

    /**
     * A UDP server with a mix-in, e.g. {@code new UDPServer(address, Echo::new, new VirtualThreadingMixIn())}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UDPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                     MixIn mixIn) throws IOException {
        this(serverAddress, handlerFactory, mixIn, true);
    }

    /**
     * A UDP server with a mix-in and Python's {@code bind_and_activate}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UDPServer(InetSocketAddress serverAddress,
                     Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                     MixIn mixIn, boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, mixIn, bindAndActivate, Addresses.protocolFamily(serverAddress), ServerFamily.UDP);
    }

    /**
     * For datagram servers of another address family ({@link UnixDatagramServer}).
     *
     * @param serverAddress the address
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the concurrency policy
     * @param bindAndActivate whether to bind and activate now
     * @param protocolFamily the socket's protocol family
     * @param family the server family, for listings
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    protected UDPServer(SocketAddress serverAddress,
                        Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                        MixIn mixIn, boolean bindAndActivate, ProtocolFamily protocolFamily,
                        ServerFamily family) throws IOException {
        super(serverAddress, handlerFactory, mixIn, family);
        this.endpoint = Engines.provider().openDatagram(protocolFamily);
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /**
     * Python: {@code server_address} of an {@code AF_INET}/{@code AF_INET6} server, the
     * {@code (host, port)} tuple: {@link #serverAddress()} typed as an IP address, so that a UDPServer user
     * reads the port with no cast ({@code server.inetServerAddress().getPort()}); after
     * {@link #serverBind()}, port 0 has become the chosen port.
     *
     * <p>Why not a covariant {@code serverAddress()}: {@link UnixDatagramServer} extends UDPServer, as in CPython, and
     * its address is a Unix socket, so UDPServer's {@code serverAddress()} must stay a {@link SocketAddress}.
     *
     * @return the address
     * @throws UnsupportedOperationException on a server bound to a Unix socket (a {@link UnixDatagramServer}), whose
     *     {@link #serverAddress()} says where it is
     */
    public InetSocketAddress inetServerAddress() {
        return Addresses.inet(this);
    }

    @Override
    protected final Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Python: {@code max_packet_size}: the most bytes kept of one datagram, default
     * {@value #DEFAULT_MAX_PACKET_SIZE}. Longer datagrams are cut, as in CPython, and flagged.
     *
     * @return the size in bytes
     */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /**
     * Sets {@link #maxPacketSize()}; only before bind (construct with {@code bindAndActivate = false}).
     *
     * @param size 1 to {@value #MAX_PACKET_SIZE_LIMIT} bytes
     * @return this server
     * @throws IllegalArgumentException if the size is out of range
     * @throws IllegalStateException if the server is already bound
     */
    public UDPServer setMaxPacketSize(int size) {
        if (size < 1 || size > MAX_PACKET_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxPacketSize must be 1 to " + MAX_PACKET_SIZE_LIMIT + ": " + size);
        }
        checkNotBound("maxPacketSize");
        this.maxPacketSize = size;
        return this;
    }

    /**
     * Python: {@code UDPServer.get_request()}: {@code socket.recvfrom(max_packet_size)}; the request
     * is the datagram with the socket to reply through. A cut datagram is counted in
     * {@link ServerStats#datagramsTruncated()}.
     *
     * @return the request and the sender's address ({@code null} for an unbound Unix client), or
     *     {@code null} if no datagram was pending
     * @throws IOException if receiving fails
     */
    @Override
    protected IncomingRequest<DatagramRequest> getRequest() throws IOException {
        ReceivedDatagram datagram = endpoint.receive(maxPacketSize);
        if (datagram == null) {
            return null;
        }
        if (datagram.truncated()) {
            stats().datagramTruncated();
        }
        stats().bytesReceived(datagram.data().length);
        DatagramRequest request = new DatagramRequest(datagram.data(), datagram.truncated(), datagram.sender(),
                endpoint, stats());
        return new IncomingRequest<>(request, datagram.sender());
    }

    /**
     * Python: {@code UDPServer.shutdown_request()}: calls {@link #closeRequest}, which does nothing.
     *
     * @param request the request
     */
    @Override
    protected void shutdownRequest(DatagramRequest request) {
        closeRequest(request);
    }

    /**
     * Python: {@code UDPServer.close_request()}: "No need to close anything": every request shares
     * the server's socket.
     *
     * @param request the request
     */
    @Override
    protected void closeRequest(DatagramRequest request) {
    }
}
