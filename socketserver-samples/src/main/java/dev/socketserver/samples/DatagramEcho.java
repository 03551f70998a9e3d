package dev.socketserver.samples;

import dev.socketserver.DatagramRequestHandler;

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
 * The echo handler of the datagram families: sends every datagram back as it came. Python: the
 * {@code socketserver} docs' {@code MyUDPHandler} written with {@code DatagramRequestHandler}, whose
 * {@code finish()} sends what {@code wfile} holds to the client as one datagram. Also holds the UDP client.
 */
final class DatagramEcho extends DatagramRequestHandler {

    /** How long a client waits for each answer: datagrams can be lost, and UDP says nothing then. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    @Override
    protected void handle() {
        wfile().writeBytes(packet()); // the server cuts what is longer than maxPacketSize (8192 bytes)
    }

    /**
     * The UDP echo client: sends each input line (with its {@code \n}) as one datagram and prints the answer.
     *
     * @param server the server's address
     * @param lines what to send
     * @param out where the answers go
     * @throws IOException if nothing listens there, or an answer does not come within {@link #ANSWER_WAIT}
     */
    static void udpClient(InetSocketAddress server, BufferedReader lines, PrintStream out) throws IOException {
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
                out.println(stripNewline(new String(Arrays.copyOf(buffer, answer.getLength()), StandardCharsets.UTF_8)));
            }
        }
    }

    /** The answer as one printed line: without the {@code \n} the client sent. */
    static String stripNewline(String answer) {
        return answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer;
    }
}
