package dev.socketserver;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.ThreadingUnixStreamServer}, i.e. {@code (ThreadingMixIn,
 * UnixStreamServer)}: a Unix stream server that handles each connection on a new platform thread.
 */
@SuppressWarnings("this-escape")
public class ThreadingUnixStreamServer extends UnixStreamServer {

    /**
     * Creates, binds and activates the server with a default {@link ThreadingMixIn}.
     *
     * @param path the socket path; must not exist yet
     * @param handlerFactory makes one handler per connection
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUnixStreamServer(UnixDomainSocketAddress path,
                                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory)
            throws IOException {
        this(path, handlerFactory, new ThreadingMixIn(), true);
    }

    /**
     * With a configured mix-in and Python's {@code bind_and_activate}.
     *
     * @param path the socket path; must not exist yet
     * @param handlerFactory makes one handler per connection
     * @param mixIn the mix-in, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public ThreadingUnixStreamServer(UnixDomainSocketAddress path,
                                     Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                                     ThreadingMixIn mixIn, boolean bindAndActivate) throws IOException {
        super(path, handlerFactory, mixIn, bindAndActivate);
    }

    @Override
    public ThreadingMixIn mixIn() {
        return (ThreadingMixIn) super.mixIn();
    }
}
