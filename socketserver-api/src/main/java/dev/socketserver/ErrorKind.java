package dev.socketserver;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;

/**
 * What kind of failure reached {@code handleError}, for the counters ({@link ServerStats#errors(ErrorKind)})
 * and for how loudly {@link BaseServer#handleError} logs it. Python has no counterpart: CPython logs
 * every failure with its traceback, so a client that resets costs a screenful of log.
 */
public enum ErrorKind {

    /** The handler's own exception: a bug or a refusal of the handler's making. Logged with its trace. */
    HANDLER,

    /**
     * The peer went away: a reset connection, a broken pipe, end of stream in the middle of a read,
     * or the connection closed under the handler; for a datagram server, a reply the receiver could not
     * take (its queue stayed full, or it is gone), which is dropped and counted in
     * {@link ServerStats#dropped()}. Not the server's fault; logged in one line at a low level.
     */
    PEER_GONE,

    /** A read or write waited longer than the connection's timeout. Logged in one line at a low level. */
    TIMEOUT,

    /**
     * The TLS handshake failed before the handler ran: plaintext sent to a TLS port, a refused
     * protocol version or certificate, a peer that stalled past the handshake timeout or left
     * half-way. Python: the {@code ssl.SSLError} that {@code SSLSocket.do_handshake()} raises. Logged
     * in one line at a low level; the handler never sees the connection.
     */
    TLS_HANDSHAKE,

    /**
     * The PROXY-protocol header was missing, malformed, oversized, truncated, too slow, or came
     * from an untrusted address. Python has none (Twisted: {@code HAProxyWrappingFactory}). Logged
     * in one line at a low level; the handler never sees the connection.
     */
    PROXY_HEADER,

    /**
     * A drain's deadline stopped the request: its thread was interrupted and its connection closed
     * ({@link BaseServer#drain(java.time.Duration, java.time.Duration)}). Python has no drain. Logged in
     * one line at a low level; the drain's report counts these requests as forced.
     */
    FORCED;

    /**
     * Whether a failure is what a forced stop causes in a handler: an interrupt, or a channel closed
     * under it.
     */
    static boolean causedByForcedStop(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.io.InterruptedIOException && !(t instanceof SocketTimeoutException)
                    || t instanceof SocketException && "Socket closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Classifies a failure by its type and its causes.
     *
     * @param error what the handler threw
     * @return its kind
     */
    public static ErrorKind of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TlsHandshakeException) {
                return TLS_HANDSHAKE; // before TIMEOUT: a handshake that timed out is a handshake failure
            }
            if (t instanceof ProxyHeaderException) {
                return PROXY_HEADER;
            }
            if (t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof EOFException || t instanceof AsynchronousCloseException || t instanceof UndeliveredReply
                    || peerGoneMessage(t)) {
                return PEER_GONE;
            }
        }
        return HANDLER;
    }

    /** The JDK's texts for a peer that reset or vanished (SocketChannel read and write on Linux). */
    private static boolean peerGoneMessage(Throwable t) {
        if (!(t instanceof SocketException || t.getClass() == java.io.IOException.class)) {
            return false;
        }
        String message = t.getMessage();
        return message != null && (message.contains("Connection reset") || message.contains("Broken pipe")
                || message.contains("Connection aborted"));
    }
}
