package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Echo over TCP: every line a client sends comes back. Python: the {@code socketserver} docs'
 * {@code TCPServer} example with a {@code StreamRequestHandler}:
 *
 * <pre>
 * class MyTCPHandler(socketserver.StreamRequestHandler):
 *     def handle(self):
 *         for line in self.rfile:
 *             self.wfile.write(line)
 *
 * with socketserver.ThreadingTCPServer(("127.0.0.1", 9000), MyTCPHandler) as server:
 *     server.serve_forever()
 * </pre>
 *
 * <p>With {@code --mixin sync} a second client waits until the first leaves; with {@code threading}
 * or {@code virtual} it does not. Try it with {@link TcpEchoClient}, {@code nc 127.0.0.1 9000} or
 * {@code socat - TCP:127.0.0.1:9000}. Run it (from the repository root, after
 * {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.TcpEchoServer --bind 127.0.0.1:9000 --mixin threading
 * socketserver-samples/samples echo --family tcp --mixin threading --bind 127.0.0.1:9000
 * </pre>
 */
public final class TcpEchoServer {

    /** The longest line read at once; a longer one comes back in pieces. */
    static final int MAX_LINE = 64 * 1024;

    private TcpEchoServer() {
    }

    /**
     * Python: {@code class MyTCPHandler(socketserver.StreamRequestHandler)}, one instance per connection; the
     * Unix stream echo ({@link UnixStreamEchoServer}) serves the same class, since a stream handler does not
     * depend on the socket family.
     */
    static final class Handler extends StreamRequestHandler {
        private final Duration timeout;
        private final AccessLog accessLog;

        Handler() {
            this(null);
        }

        /** With a read timeout: a client silent for longer is disconnected (the launcher's {@code --read-timeout}). */
        Handler(Duration timeout) {
            this(timeout, null);
        }

        /** With a read timeout and the launcher's {@code --access-log} ({@code null}: none). */
        Handler(Duration timeout, AccessLog accessLog) {
            this.timeout = timeout;
            this.accessLog = accessLog;
        }

        @Override
        protected Duration timeout() {
            return timeout;
        }

        @Override
        protected void setup() throws IOException {
            super.setup();
            if (accessLog != null) {
                accessLog.connection(clientAddress(), connection());
            }
        }

        @Override
        protected void handle() throws IOException {
            for (byte[] line; (line = rfile().readLine(MAX_LINE)).length > 0; ) { // empty: the client has closed
                wfile().write(line);
            }
        }
    }

    /**
     * Python: {@code socketserver.TCPServer(address, MyTCPHandler)} with a mix-in: binds and activates.
     *
     * @param address where to listen; port 0 picks a free port
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the address cannot be bound
     */
    static TCPServer open(InetSocketAddress address, MixIn mixIn) throws IOException {
        return new TCPServer(address, Handler::new, mixIn);
    }

    /**
     * Like {@link #open(InetSocketAddress, MixIn)}, with the launcher's limits: backlog, read timeout and the
     * mix-in's concurrency limit.
     *
     * @param address where to listen
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the limits
     * @return the server, bound and activated
     * @throws IOException if the address cannot be bound
     */
    static TCPServer open(InetSocketAddress address, MixIn mixIn, ServerLimits limits) throws IOException {
        Duration timeout = limits.readTimeout();
        return limits.bindAndActivate(new TCPServer(address, () -> new Handler(timeout), limits.apply(mixIn), false));
    }

    /**
     * Serves until Ctrl-C or SIGTERM, after printing {@code listening tcp HOST:PORT fileno=N}.
     *
     * @param args {@code [--bind HOST:PORT] [--mixin sync|threading|virtual]}
     */
    public static void main(String[] args) {
        SampleMain.run(TcpEchoServer.class, "[--bind HOST:PORT] [--mixin sync|threading|virtual]  (127.0.0.1:9000, threading)",
                args, options -> {
                    TCPServer server = open(options.hostPortOption("bind", "127.0.0.1:9000"), options.mixIn("threading").get());
                    Serving.serve(server, System.out);
                });
    }
}
