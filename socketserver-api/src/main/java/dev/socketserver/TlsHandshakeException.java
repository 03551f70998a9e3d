package dev.socketserver;

import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake that failed before the handler ran; {@link ErrorKind#of} counts it as
 * {@link ErrorKind#TLS_HANDSHAKE}, whatever the cause (an alert, a timeout, a peer that left).
 */
final class TlsHandshakeException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    TlsHandshakeException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
