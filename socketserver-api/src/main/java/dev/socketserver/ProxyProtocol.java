package dev.socketserver;

/**
 * Whether a stream server expects a PROXY-protocol header (HAProxy's {@code send-proxy} and
 * {@code send-proxy-v2}) before each connection's data; see {@link TCPServer#setProxyProtocol}.
 * Python's {@code socketserver} has none; Twisted's {@code HAProxyWrappingFactory} and Jetty's
 * {@code ProxyConnectionFactory} are the counterparts.
 */
public enum ProxyProtocol {

    /** No header is read (the default): the socket's peer is the client. */
    OFF,

    /**
     * A header is read when the connection starts with one; a connection without is served with its
     * socket address. The server reads the first bytes before the handler runs, so a protocol where
     * the server speaks first cannot use this mode.
     */
    OPTIONAL,

    /** Every connection must start with a header from a trusted proxy; any other is closed. */
    REQUIRED
}
