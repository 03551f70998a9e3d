package dev.socketserver.samples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchServer} in its own JVM, started with this JVM's {@code java} and module path, optionally
 * pinned with {@code taskset -c CPUS}. {@link #close()} sends SIGTERM, waits up to 10 s, and only then
 * kills it; a shutdown hook does the same if this JVM is stopped first.
 */
final class ServerProcess implements AutoCloseable {

    private static final String MAIN = "dev.socketserver.samples.bench.BenchServer";
    private static final String MODULE = "dev.socketserver.samples";

    private final Process process;
    private final Path log;
    private final Thread hook;
    private final LoopbackTarget address;

    private ServerProcess(Process process, Path log, LoopbackTarget address, Thread hook) {
        this.process = process;
        this.log = log;
        this.address = address;
        this.hook = hook;
    }

    /**
     * Starts the server and waits (at most 30 s) for its {@code ready} line.
     *
     * @param serverArgs BenchServer's options
     * @param cpus a {@code taskset -c} CPU list, or {@code null} for no pinning
     * @param jvmOptions extra JVM options, or an empty list
     * @param log where the server's standard error goes
     * @return the running server
     * @throws IOException if it cannot start or does not become ready
     * @throws InterruptedException if interrupted while waiting
     */
    static ServerProcess start(List<String> serverArgs, String cpus, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null && !cpus.isBlank()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isBlank()) {
            cmd.addAll(List.of("--add-exports", "java.base/sun.nio.ch=dev.socketserver.impl",
                    "--enable-native-access=dev.socketserver.impl", "-p", modulePath, "-m", MODULE + "/" + MAIN));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
        }
        cmd.addAll(serverArgs);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        Thread hook = Thread.ofPlatform().unstarted(() -> stop(p));
        Runtime.getRuntime().addShutdownHook(hook);
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
        Thread.ofPlatform().daemon(true).name("bench-server-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.offer(line); // later lines are dropped once the queue is full: only the first matters
                }
            } catch (IOException ignored) {
                // the server went away
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("ready ")) {
                LoopbackTarget addr = LoopbackTarget.parse(line.split(" ")[1]);
                return new ServerProcess(p, log, addr, hook);
            }
            if (line == null && !p.isAlive()) {
                break;
            }
        }
        stop(p);
        Runtime.getRuntime().removeShutdownHook(hook);
        throw new IOException("server did not become ready (exit " + (p.isAlive() ? "-" : p.exitValue())
                + "); its log " + log + ":\n" + tail(log));
    }

    /** @return the address the server is serving on */
    LoopbackTarget address() {
        return address;
    }

    /** @return the server JVM's pid (not taskset's: taskset execs the JVM) */
    long pid() {
        return process.pid();
    }

    /** @return the server's standard error file */
    Path log() {
        return log;
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // this JVM is already shutting down and runs the hook itself
        }
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: the server's hook runs shutdown() and serverClose()
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
