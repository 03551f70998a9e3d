package dev.socketserver.samples;

import dev.socketserver.BaseServer;
import dev.socketserver.DrainReport;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The launcher's SIGTERM: a graceful stop, as a process manager (systemd, Kubernetes) expects.
 *
 * <ul>
 *   <li>The first SIGTERM runs {@code beforeDrain} (the admin gateway's {@code /health} turns 503),
 *       prints {@code draining ADDRESS} per server, drains every server in parallel
 *       ({@link BaseServer#drain(Duration, Duration)} with the {@link DrainPolicy}), prints each
 *       server's {@code drained finished=N forced=N duration=Nms}, cleans up, prints {@code stopped}
 *       and ends the JVM with status 0.</li>
 *   <li>A second SIGTERM, or SIGINT, during the drain stops at once: the servers are closed without
 *       waiting for their requests, and the JVM ends with {@value #TERM_STATUS} (SIGTERM) or
 *       {@value #INT_STATUS} (SIGINT), the shell's 128 + signal number, so that a supervisor sees the
 *       stop was not clean.</li>
 *   <li>SIGINT outside a drain (Ctrl-C) goes to the JVM's own handler, as before: the stop hook of
 *       {@link Serving} closes the servers and the JVM ends with status 0.</li>
 * </ul>
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, through {@link Signals}) is the only way to keep the JVM running
 * after SIGTERM: a shutdown hook runs once the JVM is already exiting, too late to drain for seconds.
 */
final class DrainOnSignal {

    /** The exit status when a second SIGTERM cuts the drain short. */
    static final int TERM_STATUS = 128 + 15;
    /** The exit status when SIGINT cuts the drain short. */
    static final int INT_STATUS = 128 + 2;

    // Held here: java.util.logging keeps only weak references, and a collected logger forgets its level.
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.socketserver");

    private final List<? extends BaseServer<?>> servers;
    private final PrintStream out;
    private final Runnable cleanup;
    private final DrainPolicy policy;
    private final Runnable beforeDrain;
    private final Runnable onStopping;
    private final BooleanSupplier stopping;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean(); // the drain's end or the forced stop: one of them finishes
    private volatile Signals.Previous jvmInt;

    /**
     * Prepares the handlers; {@link #install()} puts them in place.
     *
     * @param servers the servers to drain
     * @param out where the {@code draining}, {@code drained} and {@code stopped} lines go
     * @param cleanup what to do once the servers are closed, e.g. stop the admin gateway
     * @param policy the grace period and the deadline
     * @param beforeDrain what to do before the first server drains, e.g. mark the admin gateway draining
     * @param onStopping told when the servers are about to stop, so that their loops ending is no failure
     * @param stopping whether the servers are stopping already (the stop hook runs): a SIGTERM then changes nothing
     */
    DrainOnSignal(List<? extends BaseServer<?>> servers, PrintStream out, Runnable cleanup, DrainPolicy policy,
                  Runnable beforeDrain, Runnable onStopping, BooleanSupplier stopping) {
        this.servers = List.copyOf(servers);
        this.out = out;
        this.cleanup = cleanup;
        this.policy = policy;
        this.beforeDrain = beforeDrain;
        this.onStopping = onStopping;
        this.stopping = stopping;
    }

    /**
     * Handles SIGTERM and SIGINT from now on. Where the JVM does not let a program handle them
     * ({@code -Xrs}), the JVM's own handling stays: the stop hook closes the servers.
     */
    void install() {
        quietLibraryLog();
        try {
            Signals.handle("TERM", this::onTerm);
            jvmInt = Signals.handle("INT", this::onInt);
        } catch (IllegalArgumentException e) {
            // signals reserved by the VM (-Xrs): SIGTERM keeps closing the servers through the stop hook
        }
    }

    /**
     * The library logs the drain at INFO through {@code System.Logger}; here the same facts are the
     * launcher's own lines on standard output, so the library's copy on standard error is left out,
     * unless levels were asked for ({@code SAMPLES_LOG}, see {@link SampleLogging}) or java.util.logging
     * was configured on the command line.
     */
    private static void quietLibraryLog() {
        if (System.getProperty(SampleLogging.PROPERTY, System.getenv(SampleLogging.ENV)) == null
                && System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            LIBRARY_LOG.setLevel(Level.WARNING);
        }
    }

    private void onTerm() {
        if (!draining.get() && stopping.getAsBoolean()) {
            return; // Ctrl-C came first: the stop hook is closing the servers and will end the JVM
        }
        if (draining.compareAndSet(false, true)) {
            Thread.ofPlatform().name("samples-drain").start(this::drainAll); // a signal handler must return soon
        } else {
            stopNow(TERM_STATUS, "a second SIGTERM");
        }
    }

    private void onInt() {
        if (draining.get()) {
            stopNow(INT_STATUS, "SIGINT");
            return;
        }
        Signals.Previous previous = jvmInt;
        if (previous != null && previous.ignored()) {
            return;
        }
        if (previous == null || previous.osDefault()) {
            System.exit(INT_STATUS); // as the JVM's own handler does; the stop hook closes the servers
        }
        previous.run(); // Ctrl-C as before: the JVM exits and the stop hook closes the servers
    }

    private void drainAll() {
        onStopping.run();
        beforeDrain.run();
        for (BaseServer<?> server : servers) {
            out.println("draining " + Serving.format(server.serverAddress()));
        }
        out.flush();
        String[] results = new String[servers.size()]; // read after join(), which publishes the writes
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            BaseServer<?> server = servers.get(i);
            int slot = i;
            threads.add(Thread.ofPlatform().name("samples-drain-" + server.id()).start(() -> results[slot] = drain(server)));
        }
        for (Thread thread : threads) {
            try {
                thread.join(); // bounded: each drain returns by its deadline, or at once when stopNow closes it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!ended.compareAndSet(false, true)) {
            return; // a second signal is stopping the JVM
        }
        for (String result : results) {
            out.println(result);
        }
        finish(0, "stopped");
    }

    private String drain(BaseServer<?> server) {
        String address = Serving.format(server.serverAddress());
        try {
            DrainReport report = server.drain(policy.grace(), policy.timeout());
            return report.toString();
        } catch (IllegalStateException e) {
            // closed or drained already, e.g. through the admin gateway
            return "not drained " + address + ": " + e.getMessage();
        }
    }

    private void stopNow(int status, String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        for (BaseServer<?> server : servers) {
            server.serverClose(Duration.ZERO); // a drain waiting for its requests returns at once
        }
        finish(status, "stopped (" + why + " cut the drain short; requests still running were cut off)");
    }

    private void finish(int status, String last) {
        try {
            cleanup.run();
        } finally {
            out.println(last);
            out.flush();
            Runtime.getRuntime().halt(status); // as the stop hook does: nothing else is left to run
        }
    }
}
