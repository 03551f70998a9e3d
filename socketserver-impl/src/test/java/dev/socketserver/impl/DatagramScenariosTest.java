package dev.socketserver.impl;

import dev.socketserver.DatagramRequest;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.ServerState;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import dev.socketserver.impl.DatagramFixtures.Serving;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CPython's datagram scenarios (test_socketserver 7, 8, 10, 11 and the extra cases E17, E18, E20),
 * for UDP over IPv4 and IPv6 and for Unix datagrams, each synchronous, with {@code ThreadingMixIn}
 * ({@code ThreadingUDPServer}, {@code ThreadingUnixDatagramServer}) and with
 * {@code VirtualThreadingMixIn}.
 */
class DatagramScenariosTest {

    /** CPython's {@code TEST_STR}. */
    static final byte[] TEST_STR = "hello world\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();

    static Stream<Arguments> everyServer() {
        return Stream.of(Family.values()).flatMap(f -> Stream.of(Mode.values()).map(m -> Arguments.of(f, m)));
    }

    private void noFailures() {
        assertTrue(failures.isEmpty(), () -> "handleError was called: " + failures);
    }

    /** Scenarios 7, 8, 10, 11 ({@code test_UDPServer} and friends): three echoes, shutdown, close, fileno -1. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void threeEchoesThenShutdownAndClose(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, EchoHandler::new, failures);
        try (Serving serving = Serving.start(server); DatagramClient client = family.client(server, dir)) {
            SocketAddress address = server.serverAddress();
            if (address instanceof InetSocketAddress inet) {
                assertNotEquals(0, inet.getPort(), "serverAddress() is the bound address, with the chosen port");
            } else {
                assertTrue(Files.exists(((UnixDomainSocketAddress) address).getPath()), "the socket file exists");
            }
            assertTrue(server.fileno() >= 0, "fileno() while open");
            for (int i = 0; i < 3; i++) {
                client.send(TEST_STR);
                assertArrayEquals(TEST_STR, client.receive(), "echo " + (i + 1));
            }
            serving.stop();
        }
        assertEquals(-1, server.fileno(), "fileno() after serverClose()");
        assertEquals(ServerState.CLOSED, server.state());
        assertEquals(3, server.stats().received());
        if (family == Family.UNIX) {
            assertFalse(Files.exists(((UnixDomainSocketAddress) server.serverAddress()).getPath()),
                    "serverClose() removed the socket file it created (CPython leaves it, E20)");
        }
        noFailures();
    }

    /** E17: a handler that writes nothing still answers, with an empty datagram. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void emptyReplyWhenNothingWritten(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, DatagramRequestHandler::new, failures);
        try (Serving serving = Serving.start(server); DatagramClient client = family.client(server, dir)) {
            client.send(TEST_STR);
            assertEquals(0, client.receive().length, "an empty reply datagram");
            client.send(new byte[0]);
            assertEquals(0, client.receive().length, "an empty datagram is a request too, answered empty");
            serving.stop();
        }
        assertEquals(2, server.stats().received());
        noFailures();
    }

    /** E18: {@code max_packet_size} truncation, here visible on the request and in the counters. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void truncatedDatagramIsFlaggedAndCounted(Family family, Mode mode) throws Exception {
        BlockingQueue<DatagramRequest> seen = new LinkedBlockingQueue<>();
        UDPServer server = DatagramFixtures.server(family, mode, dir, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                seen.add(request());
                wfile().write(packet());
                wfile().write(request().truncated() ? 'T' : '-');
            }
        }, failures, s -> s.setMaxPacketSize(4));
        try (Serving serving = Serving.start(server); DatagramClient client = family.client(server, dir)) {
            client.send("0123456789".getBytes(StandardCharsets.US_ASCII));
            assertEquals("0123T", new String(client.receive(), StandardCharsets.US_ASCII), "cut to 4 bytes, flagged");
            client.send("abcd".getBytes(StandardCharsets.US_ASCII));
            assertEquals("abcd-", new String(client.receive(), StandardCharsets.US_ASCII), "exactly 4 bytes is not cut");
            client.send("abcde".getBytes(StandardCharsets.US_ASCII));
            assertEquals("abcdT", new String(client.receive(), StandardCharsets.US_ASCII), "one byte over is cut");
            serving.stop();
        }
        DatagramRequest first = seen.poll();
        assertNotNull(first);
        assertTrue(first.truncated());
        assertEquals(4, first.length());
        assertTrue(first.toString().contains("4 bytes (truncated)"), first.toString());
        assertEquals(2, server.stats().datagramsTruncated(), "two datagrams were cut");
        assertEquals(2, server.info().datagramsTruncated());
        assertEquals(3, server.stats().received());
        noFailures();
    }

    /** E18: one datagram per {@code handleRequest()}; two queued datagrams need two calls. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void oneDatagramPerHandleRequest(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, EchoHandler::new, failures);
        try (server; DatagramClient client = family.client(server, dir)) {
            client.send("one\n".getBytes(StandardCharsets.US_ASCII));
            client.send("two\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(server.handleRequest(Duration.ofSeconds(10)));
            assertEquals(1, server.stats().received(), "the first call took one datagram");
            assertEquals("one\n", new String(client.receive(), StandardCharsets.US_ASCII));
            assertTrue(server.handleRequest(Duration.ofSeconds(10)));
            assertEquals(2, server.stats().received(), "the second call took the other");
            assertEquals("two\n", new String(client.receive(), StandardCharsets.US_ASCII));
            assertFalse(server.handleRequest(Duration.ofMillis(20)), "nothing left: handleRequest times out");
            assertEquals(2, server.stats().received());
        }
        assertEquals(-1, server.fileno());
        noFailures();
    }

    /** E18: when {@code handle()} throws, {@code finish()} still sends what was written, then handleError runs. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void partialReplyWhenHandleThrows(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile().write("partial".getBytes(StandardCharsets.US_ASCII));
                throw new IllegalStateException("boom");
            }
        }, failures);
        try (Serving serving = Serving.start(server); DatagramClient client = family.client(server, dir)) {
            client.send(TEST_STR);
            assertEquals("partial", new String(client.receive(), StandardCharsets.US_ASCII));
            Failure failure = failures.poll(10, TimeUnit.SECONDS);
            assertNotNull(failure, "handleError was called");
            assertInstanceOf(IllegalStateException.class, failure.error());
            assertEquals("boom", failure.error().getMessage());
            assertEquals(client.localAddress(), failure.clientAddress());
            client.send(TEST_STR);
            assertEquals("partial", new String(client.receive(), StandardCharsets.US_ASCII), "the server goes on");
            assertNotNull(failures.poll(10, TimeUnit.SECONDS));
            serving.stop();
        }
        assertEquals(2, server.stats().errors());
        assertEquals(0, server.stats().dropped());
    }

    /**
     * E20: a datagram from an unbound Unix client has no address: {@code clientAddress()} is null and
     * the reply fails into handleError with a message that says why (Python: {@code None}, then
     * {@code sendto} raises).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void unboundUnixClientHasNoAddress(Mode mode) throws Exception {
        AtomicReference<SocketAddress> address = new AtomicReference<>(UnixDomainSocketAddress.of("unset"));
        CountDownLatch handled = new CountDownLatch(1);
        UDPServer server = DatagramFixtures.server(Family.UNIX, mode, dir, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                address.set(clientAddress());
                wfile().write(rfile().readLine());
                handled.countDown();
            }
        }, failures);
        try (Serving serving = Serving.start(server);
             DatagramClient unbound = DatagramClient.unix(server.serverAddress(), null)) {
            assertNull(unbound.localAddress(), "the client is not bound");
            unbound.send(TEST_STR);
            assertTrue(handled.await(10, TimeUnit.SECONDS));
            Failure failure = failures.poll(10, TimeUnit.SECONDS);
            assertNotNull(failure, "the reply attempt reached handleError");
            assertNull(failure.clientAddress());
            assertNull(failure.request().clientAddress());
            assertInstanceOf(IOException.class, failure.error());
            String message = failure.error().getMessage();
            assertTrue(message.contains("the client's socket is not bound to a path, so there is no address to reply to")
                    && message.contains("Python raises here too"), message);
            assertTrue(failure.request().toString().contains("from an unbound Unix client"), failure.request().toString());
            serving.stop();
        }
        assertNull(address.get(), "clientAddress() is null, as Python's None");
        assertEquals(1, server.stats().dropped(), "the reply that could not be sent is counted");
    }

    /** Better than CPython (decided): shutdown() wakes a waiting datagram loop at once, whatever the poll interval. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void shutdownWakesTheWaitingLoopAtOnce(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, EchoHandler::new, failures);
        try (Serving serving = new Serving(server, Duration.ofHours(1), false);
             DatagramClient client = family.client(server, dir)) {
            client.send(TEST_STR);
            assertArrayEquals(TEST_STR, client.receive(), "the loop is serving");
            long start = System.nanoTime();
            assertTrue(server.shutdown(Duration.ofSeconds(10)), "shutdown() returned: the hour-long wait was woken");
            assertTrue(serving.thread.join(Duration.ofSeconds(10)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 10_000, "shutdown took " + millis + " ms");
            serving.stop();
        }
        noFailures();
    }

    /** Better than CPython (E6): serverClose() during serveForever() ends the loop, no busy spin. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void serverCloseDuringServeForeverEndsTheLoop(Family family, Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(family, mode, dir, EchoHandler::new, failures);
        try (Serving serving = new Serving(server, Duration.ofHours(1), false);
             DatagramClient client = family.client(server, dir)) {
            client.send(TEST_STR);
            assertArrayEquals(TEST_STR, client.receive());
            assertTrue(server.serverClose(Duration.ofSeconds(10)));
            assertTrue(serving.thread.join(Duration.ofSeconds(10)), "the loop ended");
            assertNull(serving.failure.get(), () -> "serveForever threw " + serving.failure.get());
            assertEquals(-1, server.fileno());
        }
        noFailures();
    }

    /**
     * serveForever() on a virtual thread: the Unix engine must not poll() there (it would hold the
     * carrier); LibC.poll refuses to, so this passes only because a platform thread polls instead.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void unixServeForeverOnAVirtualThread(Mode mode) throws Exception {
        UDPServer server = DatagramFixtures.server(Family.UNIX, mode, dir, EchoHandler::new, failures);
        try (Serving serving = new Serving(server, Duration.ofMillis(50), true);
             DatagramClient client = Family.UNIX.client(server, dir)) {
            for (int i = 0; i < 3; i++) {
                client.send(TEST_STR);
                assertArrayEquals(TEST_STR, client.receive());
            }
            serving.stop();
        }
        assertInstanceOf(UnixDatagramServer.class, server);
        noFailures();
    }

    /** {@code DatagramRequest.sendto} reaches any address through the server's socket; {@code packet()} is a copy. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyServer")
    void sendtoAnyAddressThroughTheServerSocket(Family family, Mode mode) throws Exception {
        AtomicReference<SocketAddress> bystander = new AtomicReference<>();
        UDPServer server = DatagramFixtures.server(family, mode, dir, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                byte[] copy = request().packet();
                copy[0] = 'X';
                wfile().write(request().packet()); // unchanged by the edit of the copy
                int sent = socket().sendto("aside".getBytes(StandardCharsets.US_ASCII), bystander.get());
                assertEquals(5, sent);
                assertEquals(server().serverAddress(), socket().serverAddress());
            }
        }, failures);
        try (Serving serving = Serving.start(server);
             DatagramClient client = family.client(server, dir);
             DatagramClient other = family.client(server, dir)) {
            bystander.set(other.localAddress());
            client.send(TEST_STR);
            assertArrayEquals(TEST_STR, client.receive(), "the reply goes to the client");
            assertEquals("aside", new String(other.receive(), StandardCharsets.US_ASCII), "sendto reached another address");
            serving.stop();
        }
        noFailures();
    }
}
