package dev.socketserver.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The echo client of {@link UdpEchoServer}: sends each input line (with its {@code \n}) as one
 * datagram and prints the answer. Python:
 *
 * <pre>
 * with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
 *     sock.connect(("127.0.0.1", 9001)); sock.settimeout(2)
 *     for line in sys.stdin:
 *         sock.send(line.encode())
 *         print(sock.recv(65536).decode(), end="")
 * </pre>
 *
 * <p>UDP says nothing when a datagram is lost, so each answer is awaited for {@link #ANSWER_WAIT} at most.
 *
 * <pre>
 * java -p socketserver-api/target/socketserver-api-0.1.0-SNAPSHOT.jar:socketserver-impl/target/socketserver-impl-0.1.0-SNAPSHOT.jar:socketserver-samples/target/socketserver-samples-0.1.0-SNAPSHOT.jar \
 *      -m dev.socketserver.samples/dev.socketserver.samples.UdpEchoClient --connect 127.0.0.1:9001
 * socketserver-samples/samples client --family udp --connect 127.0.0.1:9001
 * </pre>
 */
public final class UdpEchoClient {

    /** How long the client waits for each answer: datagrams can be lost, and UDP says nothing then. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    private UdpEchoClient() {
    }

    /**
     * Sends each line of {@code lines} as one datagram and prints each answer.
     *
     * @param server the server's address
     * @param lines what to send, up to its end
     * @param out where the answers go
     * @throws IOException if nothing listens there, or an answer does not come within {@link #ANSWER_WAIT}
     */
    static void talk(InetSocketAddress server, BufferedReader lines, PrintStream out) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server); // only the server's datagrams reach us; a closed port is reported
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            byte[] buffer = new byte[65_536];
            for (String line; (line = lines.readLine()) != null; ) {
                byte[] request = (line + "\n").getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(request, request.length));
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(answer);
                } catch (PortUnreachableException e) {
                    throw new IOException("nothing listens on udp " + Serving.format(server), e);
                } catch (SocketTimeoutException e) {
                    throw new IOException("no answer from udp " + Serving.format(server) + " within "
                            + ANSWER_WAIT.toSeconds() + " s (the datagram or its answer was lost, or no server is there)", e);
                }
                String text = new String(Arrays.copyOf(buffer, answer.getLength()), StandardCharsets.UTF_8);
                out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text); // without the newline sent
            }
        }
    }

    /**
     * Talks to the server until standard input ends (Ctrl-D).
     *
     * @param args {@code [--connect HOST:PORT]}
     */
    public static void main(String[] args) {
        SampleMain.run(UdpEchoClient.class, "[--connect HOST:PORT]  (127.0.0.1:9001)", args, options ->
                talk(options.hostPortOption("connect", "127.0.0.1:9001"), SampleMain.stdin(), System.out));
    }
}
