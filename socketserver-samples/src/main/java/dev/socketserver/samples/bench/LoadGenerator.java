package dev.socketserver.samples.bench;

import dev.socketserver.samples.bench.LoadOptions.Mode;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load generator for echo servers, written with non-blocking NIO: the Java counterpart of
 * {@code ../shared/bench/loadgen.c}, with the same modes, message format, phases and result line.
 *
 * <ul>
 *   <li>{@code pingpong}: each connection sends one message and waits for its whole echo before the next.</li>
 *   <li>{@code connect}: each slot connects, sends one message, reads the echo, closes, and starts again;
 *       latency runs from {@code connect()} to the last echoed byte.</li>
 *   <li>{@code udp}: connected datagram sockets, each keeping up to {@code window} datagrams in flight;
 *       one not echoed in time counts as lost and is re-sent.</li>
 *   <li>{@code idle}: opens the connections (one echo each), prints {@code READY n} to the log, records the
 *       server's RSS while it holds them for the duration, then closes them.</li>
 * </ul>
 *
 * <p>Phases: a ramp (pingpong and idle: connections are opened {@code rampConcurrency} at a time and each
 * must complete one echo; capped by {@code rampTimeout}), then an uncounted warm-up, then the measured
 * duration. All of them are bounded, and a watchdog stops the run at {@link LoadOptions#hardLimit()}.
 *
 * <p>By default one selector thread does everything (as the C generator); with {@code threads > 1} the
 * connections are sharded across that many selector threads, each with its own histogram and counters,
 * merged at the end. Targets are loopback or Unix paths only ({@link LoopbackTarget}).
 */
public final class LoadGenerator {

    static final int RAMP = 0;
    static final int WARM = 1;
    static final int MEASURE = 2;
    static final int DONE = 3;

    private final LoadOptions options;
    private final PrintStream log;
    private TlsClient tls;
    private Progress progress;
    private volatile String tlsNegotiated;
    private final AtomicInteger tlsFailuresLogged = new AtomicInteger();

    // the shared timeline, set once when every shard finished its ramp
    private final AtomicInteger shardsRamped = new AtomicInteger();
    private volatile boolean rampDone;
    private volatile long rampEnd;
    private volatile long measureStart;
    private volatile long measureEnd;
    private volatile boolean abort;
    private long t0;

    /**
     * @param options what to run
     * @param log where progress notes go ({@code READY n}, ramp timeouts); usually {@code System.err}
     */
    public LoadGenerator(LoadOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /**
     * Speaks TLS on every stream connection (pingpong, connect, idle); before {@link #run()}.
     *
     * @param client the client side, or {@code null} for plaintext
     * @return this generator
     */
    LoadGenerator tls(TlsClient client) {
        if (client != null && (options.mode() == Mode.UDP || options.target().isUnix())) {
            throw new IllegalArgumentException("TLS is for TCP targets and stream modes only");
        }
        this.tls = client;
        return this;
    }

    /**
     * Reports the counters about once a second while the load runs; before {@link #run()}.
     *
     * @param p the listener, or {@code null} for none
     * @return this generator
     */
    LoadGenerator progress(Progress p) {
        this.progress = p;
        return this;
    }

    /**
     * Runs the load and returns its result. Returns within {@link LoadOptions#hardLimit()} plus a few seconds.
     *
     * @return the result
     * @throws InterruptedException if the calling thread is interrupted; the selector threads are stopped
     */
    public LoadResult run() throws InterruptedException {
        LoadOptions o = options;
        long self = ProcessHandle.current().pid();
        long srvCpu0 = o.serverPid() > 0 ? ProcStats.cpuNanos(o.serverPid()) : -1;
        long selfCpu0 = ProcStats.cpuNanos(self);
        t0 = System.nanoTime();
        if (o.mode() == Mode.CONNECT || o.mode() == Mode.UDP) {
            finishRamp(t0); // no ramp: every slot opens at once
        }
        int n = o.threads();
        List<LoadShard> shards = new ArrayList<>(n);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LoadShard shard = new LoadShard(this, o, tls, i, n, Math.max(1, o.rampConcurrency() / n));
            shards.add(shard);
            threads.add(Thread.ofPlatform().name("loadgen-" + i).daemon(true).start(shard));
        }
        long hardDeadline = t0 + o.hardLimit().toNanos();
        long rssMax = -1;
        long threadsAtMax = -1;
        long nextRssSample = 0;
        long nextProgress = t0 + 1_000_000_000L;
        boolean announced = false;
        try {
            for (Thread t : threads) {
                while (t.isAlive()) {
                    t.join(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    if (o.mode() == Mode.IDLE && rampDone) {
                        if (!announced) {
                            announced = true;
                            log.println("READY " + shards.stream().mapToInt(LoadShard::ready).sum());
                            log.flush();
                        }
                        if (o.serverPid() > 0 && now - nextRssSample >= 0 && phase(now) != DONE) {
                            long rss = ProcStats.rssKib(o.serverPid());
                            if (rss > rssMax) {
                                rssMax = rss;
                                threadsAtMax = ProcStats.threads(o.serverPid());
                            }
                            nextRssSample = now + 1_000_000_000L;
                        }
                    }
                    if (progress != null && now - nextProgress >= 0) {
                        progress.tick(snapshot(shards, now));
                        nextProgress += 1_000_000_000L;
                    }
                    if (now - hardDeadline > 0 && !abort) {
                        abort = true;
                        log.println("loadgen: hard time limit reached, stopping");
                    }
                }
            }
        } finally {
            abort |= threads.stream().anyMatch(Thread::isAlive);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(5));
            }
        }
        long tEnd = System.nanoTime();
        long srvCpu1 = o.serverPid() > 0 ? ProcStats.cpuNanos(o.serverPid()) : -1;
        long selfCpu1 = ProcStats.cpuNanos(self);
        if (o.mode() != Mode.IDLE && o.serverPid() > 0) {
            rssMax = ProcStats.rssKib(o.serverPid());
            threadsAtMax = ProcStats.threads(o.serverPid());
        }
        return result(shards, tEnd, srvCpu0, srvCpu1, selfCpu0, selfCpu1, rssMax, threadsAtMax);
    }

    private LoadResult result(List<LoadShard> shards, long tEnd, long srvCpu0, long srvCpu1,
                              long selfCpu0, long selfCpu1, long rssKib, long threads) {
        LoadOptions o = options;
        LatencyHistogram h = new LatencyHistogram();
        long reqs = 0, reqsAll = 0, errors = 0, lost = 0, late = 0;
        int ready = 0;
        for (LoadShard s : shards) {
            h.add(s.histogram());
            reqs += s.reqs();
            reqsAll += s.reqsAll();
            errors += s.errors();
            lost += s.lost();
            late += s.late();
            ready += s.ready();
        }
        double durS;
        if (!rampDone) {
            durS = 0;
        } else if (o.mode() == Mode.IDLE) {
            durS = (tEnd - rampEnd) / 1e9;
        } else {
            durS = Math.max(0, Math.min(tEnd, measureEnd) - measureStart) / 1e9;
        }
        double wall = (tEnd - t0) / 1e9;
        double lgCpu = selfCpu0 >= 0 && selfCpu1 >= 0 && wall > 0 ? 100.0 * (selfCpu1 - selfCpu0) / 1e9 / wall : -1;
        double srvPerReq = srvCpu0 >= 0 && srvCpu1 >= 0 && reqsAll > 0 ? (srvCpu1 - srvCpu0) / 1e3 / reqsAll : -1;
        boolean ramps = o.mode() == Mode.PINGPONG || o.mode() == Mode.IDLE;
        return new LoadResult(o.label(), o.mode().label(), o.conns(), o.size(), o.window(), durS, reqs,
                us(h.percentile(50)), us(h.percentile(90)), us(h.percentile(99)), us(h.percentile(99.9)), us(h.max()),
                errors, lost, late, ramps ? ready : o.conns(), rampDone ? (rampEnd - t0) / 1e9 : (tEnd - t0) / 1e9,
                srvPerReq, rssKib, threads, lgCpu, reqsAll, tls == null ? null : String.valueOf(tlsNegotiated));
    }

    /** A racy but harmless read of the shards' published counters, for the progress line only. */
    private Progress.Snapshot snapshot(List<LoadShard> shards, long now) {
        long all = 0, errors = 0;
        int ready = 0;
        for (LoadShard s : shards) {
            all += s.publishedReqsAll();
            errors += s.publishedErrors();
            ready += s.ready();
        }
        String ph = switch (phase(now)) {
            case RAMP -> "ramp";
            case WARM -> "warm-up";
            case MEASURE -> options.mode() == Mode.IDLE ? "holding" : "measure";
            default -> "done";
        };
        return new Progress.Snapshot((now - t0) / 1e9, ph, all, errors, ready, options.conns());
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    // ---------------------------------------------------------------- shared timeline for the shards

    /** @return when this run started (nanoTime) */
    long startNanos() {
        return t0;
    }

    /** Called by each shard once its own ramp is over; the last one starts the clock for everyone. */
    void shardRamped(long now) {
        if (shardsRamped.incrementAndGet() == options.threads()) {
            finishRamp(now);
        }
    }

    private void finishRamp(long now) {
        rampEnd = now;
        measureStart = now + options.warmup().toNanos();
        measureEnd = measureStart + options.duration().toNanos();
        rampDone = true; // volatile write last: readers that see it see the times
    }

    /**
     * @param now nanoTime
     * @return the phase at that time: RAMP, WARM, MEASURE (idle: holding), DONE
     */
    int phase(long now) {
        if (abort) {
            return DONE;
        }
        if (!rampDone) {
            return RAMP;
        }
        if (options.mode() == Mode.IDLE) {
            return now - (rampEnd + options.duration().toNanos()) < 0 ? MEASURE : DONE;
        }
        if (now - measureStart < 0) {
            return WARM;
        }
        return now - measureEnd < 0 ? MEASURE : DONE;
    }

    /** @return whether a completion at {@code t} falls in the measured window */
    boolean measured(long t) {
        return rampDone && t - measureStart >= 0 && t - measureEnd < 0 && options.mode() != Mode.IDLE;
    }

    void stopAll(String why) {
        if (!abort) {
            abort = true;
            log.println("loadgen: " + why + ", stopping");
        }
    }

    /** The first completed handshake says what was negotiated; the result line repeats it. */
    void tlsNegotiated(TlsConnection c) {
        if (tlsNegotiated == null) {
            tlsNegotiated = c.negotiated();
        }
    }

    /** Logs the first few handshake failures (then only counts them as errors): the cause is usually the same. */
    void noteTlsFailure(Exception e) {
        if (tlsFailuresLogged.getAndIncrement() < 3) {
            log.println("loadgen: TLS handshake failed: " + e);
        }
    }

    void note(String message) {
        log.println("loadgen: " + message);
    }
}
