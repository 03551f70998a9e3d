package dev.socketserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the serving loop does after {@code getRequest()} failed because the process (or the system)
 * ran out of descriptors or memory: the listener stays ready, so waiting on it again would return at
 * once and the loop would spin at 100 % of a core for as long as the limit lasts. Instead the loop
 * stops watching the socket for a pause that starts at 1 ms and doubles up to 1 s while accepting keeps
 * failing, and goes back to normal after the first success. Netty and Jetty back off the same way.
 * Python has no counterpart (CPython's {@code serve_forever} spins too).
 *
 * <p>Used by the serving thread only. Logs one WARNING per {@link RepeatedErrors} interval, with the
 * process's descriptor limit.
 */
final class AcceptBackoff {

    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger("dev.socketserver");
    // read while descriptors are left: at the limit, reading /proc needs one that may not be there
    private static final String LIMIT_AT_START = openFilesLimit();

    private final RepeatedErrors repeated;
    private long pauseNanos; // 0: the last accept did not fail for want of resources

    AcceptBackoff(RepeatedErrors repeated) {
        this.repeated = repeated;
    }

    /**
     * {@code getRequest()} failed: a pause follows if it ran out of resources; other failures (a
     * client that reset before accept) are logged at DEBUG and cost nothing, as in CPython.
     *
     * @param serverId for the log line
     * @param e the failure
     */
    void failed(String serverId, IOException e) {
        if (!outOfResources(e)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "getRequest failed on " + serverId + ": " + e); // one line: the peer's doing
            return;
        }
        pauseNanos = pauseNanos == 0 ? FIRST_PAUSE_NANOS : Math.min(pauseNanos * 2, LONGEST_PAUSE_NANOS);
        if (LOG.isLoggable(System.Logger.Level.WARNING)) {
            long held = repeated.admit("accept " + e.getMessage());
            if (held >= 0) {
                warn(serverId + " cannot accept: " + e.getMessage()
                        + " (open files limit " + currentLimit() + "); not accepting for up to "
                        + TimeUnit.NANOSECONDS.toMillis(LONGEST_PAUSE_NANOS) + " ms at a time until descriptors free up"
                        + RepeatedErrors.heldBackNote(held));
            }
        }
    }

    /**
     * Logs, but never lets the logger end the serving loop: at the limit the logger may itself need a
     * descriptor (java.util.logging's first line loads tzdb.dat and threw an Error in a JVM that had not
     * logged before), and losing the line is better than losing the server.
     */
    private static void warn(String message) {
        try {
            LOG.log(System.Logger.Level.WARNING, message);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error logFailed) {
            // nothing to do: the pause still happens
        }
    }

    /** {@code getRequest()} returned a request or nothing: no more pauses. */
    void succeeded() {
        pauseNanos = 0;
    }

    /**
     * Returns how long the loop should stop watching the socket before its next wait.
     *
     * @return the pause, or 0 for none
     */
    long pauseNanos() {
        return pauseNanos;
    }

    /** EMFILE, ENFILE, ENOBUFS, ENOMEM as the JDK words them; retrying at once cannot succeed. */
    static boolean outOfResources(IOException e) {
        String message = e.getMessage();
        return message != null && (message.contains("Too many open files") || message.contains("No buffer space")
                || message.contains("Cannot allocate memory"));
    }

    private static String currentLimit() {
        String now = openFilesLimit();
        return now.equals("unknown") ? LIMIT_AT_START : now;
    }

    /** The soft "Max open files" of this process (Linux), for the warning; "unknown" elsewhere. */
    static String openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                    return words.length > 0 ? words[0] : "unknown";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not mounted (the read itself may fail for want of a descriptor)
        }
        return "unknown";
    }
}
