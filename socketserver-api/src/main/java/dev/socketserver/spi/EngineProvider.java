package dev.socketserver.spi;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * The engine that does the socket work for the server classes of {@code dev.socketserver}.
 *
 * <p>Found through {@link java.util.ServiceLoader}, the way the JDK finds its
 * {@code SelectorProvider}: module {@code dev.socketserver.impl} provides one. Python has no
 * counterpart; in CPython the server classes call the {@code socket} and {@code selectors}
 * modules directly.
 *
 * <p>Every endpoint it opens is open and unbound, as a Python server's socket is after
 * {@code socket.socket(family, type)}; an adopted one ({@link #adoptStream}) is bound and listening.
 */
public interface EngineProvider {

    /**
     * Opens a connection-oriented listening endpoint (Python: {@code socket(family, SOCK_STREAM)}).
     *
     * @param family {@link java.net.StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX}
     * @return an open, unbound endpoint
     * @throws IOException if the socket cannot be created
     */
    StreamEndpoint openStream(ProtocolFamily family) throws IOException;

    /**
     * Opens a datagram endpoint (Python: {@code socket(family, SOCK_DGRAM)}).
     *
     * @param family {@link java.net.StandardProtocolFamily#INET}, {@code INET6} or {@code UNIX}
     * @return an open, unbound endpoint
     * @throws IOException if the socket cannot be created
     * @throws UnsupportedOperationException if the engine cannot open this family here
     */
    DatagramEndpoint openDatagram(ProtocolFamily family) throws IOException;

    /**
     * Wraps a listening socket made elsewhere, typically inherited from a service manager (Python:
     * {@code server.socket = socket.socket(fileno=fd)} on a server built with
     * {@code bind_and_activate=False}). The endpoint owns the channel from then on: its
     * {@link Endpoint#bind bind} does nothing (the options only matter at bind) and closing it closes
     * the channel.
     *
     * @param listening an open, bound and listening channel
     * @return the endpoint
     * @throws IOException if the channel cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is closed or not bound
     * @throws UnsupportedOperationException if this engine cannot adopt channels
     */
    default StreamEndpoint adoptStream(ServerSocketChannel listening) throws IOException {
        throw new UnsupportedOperationException("this engine cannot serve an inherited socket");
    }

    /**
     * Takes an inherited socket on a descriptor above 2 as a channel (Python:
     * {@code socket.socket(fileno=fd)}): what systemd passes from fd 3 ({@code sd_listen_fds(3)}).
     * Standard input (fd 0) needs no engine: {@link System#inheritedChannel()}.
     *
     * @param fd the descriptor, 3 or more
     * @return the channel, the socket's only owner in this process
     * @throws IOException if the descriptor is not an open socket or cannot be taken here; the message
     *     says why (native access, a second descriptor in one JVM)
     * @throws UnsupportedOperationException if this engine cannot take descriptors
     */
    default Channel inheritedChannel(int fd) throws IOException {
        throw new UnsupportedOperationException("this engine cannot take inherited descriptors");
    }
}
