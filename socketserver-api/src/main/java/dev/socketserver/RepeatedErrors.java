package dev.socketserver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval for each kind of repeated failure and counts the rest, so a
 * flood of identical failures (a client resetting thousands of connections, a reader that never
 * drains its socket) costs one line per interval instead of one per request. Python has no
 * counterpart: CPython prints every traceback.
 *
 * <p>Two failures are "identical" when they have the same kind, the same exception type and were
 * thrown at the same place: messages differ from client to client (addresses, sizes), the place does not.
 */
final class RepeatedErrors {

    /** How often a line for the same failure may be written. */
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** More distinct failures than this are forgotten at once rather than kept without bound. */
    private static final int MAX_KEYS = 1024;

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    RepeatedErrors() {
        this(System::nanoTime);
    }

    /** With another clock, for tests: nanoseconds, as {@link System#nanoTime()}. */
    RepeatedErrors(LongSupplier clock) {
        this.clock = clock;
    }

    /** One failure's interval: when its last line was written and how many were held back since. */
    private static final class Window {
        private long lastLineNanos;
        private long heldBack;

        Window(long lastLineNanos) {
            this.lastLineNanos = lastLineNanos;
        }
    }

    /**
     * Decides whether a failure gets a line now.
     *
     * @param key the failure's key, from {@link #keyOf}
     * @return -1 to hold the line back (it is counted); otherwise how many identical failures were held
     *     back since the last line, to be said in this one
     */
    long admit(String key) {
        long now = clock.getAsLong();
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            windows.clear();
        }
        Window window = windows.computeIfAbsent(key, k -> new Window(now - INTERVAL_NANOS));
        synchronized (window) {
            if (now - window.lastLineNanos >= INTERVAL_NANOS) {
                long held = window.heldBack;
                window.lastLineNanos = now;
                window.heldBack = 0;
                return held;
            }
            window.heldBack++;
            return -1;
        }
    }

    /**
     * The key of a failure: its kind, its type and where it was thrown, and the same of its root cause.
     *
     * @param kind the failure's kind
     * @param error the failure
     * @return the key
     */
    static String keyOf(Object kind, Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return kind + " " + place(error) + (root == error ? "" : " <- " + place(root));
    }

    private static String place(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return t.getClass().getName() + (trace.length > 0 ? "@" + trace[0] : "");
    }

    /**
     * The words added to a line that stands for held-back ones.
     *
     * @param heldBack what {@link #admit} returned
     * @return an empty string, or e.g. {@code " (and 41 more like it in the last 10 s, not logged)"}
     */
    static String heldBackNote(long heldBack) {
        return heldBack <= 0 ? "" : " (and " + heldBack + " more like it since the last such line, not logged: "
                + "identical failures are logged once per " + TimeUnit.NANOSECONDS.toSeconds(INTERVAL_NANOS) + " s)";
    }
}
