package dev.socketserver.samples;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.MixIn;
import dev.socketserver.UnixDatagramServer;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;

/**
 * Echo over a Unix datagram socket: {@link UdpEchoServer} with another server class and a socket
 * file for an address. Python:
 *
 * <pre>
 * with socketserver.ThreadingUnixDatagramServer("/tmp/echo-dgram.sock", MyUDPHandler) as server:
 *     server.serve_forever()
 * </pre>
 *
 * <p>The JDK cannot open {@code AF_UNIX} datagram sockets, so the engine binds this one through the
 * Foreign Function &amp; Memory API: run with {@code --enable-native-access=dev.socketserver.impl} (the
 * launcher passes it; without it the JDK prints a warning). A client must bind a socket file of its own
 * to get an answer: {@link UnixDatagramEchoClient}, or
 * {@code socat - UNIX-SENDTO:/tmp/echo-dgram.sock,bind=/tmp/my-client.sock}. Closing the server
 * removes its socket file. Run it (from the repository root, after {@code mvn -q -DskipTests package}):
 *
 * <pre>
 * java --enable-native-access=dev.socketserver.impl -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UnixDatagramEchoServer --bind /tmp/echo-dgram.sock
 * socketserver-samples/samples echo --family unix-datagram --mixin threading --bind /tmp/echo-dgram.sock
 * </pre>
 */
public final class UnixDatagramEchoServer {

    private UnixDatagramEchoServer() {
    }

    /** Python: {@code class MyUDPHandler(socketserver.DatagramRequestHandler)}: every datagram goes back. */
    static final class Handler extends DatagramRequestHandler {
        @Override
        protected void handle() {
            wfile().writeBytes(packet());
        }
    }

    /**
     * Python: {@code socketserver.UnixDatagramServer(path, MyUDPHandler)} with a mix-in: binds and activates.
     *
     * @param path the socket file to create; it must not exist yet
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket file cannot be created
     */
    static UnixDatagramServer open(UnixDomainSocketAddress path, MixIn mixIn) throws IOException {
        return new UnixDatagramServer(path, Handler::new, mixIn);
    }

    /**
     * Serves until Ctrl-C or SIGTERM, after printing {@code listening unix-datagram PATH fileno=N}; then
     * removes the socket file.
     *
     * @param args {@code [--bind PATH] [--mixin sync|threading|virtual]}
     */
    public static void main(String[] args) {
        SampleMain.run(UnixDatagramEchoServer.class,
                "[--bind PATH] [--mixin sync|threading|virtual]  (/tmp/echo-dgram.sock, threading)", args, options -> {
                    UnixDatagramServer server = open(options.socketPathOption("bind", "/tmp/echo-dgram.sock", true),
                            options.mixIn("threading").get());
                    Serving.serve(server, System.out);
                });
    }
}
