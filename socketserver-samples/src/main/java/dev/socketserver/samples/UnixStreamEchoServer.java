package dev.socketserver.samples;

import dev.socketserver.MixIn;
import dev.socketserver.UnixStreamServer;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;

/**
 * Echo over a Unix stream socket: {@link TcpEchoServer} with another server class and a socket file
 * for an address. The handler is the very same class, {@code TcpEchoServer.Handler}: a
 * {@code StreamRequestHandler} reads {@code rfile} and writes {@code wfile} and never sees which kind
 * of stream socket is underneath, as in Python:
 *
 * <pre>
 * with socketserver.ThreadingUnixStreamServer("/tmp/echo.sock", MyTCPHandler) as server:
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

    private UnixStreamEchoServer() {
    }

    /**
     * Python: {@code socketserver.UnixStreamServer(path, MyTCPHandler)} with a mix-in: binds and activates.
     *
     * @param path the socket file to create; it must not exist yet
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket file cannot be created
     */
    static UnixStreamServer open(UnixDomainSocketAddress path, MixIn mixIn) throws IOException {
        return new UnixStreamServer(path, TcpEchoServer.Handler::new, mixIn);
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
        return limits.bindAndActivate(new UnixStreamServer(path, () -> new TcpEchoServer.Handler(timeout), limits.apply(mixIn), false));
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
