package dev.socketserver.impl;

import dev.socketserver.impl.os.Fileno;
import dev.socketserver.impl.os.ProcFd;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads Linux's socket tables the way the tests check them, independently of {@link ProcFd}. */
final class ProcNet {

    private ProcNet() {
    }

    /** One row of {@code /proc/net/udp} or {@code udp6}. */
    record UdpRow(String local, String state, String inode, long drops) {
    }

    /** The inode a descriptor of this process points at, from {@code /proc/self/fd/N -> socket:[inode]}. */
    static String socketInode(int fd) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
        if (!link.startsWith("socket:[")) {
            throw new IOException("/proc/self/fd/" + fd + " is " + link + ", not a socket");
        }
        return link.substring(8, link.length() - 1);
    }

    static Optional<String> linkOf(int fd) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The kernel's hex form of a local address: {@code 0100007F:1F90}. */
    static String hexAddress(InetSocketAddress address) {
        return ProcFd.hex(address.getAddress().getAddress()) + ":" + String.format(Locale.ROOT, "%04X", address.getPort());
    }

    static String udpTable(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? "/proc/net/udp" : "/proc/net/udp6";
    }

    static List<UdpRow> udpRows(String table) throws IOException {
        return Files.readAllLines(Path.of(table)).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                .map(f -> new UdpRow(f[1], f[3], f[9], Long.parseLong(f[f.length - 1]))).toList();
    }

    static Optional<UdpRow> udpRowByInode(String table, String inode) throws IOException {
        return udpRows(table).stream().filter(r -> r.inode().equals(inode)).findFirst();
    }

    /** Kernel drops of the UDP socket bound to this local port (the {@code drops} column). */
    static long udpDropsByPort(String table, int port) throws IOException {
        String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
        return udpRows(table).stream().filter(r -> r.local().endsWith(suffix)).mapToLong(UdpRow::drops).sum();
    }

    /** {@code /proc/net/unix}: Num RefCount Protocol Flags Type St Inode Path, as {type, inode, path}. */
    static List<String[]> unixRows() throws IOException {
        return Files.readAllLines(Path.of("/proc/net/unix")).stream().skip(1).map(String::trim)
                .map(l -> l.split("\\s+", 8)).filter(f -> f.length >= 7)
                .map(f -> new String[] {f[4], f[6], f.length == 8 ? f[7] : ""}).toList();
    }
}
