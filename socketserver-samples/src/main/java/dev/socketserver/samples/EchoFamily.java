package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import dev.socketserver.TCPServer;
import dev.socketserver.UnixStreamServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The launcher's table of echo samples, one row per socket family: how {@code samples echo --family},
 * {@code samples client --family} and {@code samples demo} reach each family's server and client
 * class ({@link TcpEchoServer}, {@link TcpEchoClient} and so on), how its addresses are written, and
 * the shell commands that talk to it. The samples themselves do not know this table.
 */
enum EchoFamily {
    /** {@link TcpEchoServer} and {@link TcpEchoClient}. */
    TCP("tcp"),
    /** {@link UdpEchoServer} and {@link UdpEchoClient}. */
    UDP("udp"),
    /** {@link UnixStreamEchoServer} and {@link UnixStreamEchoClient}. */
    UNIX_STREAM("unix-stream"),
    /** {@link UnixDatagramEchoServer} and {@link UnixDatagramEchoClient}. */
    UNIX_DATAGRAM("unix-datagram");

    private final String label;

    EchoFamily(String label) {
        this.label = label;
    }

    /**
     * Finds a family by its label.
     *
     * @param label {@code tcp}, {@code udp}, {@code unix-stream} or {@code unix-datagram}
     * @return the family
     * @throws UsageException for any other label
     */
    static EchoFamily of(String label) throws UsageException {
        for (EchoFamily family : values()) {
            if (family.label.equals(label)) {
                return family;
            }
        }
        throw new UsageException("unknown family '" + label + "' (expected tcp, udp, unix-stream or unix-datagram)");
    }

    /**
     * Returns the name used on the command line and in {@code listening} lines.
     *
     * @return the label, as {@link dev.socketserver.ServerFamily#label()}
     */
    String label() {
        return label;
    }

    /** Whether the family is connection-oriented (tcp, unix-stream). */
    boolean stream() {
        return this == TCP || this == UNIX_STREAM;
    }

    private boolean unix() {
        return this == UNIX_STREAM || this == UNIX_DATAGRAM;
    }

    /**
     * Parses an address of this family ({@code HOST:PORT} or a socket path).
     *
     * @param option the option it came from, for messages
     * @param text what the user typed
     * @param forBind {@code true} for a server's address, which is checked more strictly
     * @return the address
     * @throws UsageException if it is malformed or unusable
     */
    SocketAddress address(String option, String text, boolean forBind) throws UsageException {
        return unix() ? CommandLine.socketPath(option, text, forBind) : CommandLine.hostPort(option, text);
    }

    /**
     * Returns where {@code samples demo} puts this family's server.
     *
     * @param dir a fresh temporary folder for socket files
     * @return a loopback address with port 0, or a path in {@code dir}
     */
    SocketAddress demoAddress(Path dir) {
        return unix() ? UnixDomainSocketAddress.of(dir.resolve(label + ".sock")) : new InetSocketAddress("127.0.0.1", 0);
    }

    /**
     * Creates, binds and activates this family's echo server; the caller serves and closes it.
     *
     * @param address where to listen, of this family
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be bound
     */
    BaseServer<?> openServer(SocketAddress address, MixIn mixIn) throws IOException {
        return switch (this) {
            case TCP -> TcpEchoServer.open((InetSocketAddress) address, mixIn);
            case UDP -> UdpEchoServer.open((InetSocketAddress) address, mixIn);
            case UNIX_STREAM -> UnixStreamEchoServer.open((UnixDomainSocketAddress) address, mixIn);
            case UNIX_DATAGRAM -> UnixDatagramEchoServer.open((UnixDomainSocketAddress) address, mixIn);
        };
    }

    /**
     * The echo server of this family with the launcher's limits ({@code samples echo --backlog
     * --read-timeout --max-concurrent}); the stream options do nothing for a datagram family.
     *
     * @param address where to listen
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the limits
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be bound
     */
    BaseServer<?> openServer(SocketAddress address, MixIn mixIn, ServerLimits limits) throws IOException {
        return switch (this) {
            case TCP -> TcpEchoServer.open((InetSocketAddress) address, mixIn, limits);
            case UDP -> UdpEchoServer.open((InetSocketAddress) address, mixIn, limits);
            case UNIX_STREAM -> UnixStreamEchoServer.open((UnixDomainSocketAddress) address, mixIn, limits);
            case UNIX_DATAGRAM -> UnixDatagramEchoServer.open((UnixDomainSocketAddress) address, limits.apply(mixIn));
        };
    }

    /**
     * Like {@link #openServer(SocketAddress, MixIn, ServerLimits)}, with TLS, the PROXY protocol or an
     * idle timeout set before bind as well (stream families only).
     *
     * @param address where to listen, of this family
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the launcher's limits
     * @param layers the layer options
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be bound
     * @throws UsageException if layers are asked of a datagram family
     */
    BaseServer<?> openServer(SocketAddress address, MixIn mixIn, ServerLimits limits, StreamLayers layers)
            throws IOException, UsageException {
        return openServer(address, mixIn, limits, layers, null);
    }

    /**
     * Like {@link #openServer(SocketAddress, MixIn, ServerLimits, StreamLayers)}, with
     * {@code --access-log} (stream families only).
     *
     * @param address where to listen, of this family
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the launcher's limits
     * @param layers the layer options
     * @param accessLog where each connection is logged, or {@code null} for nowhere
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be bound
     * @throws UsageException if layers or the access log are asked of a datagram family
     */
    BaseServer<?> openServer(SocketAddress address, MixIn mixIn, ServerLimits limits, StreamLayers layers,
                             AccessLog accessLog) throws IOException, UsageException {
        if (accessLog != null && !stream()) {
            throw new UsageException("--access-log applies to tcp and unix-stream only");
        }
        if (!layers.any() && accessLog == null) {
            return openServer(address, mixIn, limits);
        }
        java.time.Duration timeout = limits.readTimeout();
        TCPServer server = switch (this) {
            case TCP -> new TCPServer((InetSocketAddress) address, () -> new TcpEchoServer.Handler(timeout, accessLog),
                    limits.apply(mixIn), false);
            case UNIX_STREAM -> new UnixStreamServer((UnixDomainSocketAddress) address,
                    () -> new TcpEchoServer.Handler(timeout, accessLog), limits.apply(mixIn), false);
            default -> throw new UsageException("TLS, the PROXY protocol and --idle-timeout are for stream families"
                    + " (tcp, unix-stream), not " + label);
        };
        return bindWith(server, layers, limits);
    }

    /**
     * Like {@link #openServer(SocketAddress, MixIn, ServerLimits, StreamLayers)}, over an inherited
     * listening socket ({@code samples echo --inherited}); the backlog is the socket creator's.
     *
     * @param inherited the socket and its family, tcp or unix-stream
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the launcher's limits
     * @param layers the layer options
     * @param accessLog where each connection is logged ({@code --access-log}), or {@code null} for nowhere
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be served
     */
    static BaseServer<?> openServer(InheritedSocket inherited, MixIn mixIn, ServerLimits limits, StreamLayers layers,
                                    AccessLog accessLog) throws IOException {
        java.time.Duration timeout = limits.readTimeout();
        TCPServer server = inherited.family() == UNIX_STREAM
                ? new UnixStreamServer(inherited.channel(), () -> new TcpEchoServer.Handler(timeout, accessLog),
                        limits.apply(mixIn), false)
                : new TCPServer(inherited.channel(), () -> new TcpEchoServer.Handler(timeout, accessLog), limits.apply(mixIn), false);
        return bindWith(server, layers, limits);
    }

    /**
     * Python's two-phase construction: sets the layers on an unbound server, then binds and
     * activates it; closes it if that fails, so nothing is left open.
     *
     * @param server a server made with {@code bindAndActivate = false}
     * @param layers the layer options
     * @return the server, bound and activated
     * @throws IOException if the bind fails
     */
    static TCPServer bindWith(TCPServer server, StreamLayers layers) throws IOException {
        return bindWith(server, layers, ServerLimits.LIBRARY);
    }

    /** {@link #bindWith(TCPServer, StreamLayers)} with the launcher's limits; one place binds and cleans up. */
    static TCPServer bindWith(TCPServer server, StreamLayers layers, ServerLimits limits) throws IOException {
        try {
            layers.applyTo(server); // options first, as Python sets attributes before server_bind()
        } catch (RuntimeException e) {
            server.serverClose();
            throw e;
        }
        return limits.bindAndActivate(server);
    }

    /**
     * Runs this family's echo client: sends each line of {@code lines} and prints each answer on {@code out}.
     *
     * @param address the server
     * @param lines what to send, up to its end
     * @param out where answers go, one per line
     * @throws IOException if the connection fails, the server goes away or an answer does not come
     */
    void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException {
        switch (this) {
            case TCP -> TcpEchoClient.talk(address, lines, out);
            case UDP -> UdpEchoClient.talk((InetSocketAddress) address, lines, out);
            case UNIX_STREAM -> UnixStreamEchoClient.talk((UnixDomainSocketAddress) address, lines, out);
            case UNIX_DATAGRAM -> UnixDatagramEchoClient.talk((UnixDomainSocketAddress) address, lines, out);
        }
    }

    /**
     * Returns shell commands that talk to a server of this family, for {@code samples demo}.
     *
     * @param address the server's bound address
     * @return ready-to-paste commands
     */
    List<String> tryCommands(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return this == TCP ? List.of("socat - TCP:" + Serving.format(inet), "nc " + host + " " + inet.getPort())
                    : List.of("socat - UDP:" + Serving.format(inet), "nc -u " + host + " " + inet.getPort());
        }
        Path path = ((UnixDomainSocketAddress) address).getPath();
        return this == UNIX_STREAM ? List.of("socat - UNIX-CONNECT:" + path, "nc -U " + path)
                : List.of("socat - " + UnixDatagramEchoClient.socatAddress(path, path.resolveSibling("socat-client.sock")));
    }
}
