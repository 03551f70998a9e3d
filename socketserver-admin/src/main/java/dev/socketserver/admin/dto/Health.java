package dev.socketserver.admin.dto;

/**
 * Answer of {@code GET /health}.
 *
 * @param status always {@code UP} while the gateway answers
 */
public record Health(String status) {
}
