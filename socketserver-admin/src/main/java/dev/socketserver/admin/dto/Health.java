package dev.socketserver.admin.dto;

/**
 * Answer of {@code GET /health}.
 *
 * @param status {@code UP} (HTTP 200) while serving, {@code draining} (HTTP 503) while a server of the
 *     registry drains or after {@code AdminGateway.markDraining()}
 */
public record Health(String status) {
}
