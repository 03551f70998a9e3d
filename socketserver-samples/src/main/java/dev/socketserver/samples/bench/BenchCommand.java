package dev.socketserver.samples.bench;

import dev.socketserver.samples.bench.LoadOptions.Mode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code samples bench}: one load run, printing one result line.
 *
 * <ul>
 *   <li>Without {@code --target}: starts a {@link BenchServer} ({@code --family --mixin --handler}) in its
 *       own JVM (pinned with {@code --server-cpus}), waits for it, runs the load against it with its pid
 *       for CPU and RSS figures, then stops it (SIGTERM, bounded wait, kill as a last resort).</li>
 *   <li>With {@code --target HOST:PORT|unix:PATH [--pid PID]}: drives an external echo server, e.g. an
 *       anchor from {@code ../shared/bench}.</li>
 * </ul>
 */
final class BenchCommand {

    static final String USAGE = """
            usage: bench [--family tcp|unix-stream|udp] [--mixin sync|threading|virtual]
                         [--handler echo|once] [--server-cpus LIST] [--server-jvm-opts "OPTS"] [--server-log FILE]
                   bench --target HOST:PORT|unix:PATH [--pid PID]          (an external echo server)
               load: [--mode pingpong|connect|udp|idle] [--conns N] [--size BYTES] [--duration S] [--warmup S]
                     [--window W] [--ramp N] [--ramp-timeout S] [--udp-timeout-ms MS] [--threads T] [--label L]
                tls: [--tls-cert PEM [--tls-key PEM] [--tls-protocol TLSv1.3] [--tls-cipher TLS_AES_128_GCM_SHA256]]
                     (TCP stream modes; the generator trusts exactly PEM; --tls-key only for its own server)
              human: [--progress auto|on|off]  a line a second and a table at the end, on stderr (auto: if a terminal)
                   bench shutdown-latency [--runs 100] [--family tcp|unix-stream] [--mixin sync|threading|virtual]
                   bench server --family F --mixin M --handler H --bind ADDR   (the server JVM itself; F may be unix-datagram)
                                [--tls-cert PEM --tls-key PEM [--tls-protocol P] [--tls-cipher C]]   (tcp, unix-stream)
            Loopback targets only (127.0.0.0/8, ::1, unix paths). Duration and warm-up <= 120 s, ramp <= 180 s.
            Output: one line, mode= conns= size= ... rps= p50_us= p90_us= p99_us= p999_us= max_us= errors= lost=
                    srv_cpu_us_per_req= srv_rss_kib= lg_cpu_pct= (TLS runs add tls=PROTOCOL:CIPHER at the end)""";

    private static final Set<String> SERVER_OPTIONS = Set.of("family", "mixin", "handler", "server-cpus",
            "server-jvm-opts", "server-log", "tls-key");
    private static final Set<String> LOAD_OPTIONS = Set.of("target", "pid", "mode", "conns", "size", "duration",
            "warmup", "window", "ramp", "ramp-timeout", "udp-timeout-ms", "threads", "label", "host", "port", "unix",
            "tls-cert", "tls-protocol", "tls-cipher", "progress");

    private BenchCommand() {
    }

    /**
     * @param args the options (see {@link #USAGE})
     * @param out where the result line goes
     * @param err where notes and errors go
     * @return 0 on success, 2 for bad options or a refused target, 1 if the run failed
     * @throws InterruptedException if interrupted
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        Set<String> allowed = new TreeSet<>(LOAD_OPTIONS);
        allowed.addAll(SERVER_OPTIONS);
        BenchArgs a;
        LoadOptions load;
        BenchTls tls;
        Progress progress;
        try {
            a = BenchArgs.parse(args, allowed);
            if (a.has("target") && (a.has("family") || a.has("mixin") || a.has("handler") || a.has("server-cpus"))) {
                throw new IllegalArgumentException("--target drives an external server: drop --family/--mixin/--handler/--server-cpus");
            }
            load = loadOptions(a, a.has("target") || a.has("port") || a.has("unix") ? target(a) : placeholderTarget(a));
            tls = BenchTls.fromArgs(a);
            if (tls != null && (load.mode() == Mode.UDP || load.target().isUnix())) {
                throw new IllegalArgumentException("--tls-cert goes with TCP stream modes (pingpong, connect, idle) only");
            }
            if (a.has("target") && a.has("tls-key")) {
                throw new IllegalArgumentException("--tls-key is for the own server; an external one has its key");
            }
            progress = progress(a.string("progress", "auto"), err);
            if (!a.has("target") && !a.has("port") && !a.has("unix")) {
                checkFamilyFitsMode(a.string("family", load.mode() == Mode.UDP ? "udp" : "tcp"), load.mode());
            }
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        if (a.has("target") || a.has("port") || a.has("unix")) {
            try {
                report(generator(load.withServerPid(a.longValue("pid", -1)), tls, progress, err).run(), progress, out, err);
                return 0;
            } catch (IOException e) {
                err.println("bench: " + e.getMessage());
                return 1;
            }
        }
        return runWithOwnServer(a, load, tls, progress, out, err);
    }

    /** auto: on when standard error is a terminal, so that scripts reading pipes get exactly what they got before. */
    static Progress progress(String mode, PrintStream err) {
        return switch (mode) {
            case "on" -> new Progress(err);
            case "off" -> null;
            case "auto" -> Progress.stderrIsTerminal() ? new Progress(err) : null;
            default -> throw new IllegalArgumentException("--progress must be auto, on or off: " + mode);
        };
    }

    private static LoadGenerator generator(LoadOptions o, BenchTls tls, Progress progress, PrintStream err)
            throws IOException {
        return new LoadGenerator(o, err).tls(tls == null ? null : new TlsClient(tls)).progress(progress);
    }

    /**
     * The result line alone on standard output, byte for byte as before; with progress on, the table for
     * a person on standard error first.
     */
    static void report(LoadResult r, Progress progress, PrintStream out, PrintStream err) {
        if (progress != null) {
            err.print(ResultTable.format(r));
            err.flush();
        }
        out.println(r.line());
    }

    private static int runWithOwnServer(BenchArgs a, LoadOptions load, BenchTls tls, Progress progress,
                                        PrintStream out, PrintStream err) throws InterruptedException {
        String family = a.string("family", load.mode() == Mode.UDP ? "udp" : "tcp");
        String handler = a.string("handler", load.mode() == Mode.CONNECT ? "once" : "echo");
        String mixin = a.string("mixin", "virtual");
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("socketserver-bench");
            String bind = family.startsWith("unix") ? "unix:" + scratch.resolve("echo.sock") : "127.0.0.1:0";
            Path log = a.has("server-log") ? Path.of(a.string("server-log", "")) : scratch.resolve("server.log");
            List<String> jvm = a.has("server-jvm-opts")
                    ? new ArrayList<>(Arrays.asList(a.string("server-jvm-opts", "").trim().split("\\s+"))) : List.of();
            List<String> serverArgs = new ArrayList<>(List.of("--family", family, "--mixin", mixin, "--handler", handler,
                    "--bind", bind));
            if (tls != null) {
                serverArgs.addAll(tls.asArgs());
            }
            try (ServerProcess server = ServerProcess.start(serverArgs, a.string("server-cpus", null), jvm, log)) {
                LoadOptions o = new LoadOptions(server.address(), load.mode(), load.conns(), load.size(), load.duration(),
                        load.warmup(), load.window(), load.rampConcurrency(), load.rampTimeout(), load.udpTimeout(),
                        load.threads(), server.pid(), load.label() != null ? load.label() : family + "-" + mixin + "-" + handler);
                report(generator(o, tls, progress, err).run(), progress, out, err);
            }
            return 0;
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            return 1;
        } finally {
            deleteScratch(scratch);
        }
    }

    /**
     * Refuses a run that cannot work before a server JVM is started: stream modes against a datagram
     * server (there are no connections), UDP against a stream server, and Unix datagram servers,
     * which the generator cannot reach (the JDK has no AF_UNIX {@code DatagramChannel}).
     */
    static void checkFamilyFitsMode(String family, Mode mode) {
        if (family.equals("unix-datagram")) {
            throw new IllegalArgumentException("the load generator cannot drive unix-datagram servers (the JDK has no "
                    + "AF_UNIX DatagramChannel); 'bench server --family unix-datagram ...' runs one for an outside client");
        }
        if (family.equals("udp") != (mode == Mode.UDP)) {
            throw new IllegalArgumentException("--mode " + mode.label() + " does not fit --family " + family
                    + ": --family udp goes with --mode udp, and only with it");
        }
    }

    private static LoadOptions loadOptions(BenchArgs a, LoopbackTarget target) {
        Mode mode = Mode.parse(a.string("mode", a.string("family", "").equals("udp") ? "udp" : "pingpong"));
        return new LoadOptions(target, mode, a.integer("conns", 16), a.integer("size", 64),
                a.seconds("duration", Duration.ofSeconds(10)), a.seconds("warmup", Duration.ofSeconds(1)),
                a.integer("window", 1), a.integer("ramp", 4), a.seconds("ramp-timeout", Duration.ofSeconds(60)),
                Duration.ofMillis(a.integer("udp-timeout-ms", 200)), a.integer("threads", 1), -1,
                a.string("label", null));
    }

    private static LoopbackTarget target(BenchArgs a) {
        if (a.has("target")) {
            return LoopbackTarget.parse(a.string("target", ""));
        }
        if (a.has("unix")) {
            return LoopbackTarget.unix(a.string("unix", ""));
        }
        return LoopbackTarget.inet(a.string("host", "127.0.0.1"), a.integer("port", 0));
    }

    /** Validates the load options before a server is started; the real address comes from its ready line. */
    private static LoopbackTarget placeholderTarget(BenchArgs a) {
        return a.string("family", "tcp").startsWith("unix") ? LoopbackTarget.unix("/placeholder.sock")
                : LoopbackTarget.inet("127.0.0.1", 1);
    }

    private static void deleteScratch(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
