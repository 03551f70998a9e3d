package dev.socketserver.samples.bench;

import dev.socketserver.BaseRequestHandler;
import dev.socketserver.Connection;
import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UnixStreamServer;
import dev.socketserver.VirtualThreadingMixIn;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Starts one echo server of this library for a benchmark and serves until SIGTERM:
 *
 * <pre>
 * BenchServer --family tcp|unix-stream|udp|unix-datagram --mixin sync|threading|virtual
 *             --handler echo|once --bind 127.0.0.1:0|unix:/tmp/x.sock
 *             [--tls-cert PEM --tls-key PEM [--tls-protocol TLSv1.3] [--tls-cipher TLS_AES_128_GCM_SHA256]]
 * </pre>
 *
 * <p>With {@code --tls-cert} a stream server speaks TLS ({@code setSslContext}) held to exactly that
 * protocol and cipher suite, as the Netty TLS anchor is, so that both negotiate the same thing.
 *
 * <p>The listen backlog is 4096 (as the C, Netty and plain-JDK anchors; CPython keeps its default 5).
 * Once serving it prints {@code ready ADDRESS pid=PID} on standard output; port 0 is replaced by the
 * chosen port. SIGTERM runs {@code shutdown()} and {@code serverClose()}, each bounded to 5 s.
 * Binding is loopback-only, as for the generator.
 */
public final class BenchServer {

    /** Listen backlog for the stream servers. */
    public static final int BACKLOG = 4096;

    /** Where the datagram families come from. */
    static DatagramServerFactory datagrams = new DatagramEchoServers();

    private static final Set<String> OPTIONS = Set.of("family", "mixin", "handler", "bind", "tls-cert", "tls-key",
            "tls-protocol", "tls-cipher");

    private BenchServer() {
    }

    /**
     * Entry point for the server JVM.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the server until it is shut down.
     *
     * @param args the options
     * @param out where the ready line goes
     * @param err where errors go
     * @return 0 after a clean shutdown, 2 for bad options, 1 if the server failed
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        BaseServer<?> server;
        try {
            BenchArgs a = BenchArgs.parse(args, OPTIONS);
            String family = a.string("family", "tcp");
            String bind = a.string("bind", family.startsWith("unix") ? "" : "127.0.0.1:0");
            server = open(family, a.string("mixin", "virtual"), a.string("handler", "echo"), LoopbackTarget.bindable(bind),
                    BenchTls.fromArgs(a));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("bench server: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("bench server: cannot start: " + e);
            return 1;
        }
        Thread hook = Thread.ofPlatform().name("bench-server-stop").unstarted(() -> {
            server.shutdown(Duration.ofSeconds(5));
            server.serverClose(Duration.ofSeconds(5));
        });
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("ready " + describe(server) + " pid=" + ProcessHandle.current().pid()
                + " family=" + server.family().label() + " mixin=" + server.mixIn().name());
        out.flush();
        if (Boolean.getBoolean(SERVE_ON_VIRTUAL_THREAD)) {
            return serveOnVirtualThread(server, err);
        }
        return serve(server, err);
    }

    /**
     * An experiment's switch ({@code -Dbench.serveOnVirtualThread=true}, BENCHMARKS.md): {@code serveForever()}
     * runs on a virtual thread, so the serving loop and the handlers it starts share the virtual-thread
     * scheduler instead of handing each request from a platform thread to a carrier.
     */
    static final String SERVE_ON_VIRTUAL_THREAD = "bench.serveOnVirtualThread";

    private static int serve(BaseServer<?> server, PrintStream err) {
        try {
            server.serveForever();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("bench server: serveForever failed: " + e);
            return 1;
        }
    }

    private static int serveOnVirtualThread(BaseServer<?> server, PrintStream err) {
        int[] status = {1};
        Thread loop = Thread.ofVirtual().name("bench-serve").start(() -> status[0] = serve(server, err));
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdown(Duration.ofSeconds(5));
            return 1;
        }
        return status[0];
    }

    /**
     * Creates, binds and activates one server.
     *
     * @param family tcp, unix-stream, udp or unix-datagram
     * @param mixin sync, threading or virtual
     * @param handler echo (until EOF) or once (one line, then return)
     * @param bind the address; a Unix path must not be in use by a live server
     * @return the server, not yet serving
     * @throws IOException if it cannot be bound
     */
    static BaseServer<?> open(String family, String mixin, String handler, LoopbackTarget bind) throws IOException {
        return open(family, mixin, handler, bind, null);
    }

    /**
     * Creates, binds and activates one server, with TLS if asked for.
     *
     * @param family tcp, unix-stream, udp or unix-datagram
     * @param mixin sync, threading or virtual
     * @param handler echo (until EOF) or once (one line, then return)
     * @param bind the address; a Unix path must not be in use by a live server
     * @param tls certificate, key, protocol and cipher for a stream server, or {@code null} for plaintext
     * @return the server, not yet serving
     * @throws IOException if it cannot be bound or the key material cannot be read
     */
    static BaseServer<?> open(String family, String mixin, String handler, LoopbackTarget bind, BenchTls tls)
            throws IOException {
        MixIn m = mixIn(mixin);
        if (tls != null && !family.toLowerCase(Locale.ROOT).equals("tcp") && !family.toLowerCase(Locale.ROOT).equals("unix-stream")) {
            throw new IllegalArgumentException("TLS is for stream servers (tcp, unix-stream), not " + family);
        }
        Supplier<? extends BaseRequestHandler<Connection>> h = switch (handler) {
            case "echo" -> LineEchoHandler::new;
            case "once" -> OnceEchoHandler::new;
            default -> throw new IllegalArgumentException("handler must be echo or once: " + handler);
        };
        return switch (family.toLowerCase(Locale.ROOT)) {
            case "tcp" -> {
                if (bind.isUnix()) {
                    throw new IllegalArgumentException("family tcp needs HOST:PORT, not " + bind);
                }
                TCPServer s = new TCPServer((InetSocketAddress) bind.address(), h, m, false);
                yield activate(withTls(s, tls));
            }
            case "unix-stream" -> {
                if (!bind.isUnix()) {
                    throw new IllegalArgumentException("family unix-stream needs a path, not " + bind);
                }
                removeStaleSocket(((UnixDomainSocketAddress) bind.address()).getPath());
                UnixStreamServer s = new UnixStreamServer((UnixDomainSocketAddress) bind.address(), h, m, false);
                yield activate(withTls(s, tls));
            }
            case "udp" -> {
                if (bind.isUnix()) {
                    throw new IllegalArgumentException("family udp needs HOST:PORT, not " + bind);
                }
                yield datagrams.open(false, bind.address(), m);
            }
            case "unix-datagram" -> {
                if (!bind.isUnix()) {
                    throw new IllegalArgumentException("family unix-datagram needs a path, not " + bind);
                }
                removeStaleSocket(((UnixDomainSocketAddress) bind.address()).getPath());
                yield datagrams.open(true, bind.address(), m);
            }
            default -> throw new IllegalArgumentException("family must be tcp, unix-stream, udp or unix-datagram: " + family);
        };
    }

    /**
     * @param name sync, threading or virtual
     * @return a new mix-in of that kind
     */
    static MixIn mixIn(String name) {
        return switch (name) {
            case "sync" -> MixIn.synchronous();
            case "threading" -> new ThreadingMixIn().setDaemonThreads(true);
            case "virtual" -> new VirtualThreadingMixIn();
            default -> throw new IllegalArgumentException("mixin must be sync, threading or virtual: " + name);
        };
    }

    private static TCPServer withTls(TCPServer s, BenchTls tls) throws IOException {
        if (tls != null) {
            s.setSslContext(tls.serverContext()).setTlsProtocols(tls.protocol()).setTlsCipherSuites(tls.cipher());
        }
        return s;
    }

    private static BaseServer<?> activate(TCPServer s) throws IOException {
        try {
            s.setRequestQueueSize(BACKLOG).setAllowReuseAddress(true);
            s.serverBind();
            s.serverActivate();
            return s;
        } catch (IOException | RuntimeException e) {
            s.serverClose();
            throw e;
        }
    }

    private static void removeStaleSocket(Path p) throws IOException {
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p); // a socket left by an earlier run that was killed
        }
    }

    static String describe(BaseServer<?> server) {
        var a = server.serverAddress();
        if (a instanceof InetSocketAddress i) {
            return new LoopbackTarget(i).toString();
        }
        if (a instanceof UnixDomainSocketAddress u) {
            return "unix:" + u.getPath();
        }
        return String.valueOf(a);
    }
}
