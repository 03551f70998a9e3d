package dev.socketserver.impl;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.UDPServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import dev.socketserver.impl.DatagramFixtures.Serving;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's {@code ThreadingUDPServer} starts a thread per datagram, so a slow handler delays no
 * other datagram. The same holds here for both threading mix-ins on both datagram families: datagrams
 * sent by another client right behind the slow one (so that they are ready at the same wake-up of the
 * loop, where a batching policy would queue them behind it) are all answered while it blocks.
 *
 * <p>{@link #OTHERS} stays below Linux's default Unix datagram queue length
 * ({@code net.unix.max_dgram_qlen}, 10): the replies arrive all at once at the client, which reads
 * them only after sending.
 */
class DatagramIsolationTest {

    static final int OTHERS = 8;
    static volatile CountDownLatch slowEntered;
    static volatile CountDownLatch release;

    /** Blocks on the datagram "slow" until the test releases it; echoes everything else at once. */
    static final class BlockingEcho extends DatagramRequestHandler {
        @Override
        protected void handle() throws IOException, InterruptedException {
            if (new String(packet(), StandardCharsets.US_ASCII).equals("slow")) {
                slowEntered.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS), "released");
            }
            wfile().write(packet());
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"UDP4, THREADING", "UDP4, VIRTUAL", "UNIX, THREADING", "UNIX, VIRTUAL"})
    void aBlockedHandlerDelaysNoOtherDatagram(Family family, Mode mode) throws Exception {
        slowEntered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();
        try (UDPServer server = DatagramFixtures.server(family, mode, dir, BlockingEcho::new, failures);
             Serving serving = Serving.start(server);
             DatagramClient slowClient = family.client(server, dir);
             DatagramClient other = family.client(server, dir)) {
            slowClient.send("slow".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < OTHERS; i++) { // right behind it, without waiting
                other.send(("d" + i).getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(slowEntered.await(10, TimeUnit.SECONDS), "the slow handler started");
            Set<String> replies = new HashSet<>();
            for (int i = 0; i < OTHERS; i++) {
                replies.add(new String(other.receive(Duration.ofSeconds(10)), StandardCharsets.US_ASCII));
            }
            assertEquals(OTHERS, replies.size(), "every other datagram was answered while one handler blocked");
            assertEquals(1, release.getCount(), "and the slow one was still blocked meanwhile");
            release.countDown();
            assertEquals("slow", new String(slowClient.receive(Duration.ofSeconds(10)), StandardCharsets.US_ASCII));
            serving.stop();
            assertEquals(OTHERS + 1, server.stats().requestsHandled());
            assertTrue(failures.isEmpty(), () -> "no handleError: " + failures);
        } finally {
            release.countDown();
        }
    }
}
