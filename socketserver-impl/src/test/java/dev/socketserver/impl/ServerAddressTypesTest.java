package dev.socketserver.impl;

import dev.socketserver.AbstractUnixAddress;
import dev.socketserver.TCPServer;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, item 8: each server class gives its address typed, with no cast: {@code inetServerAddress()}
 * for TCP and UDP, a {@code UnixDomainSocketAddress} {@code serverAddress()} for Unix stream servers, and
 * {@code socketPath()} for Unix datagram servers bound to a path. The IP accessor on a Unix subclass
 * (CPython's hierarchy: {@code UnixStreamServer(TCPServer)}) fails with a message that says what to use.
 */
class ServerAddressTypesTest {

    @TempDir
    Path dir;

    @Test
    void tcpAndUdpGiveTheBoundPortWithNoCast() throws Exception {
        try (TCPServer tcp = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new);
             UDPServer udp = new UDPServer(new InetSocketAddress("127.0.0.1", 0), EchoHandler::new)) {
            assertNotEquals(0, tcp.inetServerAddress().getPort());
            assertEquals(tcp.serverAddress(), tcp.inetServerAddress());
            assertNotEquals(0, udp.inetServerAddress().getPort());
            assertEquals("127.0.0.1", udp.inetServerAddress().getAddress().getHostAddress());
        }
    }

    @Test
    void aUnixStreamServerGivesItsPathWithNoCast() throws Exception {
        Path path = dir.resolve("stream.sock");
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new)) {
            Path bound = server.serverAddress().getPath(); // typed: no cast
            assertEquals(path, bound);
            TCPServer asTcp = server; // still a TCPServer, as in CPython
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, asTcp::inetServerAddress);
            assertEquals("UnixStreamServer " + path + " is a Unix socket, not an IP address: use serverAddress()", e.getMessage());
        }
    }

    @Test
    void aUnixDatagramServerGivesItsPathOrSaysItIsAnAbstractName() throws Exception {
        Path path = dir.resolve("dgram.sock");
        try (UnixDatagramServer byPath = new UnixDatagramServer(UnixDomainSocketAddress.of(path), EchoHandler::new);
             UnixDatagramServer abstractName = new UnixDatagramServer(AbstractUnixAddress.of("ss-types-" + ProcessHandle.current().pid()),
                     EchoHandler::new)) {
            assertEquals(path, byPath.socketPath().getPath());
            assertThrows(UnsupportedOperationException.class, byPath::inetServerAddress);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, abstractName::socketPath);
            assertTrue(e.getMessage().contains("abstract name @ss-types-"), e.getMessage());
        }
    }
}
