package dev.socketserver;

import dev.socketserver.spi.StreamConnection;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a blocking connection with the JDK's {@link SSLEngine} (Python:
 * {@code SSLContext.wrap_socket(sock, server_side=True)}): the handler reads and writes plaintext,
 * the connection below carries records. Blocking is the lower connection's: every wait for records
 * or room is one of its waits, so its timeout (the handler's, or the idle timeout) bounds it.
 *
 * <p>One reader and one writer may run at once on different threads. Everything that writes
 * records (application data, a reply the reader owes, such as a key update, and close_notify)
 * holds {@link #writeLock}, so records never interleave.
 */
final class TlsLayer extends StreamLayer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Duration CLOSE_NOTIFY_WAIT = Duration.ofSeconds(1);

    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();
    private ByteBuffer netIn;  // write mode: records received and not yet unwrapped (reader only)
    private ByteBuffer appIn;  // read mode: plaintext unwrapped and not yet read (reader only)
    private ByteBuffer netOut; // guarded by writeLock
    private volatile boolean inputShut;
    private volatile String sniHostName;

    TlsLayer(StreamConnection lower, SSLEngine engine) {
        super(lower);
        this.engine = engine;
        SSLSession session = engine.getSession(); // the null session: only its sizes are read here
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /**
     * Runs the whole handshake, each wait bounded by what is left until {@code deadline}.
     *
     * @param deadline {@link System#nanoTime()} by which the handshake must be done
     * @param timeout the whole handshake's limit, for the message
     * @throws IOException if the handshake failed, timed out, or the peer left; an alert the engine
     *     owes the peer has been sent where possible
     */
    void handshake(long deadline, Duration timeout) throws IOException {
        Duration saved = lower.timeout();
        try {
            engine.beginHandshake();
            while (true) {
                captureServerName();
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrapAndFlush(deadline, timeout);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (unwrap(deadline, timeout) == null) {
                            throw new EOFException("the peer closed the connection during the TLS handshake");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        captureServerName();
                        return;
                    }
                }
            }
        } catch (SSLException e) {
            sendPendingAlert(); // e.g. protocol_version or bad_certificate, so the client learns why
            throw e;
        } finally {
            lower.setTimeout(saved);
        }
    }

    /** The session, once the handshake is done. */
    SSLSession session() {
        return engine.getSession();
    }

    /** The host name the client asked for (SNI), or {@code null}. */
    String sniHostName() {
        return sniHostName;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        return copy(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        boolean room = false;
        for (int i = offset; i < offset + length; i++) {
            room |= dsts[i].hasRemaining();
        }
        if (!room) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        long n = 0;
        for (int i = offset; i < offset + length && appIn.hasRemaining(); i++) {
            n += copy(dsts[i]);
        }
        return n;
    }

    private int copy(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        dst.put(appIn.slice(appIn.position(), n));
        appIn.position(appIn.position() + n);
        return n;
    }

    /**
     * Makes plaintext available, waiting for records as needed.
     *
     * @return {@code false} at end of stream: the peer's close_notify, or the connection closed
     *     below without one (Python's default {@code suppress_ragged_eofs=True} also reads that as EOF)
     */
    private boolean fill() throws IOException {
        while (!appIn.hasRemaining()) {
            if (inputShut || engine.isInboundDone()) {
                return false;
            }
            SSLEngineResult result = unwrap(0, null);
            if (result == null) {
                inputShut = true;
                return false;
            }
            // after the handshake the peer may still need an answer (a TLS 1.3 key update) or a task
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            while (status == SSLEngineResult.HandshakeStatus.NEED_TASK || status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                } else {
                    wrapAndFlush(0, null);
                }
                status = engine.getHandshakeStatus();
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && !appIn.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unwraps one record into {@link #appIn}, reading from below while a whole record is missing.
     *
     * @param deadline for a handshake, the nanoTime limit; 0 for the lower connection's own timeout
     * @return the result, or {@code null} if the connection below reached end of stream first
     */
    private SSLEngineResult unwrap(long deadline, Duration timeout) throws IOException {
        while (true) {
            SSLEngineResult result;
            netIn.flip();
            appIn.compact();
            try {
                result = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (result.getStatus()) {
                case OK, CLOSED -> {
                    return result;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize(), true);
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize(), false);
                    }
                    bound(deadline, timeout);
                    if (lower.read(netIn) < 0) {
                        return null;
                    }
                }
            }
        }
    }

    /** Wraps whatever the engine has to send with no application data (handshake, alerts), and sends it. */
    private void wrapAndFlush(long deadline, Duration timeout) throws IOException {
        writeLock.lock();
        try {
            wrapLocked(new ByteBuffer[] {EMPTY}, 0, 1, deadline, timeout);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        writeLock.lock();
        try {
            long total = 0;
            while (hasRemaining(srcs, offset, length)) {
                total += wrapLocked(srcs, offset, length, 0, null);
            }
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    /** One wrap and its records sent; the caller holds {@link #writeLock}. Returns the plaintext consumed. */
    private long wrapLocked(ByteBuffer[] srcs, int offset, int length, long deadline, Duration timeout) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(srcs, offset, length, netOut);
            netOut.flip();
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                        engine.getSession().getPacketBufferSize()));
                case BUFFER_UNDERFLOW -> throw new SSLException("wrap reported BUFFER_UNDERFLOW"); // never for wrap
                case OK, CLOSED -> {
                    flushLocked(deadline, timeout);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesProduced() == 0
                            && hasRemaining(srcs, offset, length)) {
                        // Java's Broken pipe text, so ErrorKind counts it as PEER_GONE
                        throw new SocketException("Broken pipe: the TLS session is closed for writing");
                    }
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return result.bytesConsumed();
                }
            }
        }
    }

    private void flushLocked(long deadline, Duration timeout) throws IOException {
        while (netOut.hasRemaining()) {
            bound(deadline, timeout);
            lower.write(netOut);
        }
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** During a handshake, limits the next wait below to what is left of the whole handshake's time. */
    private void bound(long deadline, Duration timeout) throws SocketTimeoutException {
        if (deadline == 0) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("the TLS handshake took longer than " + timeout);
        }
        lower.setTimeout(Duration.ofNanos(left));
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // on the request's thread, which may block: that is what it is for
        }
    }

    private void captureServerName() {
        if (sniHostName != null) {
            return;
        }
        SSLSession session = engine.getHandshakeSession();
        if (session == null) {
            session = engine.getSession();
        }
        if (session instanceof ExtendedSSLSession extended) {
            try {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        sniHostName = host.getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException ignored) {
                // a provider without SNI
            }
        }
    }

    /** After a failed handshake the engine may hold an alert for the peer: send it, briefly. */
    private void sendPendingAlert() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            lower.setTimeout(CLOSE_NOTIFY_WAIT);
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult result = engine.wrap(EMPTY, netOut);
                netOut.flip();
                flushLocked(0, null);
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy; the connection is closed next anyway
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends close_notify once; the caller holds {@link #writeLock}. Bounded, since the peer may not read. */
    private void closeNotifyLocked() throws IOException {
        if (engine.isOutboundDone()) {
            return;
        }
        Duration saved = lower.timeout();
        if (saved == null || saved.compareTo(CLOSE_NOTIFY_WAIT) > 0) {
            lower.setTimeout(CLOSE_NOTIFY_WAIT);
        }
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                netOut.clear();
                SSLEngineResult result = engine.wrap(EMPTY, netOut);
                netOut.flip();
                flushLocked(0, null);
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            lower.setTimeout(saved);
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        inputShut = true;
        lower.shutdownInput();
    }

    /** Python: {@code SSLSocket.shutdown(SHUT_WR)} after {@code unwrap()}: close_notify, then the socket's half. */
    @Override
    public void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            closeNotifyLocked();
        } finally {
            writeLock.unlock();
        }
        lower.shutdownOutput();
    }

    /**
     * Sends close_notify if no write is running (a close from another thread must not wait for a
     * stuck writer: it closes below, which wakes it), then closes below.
     */
    @Override
    public void close() throws IOException {
        try {
            if (lower.isOpen() && writeLock.tryLock()) {
                try {
                    closeNotifyLocked();
                } catch (IOException | RuntimeException ignored) {
                    // the peer is gone or does not read: closing is what matters now
                } finally {
                    writeLock.unlock();
                }
            }
        } finally {
            lower.close();
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int atLeast, boolean readMode) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
        if (readMode) {
            bigger.put(buffer).flip();
        } else {
            buffer.flip();
            bigger.put(buffer);
        }
        return bigger;
    }
}
