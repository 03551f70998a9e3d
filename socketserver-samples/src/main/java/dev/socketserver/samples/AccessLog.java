package dev.socketserver.samples;

import dev.socketserver.Connection;

import java.io.PrintStream;
import java.net.SocketAddress;

/**
 * {@code samples echo --access-log}: one line per connection on standard output as its handler
 * starts, {@code access client=ADDRESS proxy=ADDRESS}, where {@code client} is the handler's
 * {@code clientAddress()} (the original client behind a proxy that sends a PROXY header) and
 * {@code proxy} the proxy's own address ({@code -} without a header), as {@code whoami} reports them.
 * Lets a test behind HAProxy check which clients the handlers really saw.
 *
 * @param out where the lines go
 */
record AccessLog(PrintStream out) {

    /**
     * Logs a connection whose handler starts.
     *
     * @param client the handler's {@code clientAddress()}
     * @param connection the connection, for the proxy's address
     */
    void connection(SocketAddress client, Connection connection) {
        SocketAddress proxy = connection.proxyAddress();
        String line = "access client=" + Serving.format(client) + " proxy=" + (proxy == null ? "-" : Serving.format(proxy));
        synchronized (out) { // whole lines from concurrent handlers, each out at once for a reader of the pipe
            out.println(line);
            out.flush();
        }
    }
}
