package dev.socketserver.admin.internal;

/**
 * A failure with a known HTTP status, rendered by {@link ErrorMapping} as
 * {@code {"error": code, "message": message}}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    /**
     * Creates the failure.
     *
     * @param status the HTTP status
     * @param code the machine-readable code
     * @param message the human-readable message
     */
    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the machine-readable code.
     *
     * @return the code
     */
    public String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }
}
