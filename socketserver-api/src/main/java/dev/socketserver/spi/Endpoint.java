package dev.socketserver.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * A server's own socket, as the engine sees it: Python's {@code BaseServer.socket}.
 *
 * <p>Implementations are thread-safe: {@link #close()} and {@link #fileno()} may be called from any
 * thread while another thread waits on a {@link Waiter} of this endpoint.
 */
public interface Endpoint extends Closeable {

    /**
     * Applies the options and binds the socket; a stream endpoint also starts listening, because NIO
     * binds and listens in one call (Python: {@code server_bind()} plus {@code listen()}).
     *
     * @param local the address to bind
     * @param options socket options and backlog, all applied explicitly before the bind
     * @throws IOException if the bind fails; the message names the address
     */
    void bind(SocketAddress local, BindOptions options) throws IOException;

    /**
     * Returns the bound address (Python: {@code socket.getsockname()}).
     *
     * @return the real local address, or {@code null} before {@link #bind}
     */
    SocketAddress localAddress();

    /**
     * Returns the OS file descriptor (Python: {@code socket.fileno()}).
     *
     * @return the descriptor, or {@code -1} once closed or when the engine cannot learn it
     */
    int fileno();

    /**
     * Tells whether the endpoint is still open.
     *
     * @return {@code false} once {@link #close()} has run
     */
    boolean isOpen();

    /**
     * Opens a waiter for readiness of this endpoint (Python: {@code _ServerSelector()} plus
     * {@code register(self, EVENT_READ)}). One waiter per {@code serve_forever}/{@code handle_request}.
     *
     * @return a new waiter, to be closed by the caller
     * @throws IOException if the endpoint is closed or the waiter cannot be created
     */
    Waiter newWaiter() throws IOException;

    /**
     * Closes the socket (Python: {@code socket.close()}). Idempotent. A waiter blocked on this
     * endpoint is not necessarily woken; callers wake it with {@link Waiter#wakeup()}.
     *
     * @throws IOException if closing fails
     */
    @Override
    void close() throws IOException;
}
