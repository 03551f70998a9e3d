package dev.socketserver.spi;

import java.io.IOException;
import java.net.ProtocolFamily;

/**
 * The engine that does the socket work for the server classes of {@code dev.socketserver}.
 *
 * <p>Found through {@link java.util.ServiceLoader}, the way the JDK finds its
 * {@code SelectorProvider}: module {@code dev.socketserver.impl} provides one. Python has no
 * counterpart; in CPython the server classes call the {@code socket} and {@code selectors}
 * modules directly.
 *
 * <p>Every endpoint it returns is open and unbound, as a Python server's socket is after
 * {@code socket.socket(family, type)}.
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
}
