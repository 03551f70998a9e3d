package dev.socketserver.impl;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.VirtualThreadingMixIn;
import dev.socketserver.MixIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's edge-triggered wait for connections on virtual threads ({@link PolledSocketChannel},
 * {@link EdgePoller}): blocking semantics, wake-ups on close, interrupt and shutdown, partial reads and
 * full send buffers, and the JDK's own blocking read kept for platform threads. The test JVM runs with
 * both engine flags, so the poller is on here; {@link NativeAccessTest} covers JVMs where it is off.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolledSocketChannelTest {

    private static final long WAIT_SECONDS = 20;

    private ServerSocketChannel listener;
    private SocketChannel client;
    private PolledSocketChannel served;

    @BeforeEach
    void connect() throws IOException {
        assertTrue(EdgePoller.enabled(), "the test JVM runs with --enable-native-access and --add-exports");
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = Clients.connect(listener.getLocalAddress());
        served = assertInstanceOf(PolledSocketChannel.class, PolledSocketChannel.wrap(listener.accept()));
    }

    @AfterEach
    void close() throws IOException {
        served.close();
        client.close();
        listener.close();
    }

    /** Runs a task on a fresh virtual thread, as VirtualThreadingMixIn runs a handler. */
    private static <T> CompletableFuture<T> onVirtualThread(ThrowingSupplier<T> task, AtomicReference<Thread> thread) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.set(Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }));
        return result;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A bounded wait for a state no callback announces (a thread parked in the poller). */
    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.onSpinWait();
        }
    }

    private static Throwable cause(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void aReadOnAVirtualThreadWaitsForDataThroughThePoller() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<String> read = onVirtualThread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = served.read(buffer);
            return new String(buffer.array(), 0, n);
        }, reader);
        awaitCondition(served::readerParked, "the reader is parked");
        assertTrue(served.attached());
        assertTrue(served.isBlocking(), "callers still see a blocking channel");
        Clients.send(client, "ping");
        assertEquals("ping", await(read));
    }

    @Test
    void aReadThatFindsItsDataWaitingNeverJoinsTheEpollSet() throws Exception {
        Clients.send(client, "ready");
        // a platform thread's read blocks in the kernel until the bytes are there (no poller involved)
        assertEquals(1, served.read(ByteBuffer.allocate(1)));
        assertFalse(served.attached());
        AtomicReference<Thread> reader = new AtomicReference<>();
        ByteBuffer rest = ByteBuffer.allocate(4);
        assertEquals(4, await(onVirtualThread(() -> served.read(rest), reader)));
        assertEquals("eady", new String(rest.array(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(served.attached(), "the virtual thread's read attached the connection");
        assertFalse(served.registered(), "no wait, so no epoll_ctl");
    }

    @Test
    void aReadThatMustWaitJoinsTheEpollSetAndClosingLeavesIt() throws Exception {
        int before = EdgePoller.get().registered();
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(served::readerParked, "the reader is parked");
        assertTrue(served.registered());
        assertEquals(before + 1, EdgePoller.get().registered());
        Clients.send(client, "x");
        assertEquals(1, await(read));
        served.close();
        assertEquals(before, EdgePoller.get().registered());
    }

    @Test
    void aReadThatFillsTheBufferLeavesTheRestForTheNextReadWithoutANewEdge() throws Exception {
        byte[] sent = new byte[1000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) i;
        }
        client.write(ByteBuffer.wrap(sent));
        AtomicReference<Thread> reader = new AtomicReference<>();
        byte[] received = await(onVirtualThread(() -> {
            ByteBuffer all = ByteBuffer.allocate(sent.length);
            ByteBuffer small = ByteBuffer.allocate(10); // 100 reads for one edge
            while (all.hasRemaining()) {
                small.clear();
                if (served.read(small) < 0) {
                    throw new AssertionError("end of stream after " + all.position());
                }
                all.put(small.flip());
            }
            return all.array();
        }, reader));
        assertArrayEquals(sent, received);
    }

    @Test
    void closingTheChannelWakesAParkedReader() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(served::readerParked, "the reader is parked");
        served.close();
        assertInstanceOf(AsynchronousCloseException.class, cause(read));
    }

    @Test
    void interruptingAParkedReaderClosesTheChannel() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(served::readerParked, "the reader is parked");
        reader.get().interrupt();
        assertInstanceOf(ClosedByInterruptException.class, cause(read));
        assertFalse(served.isOpen());
    }

    @Test
    void shutdownInputWakesAParkedReaderWithEndOfStream() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(served::readerParked, "the reader is parked");
        served.shutdownInput();
        assertEquals(-1, await(read));
    }

    @Test
    void peerCloseIsEndOfStream() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(served::readerParked, "the reader is parked");
        client.close();
        assertEquals(-1, await(read));
    }

    @Test
    void aWriteLargerThanTheSendBufferParksUntilThePeerReadsAndThenCompletes() throws Exception {
        byte[] payload = new byte[16 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        AtomicReference<Thread> writer = new AtomicReference<>();
        CompletableFuture<Integer> write = onVirtualThread(() -> served.write(ByteBuffer.wrap(payload)), writer);
        awaitCondition(served::writerParked, "the writer is parked on a full send buffer");
        ByteBuffer received = ByteBuffer.allocate(payload.length);
        while (received.hasRemaining()) {
            client.read(received);
        }
        assertEquals(payload.length, await(write));
        assertArrayEquals(payload, received.array());
    }

    @Test
    void nonBlockingModeAfterAttachingReturnsZeroInsteadOfWaiting() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        Clients.send(client, "x");
        assertEquals(1, await(onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), thread)));
        served.configureBlocking(false);
        assertEquals(0, await(onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), thread)));
        assertFalse(served.isBlocking());
    }

    @Test
    void aPlatformThreadKeepsTheJdkBlockingRead() throws Exception {
        Clients.send(client, "abc");
        ByteBuffer buffer = ByteBuffer.allocate(3);
        while (buffer.hasRemaining()) {
            served.read(buffer);
        }
        assertFalse(served.attached(), "no registration for a platform thread");
    }

    /** Each server hands its handler the connection; the handler reports whether it went through the poller. */
    private static boolean servedThroughThePoller(MixIn mixIn) throws Exception {
        CompletableFuture<Boolean> attached = new CompletableFuture<>();
        class Probe extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                wfile().write(rfile().readLine());
                attached.complete(request() instanceof PolledSocketChannel polled && polled.attached());
            }
        }
        int before = EdgePoller.get().registered();
        try (TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Probe::new, mixIn);
             Serving serving = Serving.start(server)) {
            assertEquals("hi\n", Clients.echo(server.serverAddress(), "hi\n"));
            boolean result = await(attached);
            server.shutdown(Duration.ofSeconds(WAIT_SECONDS));
            assertTrue(serving.join());
            server.serverClose(Duration.ofSeconds(WAIT_SECONDS)); // joins the handler threads
            assertEquals(before, EdgePoller.get().registered(), "a closed connection leaves the poller");
            return result;
        }
    }

    @Test
    void virtualThreadingServersUseThePollerAndThreadingServersDoNot() throws Exception {
        assertTrue(servedThroughThePoller(new VirtualThreadingMixIn()));
        assertFalse(servedThroughThePoller(new ThreadingMixIn()));
        assertFalse(servedThroughThePoller(MixIn.synchronous()));
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
