package dev.socketserver.impl;

import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import dev.socketserver.impl.DatagramFixtures.Serving;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input: the largest UDP datagram, empty datagrams (see also
 * {@link DatagramScenariosTest#emptyReplyWhenNothingWritten}), a burst of 10,000 datagrams from many
 * sources, and binds that must fail without deleting anything.
 */
class DatagramBadInputTest {

    /** The largest UDP payload over IPv4: 65,535 - 20 (IP header) - 8 (UDP header). */
    static final int LARGEST_UDP_PAYLOAD = 65_507;
    static final int BURST = 10_000;
    static final int SOURCES = 100;

    @TempDir
    Path dir;

    final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();

    static Stream<Arguments> everyServer() {
        return DatagramScenariosTest.everyServer();
    }

    /** Echoes the packet as received (cut or not). */
    static class PacketEcho extends DatagramRequestHandler {
        @Override
        protected void handle() throws IOException {
            wfile().write(packet());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void largestUdpDatagramIsCutToMaxPacketSizeAndCounted(Family family, Mode mode) throws Exception {
        byte[] big = new byte[LARGEST_UDP_PAYLOAD];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        UDPServer byDefault = DatagramFixtures.server(family, mode, dir, PacketEcho::new, failures);
        try (Serving serving = Serving.start(byDefault); DatagramClient client = family.client(byDefault, dir)) {
            client.send(big);
            assertArrayEquals(Arrays.copyOf(big, UDPServer.DEFAULT_MAX_PACKET_SIZE), client.receive(),
                    "CPython's max_packet_size: the first 8192 bytes");
            serving.stop();
        }
        assertEquals(1, byDefault.stats().datagramsTruncated());
        UDPServer roomy = DatagramFixtures.server(family, mode, dir, PacketEcho::new, failures, s -> s.setMaxPacketSize(65_535));
        try (Serving serving = Serving.start(roomy); DatagramClient client = family.client(roomy, dir)) {
            client.send(big);
            assertArrayEquals(big, client.receive(), "with maxPacketSize 65535 the whole datagram");
            serving.stop();
        }
        assertEquals(0, roomy.stats().datagramsTruncated());
        assertTrue(failures.isEmpty(), failures::toString);
    }

    /**
     * 10,000 datagrams from 100 sources as fast as they go. The server answers what it can and never
     * stops; everything is accounted for: what the kernel dropped before the server saw it (UDP's
     * {@code drops} column in /proc/net; a Unix sender waits instead), what the server received, the
     * replies that arrived, the replies the clients' kernels dropped, and the replies the server
     * counted as dropped.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void burstFromManySourcesIsAnsweredOrCounted(Family family, Mode mode) {
        assertTimeoutPreemptively(Duration.ofSeconds(150), () -> {
            AtomicInteger handled = new AtomicInteger();
            UDPServer server = DatagramFixtures.server(family, mode, dir, () -> new PacketEcho() {
                @Override
                protected void handle() throws IOException {
                    handled.incrementAndGet();
                    super.handle();
                }
            }, failures);
            Burst burst = family == Family.UNIX ? new UnixBurst(server) : new UdpBurst(server);
            try (Serving serving = Serving.start(server); burst) {
                burst.send();
                waitUntil(Duration.ofSeconds(60), () -> server.stats().received() + drops(burst) >= BURST,
                        () -> "received " + server.stats().received() + " + kernel drops " + drops(burst));
                long serverKernelDrops = burst.serverKernelDrops();
                try (DatagramClient probe = family.client(server, dir)) {
                    probe.send("still there?\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("still there?\n", new String(probe.receive(), StandardCharsets.US_ASCII),
                            "the server still answers after the burst");
                }
                // serverClose() closes the socket before it joins the handlers (CPython's order): a
                // reply still in flight then fails with "the server's socket is closed", which is not
                // what this test is about. So let every handler finish first.
                waitUntil(Duration.ofSeconds(60), () -> handled.get() == server.stats().received()
                                && server.stats().activeRequests() == 0,
                        () -> "handled " + handled.get() + " of " + server.stats().received() + ", active "
                                + server.stats().activeRequests());
                serving.stop(); // every reply is now sent or counted
                long received = server.stats().received() - 1;
                long replies = burst.drainReplies();
                long clientDrops = burst.clientKernelDrops();
                long dropped = server.stats().dropped();
                System.out.printf("burst %s %s: sent %d, server kernel drops %d, received %d, replies %d,"
                                + " client kernel drops %d, counted dropped %d, sender retries %d%n",
                        family, mode, BURST, serverKernelDrops, received, replies, clientDrops, dropped, burst.retries());
                assertEquals(BURST, received + serverKernelDrops, "every datagram was received or dropped by the kernel");
                assertEquals(received + 1, handled.get(), "every received datagram was handled");
                assertEquals(received, replies + clientDrops + dropped, "every reply arrived, or was dropped and counted");
                assertTrue(received > 0);
                assertEquals(server.stats().errors(), dropped, "each dropped reply went to handleError");
                failures.forEach(f -> assertTrue(f.error().getMessage().contains("dropped"), f.error().toString()));
            }
        });
    }

    /**
     * A Unix client that never reads: once its queue is full, each further reply waits at most 5 ms,
     * then is dropped, counted and reported; the server keeps answering others meanwhile.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Mode.class)
    void repliesToAClientThatNeverReadsAreDroppedAndCounted(Mode mode) throws Exception {
        Family family = Family.UNIX; // a full UDP receiver drops in its kernel; a full Unix receiver pushes back
        // readAllLines, not readString: /proc files report size 0 and readString returned only "1" of "10"
        int queue = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/unix/max_dgram_qlen")).get(0).strip());
        org.junit.jupiter.api.Assumptions.assumeTrue(queue <= 1000, "max_dgram_qlen " + queue + " is too large to fill quickly");
        int extra = 5;
        int expectedDrops = extra - 1; // Linux queues max_dgram_qlen + 1 datagrams (the check is "more than")
        UDPServer server = DatagramFixtures.server(family, mode, dir, PacketEcho::new, failures);
        try (Serving serving = Serving.start(server);
             DatagramClient deaf = family.client(server, dir);
             DatagramClient other = family.client(server, dir)) {
            for (int i = 0; i < queue + extra; i++) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (true) {
                    try {
                        deaf.send(("r" + i).getBytes(StandardCharsets.US_ASCII));
                        break;
                    } catch (IOException full) { // the server's own queue: retry, bounded
                        assertTrue(System.nanoTime() - deadline < 0, "could not send for 10 s");
                    }
                }
            }
            for (int i = 0; i < expectedDrops; i++) {
                Failure failure = failures.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(failure != null, "a dropped reply reached handleError; received " + server.stats().received()
                        + ", handled " + server.stats().requestsHandled() + ", dropped " + server.stats().dropped()
                        + ", errors " + server.stats().errors() + ", queue " + queue);
                assertTrue(failure.error().getMessage().contains("dropped"), failure.error().getMessage());
            }
            other.send("alive\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("alive\n", new String(other.receive(), StandardCharsets.US_ASCII), "the server goes on");
            serving.stop();
        }
        assertEquals(expectedDrops, server.stats().dropped());
        assertEquals(expectedDrops, server.stats().errors());
        assertEquals(queue + extra + 1, server.stats().received());
    }

    /** The client side of a burst. */
    interface Burst extends AutoCloseable {
        void send() throws Exception;

        long serverKernelDrops() throws IOException;

        long drainReplies() throws IOException;

        long clientKernelDrops() throws IOException;

        long retries();
    }

    /** 100 non-blocking UDP channels, each sending 100 datagrams, all from one thread as fast as it can. */
    final class UdpBurst implements Burst {
        final UDPServer server;
        final InetSocketAddress target;
        final String table;
        final String serverInode;
        final List<DatagramChannel> sources = new ArrayList<>();
        final AtomicLong retries = new AtomicLong();

        UdpBurst(UDPServer server) throws IOException {
            this.server = server;
            this.target = server.inetServerAddress();
            this.table = ProcNet.udpTable(target);
            this.serverInode = ProcNet.socketInode(server.fileno());
            for (int i = 0; i < SOURCES; i++) {
                DatagramChannel channel = DatagramChannel.open();
                sources.add(channel);
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(target.getAddress(), 0));
            }
        }

        @Override
        public void send() throws IOException {
            for (int round = 0; round < BURST / SOURCES; round++) {
                for (DatagramChannel source : sources) {
                    ByteBuffer data = ByteBuffer.wrap(("burst " + round + "\n").getBytes(StandardCharsets.US_ASCII));
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (source.send(data, target) == 0) { // our own send buffer is full: wait for room
                        retries.incrementAndGet();
                        if (System.nanoTime() - deadline > 0) {
                            fail("could not send for 10 s");
                        }
                        LockSupport.parkNanos(100_000);
                    }
                }
            }
        }

        @Override
        public long serverKernelDrops() throws IOException {
            return ProcNet.udpRowByInode(table, serverInode).orElseThrow().drops();
        }

        @Override
        public long drainReplies() throws IOException {
            long replies = 0;
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            for (DatagramChannel source : sources) {
                while (true) {
                    buffer.clear();
                    if (source.receive(buffer) == null) {
                        break;
                    }
                    replies++;
                }
            }
            return replies;
        }

        @Override
        public long clientKernelDrops() throws IOException {
            long drops = 0;
            for (DatagramChannel source : sources) {
                drops += ProcNet.udpDropsByPort(table, ((InetSocketAddress) source.getLocalAddress()).getPort());
            }
            return drops;
        }

        @Override
        public long retries() {
            return retries.get();
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel source : sources) {
                source.close();
            }
        }
    }

    /**
     * 100 Unix datagram sockets bound to paths. A Unix sender is never dropped by the kernel: it gets
     * EAGAIN while the server's queue is full and retries; each client reads its replies as it goes.
     */
    final class UnixBurst implements Burst {
        final SocketAddress target;
        final List<DatagramClient> sources = new ArrayList<>();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong replies = new AtomicLong();

        UnixBurst(UDPServer server) throws IOException {
            this.target = server.serverAddress();
            for (int i = 0; i < SOURCES; i++) {
                sources.add(DatagramClient.unix(target, dir.resolve("burst-" + i + ".sock")));
            }
        }

        @Override
        public void send() throws Exception {
            for (int round = 0; round < BURST / SOURCES; round++) {
                for (DatagramClient source : sources) {
                    byte[] data = ("burst " + round + "\n").getBytes(StandardCharsets.US_ASCII);
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (true) {
                        try {
                            source.send(data);
                            break;
                        } catch (IOException full) { // the server's queue stayed full for 5 ms: try again
                            retries.incrementAndGet();
                            if (System.nanoTime() - deadline > 0) {
                                throw full;
                            }
                        }
                    }
                    while (source.poll() != null) {
                        replies.incrementAndGet();
                    }
                }
            }
        }

        @Override
        public long serverKernelDrops() {
            return 0;
        }

        @Override
        public long drainReplies() throws IOException {
            for (DatagramClient source : sources) {
                while (source.poll() != null) {
                    replies.incrementAndGet();
                }
            }
            return replies.get();
        }

        @Override
        public long clientKernelDrops() {
            return 0;
        }

        @Override
        public long retries() {
            return retries.get();
        }

        @Override
        public void close() throws IOException {
            for (DatagramClient source : sources) {
                source.close();
            }
        }
    }

    private static long drops(Burst burst) {
        try {
            return burst.serverKernelDrops();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for a condition the kernel changes without telling anyone (counters in /proc), bounded. */
    private static void waitUntil(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reached within " + timeout + ": " + state.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    // ------------------------------------------------------------------ binds that must fail

    @Test
    void bindingWhereTheDirectoryDoesNotExistNamesThePath() {
        Path missing = dir.resolve("no-such-dir").resolve("srv.sock");
        IOException e = assertThrows(IOException.class,
                () -> new UnixDatagramServer(UnixDomainSocketAddress.of(missing), EchoHandler::new));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(missing.getParent()), "nothing was created");
    }

    @Test
    void bindingToAnExistingFileNamesThePathAndDeletesNothing() throws Exception {
        Path file = dir.resolve("precious.txt");
        Files.writeString(file, "keep me");
        IOException e = assertThrows(IOException.class,
                () -> new UnixDatagramServer(UnixDomainSocketAddress.of(file), EchoHandler::new));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is not a socket; nothing was deleted"), e.getMessage());
        assertEquals("keep me", Files.readString(file), "the file is untouched");

        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        IOException onDir = assertThrows(IOException.class,
                () -> new UnixDatagramServer(UnixDomainSocketAddress.of(directory), EchoHandler::new));
        assertTrue(onDir.getMessage().contains(directory.toString()), onDir.getMessage());
        assertTrue(Files.isDirectory(directory));
    }

    @Test
    void bindingToALiveServersPathFailsAndLeavesItServing() throws Exception {
        UDPServer first = DatagramFixtures.server(Family.UNIX, Mode.SYNC, dir, EchoHandler::new, failures);
        Path path = ((UnixDomainSocketAddress) first.serverAddress()).getPath();
        try (Serving serving = Serving.start(first)) {
            IOException e = assertThrows(IOException.class,
                    () -> new UnixDatagramServer(UnixDomainSocketAddress.of(path), EchoHandler::new));
            assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("already in use"), e.getMessage());
            try (DatagramClient client = Family.UNIX.client(first, dir)) {
                client.send(DatagramScenariosTest.TEST_STR);
                assertArrayEquals(DatagramScenariosTest.TEST_STR, client.receive(), "the first server still works");
            }
            serving.stop();
        }
    }

    @Test
    void bindingToAUdpPortInUseNamesTheAddress() throws Exception {
        UDPServer first = DatagramFixtures.server(Family.UDP4, Mode.SYNC, dir, EchoHandler::new, failures);
        try (first) {
            InetSocketAddress taken = first.inetServerAddress();
            IOException e = assertThrows(IOException.class, () -> new UDPServer(taken, EchoHandler::new));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getPort()), e.getMessage());
        }
    }

    /** CPython's test_tcpserver_bind_leak (#22435) for datagram servers: failed binds leak no descriptor. */
    @Test
    void failedBindsLeakNoDescriptor() throws Exception {
        UnixDomainSocketAddress missing = UnixDomainSocketAddress.of(dir.resolve("missing").resolve("s.sock"));
        long before = openDescriptors();
        for (int i = 0; i < 200; i++) {
            assertThrows(IOException.class, () -> new UnixDatagramServer(missing, EchoHandler::new));
        }
        assertTrue(openDescriptors() <= before + 2, "descriptors before " + before + ", after " + openDescriptors());
    }

    /** The socket file is removed at close only if it is still the one the server created. */
    @Test
    void aFileThatReplacedTheSocketIsNotRemoved() throws Exception {
        UDPServer server = DatagramFixtures.server(Family.UNIX, Mode.SYNC, dir, EchoHandler::new, failures);
        Path path = ((UnixDomainSocketAddress) server.serverAddress()).getPath();
        Files.delete(path);
        Files.writeString(path, "someone else's");
        try (LogCapture log = new LogCapture()) { // the warning is the point: kept off the build's output, asserted
            server.serverClose();
            assertEquals(1, log.containing("not removing " + path + ": it is no longer the socket this server created").size(),
                    () -> log.records().toString());
        }
        assertEquals("someone else's", Files.readString(path));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void udpOverIpv6LoopbackWorks() throws Exception {
        // guards the parameterised UDP6 cases: they need ::1, which this machine has
        assertTrue(InetAddress.getByName("::1").isLoopbackAddress());
    }
}
