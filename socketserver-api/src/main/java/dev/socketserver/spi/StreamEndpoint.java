package dev.socketserver.spi;

import java.io.IOException;


/** A listening stream socket (TCP or Unix stream): Python's {@code TCPServer.socket}. */
public interface StreamEndpoint extends Endpoint {

    /**
     * Accepts one pending connection without blocking (Python: {@code socket.accept()} after the
     * selector said the socket is readable).
     *
     * @return the connection, or {@code null} if none was pending
     * @throws IOException if accepting fails (the server swallows it, as CPython does)
     */
    StreamConnection accept() throws IOException;
}
