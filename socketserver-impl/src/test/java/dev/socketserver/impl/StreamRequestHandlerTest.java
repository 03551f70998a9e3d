package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.LineInputStream;
import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StreamRequestHandler: CPython SocketWriterTest (scenarios 23, 24), rfile/wfile options, timeout, Nagle. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamRequestHandlerTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    static final int SOCK_MAX_SIZE = 16 * 1024 * 1024 + 1;

    @TempDir
    Path dir;

    /** Scenario 23: an unbuffered write arrives without a flush, while the handler is still running. */
    @Test
    void unbufferedWriteArrivesWithoutFlush() throws Exception {
        class Talk extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                wfile().write("write data\n".getBytes(StandardCharsets.US_ASCII));
                wfile().write(rfile().readLine()); // blocks until the client answered the first line
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Talk::new); Serving serving = Serving.start(server);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertEquals("write data\n", Clients.readLine(c));
            Clients.send(c, "client response\n");
            assertEquals("client response\n", Clients.readLine(c));
        }
    }

    /** Scenario 24: one write of 16 MiB + 1 byte is complete while the client reads it in pieces. */
    @Test
    void wfileWritesSixteenMebibytesInOneCallCompletely() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicBoolean wrote = new AtomicBoolean();
        class Big extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                wfile().write("write data\n".getBytes(StandardCharsets.US_ASCII));
                received.set(rfile().readLine());
                wfile().write(new byte[SOCK_MAX_SIZE]);
                wrote.set(true);
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Big::new); Serving serving = Serving.start(server);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertEquals("write data\n", Clients.readLine(c));
            Clients.send(c, "client response\n");
            ByteBuffer first = ByteBuffer.allocate(100);
            while (first.hasRemaining()) {
                c.read(first);
            }
            assertEquals(SOCK_MAX_SIZE - 100, Clients.drain(c));
            assertTrue(wrote.get());
            assertArrayEquals("client response\n".getBytes(StandardCharsets.US_ASCII), received.get());
        }
    }

    /** wbufsize != 0 buffers writes; finish() delivers them (CPython: verified with wbufsize=1024). */
    @Test
    void bufferedWfileIsFlushedByFinish() throws Exception {
        AtomicReference<Class<?>> type = new AtomicReference<>();
        class Buffered extends StreamRequestHandler {
            @Override
            protected int wbufsize() {
                return 1024;
            }

            @Override
            protected void handle() throws IOException {
                type.set(wfile().getClass());
                wfile().write("buffered\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Buffered::new);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("buffered\n", Clients.readLine(c));
            assertEquals(java.io.BufferedOutputStream.class, type.get());
        }
    }

    /** rbufsize 0 reads byte by byte: a line read leaves the rest of the stream on the socket. */
    @Test
    void unbufferedRfileNeverReadsPastTheLine() throws Exception {
        AtomicReference<String> rest = new AtomicReference<>();
        class Unbuffered extends StreamRequestHandler {
            @Override
            protected int rbufsize() {
                return 0;
            }

            @Override
            protected void handle() throws IOException {
                rfile().readLine();
                ByteBuffer direct = ByteBuffer.allocate(4);
                while (direct.hasRemaining()) {
                    request().read(direct); // straight from the socket: only possible if rfile took no more
                }
                rest.set(new String(direct.array(), StandardCharsets.US_ASCII));
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Unbuffered::new);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            Clients.send(c, "line\nrest");
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("rest", rest.get());
        }
    }

    /** timeout: a silent client makes the read throw SocketTimeoutException, which reaches handleError. */
    @Test
    void readTimeoutReachesHandleErrorAndTheServerGoesOn() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        class Patient extends StreamRequestHandler {
            @Override
            protected Duration timeout() {
                return Duration.ofMillis(100);
            }

            @Override
            protected void handle() throws IOException {
                wfile().write(rfile().readLine());
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Patient::new) {
            @Override
            protected void handleError(Connection request, SocketAddress clientAddress, Throwable e) {
                error.set(e);
            }
        }; SocketChannel silent = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertInstanceOf(SocketTimeoutException.class, error.get());
            assertEquals(0, Clients.drain(silent));
            assertTrue(server.serverAddress() != null);
            try (SocketChannel talker = Clients.connect(server.serverAddress())) {
                Clients.send(talker, "quick\n");
                assertTrue(server.handleRequest(Duration.ofSeconds(20)));
                assertEquals("quick\n", Clients.readLine(talker));
            }
        }
    }

    @Test
    void disableNagleAlgorithmSetsTcpNoDelay() throws Exception {
        AtomicBoolean noDelay = new AtomicBoolean();
        class NoDelay extends StreamRequestHandler {
            @Override
            protected boolean disableNagleAlgorithm() {
                return true;
            }

            @Override
            protected void handle() throws IOException {
                noDelay.set(request().getOption(StandardSocketOptions.TCP_NODELAY));
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, NoDelay::new);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertTrue(noDelay.get());
        }
    }

    /** E36: Nagle on AF_UNIX fails in setup, which goes to handleError (CPython: OSError errno 95). */
    @Test
    void disableNagleOnUnixSocketFailsInSetup() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean handled = new AtomicBoolean();
        class NoDelay extends StreamRequestHandler {
            @Override
            protected boolean disableNagleAlgorithm() {
                return true;
            }

            @Override
            protected void handle() {
                handled.set(true);
            }
        }
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(dir.resolve("n.sock")), NoDelay::new) {
            @Override
            protected void handleError(Connection request, SocketAddress clientAddress, Throwable e) {
                error.set(e);
            }
        }; SocketChannel c = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertInstanceOf(IOException.class, error.get());
            assertTrue(error.get().getMessage().contains("TCP_NODELAY"), error.get().getMessage());
            assertFalse(handled.get());
        }
    }

    /** E20: a Unix stream peer's address is an empty path (Python's ''). */
    @Test
    void unixStreamClientAddressIsAnEmptyPath() throws Exception {
        AtomicReference<SocketAddress> peer = new AtomicReference<>();
        class Peer extends StreamRequestHandler {
            @Override
            protected void handle() {
                peer.set(clientAddress());
            }
        }
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(dir.resolve("p.sock")), Peer::new);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertEquals("", ((UnixDomainSocketAddress) peer.get()).getPath().toString());
        }
    }

    @Test
    void lineInputStreamReadsLinesLimitsAndEof() throws IOException {
        byte[] data = "first\nsecond line\nno newline".getBytes(StandardCharsets.US_ASCII);
        try (LineInputStream in = new LineInputStream(new ByteArrayInputStream(data), 4)) {
            assertEquals("first\n", new String(in.readLine(), StandardCharsets.US_ASCII));
            assertEquals("sec", new String(in.readLine(3), StandardCharsets.US_ASCII));
            assertEquals("ond line\n", new String(in.readLine(), StandardCharsets.US_ASCII));
            assertEquals("no newline", new String(in.readLine(), StandardCharsets.US_ASCII));
            assertEquals(0, in.readLine().length);
            assertEquals(-1, in.read());
        }
        try (LineInputStream in = new LineInputStream(new ByteArrayInputStream(data), 8192)) {
            byte[] all = in.readAllBytes();
            assertTrue(Arrays.equals(data, all));
        }
    }

    @Test
    void closingWfileAndRfileLeavesTheSocketOpenForTheServer() throws Exception {
        AtomicBoolean openAfterClose = new AtomicBoolean();
        class Closer extends StreamRequestHandler {
            @Override
            protected void handle() throws IOException {
                OutputStream out = wfile();
                out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                out.close();
                rfile().close();
                openAfterClose.set(request().isOpen());
            }
        }
        try (TCPServer server = new TCPServer(LOOPBACK, Closer::new);
             SocketChannel c = Clients.connect(server.serverAddress())) {
            assertTrue(server.handleRequest(Duration.ofSeconds(20)));
            assertTrue(openAfterClose.get());
            assertEquals("bye\n", Clients.readLine(c));
        }
    }
}
