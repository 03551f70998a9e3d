package dev.socketserver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Python's {@code _SocketWriter}: an unbuffered {@code wfile} whose every write is complete
 * ({@code sendall}). Closing it marks it closed without closing the connection.
 */
final class SocketWriter extends OutputStream {

    private final Connection connection;
    private volatile boolean closed;

    SocketWriter(Connection connection) {
        this.connection = connection;
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
        connection.sendall(ByteBuffer.wrap(b, off, len));
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
