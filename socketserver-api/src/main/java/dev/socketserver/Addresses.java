package dev.socketserver;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Formats socket addresses the way listings and log lines show them. */
final class Addresses {

    private Addresses() {
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
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            if (inet.getAddress() instanceof Inet6Address) {
                int zone = host.indexOf('%');
                return "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]:" + inet.getPort();
            }
            return host + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return address.toString();
    }
}
