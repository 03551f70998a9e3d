package dev.socketserver.admin.dto;

/**
 * Every error the gateway answers: never a stack trace.
 *
 * @param error a short machine-readable code, e.g. {@code not_found}, {@code busy}
 * @param message a sentence for humans
 */
public record ErrorBody(String error, String message) {
}
