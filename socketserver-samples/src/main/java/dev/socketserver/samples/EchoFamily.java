package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * One socket family of the echo samples: how its addresses are written, its echo server and its
 * client. {@code samples echo --family LABEL} and {@code samples demo} pick families from {@link #ALL}.
 */
interface EchoFamily {

    /** Every family, in the order {@code samples demo} starts them. */
    List<EchoFamily> ALL = List.of(
            new TcpEcho(),
            new UdpEcho(),
            new UnixStreamEcho(),
            new UnixDatagramEcho());

    /**
     * Finds a family by its label.
     *
     * @param label {@code tcp}, {@code udp}, {@code unix-stream} or {@code unix-datagram}
     * @return the family
     * @throws UsageException for any other label
     */
    static EchoFamily of(String label) throws UsageException {
        for (EchoFamily family : ALL) {
            if (family.label().equals(label)) {
                return family;
            }
        }
        throw new UsageException("unknown family '" + label + "' (expected tcp, udp, unix-stream or unix-datagram)");
    }

    /**
     * Returns the name used on the command line and in {@code listening} lines.
     *
     * @return the label, as {@link dev.socketserver.ServerFamily#label()}
     */
    String label();

    /**
     * Parses an address of this family ({@code HOST:PORT} or a socket path).
     *
     * @param option the option it came from, for messages
     * @param text what the user typed
     * @param forBind {@code true} for a server's address, which is checked more strictly
     * @return the address
     * @throws UsageException if it is malformed or unusable
     */
    SocketAddress address(String option, String text, boolean forBind) throws UsageException;

    /**
     * Returns where {@code samples demo} puts this family's server.
     *
     * @param dir a fresh temporary folder for socket files
     * @return a loopback address with port 0, or a path in {@code dir}
     */
    SocketAddress demoAddress(Path dir);

    /**
     * Creates, binds and activates an echo server; the caller serves and closes it.
     *
     * @param address where to listen
     * @param mixIn the concurrency policy, a fresh instance
     * @return the server, ready for {@code serveForever()}
     * @throws IOException if the socket cannot be bound
     */
    BaseServer<?> openServer(SocketAddress address, MixIn mixIn) throws IOException;

    /**
     * The echo client: sends each line of {@code lines} and prints each answer on {@code out}.
     *
     * @param address the server
     * @param lines what to send, up to its end
     * @param out where answers go, one per line
     * @throws IOException if the connection fails, the server goes away or an answer does not come
     */
    void runClient(SocketAddress address, BufferedReader lines, PrintStream out) throws IOException;

    /**
     * Returns shell commands that talk to a server of this family, for {@code samples demo}.
     *
     * @param address the server's bound address
     * @return ready-to-paste commands
     */
    List<String> tryCommands(SocketAddress address);
}
