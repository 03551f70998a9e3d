package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.UnixStreamServer;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;

/**
 * Echo over a Unix stream socket: {@link TcpEchoServer} with another server class and a socket file
 * for an address; the handler is the same. Python:
 *
 * <pre>
 * with socketserver.ThreadingUnixStreamServer("/tmp/echo.sock", MyStreamHandler) as server:
 *     server.serve_forever()
 * </pre>
 *
 * <p>Unlike CPython, closing the server removes the socket file it created. Try it with
 * {@link UnixStreamEchoClient}, {@code nc -U /tmp/echo.sock} or {@code socat - UNIX-CONNECT:/tmp/echo.sock}.
 * Run it (from the repository root, after {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UnixStreamEchoServer --bind /tmp/echo.sock --mixin virtual
 * socketserver-samples/samples echo --family unix-stream --mixin virtual --bind /tmp/echo.sock
 * </pre>
 */
public final class UnixStreamEchoServer {

    /** The longest line read at once; a longer one comes back in pieces. */
    static final int MAX_LINE = 64 * 1024;

    private UnixStreamEchoServer() {
    }

    /** Python: {@code class MyStreamHandler(socketserver.StreamRequestHandler)}: every line goes back. */
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
     * Python: {@code socketserver.UnixStreamServer(path, MyStreamHandler)} with a mix-in: binds and activates.
     *
     * @param path the socket file to create; it must not exist yet
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket file cannot be created
     */
    static UnixStreamServer open(UnixDomainSocketAddress path, MixIn mixIn) throws IOException {
        return new UnixStreamServer(path, Handler::new, mixIn);
    }

    /**
     * Like {@link #open(UnixDomainSocketAddress, MixIn)}, with the launcher's limits: backlog, read timeout and the
     * mix-in's concurrency limit.
     *
     * @param path where to listen
     * @param mixIn the concurrency policy, a fresh instance
     * @param limits the limits
     * @return the server, bound and activated
     * @throws IOException if the address cannot be bound
     */
    static UnixStreamServer open(UnixDomainSocketAddress path, MixIn mixIn, ServerLimits limits) throws IOException {
        Duration timeout = limits.readTimeout();
        return limits.bindAndActivate(new UnixStreamServer(path, () -> new Handler(timeout), limits.apply(mixIn), false));
    }

    /**
     * Serves until Ctrl-C or SIGTERM, after printing {@code listening unix-stream PATH fileno=N}; then
     * removes the socket file.
     *
     * @param args {@code [--bind PATH] [--mixin sync|threading|virtual]}
     */
    public static void main(String[] args) {
        SampleMain.run(UnixStreamEchoServer.class, "[--bind PATH] [--mixin sync|threading|virtual]  (/tmp/echo.sock, threading)",
                args, options -> {
                    UnixStreamServer server = open(options.socketPathOption("bind", "/tmp/echo.sock", true),
                            options.mixIn("threading").get());
                    Serving.serve(server, System.out);
                });
    }
}
