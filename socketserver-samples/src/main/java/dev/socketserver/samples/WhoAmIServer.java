package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.Connection;
import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.UnixStreamServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Who am I, as the server sees it: answers each connection with one line and closes, which shows
 * what TLS and the PROXY protocol change for a handler:
 *
 * <pre>
 * client=203.0.113.9:51234 proxy=127.0.0.1:40112 tls=TLSv1.3 sni=localhost
 * </pre>
 *
 * <p>{@code client} is {@code clientAddress()} (the original client behind a proxy that sends a
 * PROXY header), {@code proxy} the proxy's own address, {@code tls} the protocol and {@code sni}
 * the host name the client asked for ({@code -} for none). Python has no PROXY protocol; its TLS
 * counterpart is {@code SSLContext.wrap_socket(sock, server_side=True)} and {@code sock.version()}.
 * Try it behind HAProxy (docs/proxy-protocol.md) or with {@code openssl s_client} (docs/tls.md):
 *
 * <pre>
 * socketserver-samples/samples whoami --family tcp --bind 127.0.0.1:9443 --tls-cert cert.pem --tls-key key.pem
 * openssl s_client -connect 127.0.0.1:9443 -servername localhost -quiet
 * </pre>
 */
public final class WhoAmIServer {

    private WhoAmIServer() {
    }

    /** One line about the connection, then close. */
    static final class Handler extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            Connection c = connection();
            String line = "client=" + text(clientAddress())
                    + " proxy=" + text(c.proxyAddress())
                    + " tls=" + (c.sslSession() == null ? "-" : c.sslSession().getProtocol())
                    + " sni=" + (c.sniHostName() == null ? "-" : c.sniHostName()) + "\n";
            wfile().write(line.getBytes(StandardCharsets.UTF_8));
        }

        private static String text(SocketAddress address) {
            if (address == null) {
                return "-";
            }
            String text = Serving.format(address);
            return text.isEmpty() ? "''" : text; // an unnamed Unix peer, Python's ''
        }
    }

    /**
     * Creates the server with its layers, then binds and activates it.
     *
     * @param family {@code tcp} or {@code unix-stream}
     * @param address where to listen
     * @param mixIn the concurrency policy
     * @param layers TLS, PROXY protocol and idle timeout
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the address cannot be bound
     */
    static TCPServer open(EchoFamily family, SocketAddress address, MixIn mixIn, StreamLayers layers) throws IOException {
        return open(family, address, mixIn, layers, false);
    }

    /**
     * Like {@link #open(EchoFamily, SocketAddress, MixIn, StreamLayers)}, binding with {@code SO_REUSEPORT}
     * if asked ({@code --reuse-port}), so that several processes share the port.
     *
     * @param family {@code tcp} or {@code unix-stream}
     * @param address where to listen
     * @param mixIn the concurrency policy
     * @param layers TLS, PROXY protocol and idle timeout
     * @param reusePort whether to set {@code SO_REUSEPORT} (tcp only)
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the address cannot be bound
     */
    static TCPServer open(EchoFamily family, SocketAddress address, MixIn mixIn, StreamLayers layers, boolean reusePort)
            throws IOException {
        TCPServer server = family == EchoFamily.UNIX_STREAM
                ? new UnixStreamServer((UnixDomainSocketAddress) address, Handler::new, mixIn, false)
                : new TCPServer((InetSocketAddress) address, Handler::new, mixIn, false);
        return EchoFamily.bindWith(server, layers, ServerLimits.LIBRARY.withReusePort(reusePort));
    }

    /**
     * Serves until Ctrl-C or SIGTERM. Shared by {@link #main} and {@code samples whoami}.
     *
     * @param options {@code --family}, {@code --bind} (or {@code --inherited}), {@code --mixin}, {@code --reuse-port},
     *     and the layer and drain options
     * @param out where the {@code listening} line goes
     * @throws IOException if a key file or the address is unusable, or the loop fails
     * @throws UsageException for bad input
     * @throws InterruptedException if interrupted while serving
     */
    static void run(CommandLine options, PrintStream out) throws IOException, UsageException, InterruptedException {
        if (options.flag("inherited")) {
            MixIn mixIn = options.mixIn("virtual").get();
            StreamLayers layers = StreamLayers.parse(options);
            DrainPolicy drain = DrainPolicy.of(options);
            InheritedSocket inherited = InheritedSocket.take(options);
            TCPServer server = inherited.family() == EchoFamily.UNIX_STREAM
                    ? new UnixStreamServer(inherited.channel(), Handler::new, mixIn, false)
                    : new TCPServer(inherited.channel(), Handler::new, mixIn, false);
            Serving.serve(EchoFamily.bindWith(server, layers), out, drain);
            return;
        }
        EchoFamily family = options.family();
        if (family != EchoFamily.TCP && family != EchoFamily.UNIX_STREAM) {
            throw new UsageException("whoami serves stream families only (tcp or unix-stream), not " + family.label());
        }
        SocketAddress address = family.address("bind", options.required("bind"), true);
        StreamLayers layers = StreamLayers.parse(options);
        DrainPolicy drain = DrainPolicy.of(options);
        boolean reusePort = options.flag("reuse-port");
        if (reusePort && family != EchoFamily.TCP) {
            throw new UsageException("--reuse-port applies to tcp only (SO_REUSEPORT is an IP socket option)");
        }
        BaseServer<?> server = open(family, address, options.mixIn("virtual").get(), layers, reusePort);
        Serving.serve(server, out, drain);
    }

    /**
     * Runs the sample.
     *
     * @param args {@code --family tcp|unix-stream --bind ADDRESS [--mixin MIXIN]} and the TLS, PROXY, idle,
     *     {@code --reuse-port} and drain options
     */
    public static void main(String[] args) {
        SampleMain.run(WhoAmIServer.class, "--family tcp|unix-stream --bind ADDRESS [--mixin sync|threading|virtual] "
                + StreamLayers.SYNOPSIS + " [--reuse-port] " + DrainPolicy.SYNOPSIS + "  (virtual)", args, options -> run(options, System.out));
    }
}
