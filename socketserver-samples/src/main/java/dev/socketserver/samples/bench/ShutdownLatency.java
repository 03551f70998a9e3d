package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench shutdown-latency}: in this JVM, {@code runs} times: create a server, run
 * {@code serveForever()} on a thread, let it go idle in its wait for 20 ms, then time {@code shutdown()}
 * from the call to its return ({@code System.nanoTime()}). Prints the median, p90, min and max.
 * CPython's {@code shutdown()} polls every 0.5 s, so its figure is up to 500 ms
 * ({@code bench/py_shutdown_latency.py} measures it the same way).
 */
final class ShutdownLatency {

    private static final Set<String> OPTIONS = Set.of("runs", "family", "mixin");

    private ShutdownLatency() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        BenchArgs a;
        int runs;
        String family;
        String mixin;
        try {
            a = BenchArgs.parse(args, OPTIONS);
            runs = a.integer("runs", 100);
            family = a.string("family", "tcp");
            mixin = a.string("mixin", "virtual");
            if (runs < 1 || runs > 10_000) {
                throw new IllegalArgumentException("runs must be 1..10000");
            }
            if (!family.equals("tcp") && !family.equals("unix-stream")) {
                throw new IllegalArgumentException("family must be tcp or unix-stream");
            }
            BenchServer.mixIn(mixin); // validates the name
        } catch (IllegalArgumentException e) {
            err.println("bench shutdown-latency: " + e.getMessage());
            return 2;
        }
        long[] nanos = new long[runs];
        try {
            Path dir = Files.createTempDirectory("socketserver-shutdown");
            try {
                for (int i = 0; i < runs; i++) {
                    nanos[i] = once(family, mixin, dir);
                }
            } finally {
                Files.deleteIfExists(dir.resolve("s.sock"));
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            err.println("bench shutdown-latency: " + e);
            return 1;
        }
        Arrays.sort(nanos);
        out.println(String.format(Locale.ROOT,
                "mode=shutdown-latency impl=java family=%s mixin=%s runs=%d median_us=%.1f p90_us=%.1f min_us=%.1f max_us=%.1f",
                family, mixin, runs, nanos[runs / 2] / 1e3, nanos[Math.min(runs - 1, (int) (runs * 0.9))] / 1e3,
                nanos[0] / 1e3, nanos[runs - 1] / 1e3));
        return 0;
    }

    private static long once(String family, String mixin, Path dir) throws IOException, InterruptedException {
        LoopbackTarget bind = family.equals("tcp") ? LoopbackTarget.bindable("127.0.0.1:0")
                : LoopbackTarget.unix(dir.resolve("s.sock").toString());
        BaseServer<?> server = BenchServer.open(family, mixin, "echo", bind);
        try {
            Thread loop = Thread.ofPlatform().name("shutdown-latency-loop").start(() -> {
                try {
                    server.serveForever();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.state() != ServerState.SERVING) {
                if (System.nanoTime() - deadline > 0 || !loop.isAlive()) {
                    throw new IOException("serveForever did not start within 5 s");
                }
                Thread.onSpinWait();
            }
            LockSupport.parkNanos(20_000_000L); // let the loop block in its wait: the case CPython polls for
            long t0 = System.nanoTime();
            server.shutdown();
            long t1 = System.nanoTime();
            if (!loop.join(Duration.ofSeconds(5))) {
                throw new IOException("serveForever did not return after shutdown()");
            }
            return t1 - t0;
        } finally {
            server.serverClose(Duration.ofSeconds(5));
        }
    }
}
