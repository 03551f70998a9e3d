package dev.socketserver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Python's {@code _SocketWriter}: an unbuffered {@code wfile} whose every write is complete
 * ({@code sendall}). Closing it marks it closed without closing the socket.
 */
final class SocketWriter extends OutputStream {

    private final WritableByteChannel channel;
    private volatile boolean closed;

    SocketWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("wfile is closed");
        }
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("wfile is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
