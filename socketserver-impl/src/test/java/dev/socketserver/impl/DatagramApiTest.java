package dev.socketserver.impl;

import dev.socketserver.impl.unix.UnixDatagramEndpoint;
import dev.socketserver.AbstractUnixAddress;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.ServerFamily;
import dev.socketserver.ThreadingUDPServer;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import dev.socketserver.impl.DatagramFixtures.Serving;
import dev.socketserver.spi.BindOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options, addresses and the engine's safety rules of the datagram servers. */
class DatagramApiTest {

    @TempDir
    Path dir;

    final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();

    @Test
    void maxPacketSizeHasPythonsDefaultIsValidatedAndFixedAtBind() throws Exception {
        UDPServer server = new UDPServer(new InetSocketAddress("127.0.0.1", 0), DatagramRequestHandler::new, false);
        try (server) {
            assertEquals(8192, server.maxPacketSize());
            assertThrows(IllegalArgumentException.class, () -> server.setMaxPacketSize(0));
            assertThrows(IllegalArgumentException.class, () -> server.setMaxPacketSize(UDPServer.MAX_PACKET_SIZE_LIMIT + 1));
            assertEquals(100, server.setMaxPacketSize(100).maxPacketSize());
            assertEquals(0, server.inetServerAddress().getPort(), "E16: unbound keeps the given address");
            server.serverBind();
            server.serverActivate();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.setMaxPacketSize(200));
            assertTrue(e.getMessage().contains("maxPacketSize"), e.getMessage());
            assertEquals(ServerFamily.UDP, server.family());
            assertTrue(server.id().startsWith("udp-"), server.id());
        }
        try (ThreadingUDPServer threading = new ThreadingUDPServer(new InetSocketAddress("::1", 0), DatagramRequestHandler::new)) {
            assertEquals("ThreadingMixIn", threading.mixIn().name());
            assertTrue(threading.toString().startsWith("ThreadingUDPServer["), threading.toString());
        }
    }

    @Test
    void unixDatagramServerTakesOnlyUnixAddresses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnixDatagramServer(new InetSocketAddress("127.0.0.1", 0), DatagramRequestHandler::new));
        assertTrue(e.getMessage().contains("use UDPServer"), e.getMessage());
    }

    @Test
    void abstractUnixAddressValuesAndText() {
        assertEquals(AbstractUnixAddress.of("name"), AbstractUnixAddress.of("name".getBytes(StandardCharsets.UTF_8)));
        assertEquals("@name", AbstractUnixAddress.of("name").toString());
        assertEquals("@\\x00\\x01", AbstractUnixAddress.of(new byte[] {0, 1}).toString());
        assertThrows(IllegalArgumentException.class, () -> AbstractUnixAddress.of(""));
        assertThrows(IllegalArgumentException.class, () -> AbstractUnixAddress.of("x".repeat(108)));
        assertEquals(107, AbstractUnixAddress.of("x".repeat(107)).name().length());
    }

    /** Python's {@code bind('')}: the kernel picks an abstract name (five hex digits on Linux); no file. */
    @Test
    void emptyPathAutobindsAnAbstractName() throws Exception {
        try (UnixDatagramServer server = new UnixDatagramServer(UnixDomainSocketAddress.of(""), EchoHandler::new);
             Serving serving = Serving.start(server);
             DatagramClient client = DatagramClient.unix(server.serverAddress(), dir.resolve("c.sock"))) {
            AbstractUnixAddress name = assertInstanceOf(AbstractUnixAddress.class, server.serverAddress());
            assertTrue(name.name().matches("[0-9a-f]{5}"), name.toString());
            client.send(DatagramScenariosTest.TEST_STR);
            assertArrayEquals(DatagramScenariosTest.TEST_STR, client.receive());
            serving.stop();
        }
    }

    @Test
    void socketPathLongerThanLinuxAllowsIsRefusedNamingThePath() {
        Path longPath = dir.resolve("p".repeat(120) + ".sock");
        Exception e = assertThrows(Exception.class,
                () -> new UnixDatagramServer(UnixDomainSocketAddress.of(longPath), DatagramRequestHandler::new));
        assertTrue(e.getMessage().contains(longPath.toString()) && e.getMessage().contains("at most 107"), e.getMessage());
    }

    @Test
    void sendAfterCloseSaysTheSocketIsClosedAndCountsADrop() throws Exception {
        BlockingQueue<dev.socketserver.DatagramRequest> kept = new LinkedBlockingQueue<>();
        UDPServer server = DatagramFixtures.server(Family.UNIX, Mode.SYNC, dir, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() {
                kept.add(request());
            }
        }, failures);
        try (DatagramClient client = Family.UNIX.client(server, dir)) {
            client.send(DatagramScenariosTest.TEST_STR);
            assertTrue(server.handleRequest(Duration.ofSeconds(10)));
            assertEquals(0, client.receive().length);
            server.serverClose();
            var request = kept.poll();
            var e = assertThrows(java.io.IOException.class, () -> request.sendto(new byte[1], client.localAddress()));
            assertTrue(e.getMessage().contains("the server's socket is closed"), e.getMessage());
            assertNull(request.serverAddress());
            assertEquals(1, server.stats().dropped());
        }
    }

    /**
     * The descriptor guard: senders race a close, then a new socket most likely gets the same number.
     * A send that slipped past the close would leave through the new socket, from its path; a
     * drainer keeps the target's queue empty so such a datagram would arrive, and none may.
     */
    @Test
    void sendsRacingCloseNeverUseARecycledDescriptor() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (DatagramClient.Unix target = (DatagramClient.Unix) DatagramClient.unix(
                    UnixDomainSocketAddress.of(dir.resolve("none")), dir.resolve("target.sock"))) {
                SocketAddress targetAddress = target.localAddress();
                java.util.Set<SocketAddress> senders = java.util.concurrent.ConcurrentHashMap.newKeySet();
                java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread drainer = Thread.ofPlatform().start(() -> {
                    try (var waiter = target.waiter()) {
                        while (draining.get()) {
                            SocketAddress from;
                            while ((from = target.receiveFrom()) != null) {
                                senders.add(from);
                            }
                            waiter.await(TimeUnit.MILLISECONDS.toNanos(20), true);
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                int reused = 0;
                List<SocketAddress> fresh = new ArrayList<>();
                for (int round = 0; round < 30; round++) {
                    UnixDatagramEndpoint doomed = UnixDatagramEndpoint.open();
                    doomed.bind(UnixDomainSocketAddress.of(dir.resolve("doomed-" + round + ".sock")), new BindOptions(false, false, 0));
                    int oldFd = doomed.fileno();
                    CountDownLatch started = new CountDownLatch(4);
                    List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        threads.add(Thread.ofVirtual().start(() -> {
                            started.countDown();
                            ByteBuffer one = ByteBuffer.allocate(1);
                            while (true) {
                                try {
                                    one.clear();
                                    doomed.send(one, targetAddress);
                                } catch (ClosedChannelException closed) {
                                    return;
                                } catch (java.io.IOException full) {
                                    // the target's queue was full for a moment: keep sending until the close
                                }
                            }
                        }));
                    }
                    assertTrue(started.await(10, TimeUnit.SECONDS));
                    doomed.close();
                    UnixDatagramEndpoint recycled = UnixDatagramEndpoint.open();
                    recycled.bind(UnixDomainSocketAddress.of(dir.resolve("fresh-" + round + ".sock")), new BindOptions(false, false, 0));
                    fresh.add(recycled.localAddress());
                    if (recycled.fileno() == oldFd) {
                        reused++;
                    }
                    for (Thread thread : threads) {
                        assertTrue(thread.join(Duration.ofSeconds(10)), "a sender saw the close");
                    }
                    recycled.close();
                }
                draining.set(false);
                assertTrue(drainer.join(Duration.ofSeconds(10)));
                assertTrue(senders.size() > 1, "datagrams from the doomed sockets arrived: " + senders.size());
                for (SocketAddress address : fresh) {
                    assertTrue(!senders.contains(address), "a send after close left through the recycled descriptor: " + address);
                }
                assertTrue(reused > 0, "the descriptor number was reused at least once, so the race was real");
            }
        });
    }
}
