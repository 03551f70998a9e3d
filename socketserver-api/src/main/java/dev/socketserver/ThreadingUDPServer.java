package dev.socketserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.ThreadingUDPServer}, i.e. {@code (ThreadingMixIn, UDPServer)}: a UDP
 * server that handles each datagram on a new platform thread. Datagrams are still received one at
 * a time on the serving thread; only the handlers run in parallel.
 */
@SuppressWarnings("this-escape")
public class ThreadingUDPServer extends UDPServer {

    /**
     * Creates, binds and activates the server with a default {@link ThreadingMixIn}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUDPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory) throws IOException {
        this(serverAddress, handlerFactory, new ThreadingMixIn(), true);
    }

    /**
     * Python's {@code bind_and_activate}, with a default {@link ThreadingMixIn}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUDPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                              boolean bindAndActivate) throws IOException {
        this(serverAddress, handlerFactory, new ThreadingMixIn(), bindAndActivate);
    }

    /**
     * With a configured mix-in, e.g. {@code new ThreadingMixIn().setDaemonThreads(true)}.
     *
     * @param serverAddress the address; port 0 picks a free port
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the mix-in, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUDPServer(InetSocketAddress serverAddress,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                              ThreadingMixIn mixIn, boolean bindAndActivate) throws IOException {
        super(serverAddress, handlerFactory, mixIn, bindAndActivate);
    }

    @Override
    public ThreadingMixIn mixIn() {
        return (ThreadingMixIn) super.mixIn();
    }
}
