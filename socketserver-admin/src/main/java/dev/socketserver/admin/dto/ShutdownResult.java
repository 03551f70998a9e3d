package dev.socketserver.admin.dto;

/**
 * Answer of {@code POST /api/servers/{id}/shutdown}.
 *
 * @param id the server's id
 * @param wasServing whether a serving loop was running when the call came
 * @param loopEnded whether no loop is running any more (false: the loop did not end within the wait,
 *     e.g. a synchronous server still inside a long request; it ends after that request)
 * @param state the server's state afterwards
 */
public record ShutdownResult(String id, boolean wasServing, boolean loopEnded, String state) {
}
