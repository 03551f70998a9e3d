package dev.socketserver;

/** Where a server is in its life. Python tracks none of this; the admin gateway reports it. */
public enum ServerState {
    /** Constructed but not yet activated (Python: before {@code server_activate()}). */
    CREATED,
    /** Inside {@code serveForever()} or {@code handleRequest()}. */
    SERVING,
    /** Activated and open, with no loop running. */
    IDLE,
    /** {@code shutdown()} was called and the loop has not returned yet. */
    SHUTTING_DOWN,
    /**
     * {@code drain()} runs: health checks report it, queued and running requests are still answered,
     * and it ends in {@link #CLOSED}. No CPython counterpart.
     */
    DRAINING,
    /** {@code serverClose()} has run; the socket is closed. */
    CLOSED
}
