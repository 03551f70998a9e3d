package dev.socketserver.impl;

import dev.socketserver.BaseServer;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.ThreadingTCPServer;
import dev.socketserver.ThreadingUnixStreamServer;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPython test_socketserver scenarios 1, 2, 4, 5 (run_server + stream_examine) for every mix-in, plus load. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamEchoTest {

    static final String TEST_STR = "hello world\n";

    @TempDir
    Path dir;

    /** Three echoes, shutdown, join, close; then fileno() is -1 (scenario 1/2). */
    private static void runServer(BaseServer<?> server) throws Exception {
        assertNotEquals(-1, server.fileno());
        try (Serving serving = Serving.start(server)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(TEST_STR, Clients.echo(server.serverAddress(), TEST_STR));
            }
        }
        assertEquals(-1, server.fileno());
    }

    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void tcpServerEchoesThreeLinesThenShutsDown(Concurrency concurrency) throws Exception {
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new, concurrency.newMixIn());
        assertNotEquals(0, server.inetServerAddress().getPort(), "serverAddress is the bound port");
        runServer(server);
    }

    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void tcpServerOnIpv6LoopbackNeedsNoSubclass(Concurrency concurrency) throws Exception {
        TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getByName("::1"), 0), Echo::new,
                concurrency.newMixIn());
        assertTrue(server.inetServerAddress().getAddress() instanceof java.net.Inet6Address);
        assertTrue(server.info().address().startsWith("[::1]:"), server.info().address());
        runServer(server);
    }

    @ParameterizedTest
    @EnumSource(Concurrency.class)
    void unixStreamServerEchoesThreeLinesThenShutsDown(Concurrency concurrency) throws Exception {
        Path path = dir.resolve("echo-" + concurrency + ".sock");
        UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new,
                concurrency.newMixIn());
        assertEquals(path, server.serverAddress().getPath());
        runServer(server);
        assertFalse(Files.exists(path), "serverClose removes the socket file it created");
    }

    @Test
    void threadingTcpServerIsTcpServerWithThreadingMixIn() throws Exception {
        ThreadingTCPServer server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new);
        assertTrue(server.mixIn() instanceof ThreadingMixIn);
        assertEquals("ThreadingTCPServer", server.info().serverClass());
        runServer(server);
    }

    @Test
    void threadingUnixStreamServerEchoes() throws Exception {
        Path path = dir.resolve("threading.sock");
        ThreadingUnixStreamServer server = new ThreadingUnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new);
        assertEquals("ThreadingMixIn", server.info().mixIn());
        runServer(server);
    }

    /** Every one of 1,000 connections held open at once gets its echo (threading and virtual mix-ins). */
    @ParameterizedTest
    @EnumSource(value = Concurrency.class, names = {"THREADING", "VIRTUAL"})
    void thousandConcurrentConnectionsEachGetTheirEcho(Concurrency concurrency) throws Exception {
        int n = 1000;
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new, concurrency.newMixIn(), false);
        server.setRequestQueueSize(n);
        server.serverBind();
        server.serverActivate();
        SocketAddress address = server.serverAddress();
        List<SocketChannel> clients = new ArrayList<>(n);
        try (Serving serving = Serving.start(server)) {
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(Clients.connect(address));
                }
                for (int i = 0; i < n; i++) {
                    Clients.send(clients.get(i), "client " + i + "\n");
                }
                for (int i = 0; i < n; i++) {
                    assertEquals("client " + i + "\n", Clients.readLine(clients.get(i)));
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
        assertEquals(n, server.stats().received());
    }
}
