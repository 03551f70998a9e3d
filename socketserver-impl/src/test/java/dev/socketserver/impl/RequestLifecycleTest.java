package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.BaseServer;
import dev.socketserver.MixIn;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request pipeline: CPython scenarios 17–20 and 26, E14 call orders, handleTimeout, and DESIGN §4.4
 * (every accepted request closed exactly once on every path).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestLifecycleTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    /** A server that logs the pipeline's calls, CPython's BaseErrorTestServer. */
    static class LoggingServer extends TCPServer {
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger shutdownRequests = new AtomicInteger();
        final AtomicReference<Throwable> handledError = new AtomicReference<>();
        final CountDownLatch requestClosed = new CountDownLatch(1);

        LoggingServer(java.util.function.Supplier<? extends StreamRequestHandler> handler, MixIn mixIn) throws IOException {
            super(LOOPBACK, handler, mixIn);
        }

        @Override
        protected void handleError(Connection request, SocketAddress clientAddress, Throwable error) {
            log.add("Error handled");
            handledError.set(error);
        }

        @Override
        protected void shutdownRequest(Connection request) {
            shutdownRequests.incrementAndGet();
            super.shutdownRequest(request);
            requestClosed.countDown();
        }
    }


    /** Scenarios 17 and 19: handleError is called for an exception in handle(), and the server keeps serving. */
    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void handlerExceptionGoesToHandleErrorAndTheServerKeepsServing(Concurrency concurrency) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoggingServer[] holder = new LoggingServer[1];
        class BadOnce extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                if (calls.getAndIncrement() == 0) {
                    holder[0].log.add("Handler called");
                    throw new IllegalArgumentException("boom");
                }
                wfile().write(rfile().readLine());
            }
        }
        try (LoggingServer server = new LoggingServer(BadOnce::new, concurrency.newMixIn())) {
            holder[0] = server;
            try (Serving serving = Serving.start(server)) {
                try (SocketChannel c = Clients.connect(server.serverAddress())) {
                    assertEquals(0, Clients.drain(c), "the failed request is closed");
                }
                assertTrue(server.requestClosed.await(20, TimeUnit.SECONDS));
                assertEquals("again\n", Clients.echo(server.serverAddress(), "again\n"));
            }
            assertEquals(List.of("Handler called", "Error handled"), server.log);
            assertEquals("boom", server.handledError.get().getMessage());
            assertEquals(1, server.stats().errors());
            assertEquals(2, server.shutdownRequests.get());
        }
    }

    /** Scenario 18 / E8: an Error is not an Exception: a synchronous loop ends after closing the request. */
    @Test
    void errorFromHandlerEndsASynchronousLoopAfterClosingTheRequest() throws Exception {
        class Fatal extends StreamRequestHandler {
            @Override
            protected void handle() {
                throw new StackOverflowError("fatal");
            }
        }
        try (LoggingServer server = new LoggingServer(Fatal::new, MixIn.synchronous());
             SocketChannel client = Clients.connect(server.serverAddress())) {
            Error e = assertThrows(Error.class, () -> server.serveForever(Duration.ofHours(1)));
            assertEquals("fatal", e.getMessage());
            assertEquals(0, Clients.drain(client), "the client sees EOF");
            assertEquals(1, server.shutdownRequests.get());
            assertTrue(server.log.isEmpty(), "handleError is not called for an Error");
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "a later shutdown() does not block (E9)");
        }
    }

    /** Scenario 20: in a handler thread an Error goes to the thread's uncaught handler, not handleError. */
    @Test
    void errorInAHandlerThreadIsNotPassedToHandleErrorAndTheServerKeepsServing() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        class FatalOnce extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                if (calls.getAndIncrement() == 0) {
                    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
                        uncaught.set(e);
                        reported.countDown();
                    });
                    throw new AssertionError("fatal in thread");
                }
                wfile().write(rfile().readLine());
            }
        }
        try (LoggingServer server = new LoggingServer(FatalOnce::new, new ThreadingMixIn());
             Serving serving = Serving.start(server)) {
            try (SocketChannel c = Clients.connect(server.serverAddress())) {
                assertEquals(0, Clients.drain(c));
            }
            assertTrue(reported.await(20, TimeUnit.SECONDS));
            assertEquals("fatal in thread", uncaught.get().getMessage());
            assertTrue(server.log.isEmpty());
            assertEquals("still\n", Clients.echo(server.serverAddress(), "still\n"));
        }
    }

    /** Scenario 26 / E12: verifyRequest false → shutdownRequest exactly once; the client sees EOF. */
    @Test
    void refusedRequestIsShutDownExactlyOnce() throws Exception {
        AtomicInteger handlers = new AtomicInteger();
        class Counting extends StreamRequestHandler {
            @Override
            protected void handle() {
                handlers.incrementAndGet();
            }
        }
        try (LoggingServer server = new LoggingServer(Counting::new, MixIn.synchronous()) {
            @Override
            protected boolean verifyRequest(Connection request, SocketAddress clientAddress) {
                return false;
            }
        }; SocketChannel client = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals(1, server.shutdownRequests.get());
            assertEquals(0, handlers.get());
            assertEquals(0, Clients.drain(client));
        }
    }

    /** DESIGN §4.4: CPython leaks the connection when verifyRequest throws (E10); here it is closed once. */
    @Test
    void throwingVerifyRequestClosesTheRequestOnceAndPropagates() throws Exception {
        try (LoggingServer server = new LoggingServer(Echo::new, MixIn.synchronous()) {
            @Override
            protected boolean verifyRequest(Connection request, SocketAddress clientAddress) {
                throw new IllegalStateException("verify failed");
            }
        }; SocketChannel client = Clients.connect(server.serverAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("verify failed", e.getMessage());
            assertEquals(1, server.shutdownRequests.get());
            assertEquals(0, Clients.drain(client));
        }
    }

    /** DESIGN §4.4: CPython skips shutdown_request when handle_error throws; here it still runs once. */
    @Test
    void throwingHandleErrorStillClosesTheRequestOnce() throws Exception {
        class Boom extends StreamRequestHandler {
            @Override
            protected void handle() {
                throw new IllegalArgumentException("boom");
            }
        }
        try (LoggingServer server = new LoggingServer(Boom::new, MixIn.synchronous()) {
            @Override
            protected void handleError(Connection request, SocketAddress clientAddress, Throwable error) {
                throw new IllegalStateException("handleError failed", error);
            }
        }; SocketChannel client = Clients.connect(server.serverAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("boom", e.getCause().getMessage());
            assertEquals(1, server.shutdownRequests.get());
            assertEquals(0, Clients.drain(client));
        }
    }

    /** E14: setup raises → setup, handleError, shutdownRequest; finish is not called. */
    @Test
    void setupFailureSkipsHandleAndFinish() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        class BadSetup extends StreamRequestHandler {
            @Override
            protected void setup() throws IOException {
                calls.add("setup");
                throw new IOException("setup failed");
            }

            @Override
            protected void handle() {
                calls.add("handle");
            }

            @Override
            protected void finish() {
                calls.add("finish");
            }
        }
        try (LoggingServer server = new LoggingServer(BadSetup::new, MixIn.synchronous());
             SocketChannel client = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals(List.of("setup"), calls);
            assertEquals(List.of("Error handled"), server.log);
            assertEquals(1, server.shutdownRequests.get());
        }
    }

    /** E14: handle raises → setup, handle, finish, handleError, shutdownRequest. */
    @Test
    void handleFailureStillRunsFinishBeforeHandleError() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        class BadHandle extends StreamRequestHandler {
            @Override
            protected void setup() throws IOException {
                calls.add("setup");
                super.setup();
            }

            @Override
            protected void handle() {
                calls.add("handle");
                throw new IllegalArgumentException("handle failed");
            }

            @Override
            protected void finish() {
                calls.add("finish");
                super.finish();
            }
        }
        try (LoggingServer server = new LoggingServer(BadHandle::new, MixIn.synchronous()) {
            @Override
            protected void handleError(Connection request, SocketAddress clientAddress, Throwable error) {
                calls.add("handleError");
            }

            @Override
            protected void shutdownRequest(Connection request) {
                calls.add("shutdownRequest");
                super.shutdownRequest(request);
            }
        }; SocketChannel client = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals(List.of("setup", "handle", "finish", "handleError", "shutdownRequest"), calls);
        }
    }

    /** E11: with a timeout and no client, handleTimeout runs once and handleRequest reports nothing handled. */
    @Test
    void handleRequestTimesOutAndCallsHandleTimeoutOnce() throws Exception {
        AtomicInteger timeouts = new AtomicInteger();
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new, false) {
            @Override
            protected void handleTimeout() {
                timeouts.incrementAndGet();
            }
        }) {
            server.setTimeout(Duration.ofMillis(50));
            server.serverBind();
            server.serverActivate();
            assertFalse(server.handleRequest());
            assertEquals(1, timeouts.get());
            assertEquals(0, server.stats().received());
        }
    }

    /** handleRequest handles exactly one request, then returns (one connection per call). */
    @Test
    void handleRequestHandlesOneConnection() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new);
             SocketChannel first = Clients.connect(server.serverAddress());
             SocketChannel second = Clients.connect(server.serverAddress())) {
            Clients.send(first, "one\n");
            Clients.send(second, "two\n");
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("one\n", Clients.readLine(first));
            assertEquals(1, server.stats().requestsHandled());
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("two\n", Clients.readLine(second));
        }
    }

    /** The handler sees its request, client address and server (CPython's BaseRequestHandler attributes). */
    @Test
    void handlerSeesRequestClientAddressAndServer() throws Exception {
        AtomicReference<BaseServer<?>> seenServer = new AtomicReference<>();
        AtomicReference<SocketAddress> seenClient = new AtomicReference<>();
        AtomicReference<Boolean> connectionIsRequest = new AtomicReference<>();
        class Inspect extends StreamRequestHandler {
            @Override
            protected void handle() {
                seenServer.set(server());
                seenClient.set(clientAddress());
                connectionIsRequest.set(connection() == request());
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Inspect::new);
             SocketChannel client = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertSame(server, seenServer.get());
            assertEquals(client.getLocalAddress(), seenClient.get());
            assertTrue(connectionIsRequest.get());
        }
    }
}
