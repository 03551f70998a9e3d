package dev.socketserver.samples.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * What one load run does. Every limit that could let a run go on is checked here: duration and
 * warm-up at most {@value #MAX_PHASE_S} s each, the connection ramp at most {@value #MAX_RAMP_S} s.
 *
 * @param target where to send (loopback or a Unix path only)
 * @param mode the load pattern
 * @param conns connections (pingpong, connect, idle) or datagram sockets (udp)
 * @param size message size in bytes: {@code size-1} bytes of {@code x} then {@code \n}
 * @param duration measured time (idle: how long the connections are held)
 * @param warmup load that runs before the measured time and is not counted
 * @param window datagrams in flight per socket (udp)
 * @param rampConcurrency connections being opened at once during the ramp (pingpong, idle)
 * @param rampTimeout the longest the ramp may take; then the run goes on with the connections it has
 * @param udpTimeout a datagram not echoed within this counts as lost and is re-sent
 * @param threads selector threads; connections are sharded across them
 * @param serverPid the server's pid for CPU and RSS figures, or -1
 * @param label an optional label printed first on the result line, or {@code null}
 */
public record LoadOptions(LoopbackTarget target, Mode mode, int conns, int size, Duration duration, Duration warmup,
                          int window, int rampConcurrency, Duration rampTimeout, Duration udpTimeout, int threads,
                          long serverPid, String label) {

    /** Upper bound of the measured duration and of the warm-up, in seconds. */
    public static final int MAX_PHASE_S = 120;
    /** Upper bound of the connection ramp, in seconds (10k connections to CPython take ~75 s). */
    public static final int MAX_RAMP_S = 180;

    /** Load patterns, as {@code loadgen.c}'s {@code -m}. */
    public enum Mode {
        /** each connection: send one message, wait for its whole echo, repeat */
        PINGPONG,
        /** each slot: connect, send, read the echo, close, repeat; latency from connect to last byte */
        CONNECT,
        /** connected datagram sockets with a window of datagrams in flight */
        UDP,
        /** open the connections (one echo each) and hold them idle */
        IDLE;

        /** @return the name used on the command line and in the result line */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be pingpong, connect, udp or idle: " + s);
            }
        }
    }

    /** Checks the bounds. */
    public LoadOptions {
        if (target == null || mode == null) {
            throw new IllegalArgumentException("target and mode are required");
        }
        check(conns >= 1 && conns <= 60_000, "conns must be 1..60000");
        check(size >= 1 && size <= (1 << 20), "size must be 1..1048576");
        check(mode != Mode.UDP || (size >= UdpHeader.BYTES && size <= 65_000), "udp size must be 16..65000");
        check(mode != Mode.UDP || !target.isUnix(),
                "udp over a unix datagram socket is not supported: the JDK has no AF_UNIX DatagramChannel");
        check(inRange(duration, 0, MAX_PHASE_S) && !duration.isZero(), "duration must be in (0, " + MAX_PHASE_S + "] s");
        check(inRange(warmup, 0, MAX_PHASE_S), "warmup must be in [0, " + MAX_PHASE_S + "] s");
        check(inRange(rampTimeout, 0, MAX_RAMP_S) && !rampTimeout.isZero(), "ramp timeout must be in (0, " + MAX_RAMP_S + "] s");
        check(inRange(udpTimeout, 0, 60) && !udpTimeout.isZero(), "udp timeout must be in (0, 60] s");
        check(window >= 1 && window <= 4096, "window must be 1..4096");
        check(rampConcurrency >= 1, "ramp concurrency must be at least 1");
        check(threads >= 1 && threads <= 64 && threads <= conns, "threads must be 1..64 and at most conns");
    }

    /**
     * Defaults as {@code loadgen.c}: 1 connection, 64 bytes, 10 s measured after 1 s warm-up, window 1,
     * ramp 4 at a time within 60 s, 200 ms UDP timeout, one selector thread.
     *
     * @param target where to send
     * @param mode the load pattern
     * @return the options
     */
    public static LoadOptions defaults(LoopbackTarget target, Mode mode) {
        return new LoadOptions(target, mode, 1, 64, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 4,
                Duration.ofSeconds(60), Duration.ofMillis(200), 1, -1, null);
    }

    /** @return the hard wall-clock limit of the whole run; past it the generator stops by itself */
    public Duration hardLimit() {
        boolean ramps = mode == Mode.PINGPONG || mode == Mode.IDLE;
        return (ramps ? rampTimeout : Duration.ZERO).plus(warmup).plus(duration).plusSeconds(15);
    }

    /** @param conns the new value @return a copy */
    public LoadOptions withConns(int conns) {
        return new LoadOptions(target, mode, conns, size, duration, warmup, window, rampConcurrency, rampTimeout,
                udpTimeout, threads, serverPid, label);
    }

    /** @param d the new measured duration @param w the new warm-up @return a copy */
    public LoadOptions withTimes(Duration d, Duration w) {
        return new LoadOptions(target, mode, conns, size, d, w, window, rampConcurrency, rampTimeout,
                udpTimeout, threads, serverPid, label);
    }

    /** @param pid the server pid @return a copy */
    public LoadOptions withServerPid(long pid) {
        return new LoadOptions(target, mode, conns, size, duration, warmup, window, rampConcurrency, rampTimeout,
                udpTimeout, threads, pid, label);
    }

    private static boolean inRange(Duration d, long minS, long maxS) {
        return d != null && d.compareTo(Duration.ofSeconds(minS)) >= 0 && d.compareTo(Duration.ofSeconds(maxS)) <= 0;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
