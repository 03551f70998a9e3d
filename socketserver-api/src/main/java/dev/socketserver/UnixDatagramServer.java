package dev.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/**
 * Python: {@code socketserver.UnixDatagramServer}: a datagram server on a Unix domain socket.
 *
 * <p>The address is a {@link UnixDomainSocketAddress} (a path), or on Linux an
 * {@link AbstractUnixAddress} (Python's {@code '\0name'}). An empty path autobinds to a fresh
 * abstract name, as Python's {@code bind('')}; {@link #serverAddress()} then tells the name. A
 * client's address is a path, an abstract name, or {@code null} when the client's socket is not
 * bound (Python: {@code None}); a reply to such a client fails in {@code handleError}, as in CPython.
 *
 * <p><b>Native access.</b> NIO cannot open Unix datagram sockets, so the engine binds
 * {@code socket/bind/poll/recvfrom/sendto} through the Foreign Function &amp; Memory API. The
 * native binding loads only when the first Unix datagram server is created; the JVM then needs
 * {@code --enable-native-access=dev.socketserver.impl} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path), else JDK 25 prints a warning (and a later
 * JDK, or {@code --illegal-native-access=deny}, refuses). TCP, UDP and Unix stream servers need no
 * flag. Linux only (x86-64 and AArch64 share the constants used).
 *
 * <p>Better than CPython (decided): {@link #serverClose()} removes the socket file this server
 * created, so the next start does not fail; it never removes a path that is not a socket, nor a
 * socket file someone else bound since. Binding to a path that exists, or whose directory does not
 * exist, fails with an exception that names the path, and deletes nothing. No blocking native call
 * ever runs on a virtual thread: waiting happens on the serving platform thread (or on a helper
 * platform thread when {@code serveForever()} itself runs on a virtual thread), and sends never
 * wait for the kernel.
 */
@SuppressWarnings("this-escape")
public class UnixDatagramServer extends UDPServer {

    private volatile UnixSocketFile socketFile;

    /**
     * Python: {@code UnixDatagramServer(path, RequestHandlerClass)}: a synchronous server.
     *
     * @param address a {@link UnixDomainSocketAddress} that must not exist yet, or an
     *     {@link AbstractUnixAddress} (Linux)
     * @param handlerFactory makes one handler per datagram
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     * @throws IllegalArgumentException if the address is neither kind
     */
    public UnixDatagramServer(SocketAddress address,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory)
            throws IOException {
        this(address, handlerFactory, MixIn.synchronous(), true);
    }

    /**
     * A Unix datagram server with a mix-in.
     *
     * @param address a {@link UnixDomainSocketAddress} or an {@link AbstractUnixAddress}
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the concurrency policy, one instance per server
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     * @throws IllegalArgumentException if the address is neither kind
     */
    public UnixDatagramServer(SocketAddress address,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                              MixIn mixIn) throws IOException {
        this(address, handlerFactory, mixIn, true);
    }

    /**
     * A Unix datagram server with a mix-in and Python's {@code bind_and_activate}.
     *
     * @param address a {@link UnixDomainSocketAddress} or an {@link AbstractUnixAddress}
     * @param handlerFactory makes one handler per datagram
     * @param mixIn the concurrency policy, one instance per server
     * @param bindAndActivate {@code false} leaves the socket unbound so options can be set first
     * @throws IOException if the socket cannot be created or bound; nothing is left open
     * @throws IllegalArgumentException if the address is neither kind
     */
    public UnixDatagramServer(SocketAddress address,
                              Supplier<? extends BaseRequestHandler<DatagramRequest>> handlerFactory,
                              MixIn mixIn, boolean bindAndActivate) throws IOException {
        super(requireUnix(address), handlerFactory, mixIn, bindAndActivate, StandardProtocolFamily.UNIX,
                ServerFamily.UNIX_DATAGRAM);
    }

    /**
     * Python: {@code server_address} of a server bound to a path (most are), typed, so that no cast is
     * needed: {@code server.socketPath().getPath()}. {@link #serverAddress()} stays a {@link SocketAddress}:
     * it may also be an {@link AbstractUnixAddress} (Linux), which a {@link UnixDomainSocketAddress} cannot
     * hold.
     *
     * @return the path
     * @throws UnsupportedOperationException if the server is bound to an abstract name; then
     *     {@link #serverAddress()} is an {@link AbstractUnixAddress}
     */
    public UnixDomainSocketAddress socketPath() {
        if (serverAddress() instanceof UnixDomainSocketAddress path) {
            return path;
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is bound to the abstract name "
                + serverAddress() + ", not a path");
    }

    /** Binds, then remembers the socket file it created so {@link #serverClose()} can remove it. */
    @Override
    public void serverBind() throws IOException {
        super.serverBind();
        if (serverAddress() instanceof UnixDomainSocketAddress path) {
            socketFile = UnixSocketFile.created(path.getPath());
        }
    }

    @Override
    void endpointClosed() {
        UnixSocketFile file = socketFile;
        if (file != null) {
            file.remove();
        }
    }

    private static SocketAddress requireUnix(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress || address instanceof AbstractUnixAddress) {
            return address;
        }
        throw new IllegalArgumentException("a UnixDatagramServer binds a UnixDomainSocketAddress or an "
                + "AbstractUnixAddress, not " + address + (address == null ? "" : " (" + address.getClass().getSimpleName()
                + "; use UDPServer for IP addresses)"));
    }
}
