package dev.socketserver.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's CPU time and resident memory from Linux {@code /proc}: {@code utime + stime} from
 * {@code /proc/PID/stat} (all threads, in clock ticks) and {@code VmRSS} from {@code /proc/PID/status}.
 * Returns -1 where {@code /proc} is missing or the process is gone.
 */
public final class ProcStats {

    /** Clock ticks per second: {@code getconf CLK_TCK}, or 100 (Linux's USER_HZ) if that cannot run. */
    public static final long CLK_TCK = clockTicks();

    private ProcStats() {
    }

    /**
     * Returns the CPU time a process used so far.
     *
     * @param pid the process
     * @return user + system time in nanoseconds (tick resolution), or -1
     */
    public static long cpuNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
            return ticks * 1_000_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Returns the resident set size of a process.
     *
     * @param pid the process
     * @return VmRSS in KiB, or -1
     */
    public static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /**
     * Returns the thread count of a process.
     *
     * @param pid the process
     * @return Threads, or -1
     */
    public static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    private static long statusField(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc or the process is gone
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long v = Long.parseLong(out);
                if (v > 0) {
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100; // USER_HZ on every mainstream Linux build
    }
}
