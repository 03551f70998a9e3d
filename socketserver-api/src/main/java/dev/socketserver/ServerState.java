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
    /** {@code serverClose()} has run; the socket is closed. */
    CLOSED
}
