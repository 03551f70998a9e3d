package dev.socketserver;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.time.Duration;

/**
 * Python: {@code socketserver.StreamRequestHandler}: a handler for stream servers with
 * {@link #rfile()} and {@link #wfile()} over the connection.
 *
 * <pre>{@code
 * class Echo extends StreamRequestHandler {
 *     @Override protected void handle() throws IOException {
 *         wfile().write(rfile().readLine());
 *     }
 * }
 * }</pre>
 *
 * <p>Python's class attributes are methods to override: {@link #rbufsize()}, {@link #wbufsize()},
 * {@link #timeout()}, {@link #disableNagleAlgorithm()}. They are read once, in {@link #setup()}.
 */
public class StreamRequestHandler extends BaseRequestHandler<Connection> {

    private LineInputStream rfile;
    private OutputStream wfile;

    /** For subclasses and for {@code StreamRequestHandler::new}. */
    public StreamRequestHandler() {
    }

    /**
     * Python: {@code rbufsize}: the read buffer size; {@code -1} (the default) means 8192 bytes,
     * {@code 0} means unbuffered (one byte per read, so a line read never consumes more than the line).
     *
     * @return the read buffer size
     */
    protected int rbufsize() {
        return -1;
    }

    /**
     * Python: {@code wbufsize}: {@code 0} (the default) makes {@link #wfile()} unbuffered, with every
     * write complete; anything else buffers that many bytes, flushed by {@link #finish()}.
     *
     * @return the write buffer size
     */
    protected int wbufsize() {
        return 0;
    }

    /**
     * Python: {@code timeout}: {@link #setup()} passes it to the connection's
     * {@link Connection#setTimeout} ({@code settimeout}), so each wait of {@link #rfile()} for input,
     * or of {@link #wfile()} for room, is bounded by it; {@code null} (the default) waits forever. A
     * read that times out throws {@link java.net.SocketTimeoutException}, which reaches
     * {@code handleError} unless the handler catches it; the connection stays usable, as in Python.
     *
     * @return the timeout, or {@code null}
     */
    protected Duration timeout() {
        return null;
    }

    /**
     * Python: {@code disable_nagle_algorithm}: sets {@code TCP_NODELAY}; default {@code false}. On a
     * Unix stream socket {@link #setup()} then fails, as in CPython.
     *
     * @return whether to disable Nagle's algorithm
     */
    protected boolean disableNagleAlgorithm() {
        return false;
    }

    /**
     * Python: {@code StreamRequestHandler.setup()}: applies the options and makes {@code rfile} and
     * {@code wfile}. Overrides must call {@code super.setup()}.
     *
     * @throws IOException if an option cannot be applied
     */
    @Override
    protected void setup() throws IOException {
        Connection connection = request();
        if (disableNagleAlgorithm()) {
            if (!connection.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                throw new IOException("TCP_NODELAY is not supported on this socket (" + server().family().label()
                        + "); Python raises OSError [Errno 95] here too");
            }
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        Duration timeout = timeout();
        if (timeout != null) {
            connection.setTimeout(timeout); // Python: self.connection.settimeout(self.timeout)
        }
        int rbufsize = rbufsize();
        rfile = new LineInputStream(new ConnectionReader(connection),
                rbufsize < 0 ? LineInputStream.DEFAULT_BUFFER_SIZE : Math.max(1, rbufsize));
        int wbufsize = wbufsize();
        OutputStream writer = new SocketWriter(connection);
        wfile = wbufsize == 0 ? writer : new BufferedOutputStream(writer, wbufsize < 0 ? 8192 : wbufsize);
    }

    /**
     * Python: {@code StreamRequestHandler.finish()}: flushes {@code wfile} (ignoring a final socket
     * error, as CPython does) and closes {@code wfile} and {@code rfile}. The socket itself is closed
     * by the server's {@code shutdownRequest}.
     */
    @Override
    protected void finish() {
        if (wfile != null) {
            try {
                wfile.flush();
            } catch (IOException ignored) {
                // "A final socket error may have occurred here, such as the local error ECONNABORTED."
            }
            try {
                wfile.close();
            } catch (IOException ignored) {
                // closing the writer never touches the socket
            }
        }
        if (rfile != null) {
            rfile.close();
        }
    }

    /**
     * Python: {@code self.rfile}: the connection's input, buffered, with {@link LineInputStream#readLine()}.
     *
     * @return the input stream, available from {@link #setup()} on
     */
    public final LineInputStream rfile() {
        return rfile;
    }

    /**
     * Python: {@code self.wfile}: the connection's output. Unbuffered by default, and every write is
     * complete; closing it does not close the socket.
     *
     * @return the output stream, available from {@link #setup()} on
     */
    public final OutputStream wfile() {
        return wfile;
    }

    /**
     * Python: {@code self.connection}: the same object as {@link #request()}.
     *
     * @return the connection
     */
    public final Connection connection() {
        return request();
    }
}
