package dev.socketserver.admin.dto;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerInfo;

import java.time.Instant;

/**
 * One server as {@code GET /api/servers} lists it: the api's {@link ServerInfo} snapshot with the
 * family as its short label and the {@code dropped} counter added.
 *
 * @param id stable, URL-safe id, e.g. {@code tcp-3}
 * @param name the server's name
 * @param serverClass simple name of the server class
 * @param mixIn name of the concurrency mix-in
 * @param family {@code tcp}, {@code udp}, {@code unix-stream} or {@code unix-datagram}
 * @param address {@code host:port}, {@code [v6]:port} or the socket path
 * @param fileno the OS descriptor, -1 when closed or unknown
 * @param state {@code CREATED}, {@code SERVING}, {@code IDLE}, {@code SHUTTING_DOWN}, {@code DRAINING} or {@code CLOSED}
 * @param startedAt when the server was activated (ISO-8601), or null
 * @param received connections accepted or datagrams received
 * @param requestsHandled requests that ran through their handler
 * @param activeRequests handlers running now
 * @param errors calls to {@code handleError()}
 * @param datagramsTruncated datagrams cut to {@code maxPacketSize}
 * @param dropped requests received but never given to a handler
 */
public record ServerView(
        String id,
        String name,
        String serverClass,
        String mixIn,
        String family,
        String address,
        int fileno,
        String state,
        Instant startedAt,
        long received,
        long requestsHandled,
        long activeRequests,
        long errors,
        long datagramsTruncated,
        long dropped) {

    /**
     * Takes a snapshot of a server.
     *
     * @param server the server
     * @return its view
     */
    public static ServerView of(BaseServer<?> server) {
        ServerInfo i = server.info();
        return new ServerView(i.id(), i.name(), i.serverClass(), i.mixIn(), i.family().label(), i.address(),
                i.fileno(), i.state().name(), i.startedAt(), i.received(), i.requestsHandled(), i.activeRequests(),
                i.errors(), i.datagramsTruncated(), server.stats().dropped());
    }
}
