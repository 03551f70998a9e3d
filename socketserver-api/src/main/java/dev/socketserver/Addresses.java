package dev.socketserver;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;

/** Formats socket addresses the way listings and log lines show them. */
final class Addresses {

    private Addresses() {
    }

    /**
     * Returns a server's address as an IP address, for {@code inetServerAddress()}.
     *
     * @param server a TCP or UDP server, or one of their Unix subclasses
     * @return its address
     * @throws UnsupportedOperationException if it is bound to a Unix socket
     */
    static InetSocketAddress inet(BaseServer<?> server) {
        SocketAddress address = server.serverAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet;
        }
        throw new UnsupportedOperationException(server.getClass().getSimpleName() + " " + format(address)
                + " is a Unix socket, not an IP address: use serverAddress()");
    }

    /**
     * Formats an address as {@code host:port}, {@code [v6]:port} or a Unix socket path.
     *
     * @param address any socket address, or {@code null}
     * @return the text, {@code ""} for an unnamed Unix peer, {@code "-"} for null
     */
    static String format(SocketAddress address) {
        if (address == null) {
            return "-";
        }
        if (address instanceof InetSocketAddress inet) {
            if (inet.getAddress() instanceof Inet6Address v6) {
                return "[" + compress(v6.getAddress()) + "]:" + inet.getPort();
            }
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return address.toString();
    }

    /**
     * The protocol family of a server address: IPv6 for an {@link Inet6Address}, else IPv4, so no
     * subclass is needed for IPv6 (CPython needs {@code address_family = AF_INET6}, cpython#64414).
     *
     * @param address a resolved address
     * @return {@code INET6} or {@code INET}
     * @throws UnknownHostException if the address is unresolved
     */
    static ProtocolFamily protocolFamily(InetSocketAddress address) throws UnknownHostException {
        if (address.isUnresolved()) {
            throw new UnknownHostException("cannot resolve " + address.getHostString() + " for a server address");
        }
        return address.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** RFC 5952 text of an IPv6 address: lower-case, no leading zeros, the longest zero run as "::". */
    static String compress(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
