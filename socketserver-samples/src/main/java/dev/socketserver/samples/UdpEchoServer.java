package dev.socketserver.samples;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.MixIn;
import dev.socketserver.UDPServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Echo over UDP: every datagram goes back to its sender as it came. Python: the {@code socketserver}
 * docs' {@code UDPServer} example, written with {@code DatagramRequestHandler}:
 *
 * <pre>
 * class MyUDPHandler(socketserver.DatagramRequestHandler):
 *     def handle(self):
 *         self.wfile.write(self.packet)   # finish() sends what wfile holds, as one datagram
 *
 * with socketserver.UDPServer(("127.0.0.1", 9001), MyUDPHandler) as server:
 *     server.serve_forever()
 * </pre>
 *
 * <p>There is no connection: every datagram is a request of its own, so even a synchronous server
 * takes turns between clients datagram by datagram. Try it with {@link UdpEchoClient},
 * {@code nc -u 127.0.0.1 9001} or {@code socat - UDP:127.0.0.1:9001}. Run it (from the repository
 * root, after {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UdpEchoServer --bind 127.0.0.1:9001 --mixin sync
 * socketserver-samples/samples echo --family udp --mixin sync --bind 127.0.0.1:9001
 * </pre>
 */
public final class UdpEchoServer {

    private UdpEchoServer() {
    }

    /** Python: {@code class MyUDPHandler(socketserver.DatagramRequestHandler)}, one instance per datagram. */
    static final class Handler extends DatagramRequestHandler {
        @Override
        protected void handle() {
            wfile().writeBytes(packet()); // the server cut what was longer than maxPacketSize (8192 bytes)
        }
    }

    /**
     * Python: {@code socketserver.UDPServer(address, MyUDPHandler)} with a mix-in: binds and activates.
     *
     * @param address where to listen; port 0 picks a free port
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the address cannot be bound
     */
    static UDPServer open(InetSocketAddress address, MixIn mixIn) throws IOException {
        return new UDPServer(address, Handler::new, mixIn);
    }

    /**
     * Like {@link #open(InetSocketAddress, MixIn)}, with the launcher's limits: the mix-in's concurrency
     * limit and {@code SO_REUSEPORT} (the stream limits do nothing here).
     *
     * @param address where to listen
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the limits
     * @return the server, bound and activated
     * @throws IOException if the address cannot be bound
     */
    static UDPServer open(InetSocketAddress address, MixIn mixIn, ServerLimits limits) throws IOException {
        return limits.bindAndActivate(new UDPServer(address, Handler::new, limits.apply(mixIn), false));
    }

    /**
     * Serves until Ctrl-C or SIGTERM, after printing {@code listening udp HOST:PORT fileno=N}.
     *
     * @param args {@code [--bind HOST:PORT] [--mixin sync|threading|virtual]}
     */
    public static void main(String[] args) {
        SampleMain.run(UdpEchoServer.class, "[--bind HOST:PORT] [--mixin sync|threading|virtual]  (127.0.0.1:9001, threading)",
                args, options -> {
                    UDPServer server = open(options.hostPortOption("bind", "127.0.0.1:9001"), options.mixIn("threading").get());
                    Serving.serve(server, System.out);
                });
    }
}
