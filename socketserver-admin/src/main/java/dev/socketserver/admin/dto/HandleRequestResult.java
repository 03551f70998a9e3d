package dev.socketserver.admin.dto;

/**
 * Answer of {@code POST /api/servers/{id}/handle-request}.
 *
 * @param id the server's id
 * @param handled whether a request was received and handled
 * @param outcome {@code handled}; {@code timed_out} when no request came within the timeout;
 *     {@code closed} when the server was closed meanwhile; {@code no_request} when the socket became
 *     ready but the request went away before it was taken
 * @param timeout the timeout that was used, ISO-8601
 * @param elapsed how long {@code handleRequest} ran, ISO-8601
 * @param state the server's state afterwards
 */
public record HandleRequestResult(String id, boolean handled, String outcome, String timeout, String elapsed,
                                  String state) {
}
