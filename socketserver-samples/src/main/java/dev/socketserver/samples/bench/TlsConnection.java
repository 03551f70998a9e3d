package dev.socketserver.samples.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The client side of one TLS connection of the load generator: a JDK {@link SSLEngine} over a
 * non-blocking {@link SocketChannel}. It never blocks: each call does what the socket allows and
 * says what to wait for, so {@link LoadShard}'s selector loop drives handshakes, requests and echoes
 * of many connections on one thread, as it does for plaintext.
 *
 * <p>Buffers: {@code netIn} holds ciphertext read but not yet unwrapped (a record may arrive in
 * pieces, or several in one read); {@code netOut} holds ciphertext wrapped but not yet written
 * (the socket may be full). Delegated tasks (certificate checks, key exchange) run inline on the
 * selector thread, so their cost shows up as generator CPU.
 */
final class TlsConnection {

    /** {@link #handshake()}: done, the application data may flow. */
    static final int DONE = 0;
    /** {@link #handshake()}: wait until the socket is readable. */
    static final int NEED_READ = 1;
    /** {@link #handshake()}: wait until the socket is writable. */
    static final int NEED_WRITE = 2;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer handshakeSink;
    private boolean begun;

    TlsConnection(SSLEngine engine, SocketChannel channel) {
        this.engine = engine;
        this.channel = channel;
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        netOut = ByteBuffer.allocate(s.getPacketBufferSize()).flip(); // kept in read mode: what is left to write
        handshakeSink = ByteBuffer.allocate(s.getApplicationBufferSize());
    }

    /**
     * Advances the handshake as far as the socket allows.
     *
     * @return {@link #DONE}, {@link #NEED_READ} or {@link #NEED_WRITE}
     * @throws IOException if the handshake fails or the peer leaves
     */
    int handshake() throws IOException {
        if (!begun) {
            begun = true;
            engine.beginHandshake();
        }
        while (true) {
            if (!flush()) {
                return NEED_WRITE;
            }
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return DONE;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    handshakeSink.clear();
                    if (!unwrap(handshakeSink)) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new EOFException("peer closed during the TLS handshake");
                        }
                        if (n == 0) {
                            return NEED_READ;
                        }
                    } else if (handshakeSink.position() > 0) {
                        throw new SSLException("unexpected application data during the handshake");
                    }
                }
            }
        }
    }

    /**
     * Encrypts and sends {@code src}, or as much as the socket takes.
     *
     * @param src plaintext; consumed as it is wrapped
     * @return 1 when all of it is wrapped and on the wire, 0 if the socket is full (call again when writable)
     * @throws IOException if the connection failed
     */
    int write(ByteBuffer src) throws IOException {
        if (!flush()) {
            return 0;
        }
        while (src.hasRemaining()) {
            wrap(src);
            if (!flush()) {
                return 0;
            }
        }
        return 1;
    }

    /**
     * Reads and decrypts what the socket has.
     *
     * @param dst where plaintext goes; needs room for one record ({@code getApplicationBufferSize()})
     * @return the plaintext bytes added, 0 if there are none yet (wait until readable), -1 at the end of the stream
     * @throws IOException if the connection failed
     */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            int before = dst.position();
            boolean consumed = unwrap(dst);
            if (engine.isInboundDone()) {
                return dst.position() > before ? dst.position() - before : -1; // close_notify
            }
            afterRecord();
            if (dst.position() > before) {
                return dst.position() - before;
            }
            if (consumed) {
                continue; // a record without data, e.g. TLS 1.3's NewSessionTicket: look at the next one
            }
            if (!netIn.hasRemaining()) {
                throw new SSLException("a TLS record larger than the packet buffer");
            }
            int n = channel.read(netIn);
            if (n <= 0) {
                return n;
            }
        }
    }

    /** Sends {@code close_notify} if the socket takes it at once; the caller closes the channel. */
    void closeQuietly() {
        try {
            engine.closeOutbound();
            wrap(EMPTY);
            flush();
        } catch (IOException | RuntimeException ignored) {
            // the connection is being closed anyway; close_notify is a courtesy
        }
    }

    /** @return the negotiated protocol and cipher suite, e.g. {@code TLSv1.3:TLS_AES_128_GCM_SHA256} */
    String negotiated() {
        SSLSession s = engine.getSession();
        return s.getProtocol() + ":" + s.getCipherSuite();
    }

    // ---------------------------------------------------------------- engine steps

    /** @return whether a record was consumed; false if {@code netIn} holds no whole record */
    private boolean unwrap(ByteBuffer dst) throws IOException {
        if (netIn.position() == 0) {
            return false;
        }
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();
        }
        return switch (r.getStatus()) {
            case OK, CLOSED -> r.bytesConsumed() > 0 || r.getStatus() == SSLEngineResult.Status.CLOSED;
            case BUFFER_UNDERFLOW -> false;
            case BUFFER_OVERFLOW -> throw new SSLException("plaintext buffer too small for a TLS record");
        };
    }

    private void wrap(ByteBuffer src) throws IOException {
        netOut.compact();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, netOut);
        } finally {
            netOut.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("ciphertext buffer too small for a TLS record");
        }
    }

    /** After a record: answers what TLS 1.3 may ask between requests (a KeyUpdate) and runs tasks. */
    private void afterRecord() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    wrap(EMPTY);
                    flush(); // a full socket here is unlikely; the next write() flushes the rest first
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** @return whether everything wrapped so far is on the wire */
    private boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }
}
