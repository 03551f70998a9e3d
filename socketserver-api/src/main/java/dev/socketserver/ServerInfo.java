package dev.socketserver;

import java.time.Instant;

/**
 * A read-only snapshot of one server, as the admin gateway lists it. Python has no counterpart.
 *
 * @param id stable, URL-safe identifier, unique in the JVM (for example {@code tcp-3})
 * @param name the server's name ({@link BaseServer#setName}); defaults to class and address
 * @param serverClass simple name of the server class, e.g. {@code ThreadingTCPServer}
 * @param mixIn the concurrency mix-in's name: {@code sync}, {@code ThreadingMixIn}, ...
 * @param family the kind of socket
 * @param address {@code host:port}, {@code [v6]:port} or the socket path
 * @param fileno the OS descriptor, or -1 when closed or unknown
 * @param state where the server is in its life
 * @param startedAt when the server was activated, or {@code null} before that
 * @param received connections accepted or datagrams received
 * @param requestsHandled requests that ran through their handler
 * @param activeRequests handlers running now
 * @param errors calls to {@code handleError()}
 * @param datagramsTruncated datagrams cut to {@code maxPacketSize}
 */
public record ServerInfo(
        String id,
        String name,
        String serverClass,
        String mixIn,
        ServerFamily family,
        String address,
        int fileno,
        ServerState state,
        Instant startedAt,
        long received,
        long requestsHandled,
        long activeRequests,
        long errors,
        long datagramsTruncated) {
}
