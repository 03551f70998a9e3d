package dev.socketserver.impl.nio;

import dev.socketserver.impl.Clients;
import dev.socketserver.impl.poller.EdgePoller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.net.SocketTimeoutException;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's edge-triggered wait for connections on virtual threads ({@link ChannelConnection},
 * {@link EdgePoller}): blocking semantics, wake-ups on close, interrupt and shutdown, partial reads and
 * full send buffers, and the JDK's own blocking read kept for platform threads. The test JVM runs with
 * both engine flags, so the poller is on here; {@link NativeAccessTest} covers JVMs where it is off.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelConnectionTest {

    private static final long WAIT_SECONDS = 20;

    private ServerSocketChannel listener;
    private SocketChannel client;
    private ChannelConnection served;

    @BeforeEach
    void connect() throws IOException {
        assertTrue(EdgePoller.enabled(), "the test JVM runs with --enable-native-access and --add-exports");
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = Clients.connect(listener.getLocalAddress());
        served = new ChannelConnection(listener.accept(), EdgePoller.get());
    }

    @AfterEach
    void close() throws IOException {
        served.close();
        client.close();
        listener.close();
    }

    private boolean attached() {
        return served.readinessForTest() != null;
    }

    private boolean registered() {
        return served.readinessForTest() instanceof PolledReadiness polled && polled.registered();
    }

    private boolean readerParked() {
        return served.readinessForTest() instanceof PolledReadiness polled && polled.readerParked();
    }

    private boolean writerParked() {
        return served.readinessForTest() instanceof PolledReadiness polled && polled.writerParked();
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
        awaitCondition(this::readerParked, "the reader is parked");
        assertTrue(attached());
        Clients.send(client, "ping");
        assertEquals("ping", await(read));
    }

    @Test
    void aReadThatFindsItsDataWaitingNeverJoinsTheEpollSet() throws Exception {
        Clients.send(client, "ready");
        // a platform thread's read blocks in the kernel until the bytes are there (no poller involved)
        assertEquals(1, served.read(ByteBuffer.allocate(1)));
        assertFalse(attached());
        AtomicReference<Thread> reader = new AtomicReference<>();
        ByteBuffer rest = ByteBuffer.allocate(4);
        assertEquals(4, await(onVirtualThread(() -> served.read(rest), reader)));
        assertEquals("eady", new String(rest.array(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(attached(), "the virtual thread's read attached the connection");
        assertFalse(registered(), "no wait, so no epoll_ctl");
    }

    @Test
    void aReadThatMustWaitJoinsTheEpollSetAndClosingLeavesIt() throws Exception {
        int before = EdgePoller.get().registered();
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(this::readerParked, "the reader is parked");
        assertTrue(registered());
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
        awaitCondition(this::readerParked, "the reader is parked");
        served.close();
        assertInstanceOf(AsynchronousCloseException.class, cause(read));
    }

    @Test
    void interruptingAParkedReaderClosesTheChannel() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(this::readerParked, "the reader is parked");
        reader.get().interrupt();
        assertInstanceOf(ClosedByInterruptException.class, cause(read));
        assertFalse(served.isOpen());
    }

    @Test
    void shutdownInputWakesAParkedReaderWithEndOfStream() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(this::readerParked, "the reader is parked");
        served.shutdownInput();
        assertEquals(-1, await(read));
    }

    @Test
    void peerCloseIsEndOfStream() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(this::readerParked, "the reader is parked");
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
        awaitCondition(this::writerParked, "the writer is parked on a full send buffer");
        ByteBuffer received = ByteBuffer.allocate(payload.length);
        while (received.hasRemaining()) {
            client.read(received);
        }
        assertEquals(payload.length, await(write));
        assertArrayEquals(payload, received.array());
    }

    /**
     * The lost-FIN race (hardening issue, point 1): data and the peer's FIN arrive before the reader
     * looks, so the edge-triggered set reports them in one go. The read returns the data; the next
     * read must see end of stream, though no new edge will ever come. Fails (the second read parks
     * forever) when the hang-up is not kept.
     */
    @Test
    void aHangUpReportedWithTheDataBeforeItIsNotLost() throws Exception {
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> first = onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader);
        awaitCondition(this::readerParked, "the reader is parked, so the connection is registered");
        Clients.send(client, "x");
        assertEquals(1, await(first));
        Clients.send(client, "data");
        client.shutdownOutput();
        awaitCondition(() -> served.readinessForTest().inputEnded, "the poller reported the hang-up");
        ByteBuffer buffer = ByteBuffer.allocate(64);
        assertEquals(4, await(onVirtualThread(() -> served.read(buffer), reader)));
        assertEquals(-1, await(onVirtualThread(() -> served.read(ByteBuffer.allocate(64)), reader)),
                "end of stream after the data, with no new edge");
    }

    /** A real timeout: no timer thread, the read throws, the connection stays usable (Python's settimeout). */
    @Test
    void aTimedReadThrowsAndTheConnectionStaysUsable() throws Exception {
        served.setTimeout(Duration.ofMillis(100));
        assertThrows(SocketTimeoutException.class, () -> served.read(ByteBuffer.allocate(8)), "platform thread");
        AtomicReference<Thread> reader = new AtomicReference<>();
        assertInstanceOf(SocketTimeoutException.class,
                cause(onVirtualThread(() -> served.read(ByteBuffer.allocate(8)), reader)), "virtual thread");
        assertInstanceOf(PolledReadiness.class, served.readinessForTest(), "a timed wait goes through the poller");
        Clients.send(client, "late");
        ByteBuffer buffer = ByteBuffer.allocate(8);
        assertEquals(4, served.read(buffer), "the input side is still open after a timeout");
    }

    /** Without the poller (no native access), a timeout waits on a selector of the connection's own. */
    @Test
    void withoutThePollerATimedReadUsesASelector() throws Exception {
        try (SocketChannel other = Clients.connect(listener.getLocalAddress());
             ChannelConnection fallback = new ChannelConnection(listener.accept(), null)) {
            fallback.setTimeout(Duration.ofMillis(100));
            assertThrows(SocketTimeoutException.class, () -> fallback.read(ByteBuffer.allocate(8)));
            assertInstanceOf(SelectorReadiness.class, fallback.readinessForTest());
            Clients.send(other, "ok");
            assertEquals(2, fallback.read(ByteBuffer.allocate(8)));
            other.shutdownOutput();
            assertEquals(-1, fallback.read(ByteBuffer.allocate(8)));
        }
    }

    /** Without the poller and without a timeout nothing attaches: the JDK's blocking calls wait. */
    @Test
    void withoutThePollerAndATimeoutTheChannelStaysBlocking() throws Exception {
        try (SocketChannel other = Clients.connect(listener.getLocalAddress());
             ChannelConnection plain = new ChannelConnection(listener.accept(), null)) {
            AtomicReference<Thread> reader = new AtomicReference<>();
            CompletableFuture<Integer> read = onVirtualThread(() -> plain.read(ByteBuffer.allocate(8)), reader);
            Clients.send(other, "abc");
            assertEquals(3, await(read));
            assertNull(plain.readinessForTest());
            assertTrue(plain.channel().isBlocking());
        }
    }

    @Test
    void aPlatformThreadKeepsTheJdkBlockingRead() throws Exception {
        Clients.send(client, "abc");
        ByteBuffer buffer = ByteBuffer.allocate(3);
        while (buffer.hasRemaining()) {
            served.read(buffer);
        }
        assertFalse(attached(), "no registration for a platform thread");
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
