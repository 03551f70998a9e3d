package dev.socketserver;

import java.net.SocketAddress;

/**
 * The one kind of {@link RequestJob}: a request of a {@link BaseServer} with its client's address.
 *
 * @param <R> the server's request type
 */
final class ServerJob<R> extends RequestJob {

    private final BaseServer<R> server;
    private final R request;
    private final SocketAddress clientAddress;
    volatile Thread thread; // while it runs: for a drain that must interrupt it

    ServerJob(BaseServer<R> server, R request, SocketAddress clientAddress) {
        this.server = server;
        this.request = request;
        this.clientAddress = clientAddress;
    }

    R request() {
        return request;
    }

    @Override
    public String serverId() {
        return server.id();
    }

    @Override
    public SocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    void runRequest() {
        server.runJob(this);
    }

    @Override
    void abandonRequest(Throwable cause) {
        server.abandonJob(request, clientAddress, cause);
    }

    @Override
    void ended() {
        server.jobEnded();
    }

    @Override
    public String toString() {
        return "request from " + Addresses.format(clientAddress) + " to " + server.id();
    }
}
