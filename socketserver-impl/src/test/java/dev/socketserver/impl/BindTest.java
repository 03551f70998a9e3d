package dev.socketserver.impl;

import dev.socketserver.BaseServer;
import dev.socketserver.ServerState;
import dev.socketserver.TCPServer;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binding, options and the socket file: CPython scenarios 15, 16, E16, E37, and DESIGN §4.6/§4.8. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BindTest {

    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    @Test
    void portInUseRaisesAnExceptionNamingTheAddress() throws Exception {
        try (TCPServer first = new TCPServer(LOOPBACK, Echo::new)) {
            int port = first.inetServerAddress().getPort();
            BindException e = assertThrows(BindException.class,
                    () -> new TCPServer(new InetSocketAddress("127.0.0.1", port), Echo::new));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }

    /** Scenario 15 (Issue #22435): 1,024 failed binds leak no descriptor. */
    @Test
    void failedBindsLeakNoDescriptor() throws Exception {
        try (TCPServer first = new TCPServer(LOOPBACK, Echo::new)) {
            InetSocketAddress taken = first.inetServerAddress();
            long before = openDescriptors();
            for (int i = 0; i < 1024; i++) {
                assertThrows(BindException.class, () -> new TCPServer(taken, Echo::new));
            }
            long after = openDescriptors();
            assertTrue(after - before < 8, "descriptors before " + before + ", after 1,024 failed binds " + after);
        }
    }

    /** Scenario 16: try-with-resources closes the server; fileno() is -1 afterwards. */
    @Test
    void tryWithResourcesClosesTheServer() throws Exception {
        TCPServer escaped;
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new)) {
            escaped = server;
            assertNotEquals(-1, server.fileno());
        }
        assertEquals(-1, escaped.fileno());
        assertEquals(ServerState.CLOSED, escaped.state());
    }

    /** E16: with bindAndActivate=false the address stays as given until serverBind(); options set before apply. */
    @Test
    void twoPhaseConstructionKeepsTheAddressUntilBindAndFixesOptionsAfter() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new, false)) {
            assertEquals(LOOPBACK, server.serverAddress());
            assertEquals(ServerState.CREATED, server.state());
            assertThrows(IllegalStateException.class, () -> server.handleRequest(Duration.ZERO), "not bound yet");
            assertThrows(IllegalStateException.class, server::serverActivate, "activate before bind");
            server.setRequestQueueSize(64).setAllowReuseAddress(true).setTimeout(Duration.ofSeconds(1));
            server.serverBind();
            assertNotEquals(0, server.inetServerAddress().getPort());
            assertThrows(IllegalStateException.class, () -> server.setRequestQueueSize(8));
            assertThrows(IllegalStateException.class, () -> server.setAllowReuseAddress(false));
            assertThrows(IllegalStateException.class, () -> server.setAllowReusePort(true));
            assertThrows(IllegalStateException.class, () -> server.setTimeout(null));
            assertThrows(IllegalStateException.class, server::serverBind, "bound twice");
            server.serverActivate();
            assertEquals(ServerState.IDLE, server.state());
            assertEquals(64, server.requestQueueSize());
        }
    }

    /** E37: allowReusePort lets two servers bind one port (SO_REUSEPORT is applied explicitly). */
    @Test
    void allowReusePortLetsTwoServersShareAPort() throws Exception {
        try (TCPServer first = reusePortServer(LOOPBACK)) {
            InetSocketAddress address = first.inetServerAddress();
            try (TCPServer second = reusePortServer(address)) {
                assertEquals(address, second.serverAddress());
            }
            assertThrows(BindException.class, () -> new TCPServer(address, Echo::new), "without the option the port is taken");
        }
    }

    private static TCPServer reusePortServer(InetSocketAddress address) throws IOException {
        TCPServer server = new TCPServer(address, Echo::new, false);
        server.setAllowReusePort(true);
        server.serverBind();
        server.serverActivate();
        return server;
    }

    @Test
    void unixBindToAnExistingRegularFileNamesThePathAndDeletesNothing() throws Exception {
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        BindException e = assertThrows(BindException.class,
                () -> new UnixStreamServer(UnixDomainSocketAddress.of(file), Echo::new));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void unixBindInAMissingDirectoryNamesThePath() {
        Path missing = dir.resolve("no-such-dir").resolve("s.sock");
        BindException e = assertThrows(BindException.class,
                () -> new UnixStreamServer(UnixDomainSocketAddress.of(missing), Echo::new));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** DESIGN §4.8: the socket file is removed on close, but never a path that is no longer that socket. */
    @Test
    void unixServerRemovesOnlyTheSocketFileItCreated() throws Exception {
        Path path = dir.resolve("s.sock");
        UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new);
        assertTrue(Files.exists(path));
        server.close();
        assertFalse(Files.exists(path), "removed on close: the next start works");
        try (LogCapture log = new LogCapture()) { // the warning is the point: kept off the build's output, asserted
            try (UnixStreamServer again = new UnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new)) {
                Files.delete(path);
                Files.writeString(path, "someone else's file");
            }
            assertEquals(1, log.containing("not removing " + path + ": it is no longer the socket this server created").size(),
                    () -> log.records().toString());
        }
        assertEquals("someone else's file", Files.readString(path), "a path that is not the socket is left alone");
    }

    @Test
    void unresolvedHostIsRefusedWithItsName() {
        IOException e = assertThrows(IOException.class,
                () -> new TCPServer(InetSocketAddress.createUnresolved("no-such-host.invalid", 0), Echo::new));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void serverInfoDescribesTheServer() throws Exception {
        try (TCPServer server = new TCPServer(LOOPBACK, Echo::new)) {
            var info = server.info();
            assertEquals(server.id(), info.id());
            assertTrue(info.id().matches("tcp-[0-9]+"), info.id());
            assertEquals("TCPServer", info.serverClass());
            assertEquals("sync", info.mixIn());
            assertEquals("127.0.0.1:" + server.inetServerAddress().getPort(), info.address());
            assertEquals(server.fileno(), info.fileno());
            assertEquals(ServerState.IDLE, info.state());
            assertTrue(info.startedAt() != null);
            assertTrue(BaseServer.class.isInstance(server));
        }
    }

    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
