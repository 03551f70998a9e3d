package dev.socketserver;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.UnixStreamServer}: a stream server on a Unix domain socket path.
 *
 * <p>Better than CPython (decided): {@link #serverClose()} removes the socket file this server
 * created, so the next start does not fail; it never removes a path that is not a socket, nor a
 * socket file created by someone else since. The client address of an accepted connection is an
 * empty path, as Python's {@code ''}. Linux abstract names are not supported by NIO stream sockets.
 *
 * <p>Over an inherited socket (systemd's {@code ListenStream=/run/app.sock}), the constructors that
 * take a {@link Channel} serve it as {@link TCPServer#TCPServer(Channel, Supplier, MixIn, boolean)}
 * does; the socket file then belongs to whoever created it, and {@link #serverClose()} leaves it.
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
     * A synchronous Unix stream server over an inherited socket; see {@link TCPServer#TCPServer(Channel, Supplier)}.
     *
     * @param listening a bound, listening Unix stream socket; the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is not a listening Unix stream socket; it is left as it was
     */
    public UnixStreamServer(Channel listening,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory) throws IOException {
        this(listening, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * A Unix stream server over an inherited socket, with a mix-in; see {@link TCPServer#TCPServer(Channel, Supplier)}.
     *
     * @param listening a bound, listening Unix stream socket; the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is not a listening Unix stream socket; it is left as it was
     */
    public UnixStreamServer(Channel listening,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                            MixIn mixIn) throws IOException {
        this(listening, handlerFactory, mixIn, true);
    }

    /**
     * A Unix stream server over an inherited socket, with Python's {@code bind_and_activate}; see
     * {@link TCPServer#TCPServer(Channel, Supplier, MixIn, boolean)}.
     *
     * @param listening a bound, listening Unix stream socket; the server owns it from now on
     * @param handlerFactory makes one handler per connection
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} to set options first
     * @throws IOException if the socket cannot be configured (it is closed then)
     * @throws IllegalArgumentException if it is not a listening Unix stream socket; it is left as it was
     */
    public UnixStreamServer(Channel listening,
                            Supplier<? extends BaseRequestHandler<Connection>> handlerFactory,
                            MixIn mixIn, boolean bindAndActivate) throws IOException {
        super(ListeningChannel.check(listening, ServerFamily.UNIX_STREAM, "UnixStreamServer"), handlerFactory, mixIn,
                bindAndActivate, ServerFamily.UNIX_STREAM);
    }

    /**
     * Python: {@code server_address}, the socket's path: typed as a {@link UnixDomainSocketAddress}, so
     * no cast is needed ({@code server.serverAddress().getPath()}).
     *
     * @return the path
     */
    @Override
    public UnixDomainSocketAddress serverAddress() {
        return (UnixDomainSocketAddress) super.serverAddress(); // the constructors take nothing else (an inherited socket is checked)
    }

    /** Binds, then remembers the socket file it created so {@link #serverClose()} can remove it. */
    @Override
    public void serverBind() throws IOException {
        super.serverBind();
        if (inheritedSocket()) {
            return; // the socket file is its creator's (systemd removes it itself)
        }
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
