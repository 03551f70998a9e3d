package dev.socketserver.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/** What this JVM holds, from /proc/self: open descriptors and live platform threads, for leak checks. */
final class ProcSelf {

    private ProcSelf() {
    }

    /** Open descriptors of this process. */
    static int descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // the directory stream itself holds one
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Live platform threads of this JVM but the virtual-thread scheduler's carriers and the common pool, which the JDK
     * starts and ends on its own (they linger 30 s after a burst). Virtual threads are counted by the
     * server's own stats ({@code activeRequests}, {@code openRequests}).
     */
    static int threads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !CARRIER.matcher(t.getName()).matches()) {
                n++;
            }
        }
        return n;
    }

    private static final java.util.regex.Pattern CARRIER = java.util.regex.Pattern.compile("ForkJoinPool(-\\d+|\\.commonPool)-worker-\\d+");

    /**
     * Polls until {@code value} is at most {@code limit}: descriptors and threads are released just after
     * the request ends (a closing socket, an idle thread's keep-alive), never at an exact instant.
     *
     * @return the last value seen, at most {@code limit} unless the time ran out
     */
    static int settlesAtMost(IntSupplier value, int limit, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int now = value.getAsInt();
        while (now > limit && System.nanoTime() - deadline < 0) {
            Thread.sleep(10); // a poll of a counter with a deadline, not a synchronisation
            now = value.getAsInt();
        }
        return now;
    }
}
