package dev.socketserver;

import dev.socketserver.spi.StreamConnection;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Gives back bytes that were read ahead of the handler (what arrived after a PROXY header, or the
 * first bytes of a connection that turned out to have none) before reading on from below.
 */
final class ReplayLayer extends StreamLayer {

    private final ByteBuffer pending; // read mode; only the reader touches it

    ReplayLayer(StreamConnection lower, byte[] bytes, int offset, int length) {
        super(lower);
        this.pending = ByteBuffer.wrap(bytes.clone(), offset, length).slice();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!pending.hasRemaining()) {
            return lower.read(dst);
        }
        return copy(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (!pending.hasRemaining()) {
            return lower.read(dsts, offset, length);
        }
        long n = 0;
        for (int i = offset; i < offset + length && pending.hasRemaining(); i++) {
            n += copy(dsts[i]);
        }
        return n;
    }

    private int copy(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), pending.remaining());
        dst.put(pending.slice(pending.position(), n));
        pending.position(pending.position() + n);
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return lower.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return lower.write(srcs, offset, length);
    }
}
