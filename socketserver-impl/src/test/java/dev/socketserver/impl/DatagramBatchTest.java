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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Datagram dispatch under the threading mix-ins: datagrams taken at one wake-up share a handler thread
 * (ThreadPerRequestMixIn.requestsPerThread), each still with its own handler and reply.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatagramBatchTest {

    static final int QUEUED = 10;

    /** Records the thread of each request and echoes the datagram. */
    static final class ThreadRecorder extends DatagramRequestHandler {
        static final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        protected void handle() throws IOException {
            threads.add(Thread.currentThread());
            wfile().write(packet());
        }
    }

    /** Ten datagrams queued before the loop starts are all ready at its first wake-up. */
    private static Set<Thread> threadsForQueuedDatagrams(ThreadPerRequestMixIn mixIn) throws Exception {
        ThreadRecorder.threads.clear();
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), ThreadRecorder::new, mixIn);
             DatagramClient client = DatagramClient.udp((InetSocketAddress) server.serverAddress())) {
            for (int i = 0; i < QUEUED; i++) {
                client.send(("d" + i).getBytes(StandardCharsets.US_ASCII));
            }
            try (Serving serving = Serving.start(server, Duration.ofHours(1))) {
                Set<String> replies = new HashSet<>();
                for (int i = 0; i < QUEUED; i++) {
                    replies.add(new String(client.receive(), StandardCharsets.US_ASCII));
                }
                assertEquals(QUEUED, replies.size(), "every datagram got its own reply: " + replies);
            }
            assertEquals(QUEUED, server.stats().requestsHandled());
            assertEquals(0, mixIn.trackedThreads());
        }
        return Set.copyOf(ThreadRecorder.threads);
    }

    @Test
    void queuedDatagramsShareOneThreadByDefault() throws Exception {
        assertEquals(1, threadsForQueuedDatagrams(new ThreadingMixIn()).size());
        assertEquals(1, threadsForQueuedDatagrams(new VirtualThreadingMixIn()).size());
    }

    @Test
    void oneRequestPerThreadRestoresCPythonsThreadPerDatagram() throws Exception {
        assertEquals(QUEUED, threadsForQueuedDatagrams(new ThreadingMixIn().setRequestsPerThread(1)).size());
    }

    @Test
    void aBatchIsCutAtRequestsPerThread() throws Exception {
        Set<Thread> threads = threadsForQueuedDatagrams(new VirtualThreadingMixIn().setRequestsPerThread(3));
        assertTrue(threads.size() >= 4, "10 datagrams at 3 per thread need at least 4 threads: " + threads.size());
    }

    /** An Error in one handler of a batch does not leave the others unhandled or unclosed. */
    @Test
    void anErrorInOneRequestOfABatchStillHandlesTheRest() throws Exception {
        class FatalFirst extends DatagramRequestHandler {
            @Override
            protected void handle() throws IOException {
                if (packet()[0] == 'X') {
                    throw new AssertionError("fatal in a batch");
                }
                wfile().write(packet());
            }
        }
        ThreadingMixIn mixIn = new ThreadingMixIn();
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), FatalFirst::new, mixIn);
             DatagramClient client = DatagramClient.udp((InetSocketAddress) server.serverAddress())) {
            client.send("X".getBytes(StandardCharsets.US_ASCII));
            client.send("ok".getBytes(StandardCharsets.US_ASCII));
            try (Serving serving = Serving.start(server, Duration.ofHours(1))) {
                assertEquals("", new String(client.receive(), StandardCharsets.US_ASCII), "finish() still sends the (empty) reply");
                assertEquals("ok", new String(client.receive(), StandardCharsets.US_ASCII));
            }
            assertTrue(server.serverClose(Duration.ofSeconds(10)));
            assertEquals(0, mixIn.trackedThreads());
        }
    }

    @Test
    void requestsPerThreadIsValidatedAndFixedAtBind() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ThreadingMixIn().setRequestsPerThread(-1));
        ThreadingMixIn mixIn = new ThreadingMixIn();
        try (UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), ThreadRecorder::new, mixIn)) {
            assertThrows(IllegalStateException.class, () -> mixIn.setRequestsPerThread(4));
        }
    }
}
