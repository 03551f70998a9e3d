package dev.socketserver.admin;

import dev.socketserver.BaseServer;

/**
 * Told how long each request of a server took, for the request-duration histogram
 * ({@link RequestDurationHistograms}).
 *
 * <p>The api does not call it yet: {@code ServerStats} only keeps totals. Until it does, an application
 * that wants the histogram calls it itself, for example from its server's {@code finishRequest}:
 *
 * <pre>{@code
 * RequestDurationListener durations = gateway.requestDurations();
 * TCPServer server = new TCPServer(address, Echo::new) {
 *     protected void finishRequest(SocketChannel request, SocketAddress client) throws Exception {
 *         long start = System.nanoTime();
 *         try {
 *             super.finishRequest(request, client);
 *         } finally {
 *             durations.requestFinished(this, System.nanoTime() - start);
 *         }
 *     }
 * };
 * }</pre>
 *
 * Implementations must be thread-safe and fast: they run on the request's thread.
 */
@FunctionalInterface
public interface RequestDurationListener {

    /**
     * One request of a server finished, normally or not.
     *
     * @param server the server that ran it
     * @param nanos how long {@code finishRequest} took, in nanoseconds
     */
    void requestFinished(BaseServer<?> server, long nanos);
}
