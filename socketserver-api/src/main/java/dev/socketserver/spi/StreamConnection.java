package dev.socketserver.spi;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;

/**
 * An accepted stream connection as the engine gives it to the server classes, which show it to
 * handlers as {@code dev.socketserver.Connection}; that class documents the behaviour every
 * implementation must have: blocking reads and writes on any thread, a timeout per wait with no timer
 * thread, shutdown of each half waking a waiting reader or writer, and close waking both.
 *
 * <p>Layers between the socket and the handler (a PROXY-protocol header reader, TLS) implement this
 * interface over another instance of it.
 */
public interface StreamConnection extends ByteChannel, ScatteringByteChannel, GatheringByteChannel {

    /**
     * Reads, waiting until at least one byte or end of stream is there.
     *
     * @param dst where to put the bytes
     * @return the count, or {@code -1} at end of stream
     * @throws java.net.SocketTimeoutException if the timeout passes with nothing to read
     * @throws IOException if reading fails
     */
    @Override
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes all of {@code src}, waiting for room as needed.
     *
     * @param src the bytes
     * @return the count: all that remained
     * @throws java.net.SocketTimeoutException if the timeout passes while waiting for room
     * @throws IOException if writing fails
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /**
     * Returns the timeout of each wait.
     *
     * @return the timeout, or {@code null} for none
     */
    Duration timeout();

    /**
     * Sets the timeout of each wait for input or room.
     *
     * @param timeout positive, or {@code null} for none
     */
    void setTimeout(Duration timeout);

    /**
     * Shuts the input side: a waiting or later read sees end of stream.
     *
     * @throws IOException if the call fails
     */
    void shutdownInput() throws IOException;

    /**
     * Ends a wait for input early: the read waiting now, or the next read that would wait, throws
     * {@link java.net.SocketTimeoutException} as if its timeout had passed, once, and the connection
     * stays usable. A draining server uses it to end a handler's wait for the next request.
     *
     * @return {@code false} if this connection cannot (a read blocked in the kernel can only be ended
     *     by {@link #shutdownInput()}); the default
     */
    default boolean expireRead() {
        return false;
    }

    /** Withdraws an {@link #expireRead()} that no wait has used yet. The default does nothing. */
    default void cancelExpiredRead() {
    }

    /**
     * Shuts the output side: the peer sees end of stream.
     *
     * @throws IOException if the call fails
     */
    void shutdownOutput() throws IOException;

    /**
     * Returns the local address.
     *
     * @return the address, or {@code null} once closed
     */
    SocketAddress localAddress();

    /**
     * Returns the peer's address.
     *
     * @return the address, or {@code null} once closed
     */
    SocketAddress remoteAddress();

    /**
     * Returns the OS descriptor.
     *
     * @return the descriptor, or {@code -1} once closed or when unknown
     */
    int fileno();

    /**
     * Sets a socket option.
     *
     * @param name the option
     * @param value the value
     * @param <T> the option's type
     * @throws IOException if it fails
     */
    <T> void setOption(SocketOption<T> name, T value) throws IOException;

    /**
     * Reads a socket option.
     *
     * @param name the option
     * @param <T> the option's type
     * @return the value
     * @throws IOException if it fails
     */
    <T> T getOption(SocketOption<T> name) throws IOException;

    /**
     * Returns the supported socket options.
     *
     * @return the options
     */
    Set<SocketOption<?>> supportedOptions();

    /**
     * Returns the JDK channel underneath.
     *
     * @return the channel
     */
    SocketChannel channel();
}
