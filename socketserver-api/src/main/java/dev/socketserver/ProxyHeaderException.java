package dev.socketserver;

import java.io.IOException;

/**
 * A PROXY-protocol header that was refused: missing where required, malformed, oversized,
 * truncated, too slow, or sent from an untrusted address. {@link ErrorKind#of} counts it as
 * {@link ErrorKind#PROXY_HEADER}.
 */
final class ProxyHeaderException extends IOException {

    private static final long serialVersionUID = 1L;

    ProxyHeaderException(String message) {
        super(message);
    }

    ProxyHeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
