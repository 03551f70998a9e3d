package dev.socketserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A {@link Connection} read as an {@link InputStream}: the raw input under {@code rfile}. A read
 * waits as the connection does, so the connection's timeout applies (Python: {@code settimeout}
 * before {@code makefile}); closing it does not close the connection.
 */
final class ConnectionReader extends InputStream {

    private final Connection connection;

    ConnectionReader(Connection connection) {
        this.connection = connection;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        return connection.read(ByteBuffer.wrap(b, off, len));
    }

    /** A read for the rest of a message already begun: never a point where a drain may end the connection. */
    int readRest(byte[] b, int off, int len) throws IOException {
        return connection.read(ByteBuffer.wrap(b, off, len), false);
    }
}
