package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UnixStreamServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request path: one turn per request, the same request type everywhere, one-way dispatch. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestPathTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    /**
     * CPython calls service_actions once per turn of serve_forever, and a turn handles one request:
     * after a burst of k requests it has run k times. (It used to run k + 1 times here.)
     */
    @Test
    void serviceActionsRunsOncePerRequestAfterABurst() throws Exception {
        int burst = 5;
        AtomicInteger actions = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(burst);
        class Counted extends StreamRequestHandler {
            @Override
            protected void handle() {
                handled.countDown();
            }
        }
        TCPServer server = new TCPServer(LOOPBACK, Counted::new, false) {
            @Override
            protected void serviceActions() {
                actions.incrementAndGet();
            }
        };
        server.setRequestQueueSize(burst * 2);
        server.serverBind();
        server.serverActivate();
        List<SocketChannel> clients = new ArrayList<>();
        try (server) {
            for (int i = 0; i < burst; i++) {
                clients.add(Clients.connect(server.serverAddress())); // all queued before the loop starts
            }
            try (Serving serving = Serving.start(server, null)) { // null: serviceActions only after requests
                assertTrue(handled.await(20, TimeUnit.SECONDS));
                for (SocketChannel c : clients) {
                    assertEquals(0, Clients.drain(c), "each request was closed");
                }
                assertTrue(server.shutdown(Duration.ofSeconds(20)));
                assertTrue(serving.join());
            }
            assertEquals(burst, actions.get(), "once per turn, one request per turn");
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }

    /** Every mix-in, TCP and Unix stream, with or without the engine's poller: the handler sees a Connection. */
    @Test
    void everyStreamServerHandsItsHandlerAConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (MixIn mixIn : List.of(MixIn.synchronous(), new ThreadingMixIn(), new VirtualThreadingMixIn(), MixIn.executor(pool))) {
                assertSame(Connection.class, requestTypeOf(new TCPServer(LOOPBACK, Probe::new, mixIn)), mixIn.name());
            }
            UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
            assertSame(Connection.class, requestTypeOf(new UnixStreamServer(path, Probe::new, new VirtualThreadingMixIn())));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    static volatile CompletableFuture<Class<?>> seen;

    static final class Probe extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            wfile().write(rfile().readLine());
            seen.complete(request().getClass());
        }
    }

    private static Class<?> requestTypeOf(TCPServer server) throws Exception {
        seen = new CompletableFuture<>();
        try (server; Serving serving = Serving.start(server)) {
            try (SocketChannel c = Clients.connect(server.serverAddress())) {
                Clients.send(c, "hi\n");
                assertEquals("hi\n", Clients.readLine(c));
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    /** A pool the user supplies: jobs run there, and serverClose() waits for them without shutting it down. */
    @Test
    void anExecutorMixInRunsJobsOnTheUsersPool() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "users-pool"));
        CompletableFuture<String> thread = new CompletableFuture<>();
        class Named extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                thread.complete(Thread.currentThread().getName());
                wfile().write(rfile().readLine());
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Named::new, MixIn.executor(pool));
             Serving serving = Serving.start(server)) {
            try (SocketChannel c = Clients.connect(server.serverAddress())) {
                Clients.send(c, "x\n");
                assertEquals("x\n", Clients.readLine(c));
            }
            assertEquals("users-pool", thread.get(20, TimeUnit.SECONDS));
            assertTrue(server.shutdown(Duration.ofSeconds(20)));
            assertTrue(serving.join());
            assertTrue(server.serverClose(Duration.ofSeconds(20)));
            assertEquals(0, server.stats().activeRequests());
            assertFalse(pool.isShutdown(), "the pool is the user's");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    /**
     * CPython's way of customising dispatch still works: a server subclass whose processRequestThread
     * wraps super's runs on the mix-in's thread, and one whose processRequest starts its own thread
     * calling processRequestThread (a hand-written mix-in) serves and closes each request once.
     */
    @Test
    void overridingProcessRequestAndProcessRequestThreadWorksAsInCPython() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        try (TCPServer wrapped = new TCPServer(LOOPBACK, Echo::new, new VirtualThreadingMixIn()) {
            @Override
            protected void processRequestThread(Connection request, java.net.SocketAddress clientAddress) {
                threads.add(Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName());
                super.processRequestThread(request, clientAddress);
            }
        }; Serving serving = Serving.start(wrapped)) {
            assertEquals("a\n", Clients.echo(wrapped.serverAddress(), "a\n"));
        }
        assertEquals(List.of("virtual"), threads, "the override ran, on the mix-in's thread");

        try (TCPServer handRolled = new TCPServer(LOOPBACK, Echo::new) {
            @Override
            protected void processRequest(Connection request, java.net.SocketAddress clientAddress) {
                Thread.ofPlatform().name("hand-rolled").start(() -> processRequestThread(request, clientAddress));
            }

            @Override
            protected void shutdownRequest(Connection request) {
                closed.incrementAndGet();
                super.shutdownRequest(request);
            }
        }; Serving serving = Serving.start(handRolled)) {
            assertEquals("b\n", Clients.echo(handRolled.serverAddress(), "b\n"));
            assertEquals("c\n", Clients.echo(handRolled.serverAddress(), "c\n"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (closed.get() < 2) { // the hand-rolled thread closes after the client has its echo
                assertTrue(System.nanoTime() < deadline, "both requests closed");
                Thread.onSpinWait();
            }
            assertEquals(2, closed.get(), "each request closed once");
            assertEquals(0, handRolled.stats().openRequests(), "a request the override took is not left counted");
        }
    }

    /** Python's threading.Thread(target=server.serve_forever).start(), in one call. */
    @Test
    void serveForeverInBackgroundServesUntilShutdown() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new)) {
            Thread loop = server.serveForeverInBackground(true);
            assertTrue(loop.isDaemon());
            assertEquals("socketserver-" + server.id() + "-serve", loop.getName());
            assertEquals("hi\n", Clients.echo(server.serverAddress(), "hi\n"));
            server.shutdown(Duration.ofSeconds(20));
            assertTrue(loop.join(Duration.ofSeconds(20)), "the loop ended after shutdown()");
        }
    }
}
