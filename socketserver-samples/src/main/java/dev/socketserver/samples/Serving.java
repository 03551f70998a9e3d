package dev.socketserver.samples;

import dev.socketserver.BaseServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs the launcher's servers until Ctrl-C or SIGTERM, where Python's samples rely on
 * {@code KeyboardInterrupt} escaping {@code serve_forever()}.
 *
 * <p>SIGTERM drains the servers ({@link DrainOnSignal}). Ctrl-C, and anything else that exits the
 * JVM, runs a shutdown hook that calls {@code shutdown()} then {@code serverClose()} on every server
 * (which removes Unix socket files), runs the command's own cleanup, prints {@code stopped}, and ends
 * the JVM with status 0: without that last step a signal would end it with 128 + the signal's number.
 */
final class Serving {

    /** How long stopping waits for each serving loop, then for each server's running handlers. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private static volatile boolean stopping;
    private static volatile int exitStatus;

    private final List<? extends BaseServer<?>> servers;

    private Serving(List<? extends BaseServer<?>> servers) {
        this.servers = servers;
    }

    /**
     * Installs the stop hook and the SIGTERM drain, then prints one {@code listening FAMILY ADDRESS
     * fileno=N} line per server. The handlers come first, so a signal sent as soon as a line appears
     * is already handled.
     *
     * @param servers bound and activated servers
     * @param out where the lines go
     * @param cleanup what to do after the servers are closed, e.g. remove a temporary folder
     * @param drain how SIGTERM drains them
     * @param beforeDrain what to do on SIGTERM before the servers drain, e.g. turn the admin gateway's
     *     {@code /health} to 503
     * @return the handle that serves them
     */
    static Serving announce(List<? extends BaseServer<?>> servers, PrintStream out, Runnable cleanup, DrainPolicy drain,
                            Runnable beforeDrain) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("samples-stop").unstarted(() -> {
            stopping = true;
            boolean idle = stop(servers);
            cleanup.run();
            out.println(idle ? "stopped" : "stopped (requests still running after " + GRACE.toSeconds() + " s were cut off)");
            out.flush();
            Runtime.getRuntime().halt(exitStatus);
        }));
        new DrainOnSignal(servers, out, cleanup, drain, beforeDrain, () -> stopping = true, () -> stopping).install();
        for (BaseServer<?> server : servers) {
            out.println("listening " + server.family().label() + " " + format(server.serverAddress())
                    + " fileno=" + server.fileno());
        }
        out.flush();
        return new Serving(servers);
    }

    /**
     * Announces the servers, prints the notes, and serves until Ctrl-C or SIGTERM; then (in the stop
     * hook, or after the drain) closes the servers and runs {@code cleanup}. Returns only by throwing,
     * when a loop fails.
     *
     * @param servers bound and activated servers
     * @param out where the {@code listening} lines and the notes go
     * @param cleanup what to do after the servers are closed
     * @param drain how SIGTERM drains them
     * @param beforeDrain what to do on SIGTERM before the servers drain
     * @param notes lines printed after the {@code listening} lines, e.g. how to connect
     * @throws IOException naming the server whose loop failed
     * @throws InterruptedException if interrupted while waiting
     */
    static void serve(List<? extends BaseServer<?>> servers, PrintStream out, Runnable cleanup, DrainPolicy drain,
                      Runnable beforeDrain, String... notes) throws IOException, InterruptedException {
        Serving serving = announce(servers, out, cleanup, drain, beforeDrain);
        for (String note : notes) {
            out.println(note);
        }
        out.flush();
        serving.serveUntilStopped();
    }

    /**
     * {@link #serve(List, PrintStream, Runnable, String...)} for one server with nothing to clean up:
     * Python's {@code with server: server.serve_forever()}, ended by Ctrl-C.
     *
     * @param server a bound and activated server
     * @param out where the {@code listening} line and the notes go
     * @param notes lines printed after the {@code listening} line
     * @throws IOException if the loop fails
     * @throws InterruptedException if interrupted while waiting
     */
    static void serve(BaseServer<?> server, PrintStream out, String... notes) throws IOException, InterruptedException {
        serve(server, out, DrainPolicy.DEFAULT, notes);
    }

    /**
     * {@link #serve(BaseServer, PrintStream, String...)} with the drain asked for on the command line.
     *
     * @param server a bound and activated server
     * @param out where the {@code listening} line and the notes go
     * @param drain how SIGTERM drains it
     * @param notes lines printed after the {@code listening} line
     * @throws IOException if the loop fails
     * @throws InterruptedException if interrupted while waiting
     */
    static void serve(BaseServer<?> server, PrintStream out, DrainPolicy drain, String... notes)
            throws IOException, InterruptedException {
        serve(List.of(server), out, () -> { }, drain, () -> { }, notes);
    }

    /**
     * Runs {@code serveForever()} of each server on its own thread and waits. Returns only by
     * throwing, when a loop fails; after a signal the stop hook or the drain ends the JVM instead.
     *
     * @throws IOException naming the server whose loop failed
     * @throws InterruptedException if interrupted while waiting
     */
    void serveUntilStopped() throws IOException, InterruptedException {
        var failures = new LinkedBlockingQueue<IOException>();
        for (BaseServer<?> server : servers) {
            Thread.ofPlatform().name("serve-" + server.id()).start(() -> {
                try {
                    server.serveForever();
                } catch (IOException | RuntimeException e) {
                    if (!stopping) { // a loop that the hook closed before it began is no failure
                        failures.add(new IOException(server.id() + " stopped serving: " + e.getMessage(), e));
                    }
                }
            });
        }
        throw failures.take();
    }

    /**
     * Ends the JVM with {@code status}; if servers are running, the stop hook closes them first and
     * keeps that status.
     *
     * @param status the exit status
     */
    static void exit(int status) {
        exitStatus = status;
        System.exit(status);
    }

    /**
     * Shuts every server down, then closes it, each step bounded by {@link #GRACE}.
     *
     * @param servers the servers
     * @return {@code true} if no loop or handler was left running
     */
    static boolean stop(List<? extends BaseServer<?>> servers) {
        boolean idle = true;
        for (BaseServer<?> server : servers) {
            idle &= server.shutdown(GRACE);
        }
        for (BaseServer<?> server : servers) {
            idle &= server.serverClose(GRACE);
        }
        return idle;
    }

    /**
     * Formats an address as the launcher prints it: {@code host:port}, {@code [v6]:port}, or a path.
     *
     * @param address the address
     * @return the text
     */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : String.valueOf(address);
    }
}
