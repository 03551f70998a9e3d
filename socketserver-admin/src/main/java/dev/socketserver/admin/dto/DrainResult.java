package dev.socketserver.admin.dto;

/**
 * Answer of {@code POST /api/servers/{id}/drain}: the server's {@code DrainReport}.
 *
 * @param id the server's id
 * @param finished requests that ended on their own during the drain
 * @param forced requests still running at the deadline, which were interrupted and cut off
 * @param durationMillis how long the drain took, in milliseconds
 */
public record DrainResult(String id, int finished, int forced, long durationMillis) {
}
