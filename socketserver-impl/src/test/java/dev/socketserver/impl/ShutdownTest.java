package dev.socketserver.impl;

import dev.socketserver.ServerState;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.StreamRequestHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN §4.1–4.3: shutdown wakes the loop at once and never deadlocks; serverClose ends a running loop.
 * A poll interval of one hour makes every "at once" observable without timing: a loop that polled would
 * not return within the test's bounded joins.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    static final Duration HOUR = Duration.ofHours(1);
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void shutdownWakesAWaitingLoopWithoutPolling(Concurrency concurrency) throws Exception {
        AtomicInteger serviceActions = new AtomicInteger();
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new, concurrency.newMixIn()) {
            @Override
            protected void serviceActions() {
                serviceActions.incrementAndGet();
            }
        }) {
            CountDownLatch entered = new CountDownLatch(1);
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    entered.countDown();
                    server.serveForever(HOUR);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            awaitState(server, ServerState.SERVING);
            assertTrue(server.shutdown(Duration.ofSeconds(20)), "shutdown() returned only when the loop ended");
            assertTrue(loop.join(Duration.ofSeconds(20)));
            assertEquals(ServerState.IDLE, server.state());
            assertEquals(0, serviceActions.get());
        }
    }

    /** E33: with poll_interval=None CPython's shutdown() waits for a connection; here it returns at once. */
    @Test
    void shutdownStopsALoopWithNoPollInterval() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new); Serving serving = Serving.start(server, null)) {
            awaitState(server, ServerState.SERVING);
            assertEquals("y\n", Clients.echo(server.serverAddress(), "y\n"));
            assertTrue(server.shutdown(Duration.ofSeconds(20)));
            assertTrue(serving.join());
        }
    }

    /** CPython test_shutdown (scenario 13): start then shutdown back to back, 20 times; nothing hangs. */
    @Test
    void twentyServersStartedAndShutDownBackToBackNeverHang() throws Exception {
        List<TCPServer> servers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                TCPServer server = new TCPServer(LOOPBACK, Echo::new);
                servers.add(server);
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        server.serveForever(Duration.ofMillis(10));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                threads.add(t);
                server.shutdown(); // may run before the loop starts: that loop must then return at once
            }
            for (Thread t : threads) {
                assertTrue(t.join(Duration.ofSeconds(20)), "a serveForever() never returned");
            }
        } finally {
            servers.forEach(TCPServer::serverClose);
        }
    }

    @Test
    void shutdownWithNoLoopReturnsAndTheNextServeForeverReturnsAtOnce() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new)) {
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "shutdown() with nothing serving returns");
            server.serveForever(HOUR); // returns at once: the early shutdown is not lost (CPython E2)
            // ... and it is consumed: the following loop serves normally until the next shutdown
            try (Serving serving = Serving.start(server, HOUR)) {
                assertEquals("x\n", Clients.echo(server.serverAddress(), "x\n"));
            }
        }
    }

    /** handleRequest() ignores shutdown (CPython); a shutdown() during it must not stop a later serveForever(). */
    @Test
    void shutdownDuringHandleRequestLeavesNoStopForTheNextLoop() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        class Held extends StreamRequestHandler {
            @Override
            protected void handle() throws Exception {
                inHandler.countDown();
                release.await();
                wfile().write(rfile().readLine());
            }
        }
        // synchronous: handleRequest() is still running while its handler waits
        try (TCPServer server = new TCPServer(LOOPBACK, Held::new);
             SocketChannel first = Clients.connect(server.serverAddress())) {
            Thread once = Thread.ofPlatform().start(() -> {
                try {
                    server.handleRequest(Duration.ofSeconds(20));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(inHandler.await(20, TimeUnit.SECONDS));
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "nothing to wait for: no serveForever runs");
            release.countDown();
            Clients.send(first, "one\n");
            assertEquals("one\n", Clients.readLine(first));
            assertTrue(once.join(Duration.ofSeconds(20)));
            try (Serving serving = Serving.start(server, HOUR)) {
                assertEquals("two\n", Clients.echo(server.serverAddress(), "two\n"), "the next loop serves");
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void shutdownFromAHandlerOnTheServingThreadDoesNotDeadlock() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        class StopAfterReply extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                wfile().write(rfile().readLine());
                handled.incrementAndGet();
                server().shutdown(); // same thread as serveForever: must request the stop and return
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, StopAfterReply::new)) {
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    server.serveForever(HOUR);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertEquals("bye\n", Clients.echo(server.serverAddress(), "bye\n"));
            assertTrue(loop.join(Duration.ofSeconds(20)), "the loop ended after the current request");
            assertEquals(1, handled.get());
        }
    }

    /** DESIGN §4.3: CPython busy-spins here (E6); this loop ends, calling serviceActions at most once. */
    @Test
    void serverCloseDuringServeForeverEndsTheLoopWithoutSpinning() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        TCPServer server = new TCPServer(LOOPBACK, Echo::new) {
            @Override
            protected void serviceActions() {
                turns.incrementAndGet();
            }
        };
        Thread loop = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever(HOUR);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        awaitState(server, ServerState.SERVING);
        server.serverClose();
        assertTrue(loop.join(Duration.ofSeconds(20)), "serveForever returned after serverClose");
        assertTrue(turns.get() <= 1, "the loop spun " + turns.get() + " times");
        assertEquals(-1, server.fileno());
        assertEquals(ServerState.CLOSED, server.state());
        assertThrows(IllegalStateException.class, () -> server.serveForever(HOUR), "serving a closed server");
    }

    @Test
    void serveForeverRefusesToRunTwiceAtOnce() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new); Serving serving = Serving.start(server, HOUR)) {
            awaitState(server, ServerState.SERVING);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.serveForever(HOUR));
            assertTrue(e.getMessage().contains("serveForever"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> server.handleRequest(Duration.ZERO));
        }
    }

    /** CPython E42/E43 analogue: a threading server's shutdown does not wait for handlers; serverClose does. */
    @Test
    void threadingShutdownDoesNotWaitForHandlersButServerCloseDoes() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        class Blocking extends StreamRequestHandler {
            @Override
            protected void handle() throws Exception {
                inHandler.countDown();
                release.await();
            }
        }
        TCPServer server = new TCPServer(LOOPBACK, Blocking::new, new ThreadingMixIn());
        try (SocketChannel client = Clients.connect(server.serverAddress())) {
            Thread loop = Thread.ofPlatform().start(() -> {
                try {
                    server.serveForever(HOUR);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(inHandler.await(20, TimeUnit.SECONDS));
            assertTrue(server.shutdown(Duration.ofSeconds(20)), "shutdown returned while a handler runs");
            assertTrue(loop.join(Duration.ofSeconds(20)));
            assertFalse(server.serverClose(Duration.ofMillis(50)), "serverClose waits for the running handler");
            release.countDown();
            assertTrue(server.serverClose(Duration.ofSeconds(20)), "serverClose returns once handlers end");
            assertEquals(0, Clients.drain(client));
        } finally {
            release.countDown();
            server.serverClose();
        }
    }

    /** CPython test_close_immediately (scenario 14). */
    @Test
    void threadingServerClosedImmediatelyRaisesNothing() throws Exception {
        TCPServer server = new TCPServer(LOOPBACK, Echo::new, new ThreadingMixIn());
        assertTrue(server.serverClose(Duration.ofSeconds(5)));
        assertEquals(-1, server.fileno());
    }

    static void awaitState(TCPServer server, ServerState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server never reached " + state + ", is " + server.state());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
