package dev.socketserver;

import dev.socketserver.spi.Endpoint;
import dev.socketserver.spi.StreamConnection;
import dev.socketserver.spi.StreamEndpoint;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

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
 *
 * <p><b>Layers for real traffic</b>, all off by default and set before bind: a PROXY-protocol
 * header from a load balancer ({@link #setProxyProtocol}), TLS ({@link #setSslContext}, Python's
 * {@code SSLContext.wrap_socket(sock, server_side=True)}) and an idle timeout
 * ({@link #setIdleTimeout}). The header and the handshake run on the request's own thread, in
 * {@link #finishRequest}, before the handler, within {@link #handshakeTimeout()}; a client that
 * stalls there delays nobody else. A failure there closes the connection, is counted
 * ({@link ErrorKind#PROXY_HEADER}, {@link ErrorKind#TLS_HANDSHAKE}) and logged in one line by
 * {@link #handleError}; the handler never runs.
 *
 * <p><b>Over an inherited socket</b> (socket activation: systemd, inetd's {@code wait} mode), the
 * constructors that take a {@link Channel} serve a socket that is already bound and listening, e.g.
 * {@code new TCPServer(InheritedSockets.channel(), Echo::new)}; see {@link InheritedSockets}.
 */
@SuppressWarnings("this-escape") // Python's constructor binds too; subclass hooks see a constructed BaseServer
public class TCPServer extends BaseServer<Connection> {

    /** The default {@link #handshakeTimeout()}: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final StreamEndpoint endpoint;
    private final boolean inherited; // serves a socket made elsewhere: bind binds nothing

    // Options, fixed once bound (BaseServer.checkNotBound).
    private volatile SSLContext sslContext;
    private volatile TlsClientAuth tlsClientAuth = TlsClientAuth.NONE;
    private volatile List<String> tlsProtocols = List.of("TLSv1.3", "TLSv1.2");
    private volatile List<String> tlsCipherSuites; // null: the context's defaults
    private volatile Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private volatile ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
    private volatile List<Cidr> proxyTrusted = Cidr.LOOPBACK;
    private volatile Duration idleTimeout;

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
     * Python: a {@code TCPServer} built with {@code bind_and_activate=False} whose {@code socket} is
     * replaced by an inherited one ({@code socket.socket(fileno=...)}), then activated: serves a socket
     * that is already bound and listening, typically {@link InheritedSockets#channel()} or
     * {@link System#inheritedChannel()} (systemd's socket activation, inetd's {@code wait} mode).
     *
     * @param listening a bound, listening TCP socket (IPv4 or IPv6); the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is {@code null}, closed, a datagram or connected socket,
     *     not bound, or a Unix socket; it is left as it was
     */
    public TCPServer(Channel listening,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory) throws IOException {
        this(listening, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * A TCP server with a mix-in over an inherited socket; see {@link #TCPServer(Channel, Supplier)}.
     *
     * @param listening a bound, listening TCP socket; the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is not a listening TCP socket; it is left as it was
     */
    public TCPServer(Channel listening,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                     MixIn mixIn) throws IOException {
        this(listening, handlerFactory, mixIn, true);
    }

    /**
     * A TCP server over an inherited socket, with Python's {@code bind_and_activate}: with
     * {@code false}, set the options (TLS, PROXY protocol, timeouts) and then call
     * {@link #serverBind()} and {@link #serverActivate()}, as for any server. {@code serverBind()}
     * binds nothing here (in Python the caller skips {@code server_bind()}); it fixes the options and
     * sets {@link #serverAddress()} to the socket's real address. The options that only matter at
     * bind, {@link #setAllowReuseAddress}, {@link #setAllowReusePort} and
     * {@link #setRequestQueueSize}, are ignored: whoever created the socket chose them (systemd:
     * {@code ReusePort=}, {@code Backlog=}). Closing the server closes the socket.
     *
     * @param listening a bound, listening TCP socket; the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} to set options first
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is not a listening TCP socket; it is left as it was
     */
    public TCPServer(Channel listening,
                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                     MixIn mixIn, boolean bindAndActivate) throws IOException {
        this(ListeningChannel.check(listening, ServerFamily.TCP, "TCPServer"), handlerFactory, mixIn, bindAndActivate,
                ServerFamily.TCP);
    }

    /**
     * For stream servers of another address family over an inherited socket ({@link UnixStreamServer}).
     *
     * @param listening a bound, listening socket of the family, already checked
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy
     * @param bindAndActivate whether to activate now
     * @param family the server family, for listings
     * @throws IOException if the socket cannot be configured (it is closed then)
     */
    protected TCPServer(ServerSocketChannel listening,
                        Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                        MixIn mixIn, boolean bindAndActivate, ServerFamily family) throws IOException {
        super(listening.getLocalAddress(), handlerFactory, mixIn, family);
        this.endpoint = Engines.provider().adoptStream(listening);
        this.inherited = true;
        if (bindAndActivate) {
            bindAndActivate();
        }
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
        this.inherited = false;
        if (bindAndActivate) {
            bindAndActivate();
        }
    }

    /**
     * Python: {@code server_address} of an {@code AF_INET}/{@code AF_INET6} server, the
     * {@code (host, port)} tuple: {@link #serverAddress()} typed as an IP address, so that a TCPServer user
     * reads the port with no cast ({@code server.inetServerAddress().getPort()}); after
     * {@link #serverBind()}, port 0 has become the chosen port.
     *
     * <p>Why not a covariant {@code serverAddress()}: {@link UnixStreamServer} extends TCPServer, as in CPython, and
     * its address is a Unix socket, so TCPServer's {@code serverAddress()} must stay a {@link SocketAddress}.
     *
     * @return the address
     * @throws UnsupportedOperationException on a server bound to a Unix socket (a {@link UnixStreamServer}), whose
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
     * Tells whether this server serves a socket it was given (an inherited one) rather than one it bound.
     *
     * @return {@code true} when built from a {@link Channel}
     */
    public final boolean inheritedSocket() {
        return inherited;
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
     * Python: {@code finish_request(request, client_address)}, with the layers first: reads the
     * PROXY header and runs the TLS handshake (when configured) on this, the request's thread, then
     * applies the idle timeout and runs the handler with the client's address (the original client's
     * after a PROXY header). An override must call {@code super.finishRequest} for the layers to exist.
     *
     * @param request the connection
     * @param clientAddress the socket's peer
     * @throws Exception a refused header or failed handshake (the handler does not run), or what the
     *     handler threw
     */
    @Override
    protected void finishRequest(Connection request, SocketAddress clientAddress) throws Exception {
        if (sslContext == null && proxyProtocol == ProxyProtocol.OFF && idleTimeout == null) {
            super.finishRequest(request, clientAddress); // no layers: nothing more on the plain path
            return;
        }
        super.finishRequest(request, ConnectionLayers.establish(request, clientAddress, layerSettings()));
    }

    /** A snapshot of the layer options, read once per connection. */
    private ConnectionLayers.Settings layerSettings() {
        return new ConnectionLayers.Settings(proxyProtocol, proxyTrusted, sslContext, tlsClientAuth, tlsProtocols,
                tlsCipherSuites, handshakeTimeout, idleTimeout);
    }

    // ---------------------------------------------------------------- options for real traffic

    /**
     * Returns the TLS context, or {@code null} (the default) for plain connections.
     *
     * @return the context
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * Serves TLS with this context: Python's {@code SSLContext.wrap_socket(sock, server_side=True)}
     * for every accepted connection. The handler reads and writes plaintext, sees the session at
     * {@link Connection#sslSession()}, and closing sends {@code close_notify}. Only before bind.
     * {@link KeyMaterial} makes a context from PEM files or a PKCS#12 keystore.
     *
     * @param context a context initialised with the server's key, or {@code null} for none
     * @return this server
     */
    public TCPServer setSslContext(SSLContext context) {
        checkNotBound("sslContext");
        this.sslContext = context;
        return this;
    }

    /**
     * Returns whether clients are asked for a certificate.
     *
     * @return the policy, {@link TlsClientAuth#NONE} by default
     */
    public TlsClientAuth tlsClientAuth() {
        return tlsClientAuth;
    }

    /**
     * Python: {@code SSLContext.verify_mode} on a server: whether clients must show a certificate
     * that the context's trust managers accept. Only before bind.
     *
     * @param auth the policy
     * @return this server
     */
    public TCPServer setTlsClientAuth(TlsClientAuth auth) {
        checkNotBound("tlsClientAuth");
        this.tlsClientAuth = Objects.requireNonNull(auth, "auth");
        return this;
    }

    /**
     * Returns the TLS protocol versions offered.
     *
     * @return the versions, {@code TLSv1.3} and {@code TLSv1.2} by default
     */
    public List<String> tlsProtocols() {
        return tlsProtocols;
    }

    /**
     * Python: {@code SSLContext.minimum_version} and {@code maximum_version}: the protocol versions
     * offered, by JSSE name. The default refuses TLS 1.0 and 1.1 whatever the JDK's security
     * settings allow. Only before bind.
     *
     * @param protocols e.g. {@code "TLSv1.3"}
     * @return this server
     */
    public TCPServer setTlsProtocols(String... protocols) {
        checkNotBound("tlsProtocols");
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one TLS protocol is needed");
        }
        this.tlsProtocols = List.of(protocols);
        return this;
    }

    /**
     * Returns the cipher suites offered.
     *
     * @return the suites, or {@code null} for the context's defaults
     */
    public List<String> tlsCipherSuites() {
        return tlsCipherSuites;
    }

    /**
     * Python: {@code SSLContext.set_ciphers}: the cipher suites offered, by JSSE name. Only before bind.
     *
     * @param suites e.g. {@code "TLS_AES_128_GCM_SHA256"}; none restores the context's defaults
     * @return this server
     */
    public TCPServer setTlsCipherSuites(String... suites) {
        checkNotBound("tlsCipherSuites");
        this.tlsCipherSuites = suites.length == 0 ? null : List.of(suites);
        return this;
    }

    /**
     * Returns how long the PROXY header and the TLS handshake together may take.
     *
     * @return the limit, {@link #DEFAULT_HANDSHAKE_TIMEOUT} unless set
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Sets how long the PROXY header and the TLS handshake together may take, from the moment the
     * request's thread starts on them (Python: the socket timeout during {@code do_handshake()}). A
     * whole limit, not one per read, so a client that trickles bytes is cut off too. Only before bind.
     *
     * @param timeout a positive duration
     * @return this server
     */
    public TCPServer setHandshakeTimeout(Duration timeout) {
        checkNotBound("handshakeTimeout");
        this.handshakeTimeout = requirePositive(timeout, "handshakeTimeout");
        return this;
    }

    /**
     * Returns whether a PROXY-protocol header is read.
     *
     * @return the mode, {@link ProxyProtocol#OFF} by default
     */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /**
     * Reads a PROXY-protocol header (versions 1 and 2, as HAProxy's {@code send-proxy} and
     * {@code send-proxy-v2} send) before each connection's data, before TLS. The handler's
     * {@code clientAddress()} is then the original client; {@link Connection#proxyAddress()} is the
     * proxy and {@link Connection#proxyHeader()} the header. Only from {@link #proxyTrusted()}
     * peers. Only before bind.
     *
     * @param mode {@link ProxyProtocol#REQUIRED}, {@link ProxyProtocol#OPTIONAL} or {@link ProxyProtocol#OFF}
     * @return this server
     */
    public TCPServer setProxyProtocol(ProxyProtocol mode) {
        checkNotBound("proxyProtocol");
        this.proxyProtocol = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Returns the networks a PROXY header is accepted from.
     *
     * @return the blocks as written, loopback ({@code 127.0.0.0/8}, {@code ::1/128}) by default
     */
    public List<String> proxyTrusted() {
        return proxyTrusted.stream().map(Cidr::text).toList();
    }

    /**
     * Sets the networks a PROXY header is accepted from: a header from any other peer is refused
     * (and with {@link ProxyProtocol#REQUIRED} that peer is refused outright). Peers of a Unix
     * stream server are always trusted: the socket file's permissions decide who may connect.
     * Only before bind.
     *
     * @param cidrs address literals or blocks, e.g. {@code "10.0.0.0/8"}, {@code "::1"}; no names
     * @return this server
     * @throws IllegalArgumentException naming an entry that is not an address or block
     */
    public TCPServer setProxyTrusted(List<String> cidrs) {
        checkNotBound("proxyTrusted");
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(Cidr.parse(cidr));
        }
        this.proxyTrusted = List.copyOf(parsed);
        return this;
    }

    /**
     * Returns the idle timeout.
     *
     * @return the limit, or {@code null} (the default, as in CPython) for none
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Closes connections that are idle for this long: every wait of a handler for input, or for
     * room to write, is limited to it, whatever {@link Connection#setTimeout} asks for (a shorter
     * handler timeout still wins). The waiting call throws {@link java.net.SocketTimeoutException},
     * which is counted as {@link ErrorKind#TIMEOUT} and closes the connection unless the handler
     * catches it. It costs no thread or timer: it is the engine's own timeout per wait. Works with
     * every mix-in. Python has none. Only before bind.
     *
     * @param timeout a positive duration, or {@code null} for none
     * @return this server
     */
    public TCPServer setIdleTimeout(Duration timeout) {
        checkNotBound("idleTimeout");
        this.idleTimeout = timeout == null ? null : requirePositive(timeout, "idleTimeout");
        return this;
    }

    private static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
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

    /** A drain reached the connection: the handler's next wait for a request ends it. */
    @Override
    void requestDraining(Connection request) {
        request.drainWhenIdle();
    }

    /** The drain's deadline passed: closing wakes a handler waiting on the connection. */
    @Override
    void requestForced(Connection request) {
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
