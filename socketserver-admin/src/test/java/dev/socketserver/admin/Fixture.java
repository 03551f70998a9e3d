package dev.socketserver.admin;

import dev.socketserver.Connection;
import dev.socketserver.BaseServer;
import dev.socketserver.ServerRegistry;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One test's world: a fresh {@link ServerRegistry}, a gateway on loopback port 0 serving it, an HTTP
 * client, and the servers and threads the test starts. {@link #close()} stops all of them and fails
 * the test if a thread does not end.
 */
final class Fixture implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final Duration JOIN = Duration.ofSeconds(10);

    /** Python's echo handler: one line in, the same line out. */
    static final class Echo extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            wfile().write(rfile().readLine());
        }
    }

    /** Echoes, but throws on the line {@code boom}: the server counts an error. */
    static final class EchoOrBoom extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            byte[] line = rfile().readLine();
            if (new String(line, java.nio.charset.StandardCharsets.UTF_8).strip().equals("boom")) {
                throw new IOException("boom (thrown on purpose by the test handler)");
            }
            wfile().write(line);
        }
    }

    final ServerRegistry registry = new ServerRegistry();
    final AdminGateway gateway;
    final Api api;
    private final List<BaseServer<?>> servers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> threadFailures = new CopyOnWriteArrayList<>();

    Fixture() {
        this(AdminGateway.builder().token(TOKEN));
    }

    Fixture(AdminGateway.Builder builder) {
        gateway = builder.registry(registry).start();
        api = new Api(gateway.uri(), gateway.token());
    }

    /** A synchronous echo server on 127.0.0.1:0 in this fixture's registry, bound and activated. */
    TCPServer echoServer() {
        return tcp(new InetSocketAddress("127.0.0.1", 0), false);
    }

    /** An echo server that answers {@code boom} by throwing, and keeps the traceback off the test output. */
    TCPServer boomServer() {
        return tcp(new InetSocketAddress("127.0.0.1", 0), true);
    }

    /** A synchronous echo server with a name (set before activation, as the api requires). */
    TCPServer echoServer(String name) {
        return tcp(new InetSocketAddress("127.0.0.1", 0), false, name);
    }

    TCPServer tcp(InetSocketAddress address, boolean boom) {
        return tcp(address, boom, null);
    }

    TCPServer tcp(InetSocketAddress address, boolean boom, String name) {
        try {
            TCPServer server = boom
                    ? new TCPServer(address, EchoOrBoom::new, false) {
                        @Override
                        protected void handleError(Connection request, SocketAddress client, Throwable error) {
                            // counted by the server; the traceback would only clutter the test output
                        }
                    }
                    : new TCPServer(address, Echo::new, false);
            if (name != null) {
                server.setName(name);
            }
            return activate(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts an unbound server into this fixture's registry, binds and activates it; closed with the fixture. */
    <S extends BaseServer<?>> S activate(S server) {
        try {
            servers.add(server);
            server.setRegistry(registry);
            server.serverBind();
            server.serverActivate();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code serveForever()} on a new thread and returns once an echo proves the loop is serving. */
    Thread serveForever(TCPServer server) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("serve-" + server.id()).unstarted(() -> {
            try {
                server.serveForever(Duration.ofMillis(50));
            } catch (Throwable e) {
                failure.set(e);
                threadFailures.add(e);
            }
        });
        threads.add(t);
        t.start();
        // an answered echo proves the loop took a request, so it is serving
        Clients.assertEcho(server, "ping");
        return t;
    }

    /** Starts a thread owned by this fixture (joined on close). */
    Thread start(String name, Runnable body) {
        Thread t = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                threadFailures.add(e);
            }
        });
        threads.add(t);
        t.start();
        return t;
    }

    /** Waits, up to a bound, for a condition that another thread makes true. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + JOIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(200_000); // pacing of a bounded poll on the condition, not a sleep-for-sync
        }
    }

    @Override
    public void close() {
        api.close();
        servers.forEach(s -> s.serverClose(Duration.ofSeconds(5)));
        try {
            for (Thread t : threads) {
                assertTrue(t.join(JOIN), "thread " + t.getName() + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining test threads", e);
        } finally {
            gateway.stop();
        }
        if (!threadFailures.isEmpty()) {
            AssertionError e = new AssertionError("a test thread failed");
            threadFailures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
