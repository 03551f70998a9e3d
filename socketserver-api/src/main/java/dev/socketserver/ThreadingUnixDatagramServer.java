package dev.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.ThreadingUnixDatagramServer}, i.e. {@code (ThreadingMixIn,
 * UnixDatagramServer)}: a Unix datagram server that handles each datagram on a new platform thread.
 * Datagrams are still received one at a time on the serving thread. Needs native access, see
 * {@link UnixDatagramServer}.
 */
@SuppressWarnings("this-escape")
public class ThreadingUnixDatagramServer extends UnixDatagramServer {

    /**
     * Creates, binds and activates the server with a default {@link ThreadingMixIn}.
     *
     * @param address a {@link java.net.UnixDomainSocketAddress} that must not exist yet, or an
     *     {@link AbstractUnixAddress} (Linux)
     * @param handlerFactory makes one handler per datagram
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUnixDatagramServer(SocketAddress address,
                                       Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory)
            throws IOException {
        this(address, handlerFactory, new ThreadingMixIn(), true);
    }

    /**
     * With a configured mix-in and Python's {@code bind_and_activate}.
     *
     * @param address a {@link java.net.UnixDomainSocketAddress} or an {@link AbstractUnixAddress}
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the mix-in, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUnixDatagramServer(SocketAddress address,
                                       Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                                       ThreadingMixIn mixIn, boolean bindAndActivate) throws IOException {
        super(address, handlerFactory, mixIn, bindAndActivate);
    }

    @Override
    public ThreadingMixIn mixIn() {
        return (ThreadingMixIn) super.mixIn();
    }
}
