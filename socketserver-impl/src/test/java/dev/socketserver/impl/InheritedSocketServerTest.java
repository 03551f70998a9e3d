package dev.socketserver.impl;

import dev.socketserver.MixIn;
import dev.socketserver.TCPServer;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Servers over a socket made elsewhere, as an inherited one is (socket activation): Python's server
 * built with {@code bind_and_activate=False} whose {@code socket} is replaced. Here the test makes the
 * listening channel itself; the launchers that pass real inherited sockets are in ActivationIT.
 */
@Timeout(30)
class InheritedSocketServerTest {

    private static ServerSocketChannel listeningTcp() throws Exception {
        return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void aTcpServerServesTheGivenSocketAtItsRealAddressAndClosingClosesIt() throws Exception {
        ServerSocketChannel listening = listeningTcp();
        var server = new TCPServer(listening, Echo::new, new ThreadingMixIn());
        try (var serving = Serving.start(server)) {
            assertTrue(server.inheritedSocket());
            assertEquals(listening.getLocalAddress(), server.serverAddress());
            assertTrue(server.fileno() > 2, "fileno: " + server.fileno());
            assertEquals("hello inherited\n", Clients.echo(server.serverAddress(), "hello inherited\n"));
        }
        assertFalse(listening.isOpen(), "closing the server closes the socket it was given");
    }

    @Test
    void withoutBindAndActivateOptionsAreSetFirstAndServerBindBindsNothing() throws Exception {
        ServerSocketChannel listening = listeningTcp();
        var address = listening.getLocalAddress();
        var server = new TCPServer(listening, Echo::new, MixIn.synchronous(), false);
        try {
            server.setIdleTimeout(Duration.ofSeconds(5));
            server.setRequestQueueSize(1).setAllowReuseAddress(false); // only matter at bind: ignored
            assertEquals(address, server.serverAddress(), "the socket's address before serverBind");
            server.serverBind();
            server.serverActivate();
            assertEquals(address, server.serverAddress());
            assertThrows(IllegalStateException.class, () -> server.setIdleTimeout(null), "options are fixed once bound");
            try (var serving = Serving.start(server)) {
                assertEquals("two phases\n", Clients.echo(address, "two phases\n"));
            }
        } finally {
            server.serverClose();
        }
    }

    @Test
    void aUnixStreamServerServesTheGivenSocketAndLeavesItsFileToItsCreator(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("given.sock");
        ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(file));
        var server = new UnixStreamServer(listening, Echo::new);
        try (var serving = Serving.start(server)) {
            assertEquals(UnixDomainSocketAddress.of(file), server.serverAddress());
            assertEquals("over unix\n", Clients.echo(server.serverAddress(), "over unix\n"));
        }
        assertFalse(listening.isOpen());
        assertTrue(Files.exists(file), "the socket file belongs to whoever created the socket (systemd removes its own)");
    }

    @Test
    void aSocketOfAnotherKindOrFamilyIsRefusedAndLeftOpen(@TempDir Path dir) throws Exception {
        try (ServerSocketChannel tcp = listeningTcp();
             ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(dir.resolve("u.sock")));
             ServerSocketChannel unbound = ServerSocketChannel.open();
             DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel connected = SocketChannel.open(tcp.getLocalAddress())) {
            assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6), not a Unix stream socket ("
                    + dir.resolve("u.sock") + "); use UnixStreamServer", () -> new TCPServer(unix, Echo::new));
            assertRefused("UnixStreamServer needs a listening Unix stream socket, not a TCP socket (127.0.0.1:"
                    + ((InetSocketAddress) tcp.getLocalAddress()).getPort() + "); use TCPServer", () -> new UnixStreamServer(tcp, Echo::new));
            assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6), not a datagram socket "
                    + "(systemd ListenDatagram=, UDP or Unix datagram)", () -> new TCPServer(udp, Echo::new));
            assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6), not a connected socket (inetd nowait mode, "
                    + "systemd Accept=yes): the server accepts its own connections", () -> new TCPServer(connected, Echo::new));
            assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6); this one is not bound", () -> new TCPServer(unbound, Echo::new));
            assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6), not null (System.inheritedChannel() returns "
                    + "null when standard input is not a socket)", () -> new TCPServer((Channel) null, Echo::new));
            for (Channel c : new Channel[] {tcp, unix, unbound, udp, connected}) {
                assertTrue(c.isOpen(), "a refused socket stays the caller's, open");
            }
        }
        ServerSocketChannel closed = listeningTcp();
        closed.close();
        assertRefused("TCPServer needs a listening TCP socket (IPv4 or IPv6); this one is closed", () -> new TCPServer(closed, Echo::new));
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable create) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, create).getMessage());
    }
}
