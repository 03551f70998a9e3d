package dev.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Checks that a channel given to a stream server is a bound, listening socket of the server's family. */
final class ListeningChannel {

    private ListeningChannel() {
    }

    /**
     * Checks the channel.
     *
     * @param channel what the caller gave, e.g. {@link System#inheritedChannel()}
     * @param family {@link ServerFamily#TCP} or {@link ServerFamily#UNIX_STREAM}
     * @param server the server class, for messages
     * @return the channel as a listening channel
     * @throws IllegalArgumentException naming what is wrong: none, closed, a datagram or connected socket,
     *     not bound, another family
     * @throws IOException if its address cannot be read
     */
    static ServerSocketChannel check(Channel channel, ServerFamily family, String server) throws IOException {
        String wanted = family == ServerFamily.TCP ? "a listening TCP socket (IPv4 or IPv6)" : "a listening Unix stream socket";
        if (channel == null) {
            throw new IllegalArgumentException(server + " needs " + wanted + ", not null (System.inheritedChannel() "
                    + "returns null when standard input is not a socket)");
        }
        if (!channel.isOpen()) {
            throw new IllegalArgumentException(server + " needs " + wanted + "; this one is closed");
        }
        if (channel instanceof DatagramChannel) {
            throw new IllegalArgumentException(server + " needs " + wanted + ", not a datagram socket "
                    + "(systemd ListenDatagram=, UDP or Unix datagram)");
        }
        if (channel instanceof SocketChannel) {
            throw new IllegalArgumentException(server + " needs " + wanted + ", not a connected socket "
                    + "(inetd nowait mode, systemd Accept=yes): the server accepts its own connections");
        }
        if (!(channel instanceof ServerSocketChannel listening)) {
            throw new IllegalArgumentException(server + " needs " + wanted + ", not " + channel.getClass().getName());
        }
        SocketAddress local = listening.getLocalAddress();
        if (local == null) {
            throw new IllegalArgumentException(server + " needs " + wanted + "; this one is not bound");
        }
        boolean matches = family == ServerFamily.TCP ? local instanceof InetSocketAddress : local instanceof UnixDomainSocketAddress;
        if (!matches) {
            String kind = local instanceof UnixDomainSocketAddress ? "a Unix stream socket" : "a TCP socket";
            throw new IllegalArgumentException(server + " needs " + wanted + ", not " + kind + " ("
                    + Addresses.format(local) + ")" + (family == ServerFamily.TCP ? "; use UnixStreamServer" : "; use TCPServer"));
        }
        return listening;
    }
}
