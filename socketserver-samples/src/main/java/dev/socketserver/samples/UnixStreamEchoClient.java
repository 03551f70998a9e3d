package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;

/**
 * The echo client of {@link UnixStreamEchoServer}: {@link TcpEchoClient} with a socket file for an
 * address ({@code SocketChannel.open} takes either). Python:
 * {@code socket.socket(socket.AF_UNIX).connect("/tmp/echo.sock")}, then the same loop.
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UnixStreamEchoClient --connect /tmp/echo.sock
 * socketserver-samples/samples client --family unix-stream --connect /tmp/echo.sock
 * </pre>
 */
public final class UnixStreamEchoClient {

    private UnixStreamEchoClient() {
    }

    /**
     * Sends each line of {@code lines} and prints each answer.
     *
     * @param server the server's socket file
     * @param lines what to send, up to its end
     * @param out where the answers go
     * @throws IOException if connecting fails or the server closes early
     */
    static void talk(UnixDomainSocketAddress server, BufferedReader lines, PrintStream out) throws IOException {
        TcpEchoClient.talk(server, lines, out);
    }

    /**
     * Talks to the server until standard input ends (Ctrl-D).
     *
     * @param args {@code [--connect PATH]}
     */
    public static void main(String[] args) {
        SampleMain.run(UnixStreamEchoClient.class, "[--connect PATH]  (/tmp/echo.sock)", args, options ->
                talk(options.socketPathOption("connect", "/tmp/echo.sock", false),
                        SampleMain.stdin(), System.out));
    }
}
