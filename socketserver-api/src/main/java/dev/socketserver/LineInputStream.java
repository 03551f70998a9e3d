package dev.socketserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A buffered input stream that can also read one line: what Python's {@code rfile} is
 * ({@code io.BufferedReader} for stream handlers, {@code io.BytesIO} for datagram handlers).
 *
 * <p>The buffer is allocated at the first read and starts small ({@value #INITIAL_BUFFER_SIZE} bytes),
 * doubling up to the configured size only while reads fill it: ten thousand idle connections then cost
 * a few hundred bytes each, not 8 KiB, while a busy connection soon reads in full-size chunks.
 * Closing this stream marks it closed; it does not close the socket underneath (the server does).
 * Not thread-safe: one handler reads it.
 */
public final class LineInputStream extends InputStream {

    /** Python's default buffer size for {@code rfile}: 8192 bytes. */
    public static final int DEFAULT_BUFFER_SIZE = 8192;

    /** The first buffer allocated; it grows to the configured size while reads fill it. */
    public static final int INITIAL_BUFFER_SIZE = 512;

    private final InputStream source;
    private final int bufferSize;
    private byte[] buf;
    private int pos;
    private int count;
    private boolean closed;
    private boolean eof;

    /**
     * Wraps a source stream.
     *
     * @param source where bytes come from
     * @param bufferSize the buffer size; 1 reads one byte at a time (Python's {@code rbufsize = 0})
     */
    public LineInputStream(InputStream source, int bufferSize) {
        this.source = Objects.requireNonNull(source, "source");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /**
     * Python: {@code rfile.readline()}: reads up to and including the next {@code '\n'}.
     *
     * @return the line with its {@code '\n'}; the remaining bytes if the stream ends first; an empty
     *     array at end of stream
     * @throws IOException if reading fails or the stream is closed
     */
    public byte[] readLine() throws IOException {
        return readLine(Integer.MAX_VALUE);
    }

    /**
     * Python: {@code rfile.readline(limit)}: as {@link #readLine()}, but returns after at most
     * {@code limit} bytes even without a {@code '\n'}.
     *
     * @param limit the most bytes to return, at least 1
     * @return the line, possibly cut at {@code limit}; an empty array at end of stream
     * @throws IOException if reading fails or the stream is closed
     */
    public byte[] readLine(int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        ensureOpen();
        ByteArrayOutputStream longLine = null;
        int taken = 0;
        while (true) {
            if (pos == count && !fill(longLine != null)) {
                return longLine == null ? new byte[0] : longLine.toByteArray();
            }
            int scan = Math.min(count - pos, limit - taken); // never pos + limit: that overflows
            for (int i = pos; i < pos + scan; i++) {
                if (buf[i] == '\n') {
                    return take(longLine, i + 1);
                }
            }
            if (taken + scan == limit) {
                return take(longLine, pos + scan);
            }
            if (longLine == null) {
                longLine = new ByteArrayOutputStream(Math.max(64, scan * 2));
            }
            longLine.write(buf, pos, scan);
            taken += scan;
            pos += scan;
        }
    }

    private byte[] take(ByteArrayOutputStream prefix, int end) {
        byte[] out;
        if (prefix == null) {
            out = Arrays.copyOfRange(buf, pos, end);
        } else {
            prefix.write(buf, pos, end - pos);
            out = prefix.toByteArray();
        }
        pos = end;
        return out;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (pos == count && !fill(false)) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        int available = count - pos;
        if (available == 0) {
            if (len >= bufferSize && !eof) {
                // a large read bypasses the buffer, as io.BufferedReader does
                int n = source.read(b, off, len);
                if (n < 0) {
                    eof = true;
                }
                return n;
            }
            if (!fill(false)) {
                return -1;
            }
            available = count - pos;
        }
        int n = Math.min(len, available);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (count - pos) + source.available();
    }

    /** Marks the stream closed; the socket underneath stays open (Python: {@code rfile.close()}). */
    @Override
    public void close() {
        closed = true;
        buf = null;
        pos = 0;
        count = 0;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refills the buffer.
     *
     * @param midLine whether part of a line was already taken: a connection then knows the handler
     *     is inside a request, where a draining server must not end it
     */
    private boolean fill(boolean midLine) throws IOException {
        if (eof) {
            return false;
        }
        if (buf == null) {
            buf = new byte[Math.min(bufferSize, INITIAL_BUFFER_SIZE)];
        } else if (count == buf.length && buf.length < bufferSize) {
            buf = new byte[Math.min(bufferSize, buf.length * 2)]; // the last read filled it: more is coming
        }
        int n = midLine && source instanceof ConnectionReader connection
                ? connection.readRest(buf, 0, buf.length)
                : source.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = n < 0;
            pos = 0;
            count = 0;
            return !eof && fill(midLine);
        }
        pos = 0;
        count = n;
        return true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("rfile is closed");
        }
    }
}
