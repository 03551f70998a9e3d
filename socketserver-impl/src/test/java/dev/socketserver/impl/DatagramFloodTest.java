package dev.socketserver.impl;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.ErrorKind;
import dev.socketserver.ThreadPerRequestMixIn;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, point 3: a Unix datagram server flooded by clients that never read their replies keeps
 * its work bounded. Each reply to a full reader waits the bounded 5 ms of {@code SendRetry} and is
 * dropped and counted; with a concurrency limit the server never has more than that many requests
 * open (from dispatch to {@code shutdownRequest}, {@code handleError} included), so the live heap
 * after the flood stays near where it started, and the log holds one line for all the drops. Before:
 * +661 MiB (virtual) / +328 MiB (threading), about 4,000 parked threads, 1.2 million log lines.
 */
class DatagramFloodTest {

    private static final int LIMIT = 32;
    private static final int READERS = 32;
    private static final int PER_READER = Soak.scaled(300, 5_000);
    private static final int SIZE = 1024;
    private static final long MOST_HEAP_GROWTH = 64L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /** Sends the datagram back: to a reader that never reads, the reply cannot be sent. */
    static final class Echo extends DatagramRequestHandler {
        @Override
        protected void handle() {
            wfile().writeBytes(packet());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threading", "virtual"})
    void slowReadersCannotMakeTheServerHoldMoreThanItsLimit(String mode, @TempDir Path dir) throws Exception {
        ThreadPerRequestMixIn<?> mixIn = mode.equals("virtual") ? new VirtualThreadingMixIn() : new ThreadingMixIn();
        mixIn.setMaxConcurrentRequests(LIMIT);
        List<DatagramClient> readers = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger mostOpen = new AtomicInteger();
        AtomicLong senderDrops = new AtomicLong();
        try (RecordCapture log = new RecordCapture();
             UnixDatagramServer server = new UnixDatagramServer(UnixDomainSocketAddress.of(dir.resolve("s.sock")), Echo::new, mixIn);
             Serving serving = Serving.start(server)) {
            for (int i = 0; i < READERS; i++) {
                readers.add(DatagramClient.unix(server.serverAddress(), dir.resolve("r" + i + ".sock")));
            }
            long heapBefore = liveHeap();
            long floodStart = System.nanoTime();
            Thread sampler = Thread.ofPlatform().name("open-requests-sampler").start(() -> {
                while (flooding.get()) {
                    mostOpen.accumulateAndGet(server.stats().openRequests(), Math::max);
                    LockSupport.parkNanos(100_000);
                }
            });
            List<Thread> senders = new ArrayList<>();
            for (DatagramClient reader : readers) {
                senders.add(Thread.ofPlatform().start(() -> {
                    byte[] data = new byte[SIZE];
                    for (int n = 0; n < PER_READER; n++) {
                        try {
                            reader.send(data);
                        } catch (IOException e) {
                            senderDrops.incrementAndGet(); // the server's queue stayed full: a flood does that
                        }
                    }
                }));
            }
            for (Thread sender : senders) {
                assertTrue(sender.join(SETTLE), "a sender did not finish");
            }
            long heapAfter = liveHeap();
            assertEquals(0, ProcSelf.settlesAtMost(() -> server.stats().openRequests(), 0, SETTLE), "requests open after the flood");
            flooding.set(false);
            assertTrue(sampler.join(SETTLE));

            long received = server.stats().received();
            System.out.printf("DatagramFloodTest %s: %d sent, %d dropped by the sender, %d received, %d replies dropped, "
                            + "most open %d (limit %d), live heap %+.1f MiB%n", mode, (long) READERS * PER_READER,
                    senderDrops.get(), received, server.stats().dropped(), mostOpen.get(), LIMIT,
                    (heapAfter - heapBefore) / 1048576.0);
            assertTrue(mostOpen.get() <= LIMIT, "open requests reached " + mostOpen.get() + " with a limit of " + LIMIT);
            assertTrue(heapAfter - heapBefore < MOST_HEAP_GROWTH,
                    "live heap grew by " + (heapAfter - heapBefore) / 1048576 + " MiB");
            assertEquals(received, server.stats().requestsHandled(), "every datagram received was handled");
            assertTrue(server.stats().dropped() > 0, "replies to readers that never read were dropped");
            assertEquals(server.stats().dropped(), server.stats().errors(ErrorKind.PEER_GONE), "each drop counted as PEER_GONE");
            long lines = RecordCapture.lines(log.records());
            long intervals = 1 + (System.nanoTime() - floodStart) / TimeUnit.SECONDS.toNanos(10); // one line per 10 s
            assertTrue(lines <= 2 * intervals, "log lines for " + server.stats().dropped() + " dropped replies over "
                    + intervals + " interval(s) of 10 s: " + lines);
        } finally {
            flooding.set(false);
            for (DatagramClient reader : readers) {
                reader.close();
            }
        }
    }

    /** Heap in use after a full collection: what the flood left alive. */
    private static long liveHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
