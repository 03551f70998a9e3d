package dev.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.SocketChannel;

import dev.socketserver.spi.StreamConnection;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The request of a stream server ({@link TCPServer}, {@link UnixStreamServer}): one accepted
 * connection. Python: the socket object a stream handler gets as {@code self.request} (and
 * {@code self.connection}).
 *
 * <p><b>Always blocking, the same everywhere.</b> Reads wait until at least one byte or end of stream
 * is there; writes return only when every byte was written. This holds on platform and virtual
 * threads and under any JVM flags: how the engine waits (the kernel's blocking call, its own
 * edge-triggered poller, or a selector) is its business, not the handler's.
 *
 * <p><b>A real timeout</b> (Python: {@code settimeout}): with {@link #setTimeout} set, a read that
 * waits longer for input, or a write that waits longer for room, throws
 * {@link java.net.SocketTimeoutException}; the connection stays usable. No timer thread is involved.
 * A server's idle timeout ({@link TCPServer#setIdleTimeout}) caps every wait the same way, whatever
 * the handler sets.
 *
 * <p><b>Python's helpers</b>: {@link #recv(int)} and {@link #sendall(byte[])}; the channel methods
 * ({@link #read(ByteBuffer)}, {@link #write(ByteBuffer)}, scatter and gather) are there for code that
 * works with buffers.
 *
 * <p><b>Layers.</b> What a handler reads and writes through this type is the application's bytes.
 * Engine layers that sit between the socket and the handler (a PROXY-protocol header reader, TLS)
 * are connections over connections, so handlers never change when a layer is added; what they add is
 * visible here: {@link #sslSession()}, {@link #sniHostName()}, {@link #proxyHeader()},
 * {@link #proxyAddress()}.
 *
 * <p>Safe for one reader and one writer at a time, on different threads; {@link #close()} and the
 * shutdown methods may be called from any thread and wake a waiting reader or writer.
 */
public final class Connection implements ByteChannel, ScatteringByteChannel, GatheringByteChannel {

    // the top layer; replaced only on the request's thread, before the handler runs (layers are
    // set up there), and read by close() from any thread, hence volatile
    private volatile StreamConnection stream;
    private final ServerStats stats; // bytes in and out of the server's handlers
    private TlsLayer tls;            // set with the layers, before the handler runs
    private ProxyHeader proxyHeader;
    private SocketAddress proxyAddress;
    private volatile Duration timeout; // what the handler asked for (Python's gettimeout)
    private volatile Duration idleTimeout; // the server's limit on every wait, or null

    // Drain (BaseServer.drain): a wait for the next request ends the connection instead of waiting.
    private final Object drainLock = new Object(); // orders an expiry against the end of the wait it targets
    private volatile boolean draining;
    private volatile boolean awaitingRequest; // a read at a request boundary is in progress
    private boolean requestSeen; // handler's thread: some request bytes were read (the first wait is never cut)
    private boolean drained;     // handler's thread: the drain ended the input here

    /**
     * Wraps what the engine accepted (or a layer over it).
     *
     * @param stream the engine's connection
     * @param stats the server's counters
     */
    Connection(StreamConnection stream, ServerStats stats) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Python: {@code socket.recv(bufsize)}: waits for data and returns up to {@code maxBytes} of it.
     *
     * @param maxBytes the most bytes to return, at least 1
     * @return the bytes read; an empty array at end of stream (Python's {@code b''})
     * @throws java.net.SocketTimeoutException if {@link #timeout()} passes with nothing to read
     * @throws IOException if reading fails
     */
    public byte[] recv(int maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
        }
        byte[] buffer = new byte[maxBytes];
        int n = read(ByteBuffer.wrap(buffer));
        return n <= 0 ? new byte[0] : n == maxBytes ? buffer : Arrays.copyOf(buffer, n);
    }

    /**
     * Python: {@code socket.sendall(data)}: writes every byte, waiting for room as needed.
     *
     * @param data the bytes to send
     * @throws java.net.SocketTimeoutException if {@link #timeout()} passes while waiting for room
     * @throws IOException if writing fails
     */
    public void sendall(byte[] data) throws IOException {
        sendall(ByteBuffer.wrap(data));
    }

    /**
     * Python: {@code socket.sendall(data)} for a buffer: writes from its position to its limit.
     *
     * @param data the bytes to send; its position ends at its limit
     * @throws java.net.SocketTimeoutException if {@link #timeout()} passes while waiting for room
     * @throws IOException if writing fails
     */
    public void sendall(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            write(data);
        }
    }

    /**
     * Reads into {@code dst}, waiting until at least one byte or end of stream is there (an empty
     * {@code dst} returns 0 at once).
     *
     * @param dst where to put the bytes
     * @return how many bytes were read, or {@code -1} at end of stream
     * @throws java.net.SocketTimeoutException if {@link #timeout()} passes with nothing to read
     * @throws IOException if reading fails, or the connection was closed meanwhile
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, true);
    }

    /**
     * A read, told whether it starts at a request boundary (the handler has used everything it read)
     * or in the middle of a message ({@link LineInputStream} reading the rest of a line).
     */
    int read(ByteBuffer dst, boolean atBoundary) throws IOException {
        int n = atBoundary && requestSeen ? readNextRequest(dst) : stream.read(dst);
        if (n > 0) {
            requestSeen = true;
        }
        stats.bytesReceived(n);
        return n;
    }

    /**
     * A wait for the next request: while the server drains, it returns what is already there or end
     * of stream, so the connection closes only with nothing unread and nothing unanswered.
     */
    private int readNextRequest(ByteBuffer dst) throws IOException {
        if (drained) {
            return -1;
        }
        awaitingRequest = true;
        try {
            if (!draining) {
                try {
                    return stream.read(dst);
                } catch (SocketTimeoutException e) {
                    if (!draining) {
                        throw e;
                    }
                    // woken by the drain (or timed out while it began): take what is there, if anything
                }
            }
            return readQueued(dst);
        } finally {
            awaitingRequest = false;
            if (draining) {
                synchronized (drainLock) {
                    stream.cancelExpiredRead(); // an expiry that came as this read returned must not hit a later one
                }
            }
        }
    }

    /** Reads what has arrived without waiting for more; nothing there ends the input. */
    private int readQueued(ByteBuffer dst) throws IOException {
        stream.setTimeout(Duration.ofNanos(1));
        try {
            int n = stream.read(dst);
            drained = n < 0;
            return n;
        } catch (SocketTimeoutException e) {
            drained = true;
            return -1;
        } finally {
            stream.setTimeout(effectiveTimeout());
        }
    }

    /**
     * The server drains: from now on the handler's wait for its next request ends the connection.
     * A wait in progress ends at once (bytes that arrived meanwhile are still read and answered).
     * Any thread.
     */
    void drainWhenIdle() {
        draining = true;
        synchronized (drainLock) {
            if (awaitingRequest && !stream.expireRead()) {
                try {
                    stream.shutdownInput(); // a read blocked in the kernel returns what is queued, or end of stream
                } catch (IOException e) {
                    // already gone: the waiting read ends on its own
                }
            }
        }
    }

    /**
     * Tells whether the server is draining this connection.
     *
     * @return {@code true} once the server's {@link BaseServer#drain(Duration, Duration)} reached it:
     *     the handler's next wait for a request returns end of stream unless a request is already there
     */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Writes all of {@code src}, waiting for room as needed.
     *
     * @param src the bytes, from position to limit
     * @return how many bytes were written: all that remained
     * @throws java.net.SocketTimeoutException if {@link #timeout()} passes while waiting for room
     * @throws IOException if writing fails
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = stream.write(src);
        stats.bytesSent(n);
        return n;
    }

    /**
     * Python: {@code socket.gettimeout()}.
     *
     * @return how long one read or write may wait, or {@code null} (the default) to wait forever
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Python: {@code socket.settimeout(value)}: how long each wait for input, or for room to write,
     * may last before the call throws {@link java.net.SocketTimeoutException}.
     *
     * @param timeout a positive duration, or {@code null} to wait forever
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public void setTimeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive or null: " + timeout);
        }
        this.timeout = timeout;
        stream.setTimeout(effectiveTimeout());
    }

    /** The wait limit below: the handler's timeout, capped by the server's idle timeout. */
    private Duration effectiveTimeout() {
        Duration own = timeout;
        Duration idle = idleTimeout;
        if (idle == null) {
            return own;
        }
        return own == null || idle.compareTo(own) < 0 ? idle : own;
    }

    /**
     * The server's idle timeout: no wait for input or room may last longer, whatever the handler sets.
     *
     * @param idle positive, or {@code null} for none
     */
    void setIdleTimeout(Duration idle) {
        this.idleTimeout = idle;
        stream.setTimeout(effectiveTimeout());
    }

    /** The top layer, for the server to put the next layer over. */
    StreamConnection stream() {
        return stream;
    }

    /** After a PROXY header: the connection to read on (it may replay bytes read ahead), and the header. */
    void proxied(StreamConnection layered, ProxyHeader header) {
        this.proxyHeader = header;
        this.proxyAddress = header == null ? null : stream.remoteAddress();
        this.stream = layered;
    }

    /** After a TLS handshake: the layer that turns records into plaintext. */
    void secured(TlsLayer layer) {
        this.tls = layer;
        this.stream = layer;
    }

    /**
     * Python: {@code SSLSocket.session} (with {@code version()}, {@code cipher()},
     * {@code getpeercert()}): the TLS session of this connection, with its protocol, cipher suite
     * and the peer's certificates ({@link SSLSession#getPeerCertificates()}, which throws
     * {@link javax.net.ssl.SSLPeerUnverifiedException} when the client sent none).
     *
     * @return the session, or {@code null} when the server does not use TLS
     */
    public SSLSession sslSession() {
        TlsLayer layer = tls;
        return layer == null ? null : layer.session();
    }

    /**
     * Python: the name an {@code SSLContext.sni_callback} receives: the host name the client asked
     * for in its TLS handshake (SNI).
     *
     * @return the host name, or {@code null} without TLS or when the client sent none
     */
    public String sniHostName() {
        TlsLayer layer = tls;
        return layer == null ? null : layer.sniHostName();
    }

    /**
     * Returns the PROXY-protocol header that came before this connection's data, with the original
     * addresses and the version 2 TLVs. Python's {@code socketserver} has none (Twisted:
     * {@code HAProxyWrappingFactory}).
     *
     * @return the header, or {@code null} when the server does not read one or an optional one was absent
     */
    public ProxyHeader proxyHeader() {
        return proxyHeader;
    }

    /**
     * Returns the address of the proxy that sent {@link #proxyHeader()}: the socket's peer, while
     * the handler's {@code clientAddress()} is the original client.
     *
     * @return the proxy's address, or {@code null} without a header
     */
    public SocketAddress proxyAddress() {
        return proxyAddress;
    }

    /**
     * Python: {@code socket.shutdown(SHUT_RD)}: a waiting or later read sees end of stream.
     *
     * @throws IOException if the connection is closed or the call fails
     */
    public void shutdownInput() throws IOException {
        stream.shutdownInput();
    }

    /**
     * Python: {@code socket.shutdown(SHUT_WR)}: the peer sees end of stream; reading goes on.
     *
     * @throws IOException if the connection is closed or the call fails
     */
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    /**
     * Python: {@code socket.getsockname()}.
     *
     * @return the local address, or {@code null} once closed
     */
    public SocketAddress localAddress() {
        return stream.localAddress();
    }

    /**
     * Python: {@code socket.getpeername()}: the address of the socket's peer. Behind a proxy that
     * sends a PROXY-protocol header this is the proxy; the handler's {@code clientAddress()} is the
     * original client.
     *
     * @return the peer's address (an empty path for an unnamed Unix stream peer), or {@code null} once closed
     */
    public SocketAddress remoteAddress() {
        return stream.remoteAddress();
    }

    /**
     * Python: {@code socket.fileno()}.
     *
     * @return the OS descriptor, or {@code -1} once closed or where the engine cannot learn it
     */
    public int fileno() {
        return stream.fileno();
    }

    /**
     * Python: {@code socket.setsockopt}: sets a socket option such as
     * {@link java.net.StandardSocketOptions#TCP_NODELAY}.
     *
     * @param name the option
     * @param value its value
     * @param <T> the option's type
     * @return this connection
     * @throws UnsupportedOperationException if this kind of socket does not have the option
     * @throws IOException if setting it fails
     */
    public <T> Connection setOption(SocketOption<T> name, T value) throws IOException {
        stream.setOption(name, value);
        return this;
    }

    /**
     * Python: {@code socket.getsockopt}.
     *
     * @param name the option
     * @param <T> the option's type
     * @return its value
     * @throws UnsupportedOperationException if this kind of socket does not have the option
     * @throws IOException if reading it fails
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return stream.getOption(name);
    }

    /**
     * Returns the socket options this connection supports.
     *
     * @return the options
     */
    public Set<SocketOption<?>> supportedOptions() {
        return stream.supportedOptions();
    }

    /**
     * The JDK channel under this connection, for code that needs a {@link SocketChannel} itself.
     *
     * <p>Limits: it bypasses this connection's timeout and any layer above the socket (with TLS on,
     * it carries ciphertext); once the engine waits through its own poller the channel is in
     * non-blocking mode, so do not change its blocking mode, register it with a
     * {@link java.nio.channels.Selector}, or read and write it while a handler also uses this
     * connection. Closing it closes the connection.
     *
     * @return the underlying channel
     */
    public SocketChannel channel() {
        return stream.channel();
    }

    /**
     * Scattering read: fills the buffers in order, waiting until at least one byte or end of stream
     * is there.
     *
     * @param dsts the buffers
     * @param offset the first buffer to use
     * @param length how many buffers to use
     * @return how many bytes were read, or {@code -1} at end of stream
     * @throws IOException if reading fails
     */
    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = stream.read(dsts, offset, length);
        stats.bytesReceived(n);
        return n;
    }

    /**
     * Scattering read over all of {@code dsts}.
     *
     * @param dsts the buffers
     * @return how many bytes were read, or {@code -1} at end of stream
     * @throws IOException if reading fails
     */
    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    /**
     * Gathering write: writes every remaining byte of the buffers, in order.
     *
     * @param srcs the buffers
     * @param offset the first buffer to use
     * @param length how many buffers to use
     * @return how many bytes were written
     * @throws IOException if writing fails
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = stream.write(srcs, offset, length);
        stats.bytesSent(n);
        return n;
    }

    /**
     * Gathering write of all of {@code srcs}.
     *
     * @param srcs the buffers
     * @return how many bytes were written
     * @throws IOException if writing fails
     */
    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Tells whether the connection is open.
     *
     * @return {@code false} once closed
     */
    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    /**
     * Python: {@code socket.close()}: closes the connection, waking a waiting reader or writer
     * ({@link java.nio.channels.AsynchronousCloseException}). Idempotent. The server closes every
     * request itself after the handler ({@code shutdownRequest}).
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        stream.close();
    }

    @Override
    public String toString() {
        return "Connection[" + stream + "]";
    }
}
