package dev.socketserver;

import java.net.SocketAddress;

/**
 * Python: {@code socketserver.BaseRequestHandler}: one instance per request; the server calls
 * {@link #setup()}, then {@link #handle()}, then {@link #finish()}.
 *
 * <p>Give the server a factory, usually the constructor reference: {@code new TCPServer(address,
 * MyHandler::new)}. As in CPython, {@code finish()} runs even when {@code handle()} throws, and is
 * skipped when {@code setup()} throws. When both {@code handle()} and {@code finish()} throw, the
 * exception from {@code finish()} wins and carries the first as suppressed (Python: as context).
 *
 * @param <R> the request type: {@link Connection} for stream servers,
 *     {@code DatagramRequest} for datagram servers
 */
public abstract class BaseRequestHandler<R> {

    private R request;
    private SocketAddress clientAddress;
    private BaseServer<R> server;

    /** For subclasses; the server sets the request, address and server before {@link #setup()}. */
    protected BaseRequestHandler() {
    }

    /**
     * Python: {@code setup()}: called before {@link #handle()}. Does nothing by default.
     *
     * @throws Exception to fail the request; {@code handle()} and {@code finish()} are then skipped
     */
    protected void setup() throws Exception {
    }

    /**
     * Python: {@code handle()}: does the work of the request. Does nothing by default.
     *
     * @throws Exception passed to the server's {@code handleError}
     */
    protected void handle() throws Exception {
    }

    /**
     * Python: {@code finish()}: called after {@link #handle()}, even when it threw. Does nothing by default.
     *
     * @throws Exception passed to the server's {@code handleError}
     */
    protected void finish() throws Exception {
    }

    /**
     * Python: {@code self.request}: the {@link Connection} (stream servers) or the datagram
     * request (datagram servers).
     *
     * @return the request
     */
    public final R request() {
        return request;
    }

    /**
     * Python: {@code self.client_address}: the client's address as {@code getRequest()} returned it.
     *
     * @return the address; {@code null} for an unbound Unix datagram client
     */
    public final SocketAddress clientAddress() {
        return clientAddress;
    }

    /**
     * Python: {@code self.server}: the server handling this request.
     *
     * @return the server
     */
    public final BaseServer<R> server() {
        return server;
    }

    /** Python: {@code BaseRequestHandler.__init__}: the whole life of a handler. */
    final void run(R request, SocketAddress clientAddress, BaseServer<R> server) throws Exception {
        if (this.server != null) {
            throw new IllegalStateException(getClass().getName()
                    + " instance was used twice; the handler factory must return a new handler per request");
        }
        this.request = request;
        this.clientAddress = clientAddress;
        this.server = server;
        setup();
        Throwable failure = null;
        try {
            handle();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                finish();
            } catch (Throwable t) {
                if (failure != null) {
                    t.addSuppressed(failure);
                }
                throw t;
            }
        }
    }
}
