package dev.socketserver.samples;

import dev.socketserver.InheritedSockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;

/**
 * {@code samples echo --inherited} and {@code samples whoami --inherited}: the listening socket this
 * process inherited ({@link InheritedSockets#channel()}: systemd's {@code LISTEN_FDS}, or standard
 * input) and the family it is. {@code --family} may be left out, as it follows the socket; given, it
 * must match. {@code --bind} and {@code --backlog} do not apply: whoever created the socket chose them.
 *
 * @param channel the listening socket
 * @param family {@link EchoFamily#TCP} or {@link EchoFamily#UNIX_STREAM}
 */
record InheritedSocket(Channel channel, EchoFamily family) {

    /**
     * Takes the inherited socket.
     *
     * @param line the command line, with {@code --inherited}
     * @return the socket and its family
     * @throws UsageException for {@code --bind}, {@code --backlog} or {@code --reuse-port}, or a {@code --family} that
     *     does not match
     * @throws IOException if there is no inherited listening stream socket; the message says why
     */
    static InheritedSocket take(CommandLine line) throws IOException, UsageException {
        for (String option : new String[] {"bind", "backlog"}) {
            if (line.get(option) != null) {
                throw new UsageException("--" + option + " does not apply with --inherited: the inherited socket is "
                        + "bound and listening already (systemd: ListenStream= and Backlog=)");
            }
        }
        if (line.flag("reuse-port")) {
            throw new UsageException("--reuse-port does not apply with --inherited: the inherited socket is bound already "
                    + "(systemd: ReusePort=)");
        }
        EchoFamily asked = line.get("family") == null ? null : line.family();
        Channel channel = InheritedSockets.channel();
        EchoFamily actual = familyOf(channel);
        if (asked != null && asked != actual) {
            throw new UsageException("--family " + asked.label() + " does not match the inherited socket, a "
                    + actual.label() + " socket on " + Serving.format(((ServerSocketChannel) channel).getLocalAddress()));
        }
        return new InheritedSocket(channel, actual);
    }

    private static EchoFamily familyOf(Channel channel) throws IOException {
        if (channel instanceof ServerSocketChannel listening) {
            SocketAddress local = listening.getLocalAddress();
            return local instanceof UnixDomainSocketAddress ? EchoFamily.UNIX_STREAM : EchoFamily.TCP;
        }
        String kind = channel instanceof DatagramChannel ? "a datagram socket (ListenDatagram=)"
                : "a connected socket (inetd nowait mode, systemd Accept=yes)";
        throw new IOException("the inherited socket is " + kind + "; --inherited serves a listening stream socket "
                + "(tcp or unix-stream: ListenStream=, inetd wait mode)");
    }
}
