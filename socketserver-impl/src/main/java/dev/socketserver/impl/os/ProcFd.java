package dev.socketserver.impl.os;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds a socket's descriptor through Linux {@code /proc}: the socket's local address gives its
 * inode in {@code /proc/net/{tcp,tcp6,udp,udp6,unix}}, and {@code /proc/self/fd} gives the descriptor
 * whose link reads {@code socket:[inode]}. Returns -1 when anything is missing or the match is not
 * unique (two SO_REUSEPORT listeners on one port in this process).
 */
public final class ProcFd {

    /** Which table and state to look in. */
    public enum Kind {
        /** A listening stream socket: TCP state {@code 0A} (LISTEN), or a listening Unix stream socket. */
        STREAM_LISTENER,
        /** An unconnected datagram socket: UDP state {@code 07}, or a Unix datagram socket. */
        DATAGRAM
    }

    private static final Path PROC_NET = Path.of("/proc/net");
    private static final Path SELF_FD = Path.of("/proc/self/fd");

    private ProcFd() {
    }

    /**
     * Returns the inodes of the sockets of this kind bound to the channel's local address, as
     * {@code /proc/self/fd} links name them ({@code socket:[INODE]} gives {@code INODE}).
     *
     * @param channel a bound channel
     * @param kind the table and state to look in
     * @return the inodes; empty when nothing matches or {@code /proc} cannot be read
     */
    public static Set<String> inodes(NetworkChannel channel, Kind kind) {
        try {
            SocketAddress local = channel.getLocalAddress();
            return local instanceof InetSocketAddress inet ? inetInodes(inet, kind)
                    : local instanceof UnixDomainSocketAddress unix ? unixInodes(unix, kind)
                    : Set.of();
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    public static int find(NetworkChannel channel, Kind kind) {
        try {
            SocketAddress local = channel.getLocalAddress();
            Set<String> inodes = local instanceof InetSocketAddress inet ? inetInodes(inet, kind)
                    : local instanceof UnixDomainSocketAddress unix ? unixInodes(unix, kind)
                    : Set.of();
            return inodes.isEmpty() ? -1 : fdOf(inodes);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Set<String> inetInodes(InetSocketAddress local, Kind kind) throws IOException {
        String port = String.format(Locale.ROOT, "%04X", local.getPort());
        InetAddress address = local.getAddress();
        String state = kind == Kind.STREAM_LISTENER ? "0A" : "07";
        String proto = kind == Kind.STREAM_LISTENER ? "tcp" : "udp";
        Set<String> inodes = new HashSet<>();
        if (address instanceof Inet4Address) {
            collectInet(PROC_NET.resolve(proto), hex(address.getAddress()) + ":" + port, state, inodes);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
            collectInet(PROC_NET.resolve(proto + "6"), hex(mapped) + ":" + port, state, inodes);
        } else {
            collectInet(PROC_NET.resolve(proto + "6"), hex(address.getAddress()) + ":" + port, state, inodes);
        }
        return inodes;
    }

    /** Reads the {@code local_address st ... inode} columns of {@code /proc/net/tcp}-style tables. */
    private static void collectInet(Path table, String localHex, String state, Set<String> inodes) throws IOException {
        if (!Files.isReadable(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length > 9 && f[1].equalsIgnoreCase(localHex) && f[3].equalsIgnoreCase(state)) {
                inodes.add(f[9]);
            }
        }
    }

    /** {@code /proc/net/unix}: Num RefCount Protocol Flags Type St Inode Path. */
    private static Set<String> unixInodes(UnixDomainSocketAddress local, Kind kind) throws IOException {
        String path = local.getPath().toString();
        String type = kind == Kind.STREAM_LISTENER ? "0001" : "0002";
        Set<String> inodes = new HashSet<>();
        List<String> lines = Files.readAllLines(PROC_NET.resolve("unix"));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+", 8);
            if (f.length == 8 && f[4].equals(type) && f[7].equals(path)) {
                inodes.add(f[6]);
            }
        }
        return inodes;
    }

    private static int fdOf(Set<String> inodes) throws IOException {
        List<Integer> found = new ArrayList<>(1);
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(SELF_FD)) {
            for (Path fd : fds) {
                String link;
                try {
                    link = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue; // closed while we looked
                }
                if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                    found.add(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        return found.size() == 1 ? found.get(0) : -1;
    }

    /** The kernel's hex form: each 32-bit word of the address in host (little-endian) byte order. */
    public static String hex(byte[] address) {
        StringBuilder sb = new StringBuilder(address.length * 2);
        for (int word = 0; word < address.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(String.format(Locale.ROOT, "%02X", address[word + i] & 0xff));
            }
        }
        return sb.toString();
    }
}
