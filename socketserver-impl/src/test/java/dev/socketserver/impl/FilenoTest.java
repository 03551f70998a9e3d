package dev.socketserver.impl;

import dev.socketserver.impl.os.Fileno;
import dev.socketserver.impl.os.ProcFd;
import dev.socketserver.TCPServer;
import dev.socketserver.UnixStreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fileno() is the real OS descriptor: /proc/self/fd/N is a socket whose inode /proc/net lists for the
 * server's listening address. Checked independently of the engine's own /proc code.
 */
class FilenoTest {

    @TempDir
    Path dir;

    @Test
    void tcpFilenoIsTheListeningSocketInProcNetTcp() throws Exception {
        try (TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new)) {
            int port = server.inetServerAddress().getPort();
            String line = procNetLineFor(Path.of("/proc/net/tcp"), inodeOf(server.fileno()));
            String[] f = line.trim().split("\\s+");
            assertEquals("0100007F:" + hexPort(port), f[1], line);
            assertEquals("0A", f[3], "LISTEN state: " + line);
        }
    }

    @Test
    void tcp6FilenoIsTheListeningSocketInProcNetTcp6() throws Exception {
        try (TCPServer server = new TCPServer(new InetSocketAddress(InetAddress.getByName("::1"), 0), Echo::new)) {
            int port = server.inetServerAddress().getPort();
            String line = procNetLineFor(Path.of("/proc/net/tcp6"), inodeOf(server.fileno()));
            String[] f = line.trim().split("\\s+");
            assertEquals("00000000000000000000000001000000:" + hexPort(port), f[1], line);
            assertEquals("0A", f[3], line);
        }
    }

    @Test
    void unixFilenoIsTheListeningSocketInProcNetUnix() throws Exception {
        Path path = dir.resolve("fd.sock");
        try (UnixStreamServer server = new UnixStreamServer(UnixDomainSocketAddress.of(path), Echo::new)) {
            String line = procNetLineFor(Path.of("/proc/net/unix"), inodeOf(server.fileno()));
            assertTrue(line.trim().endsWith(" " + path), line);
        }
    }

    @Test
    void filenoIsMinusOneAfterClose() throws Exception {
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Echo::new);
        int fd = server.fileno();
        assertTrue(fd > 2, "a real descriptor: " + fd);
        server.close();
        assertEquals(-1, server.fileno());
    }

    /** Surefire runs with the export, so the exact way is in use; the /proc way must agree with it. */
    @Test
    void procLookupAgreesWithTheJdkDescriptor() throws Exception {
        assertTrue(Fileno.exactLookupAvailable(), "tests run with --add-exports java.base/sun.nio.ch=dev.socketserver.impl");
        try (ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
             ServerSocketChannel tcp6 = ServerSocketChannel.open(StandardProtocolFamily.INET6);
             ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            tcp.bind(new InetSocketAddress("127.0.0.1", 0));
            tcp6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            unix.bind(UnixDomainSocketAddress.of(dir.resolve("proc.sock")));
            for (ServerSocketChannel ch : List.of(tcp, tcp6, unix)) {
                int exact = new Fileno(ch, ProcFd.Kind.STREAM_LISTENER).get();
                assertTrue(exact > 2);
                assertEquals(exact, ProcFd.find(ch, ProcFd.Kind.STREAM_LISTENER), "for " + ch.getLocalAddress());
            }
        }
    }

    @Test
    void procHexMatchesTheKernelsWordOrder() {
        assertEquals("0100007F", ProcFd.hex(new byte[] {127, 0, 0, 1}));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertEquals("00000000000000000000000001000000", ProcFd.hex(v6));
    }

    static String inodeOf(int fd) throws IOException {
        assertTrue(fd >= 0, "fileno() is " + fd);
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        assertTrue(link.startsWith("socket:["), "/proc/self/fd/" + fd + " -> " + link);
        return link.substring("socket:[".length(), link.length() - 1);
    }

    static String procNetLineFor(Path table, String inode) throws IOException {
        List<String> lines = Files.readAllLines(table);
        int inodeColumn = table.getFileName().toString().equals("unix") ? 6 : 9;
        return lines.stream().skip(1)
                .filter(l -> {
                    String[] f = l.trim().split("\\s+");
                    return f.length > inodeColumn && f[inodeColumn].equals(inode);
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("inode " + inode + " not in " + table));
    }

    static String hexPort(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }
}
