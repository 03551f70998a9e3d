package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The echo client of {@link TcpEchoServer}: sends each line typed (or piped) on standard input and
 * prints the line that comes back. Python:
 *
 * <pre>
 * with socket.create_connection(("127.0.0.1", 9000)) as sock:
 *     answers = sock.makefile("r")
 *     for line in sys.stdin:
 *         sock.sendall(line.encode())
 *         print(answers.readline(), end="")
 * </pre>
 *
 * <p>Run it directly, or through the launcher:
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.TcpEchoClient --connect 127.0.0.1:9000
 * socketserver-samples/samples client --family tcp --connect 127.0.0.1:9000
 * </pre>
 */
public final class TcpEchoClient {

    private TcpEchoClient() {
    }

    /**
     * Sends each line of {@code lines} and prints each answer. Works for TCP and Unix stream servers
     * alike: {@link SocketChannel#open(SocketAddress)} takes both kinds of address.
     *
     * @param server the server's address
     * @param lines what to send, up to its end
     * @param out where the answers go
     * @throws IOException if connecting fails or the server closes early
     */
    static void talk(SocketAddress server, BufferedReader lines, PrintStream out) throws IOException {
        try (SocketChannel channel = SocketChannel.open(server);
             BufferedReader answers = new BufferedReader(
                     new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            OutputStream requests = Channels.newOutputStream(channel);
            for (String line; (line = lines.readLine()) != null; ) {
                requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                String answer = answers.readLine();
                if (answer == null) {
                    throw new EOFException("the server closed the connection");
                }
                out.println(answer);
            }
        }
    }

    /**
     * Talks to the server until standard input ends (Ctrl-D).
     *
     * @param args {@code [--connect HOST:PORT]}
     */
    public static void main(String[] args) {
        SampleMain.run(TcpEchoClient.class, "[--connect HOST:PORT]  (127.0.0.1:9000)", args, options ->
                talk(options.hostPortOption("connect", "127.0.0.1:9000"), SampleMain.stdin(), System.out));
    }
}
