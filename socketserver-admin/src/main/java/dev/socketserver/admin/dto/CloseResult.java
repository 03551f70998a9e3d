package dev.socketserver.admin.dto;

/**
 * Answer of {@code POST /api/servers/{id}/close}.
 *
 * @param id the server's id
 * @param handlersFinished whether no handler thread was left running within the wait
 * @param state the server's state afterwards ({@code CLOSED})
 */
public record CloseResult(String id, boolean handlersFinished, String state) {
}
