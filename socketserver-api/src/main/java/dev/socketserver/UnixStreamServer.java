package dev.socketserver;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.UnixStreamServer}: a stream server on a Unix domain socket path.
 *
 * <p>Better than CPython (decided): {@link #serverClose()} removes the socket file this server
 * created, so the next start does not fail; it never removes a path that is not a socket, nor a
 * socket file created by someone else since. The client address of an accepted connection is an
 * empty path, as Python's {@code ''}. Linux abstract names are not supported by NIO stream sockets.
 */
@SuppressWarnings("this-escape")
public class UnixStreamServer extends TCPServer {

    private volatile UnixSocketFile socketFile;

    /**
     * Python: {@code UnixStreamServer(path, RequestHandlerClass)}: a synchronous server.
     *
     * @param path the socket path; must not exist yet
     * @param handlerFactory makes one handler per connection
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UnixStreamServer(UnixDomainSocketAddress path,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory) throws IOException {
        this(path, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * A Unix stream server with a mix-in.
     *
     * @param path the socket path; must not exist yet
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UnixStreamServer(UnixDomainSocketAddress path,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                            MixIn mixIn) throws IOException {
        this(path, handlerFactory, mixIn, true);
    }

    /**
     * A Unix stream server with a mix-in and Python's {@code bind_and_activate}.
     *
     * @param path the socket path; must not exist yet
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     */
    public UnixStreamServer(UnixDomainSocketAddress path,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                            MixIn mixIn, boolean bindAndActivate) throws IOException {
        super(path, handlerFactory, mixIn, bindAndActivate, StandardProtocolFamily.UNIX, ServerFamily.UNIX_STREAM);
    }

    /**
     * Python: {@code server_address}, the socket's path: typed as a {@link UnixDomainSocketAddress}, so
     * no cast is needed ({@code server.serverAddress().getPath()}).
     *
     * @return the path
     */
    @Override
    public UnixDomainSocketAddress serverAddress() {
        return (UnixDomainSocketAddress) super.serverAddress(); // the constructors take nothing else
    }

    /** Binds, then remembers the socket file it created so {@link #serverClose()} can remove it. */
    @Override
    public void serverBind() throws IOException {
        super.serverBind();
        socketFile = UnixSocketFile.created(serverAddress().getPath());
    }

    @Override
    void endpointClosed() {
        UnixSocketFile file = socketFile;
        if (file != null) {
            file.remove();
        }
    }
}
