package dev.socketserver.impl;

import dev.socketserver.impl.os.Fileno;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.AbstractUnixAddress;
import dev.socketserver.UDPServer;
import dev.socketserver.UnixDatagramServer;
import dev.socketserver.impl.DatagramFixtures.Failure;
import dev.socketserver.impl.DatagramFixtures.Family;
import dev.socketserver.impl.DatagramFixtures.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fileno()} is the real descriptor: checked against {@code /proc/self/fd} and {@code /proc/net/{udp,udp6,unix}}. */
class DatagramFilenoTest {

    @TempDir
    Path dir;

    final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void filenoIsTheSocketInProcNet(Family family) throws Exception {
        UDPServer server = DatagramFixtures.server(family, Mode.SYNC, dir, EchoHandler::new, failures);
        int fd;
        String inode;
        try (server) {
            fd = server.fileno();
            assertTrue(fd > 2, "a real descriptor: " + fd);
            inode = ProcNet.socketInode(fd);
            if (server.serverAddress() instanceof InetSocketAddress inet) {
                String table = ProcNet.udpTable(inet);
                ProcNet.UdpRow row = ProcNet.udpRowByInode(table, inode).orElseThrow(
                        () -> new AssertionError("no row with inode " + inode + " in " + table));
                assertEquals(ProcNet.hexAddress(inet), row.local(), "the row is the server's address in " + table);
                assertEquals("07", row.state(), "an unconnected UDP socket");
            } else {
                String path = ((UnixDomainSocketAddress) server.serverAddress()).getPath().toString();
                assertTrue(ProcNet.unixRows().stream().anyMatch(r -> r[0].equals("0002") && r[1].equals(inode)
                        && r[2].equals(path)), "/proc/net/unix has a SOCK_DGRAM row with inode " + inode + " and " + path);
            }
        }
        assertEquals(-1, server.fileno(), "fileno() after serverClose()");
        assertNotEquals("socket:[" + inode + "]", ProcNet.linkOf(fd).orElse(""), "the descriptor was closed");
    }

    @Test
    void abstractNameShowsInProcNetUnixWithAnAt() throws Exception {
        AbstractUnixAddress name = AbstractUnixAddress.of("socketserver-fileno-" + ProcessHandle.current().pid());
        UDPServer server = new UnixDatagramServer(name, EchoHandler::new);
        try (server) {
            String inode = ProcNet.socketInode(server.fileno());
            assertTrue(ProcNet.unixRows().stream().anyMatch(r -> r[1].equals(inode) && r[2].equals(name.toString())),
                    "/proc/net/unix lists inode " + inode + " as " + name);
        }
        assertEquals(-1, server.fileno());
    }

    /** The /proc fallback of {@link Fileno} (used without {@code --add-exports}) agrees for UDP v4 and v6. */
    @Test
    void procFallbackAgreesWithTheJdkForUdp() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress address = InetAddress.getByName(host);
            try (DatagramChannel channel = DatagramChannel.open(address.getAddress().length == 4
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
                channel.bind(new InetSocketAddress(address, 0));
                int exact = new Fileno(channel, ProcFd.Kind.DATAGRAM).get();
                assertTrue(Fileno.exactLookupAvailable(), "the test JVM exports sun.nio.ch to the engine");
                assertEquals(exact, ProcFd.find(channel, ProcFd.Kind.DATAGRAM), host);
                assertTrue(exact > 2);
            }
        }
    }
}
