package dev.socketserver.impl;

import dev.socketserver.BaseServer;
import dev.socketserver.Connection;
import dev.socketserver.DatagramRequestHandler;
import dev.socketserver.DrainReport;
import dev.socketserver.ErrorKind;
import dev.socketserver.MixIn;
import dev.socketserver.ServerState;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UDPServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BaseServer#drain(Duration, Duration)}: nothing accepted is lost, a keep-alive connection
 * ends only between requests, what is still running at the deadline is forced, and a datagram server
 * still sends the replies of its running handlers. Each stream case runs under every mix-in, with and
 * without an idle timeout, which covers the engine's three ways of waiting (a read blocked in the
 * kernel, the edge-triggered poller, and a selector under {@code -Ddev.socketserver.poller=jdk}).
 */
class DrainTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    /** Gates the handlers of a test: {@code entered} counts requests read, {@code release} lets them answer. */
    static volatile CountDownLatch entered = new CountDownLatch(0);
    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile CountDownLatch interrupted = new CountDownLatch(0);
    static final AtomicReference<Connection> lastConnection = new AtomicReference<>();

    /** Echoes each line, after the test's gate, until end of stream. */
    static final class GatedEcho extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException, InterruptedException {
            lastConnection.set(request());
            byte[] line;
            while ((line = rfile().readLine()).length > 0) {
                entered.countDown();
                try {
                    if (!release.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                        throw new AssertionError("never released");
                    }
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                wfile().write(line);
            }
        }
    }

    /** Answers each datagram after the test's gate. */
    static final class GatedDatagramEcho extends DatagramRequestHandler {
        @Override
        protected void handle() throws IOException, InterruptedException {
            entered.countDown();
            if (!release.await(LONG.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
            wfile().write(packet());
        }
    }

    private BaseServer<?> server;
    private Serving serving;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (serving != null) {
            serving.close();
        }
        if (server != null) {
            server.serverClose(Duration.ofSeconds(5));
        }
    }

    private static MixIn mixIn(String policy) {
        return switch (policy) {
            case "synchronous" -> MixIn.synchronous();
            case "threading" -> new ThreadingMixIn();
            default -> new VirtualThreadingMixIn();
        };
    }

    private TCPServer tcp(String policy, Duration idleTimeout) throws IOException {
        TCPServer tcp = new TCPServer(new InetSocketAddress("127.0.0.1", 0), GatedEcho::new, mixIn(policy), false);
        tcp.setIdleTimeout(idleTimeout);
        tcp.serverBind();
        tcp.serverActivate();
        server = tcp;
        serving = Serving.start(tcp);
        return tcp;
    }

    private static int port(BaseServer<?> server) {
        return ((InetSocketAddress) server.serverAddress()).getPort();
    }

    private static Socket client(BaseServer<?> server) throws IOException {
        Socket socket = new Socket("127.0.0.1", port(server));
        socket.setSoTimeout((int) LONG.toMillis());
        return socket;
    }

    private static String exchange(Socket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return readLine(socket.getInputStream());
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            out.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return out.toString();
    }

    private static CompletableFuture<DrainReport> drainInBackground(BaseServer<?> server, Duration grace, Duration deadline) {
        CompletableFuture<DrainReport> report = new CompletableFuture<>();
        Thread.ofPlatform().name("drain-" + server.id()).daemon(true).start(() -> {
            try {
                report.complete(server.drain(grace, deadline));
            } catch (Throwable t) {
                report.completeExceptionally(t);
            }
        });
        return report;
    }

    private static DrainReport await(CompletableFuture<DrainReport> report) throws Exception {
        return report.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assertRefused(BaseServer<?> server, int port) {
        assertEquals(ServerState.CLOSED, server.state());
        assertEquals(-1, server.fileno());
        try (Socket s = new Socket("127.0.0.1", port)) {
            // Linux may hand the freed port to this very client, which then connects to itself (TCP
            // simultaneous open): that is not the server
            assertEquals(port, s.getLocalPort(), "no more connections: something accepted one");
        } catch (ConnectException refused) {
            // as expected
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} idleTimeout={1}")
    @CsvSource({"synchronous, false", "threading, false", "virtual, false",
            "synchronous, true", "threading, true", "virtual, true"})
    void anIdleKeepAliveConnectionEndsBetweenRequests(String policy, boolean idleTimeout) throws Exception {
        TCPServer tcp = tcp(policy, idleTimeout ? LONG : null);
        int port = port(tcp);
        try (Socket client = client(tcp)) {
            assertEquals("one\n", exchange(client, "one"));
            DrainReport report = tcp.drain(LONG);
            assertEquals(-1, client.getInputStream().read(), "the server closed the idle connection");
            assertEquals(1, report.finished(), report::toString);
            assertEquals(0, report.forced(), report::toString);
            assertTrue(report.duration().compareTo(LONG) < 0, report::toString);
        }
        assertRefused(tcp, port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous", "threading", "virtual"})
    void aRequestInProgressIsAnsweredBeforeTheConnectionCloses(String policy) throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        TCPServer tcp = tcp(policy, null);
        try (Socket client = client(tcp)) {
            client.getOutputStream().write("slow\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS), "the handler read the request");
            CompletableFuture<DrainReport> report = drainInBackground(tcp, Duration.ZERO, LONG);
            awaitState(tcp, ServerState.DRAINING);
            assertFalse(report.isDone(), "the drain waits for the running request");
            release.countDown();
            assertEquals("slow\n", readLine(client.getInputStream()), "answered");
            assertEquals(-1, client.getInputStream().read(), "then closed, between requests");
            DrainReport done = await(report);
            assertEquals(1, done.finished(), done::toString);
            assertEquals(0, done.forced(), done::toString);
        }
    }

    @Test
    void connectionsQueuedOnTheSocketAreAnsweredNotReset() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        TCPServer tcp = tcp("synchronous", null); // one at a time: the others wait in the listen queue
        try (Socket first = client(tcp); Socket second = client(tcp); Socket third = client(tcp)) {
            first.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS), "the first request is in its handler");
            second.getOutputStream().write("second\n".getBytes(StandardCharsets.US_ASCII));
            third.getOutputStream().write("third\n".getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<DrainReport> report = drainInBackground(tcp, Duration.ZERO, LONG);
            awaitState(tcp, ServerState.DRAINING);
            release.countDown();
            assertEquals("first\n", readLine(first.getInputStream()));
            assertEquals("second\n", readLine(second.getInputStream()), "taken from the queue, not reset");
            assertEquals("third\n", readLine(third.getInputStream()), "taken from the queue, not reset");
            for (Socket s : new Socket[] {first, second, third}) {
                assertEquals(-1, s.getInputStream().read(), "closed after its answer");
            }
            DrainReport done = await(report);
            assertEquals(3, done.finished(), done::toString);
            assertEquals(0, done.forced(), done::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threading", "virtual"})
    void theDeadlineForcesWhatIsStillRunning(String policy) throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1); // never released: the handler would wait LONG
        interrupted = new CountDownLatch(1);
        TCPServer tcp = tcp(policy, null);
        try (Socket stuck = client(tcp)) {
            stuck.getOutputStream().write("stuck\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS), "the handler runs");
            DrainReport report = tcp.drain(Duration.ofMillis(200));
            assertEquals(1, report.forced(), report::toString);
            assertEquals(0, report.finished(), report::toString);
            assertTrue(interrupted.await(LONG.toSeconds(), TimeUnit.SECONDS), "the handler's thread was interrupted");
            TlsTest.awaitCondition(() -> tcp.stats().errors(ErrorKind.FORCED) == 1, "counted as forced");
            assertEquals(1, tcp.stats().errors(), "and as nothing else");
            assertEquals(-1, stuck.getInputStream().read(), "its connection closed");
        }
    }

    @ParameterizedTest(name = "{0} idleTimeout={1}")
    @CsvSource({"threading, false", "virtual, false", "threading, true", "virtual, true"})
    void aConnectionInTheMiddleOfALineIsNotCut(String policy, boolean idleTimeout) throws Exception {
        TCPServer tcp = tcp(policy, idleTimeout ? LONG : null);
        try (Socket client = client(tcp)) {
            assertEquals("one\n", exchange(client, "one"));
            long before = tcp.stats().bytesReceived();
            client.getOutputStream().write("hel".getBytes(StandardCharsets.US_ASCII));
            TlsTest.awaitCondition(() -> tcp.stats().bytesReceived() == before + 3, "the handler read half a line");
            CompletableFuture<DrainReport> report = drainInBackground(tcp, Duration.ZERO, LONG);
            TlsTest.awaitCondition(() -> lastConnection.get().isDraining(), "the drain reached the connection");
            assertFalse(report.isDone(), "the drain waits for the rest of the line");
            client.getOutputStream().write("lo\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello\n", readLine(client.getInputStream()), "the whole line answered");
            assertEquals(-1, client.getInputStream().read(), "then closed");
            DrainReport done = await(report);
            assertEquals(1, done.finished(), done::toString);
            assertEquals(0, done.forced(), done::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threading", "virtual"})
    void theFirstRequestOfANewConnectionIsWaitedFor(String policy) throws Exception {
        TCPServer tcp = tcp(policy, null);
        try (Socket client = client(tcp)) {
            TlsTest.awaitCondition(() -> tcp.stats().openRequests() == 1, "the connection is in its handler");
            CompletableFuture<DrainReport> report = drainInBackground(tcp, Duration.ZERO, LONG);
            TlsTest.awaitCondition(() -> lastConnection.get() != null && lastConnection.get().isDraining(),
                    "the drain reached the connection");
            assertEquals("late\n", exchange(client, "late"), "a client that connected is served");
            assertEquals(-1, client.getInputStream().read());
            assertEquals(0, await(report).forced());
        }
    }

    @Test
    void duringTheGracePeriodTheServerIsDrainingAndStillServes() throws Exception {
        TCPServer tcp = tcp("virtual", null);
        CompletableFuture<DrainReport> report = drainInBackground(tcp, LONG, LONG.multipliedBy(2));
        awaitState(tcp, ServerState.DRAINING);
        assertTrue(tcp.isDraining());
        assertEquals(ServerState.DRAINING, tcp.info().state(), "listings show it");
        try (Socket late = client(tcp)) {
            assertEquals("still\n", exchange(late, "still"), "new connections are served during the grace period");
        }
        assertFalse(report.isDone(), "the grace period lasts");
        TlsTest.awaitCondition(() -> tcp.stats().openRequests() == 0, "the late connection's handler ended");
        tcp.serverClose(); // ends the grace period early
        DrainReport done = await(report);
        assertEquals(0, done.forced(), done::toString);
        assertEquals(ServerState.CLOSED, tcp.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"threading", "virtual"})
    void aDatagramServerStillSendsTheRepliesOfItsRunningHandlers(String policy) throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        UDPServer udp = new UDPServer(new InetSocketAddress("127.0.0.1", 0), GatedDatagramEcho::new, mixIn(policy));
        server = udp;
        serving = Serving.start(udp);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout((int) LONG.toMillis());
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            client.send(new DatagramPacket(ping, ping.length, udp.serverAddress()));
            assertTrue(entered.await(LONG.toSeconds(), TimeUnit.SECONDS), "the handler runs");
            CompletableFuture<DrainReport> report = drainInBackground(udp, Duration.ZERO, LONG);
            awaitState(udp, ServerState.DRAINING);
            release.countDown();
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            client.receive(reply);
            assertEquals("ping", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
            DrainReport done = await(report);
            assertEquals(1, done.finished(), done::toString);
            assertEquals(0, done.forced(), done::toString);
            assertEquals(ServerState.CLOSED, udp.state());
        }
    }

    @Test
    void aDrainIsRefusedFromAHandlerTwiceAndBeforeActivation() throws Exception {
        TCPServer unbound = new TCPServer(new InetSocketAddress("127.0.0.1", 0), GatedEcho::new, false);
        try (unbound) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> unbound.drain(LONG));
            assertTrue(e.getMessage().contains("not activated"), e::getMessage);
        }
        AtomicReference<Throwable> fromHandler = new AtomicReference<>();
        CountDownLatch tried = new CountDownLatch(1);
        TCPServer tcp = new TCPServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() {
                try {
                    server().drain(LONG);
                } catch (Throwable t) {
                    fromHandler.set(t);
                }
                tried.countDown();
            }
        }, new VirtualThreadingMixIn());
        server = tcp;
        serving = Serving.start(tcp);
        try (Socket client = client(tcp)) {
            assertTrue(tried.await(LONG.toSeconds(), TimeUnit.SECONDS));
        }
        assertTrue(fromHandler.get() instanceof IllegalStateException ise && ise.getMessage().contains("wait for itself"),
                () -> String.valueOf(fromHandler.get()));
        CompletableFuture<DrainReport> first = drainInBackground(tcp, LONG, LONG);
        awaitState(tcp, ServerState.DRAINING);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> tcp.drain(LONG));
        assertTrue(twice.getMessage().contains("already draining"), twice::getMessage);
        tcp.serverClose();
        await(first);
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> tcp.drain(LONG));
        assertTrue(closed.getMessage().contains("closed"), closed::getMessage);
    }

    private static void awaitState(BaseServer<?> server, ServerState state) throws InterruptedException {
        TlsTest.awaitCondition(() -> server.state() == state, "state " + state);
    }
}
