package dev.socketserver.impl;

import dev.socketserver.BaseServer;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's suite: {@code shutdown()}, {@code serverClose()} and {@code close()} called at once from
 * three threads while clients keep connecting and talking. Every round must end within a bound, the
 * loop must return without a failure, and after all rounds no descriptor or platform thread is left.
 */
class ShutdownRaceTest {

    private static final int ROUNDS = Soak.scaled(25, 200);
    private static final int CLIENTS = 8;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threading", "virtual"})
    void closingFromThreeThreadsAtOnceUnderTrafficLeavesNothingBehind(String mode) throws Exception {
        round(mode); // warm-up: lazily made pollers and threads are not leaks
        int fdBaseline = ProcSelf.descriptors();
        int threadBaseline = ProcSelf.threads();
        for (int i = 0; i < ROUNDS; i++) {
            round(mode);
        }
        int fds = ProcSelf.settlesAtMost(ProcSelf::descriptors, fdBaseline, BOUND);
        assertTrue(fds <= fdBaseline, "descriptors left over after " + ROUNDS + " rounds: " + (fds - fdBaseline));
        int threads = ProcSelf.settlesAtMost(ProcSelf::threads, threadBaseline, BOUND);
        assertTrue(threads <= threadBaseline, "platform threads left over: " + (threads - threadBaseline));
    }

    private static void round(String mode) throws Exception {
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), ConnectionMixTest.LineEcho::new,
                mode.equals("virtual") ? new VirtualThreadingMixIn() : new ThreadingMixIn(), false);
        // with CPython's backlog of 5 the clients' SYNs are dropped and retried after 1 s: every round
        // then waits a second for its clients, which proves nothing and made the test take 90 s
        server.setRequestQueueSize(128);
        server.serverBind();
        server.serverActivate();
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever(Duration.ofMillis(5));
            } catch (Throwable t) {
                loopFailure.set(t);
            }
        });
        AtomicBoolean talking = new AtomicBoolean(true);
        CountDownLatch someTraffic = new CountDownLatch(CLIENTS);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                boolean counted = false;
                while (talking.get()) {
                    try (SocketChannel ch = SocketChannel.open(server.serverAddress())) {
                        ch.write(ByteBuffer.wrap("ping\n".getBytes()));
                        ch.read(ByteBuffer.allocate(16));
                        if (!counted) {
                            someTraffic.countDown();
                            counted = true;
                        }
                    } catch (IOException e) {
                        // the server closed under the client: expected during the race
                        if (!counted) {
                            someTraffic.countDown();
                            counted = true;
                        }
                    }
                }
            }));
        }
        assertTrue(someTraffic.await(BOUND.toSeconds(), TimeUnit.SECONDS), "clients reached the server");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> closers = new ArrayList<>();
        for (Runnable close : List.<Runnable>of(server::shutdown, server::serverClose, server::close)) {
            closers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                close.run();
            }));
        }
        go.countDown();
        for (Thread closer : closers) {
            assertTrue(closer.join(BOUND), "a shutdown/serverClose/close call did not return");
        }
        assertTrue(loop.join(BOUND), "serveForever did not return");
        talking.set(false);
        for (Thread client : clients) {
            assertTrue(client.join(BOUND), "a client did not finish");
        }
        assertTrue(server.serverClose(BOUND), "handlers still running after the close");
        assertNull(loopFailure.get(), () -> "serveForever failed: " + loopFailure.get());
        assertTrue(server.fileno() == -1 && server.stats().openRequests() == 0, "closed, nothing open: " + server.stats().openRequests());
        closeQuietly(server);
    }

    private static void closeQuietly(BaseServer<?> server) {
        server.serverClose(Duration.ZERO);
    }
}
