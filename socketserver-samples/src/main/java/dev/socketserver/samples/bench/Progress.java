package dev.socketserver.samples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A line about once a second while {@code samples bench} runs, for a person watching a terminal:
 * elapsed time, phase, connections ready, requests so far, the rate over the last interval and
 * errors. It goes to standard error, never to standard output, whose single result line scripts
 * parse; {@link BenchCommand} turns it on only when standard error is a terminal, or with
 * {@code --progress on}.
 */
final class Progress {

    /**
     * The counters at one moment.
     *
     * @param elapsedS seconds since the run started
     * @param phase ramp, warm-up, measure, holding or done
     * @param reqsAll requests completed so far, warm-up included
     * @param errors errors so far
     * @param ready connections that completed their first echo
     * @param conns connections asked for
     */
    record Snapshot(double elapsedS, String phase, long reqsAll, long errors, int ready, int conns) {
    }

    private final PrintStream out;
    private Snapshot last;

    /** @param out where the lines go (standard error) */
    Progress(PrintStream out) {
        this.out = out;
    }

    /** @param now the counters now; the rate is taken against the previous call */
    void tick(Snapshot now) {
        out.println(line(last, now));
        out.flush();
        last = now;
    }

    /**
     * @param before the previous snapshot, or {@code null} for the first line
     * @param now this one
     * @return the progress line
     */
    static String line(Snapshot before, Snapshot now) {
        double dt = before == null ? now.elapsedS() : now.elapsedS() - before.elapsedS();
        long dReqs = now.reqsAll() - (before == null ? 0 : before.reqsAll());
        String rate = dt > 0 ? ResultTable.count(dReqs / dt) + "/s" : "-";
        return String.format(Locale.ROOT, "bench %6.1f s  %-8s ready %d/%d  reqs %s  rate %s  errors %d",
                now.elapsedS(), now.phase(), now.ready(), now.conns(), ResultTable.count(now.reqsAll()), rate, now.errors());
    }

    /**
     * Whether standard error is a terminal. Linux only, as the rest of the bench (it reads /proc): the
     * JDK can only tell whether standard input and output both are ({@code Console.isTerminal()}),
     * and a person who sends the result line to a file still wants to see the progress.
     *
     * @return true if file descriptor 2 is a tty or pty
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
