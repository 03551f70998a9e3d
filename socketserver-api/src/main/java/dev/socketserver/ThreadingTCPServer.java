package dev.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.ThreadingTCPServer}, i.e. {@code (ThreadingMixIn, TCPServer)}: a TCP
 * server that handles each connection on a new platform thread.
 */
@SuppressWarnings("this-escape")
public class ThreadingTCPServer extends TCPServer {

    /**
     * Creates, binds and activates the server with a default {@link ThreadingMixIn}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingTCPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<Connection>> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, new ThreadingMixIn(), true);
    }

    /**
     * Python's {@code bind_and_activate}, with a default {@link ThreadingMixIn}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingTCPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                              boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, new ThreadingMixIn(), bindAndActivate);
    }

    /**
     * With a configured mix-in, e.g. {@code new ThreadingMixIn().setDaemonThreads(true)}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per connection
     * @param mixIn the mix-in, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingTCPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                              ThreadingMixIn mixIn, boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, mixIn, bindAndActivate);
    }

    @Override
    public ThreadingMixIn mixIn() {
        return (ThreadingMixIn) super.mixIn();
    }
}
