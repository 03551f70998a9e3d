package dev.socketserver;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link BaseServer#drain(Duration, Duration)} did: how many requests finished on their own
 * while it waited, how many it had to stop at the deadline, and how long it took. CPython has no
 * counterpart (its servers stop with {@code shutdown()} and {@code server_close()} only); Jetty's
 * {@code Graceful} and Netty's {@code shutdownGracefully} are the models.
 *
 * @param finished requests that ended on their own during the drain: those running when it began,
 *     those accepted during its grace period, and those still queued when accepting stopped
 * @param forced requests still running at the deadline, whose threads were interrupted and whose
 *     connections were closed
 * @param duration from the call to the return
 */
public record DrainReport(int finished, int forced, Duration duration) {

    /**
     * Checks the figures.
     *
     * @param finished requests that ended on their own, at least 0
     * @param forced requests stopped at the deadline, at least 0
     * @param duration how long the drain took, not negative
     */
    public DrainReport {
        if (finished < 0 || forced < 0) {
            throw new IllegalArgumentException("counts must not be negative: finished=" + finished + " forced=" + forced);
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
    }

    /**
     * Whether every request finished on its own.
     *
     * @return {@code true} if none was forced
     */
    public boolean clean() {
        return forced == 0;
    }

    /**
     * The launcher's closing line: {@code drained finished=<n> forced=<n>}.
     *
     * @return the line, without a line break
     */
    @Override
    public String toString() {
        return "drained finished=" + finished + " forced=" + forced + " duration=" + duration.toMillis() + "ms";
    }
}
