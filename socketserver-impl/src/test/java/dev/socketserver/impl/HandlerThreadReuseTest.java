package dev.socketserver.impl;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.ThreadPerRequestMixIn;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UDPServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How datagram batches find threads: a batch stays open to requests until its thread runs, and a
 * platform thread that finished its batch waits {@code threadKeepAlive} for the next one, ending at
 * once on {@code serverClose()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandlerThreadReuseTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Echoes and records the thread of each request, in order. */
    static final class Recorder extends DatagramRequestHandler {
        static final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        protected void handle() throws IOException {
            threads.add(Thread.currentThread());
            wfile().write(packet());
        }
    }

    /** ThreadingMixIn that counts the threads it creates and can hold them before they run. */
    static final class CountingMixIn extends ThreadingMixIn {
        final AtomicInteger created = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        protected Thread newThread(String serverId, long number, boolean daemon, Runnable task) {
            created.incrementAndGet();
            CountDownLatch held = gate;
            return super.newThread(serverId, number, daemon, () -> {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            });
        }
    }

    private static String echo(UDPServer server, DatagramClient client, String text) throws IOException {
        client.send(text.getBytes(StandardCharsets.US_ASCII));
        assertTrue(server.handleRequest(WAIT), "a request was handled");
        return new String(client.receive(), StandardCharsets.US_ASCII);
    }

    /** A bounded wait for the thread to park (nothing announces it). */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "thread did not park: " + thread.getState());
            Thread.onSpinWait();
        }
    }

    /** No batching: requests taken while earlier threads are busy (held) each get a thread of their own. */
    @Test
    void aBusyThreadIsNeverGivenAnotherRequest() throws Exception {
        Recorder.threads.clear();
        CountingMixIn mixIn = new CountingMixIn();
        mixIn.setThreadKeepAlive(Duration.ofHours(1));
        CountDownLatch gate = new CountDownLatch(1);
        mixIn.gate = gate;
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), Recorder::new, mixIn);
             DatagramClient client = DatagramClient.udp(server.inetServerAddress())) {
            for (int i = 0; i < 5; i++) {
                client.send(("d" + i).getBytes(StandardCharsets.US_ASCII));
                assertTrue(server.handleRequest(WAIT));
            }
            gate.countDown();
            Set<String> replies = new java.util.HashSet<>();
            for (int i = 0; i < 5; i++) {
                replies.add(new String(client.receive(), StandardCharsets.US_ASCII));
            }
            assertEquals(5, replies.size());
            assertEquals(5, mixIn.created.get(), "five threads for five requests taken while none had run");
            assertEquals(5, Set.copyOf(Recorder.threads).size());
            assertTrue(server.serverClose(WAIT));
        }
    }

    @Test
    void anIdleThreadTakesTheNextRequest() throws Exception {
        Recorder.threads.clear();
        CountingMixIn mixIn = new CountingMixIn();
        mixIn.setThreadKeepAlive(Duration.ofHours(1));
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), Recorder::new, mixIn);
             DatagramClient client = DatagramClient.udp(server.inetServerAddress())) {
            assertEquals("a", echo(server, client, "a"));
            Thread first = Recorder.threads.get(0);
            awaitParked(first);
            assertEquals("b", echo(server, client, "b"));
            assertSame(first, Recorder.threads.get(1));
            assertEquals(1, mixIn.created.get());

            assertTrue(server.serverClose(WAIT));
            assertTrue(first.join(WAIT), "serverClose() ends an idle thread at once, not after its hour");
        }
    }

    @Test
    void withKeepAliveZeroEachRequestGetsANewThread() throws Exception {
        Recorder.threads.clear();
        CountingMixIn mixIn = new CountingMixIn();
        mixIn.setThreadKeepAlive(Duration.ZERO);
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), Recorder::new, mixIn);
             DatagramClient client = DatagramClient.udp(server.inetServerAddress())) {
            assertEquals("a", echo(server, client, "a"));
            assertTrue(Recorder.threads.get(0).join(WAIT), "the thread ends with its request");
            assertEquals("b", echo(server, client, "b"));
            assertNotSame(Recorder.threads.get(0), Recorder.threads.get(1));
            assertEquals(2, mixIn.created.get());
            assertTrue(server.serverClose(WAIT));
        }
    }

    /** The automatic keep-alives are finite: 50 ms for platform threads, none for virtual ones. */
    @Test
    void byDefaultIdleThreadsEndOnTheirOwn() throws Exception {
        for (ThreadPerRequestMixIn<?> mixIn : List.of(new ThreadingMixIn(), new VirtualThreadingMixIn())) {
            Recorder.threads.clear();
            assertNull(mixIn.threadKeepAlive(), "automatic");
            try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), Recorder::new, mixIn);
                 DatagramClient client = DatagramClient.udp(server.inetServerAddress())) {
                assertEquals("a", echo(server, client, "a"));
                assertTrue(Recorder.threads.get(0).join(WAIT), "no serverClose() needed for the thread to end");
            }
        }
    }

    @Test
    void threadKeepAliveIsValidatedAndFixedAtBind() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ThreadingMixIn().setThreadKeepAlive(Duration.ofMillis(-1)));
        ThreadingMixIn mixIn = new ThreadingMixIn().setThreadKeepAlive(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(1), mixIn.threadKeepAlive());
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), Recorder::new, mixIn)) {
            assertThrows(IllegalStateException.class, () -> mixIn.setThreadKeepAlive(null));
        }
    }
}
