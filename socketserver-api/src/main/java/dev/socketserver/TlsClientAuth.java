package dev.socketserver;

/**
 * Whether a TLS server asks clients for a certificate; see {@link TCPServer#setTlsClientAuth}.
 * Python: {@code SSLContext.verify_mode} on a server context.
 */
public enum TlsClientAuth {

    /** No client certificate is asked for (Python: {@code CERT_NONE}); the default. */
    NONE,

    /**
     * A certificate is asked for but not required (Python: {@code CERT_OPTIONAL}); one that is sent
     * must be trusted.
     */
    WANT,

    /** A trusted certificate is required (Python: {@code CERT_REQUIRED}); without one the handshake fails. */
    NEED
}
