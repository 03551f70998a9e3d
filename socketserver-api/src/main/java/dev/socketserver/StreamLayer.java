package dev.socketserver;

import dev.socketserver.spi.StreamConnection;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A connection over another connection (a PROXY header's leftover bytes, TLS): everything a layer
 * does not change goes to the connection below.
 */
abstract class StreamLayer implements StreamConnection {

    /** The connection below, nearer the wire. */
    final StreamConnection lower;

    StreamLayer(StreamConnection lower) {
        this.lower = Objects.requireNonNull(lower, "lower");
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public Duration timeout() {
        return lower.timeout();
    }

    @Override
    public void setTimeout(Duration timeout) {
        lower.setTimeout(timeout);
    }

    @Override
    public boolean expireRead() {
        return lower.expireRead();
    }

    @Override
    public void cancelExpiredRead() {
        lower.cancelExpiredRead();
    }

    @Override
    public void shutdownInput() throws IOException {
        lower.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        lower.shutdownOutput();
    }

    @Override
    public SocketAddress localAddress() {
        return lower.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return lower.remoteAddress();
    }

    @Override
    public int fileno() {
        return lower.fileno();
    }

    @Override
    public <T> void setOption(SocketOption<T> name, T value) throws IOException {
        lower.setOption(name, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return lower.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return lower.supportedOptions();
    }

    @Override
    public SocketChannel channel() {
        return lower.channel();
    }

    @Override
    public boolean isOpen() {
        return lower.isOpen();
    }

    @Override
    public void close() throws IOException {
        lower.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + lower + "]";
    }
}
