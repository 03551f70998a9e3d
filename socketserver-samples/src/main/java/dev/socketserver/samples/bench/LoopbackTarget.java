package dev.socketserver.samples.bench;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where the load goes: a loopback host and port, or a Unix socket path. Any other host is refused
 * when the target is parsed, before a socket exists, so the tools can never send anywhere but this
 * machine.
 *
 * @param address an {@link InetSocketAddress} on 127.0.0.0/8 or ::1, or a {@link UnixDomainSocketAddress}
 */
public record LoopbackTarget(SocketAddress address) {

    /** Thrown for a target that is not loopback or not understood; the tools exit with status 2. */
    public static final class RefusedTargetException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        RefusedTargetException(String message) {
            super(message);
        }
    }

    /**
     * Checks the address: an unresolved or non-loopback {@link InetSocketAddress} is refused.
     *
     * @param address the address
     */
    public LoopbackTarget {
        if (address instanceof InetSocketAddress a) {
            InetAddress ip = a.getAddress();
            if (ip == null || !(ip instanceof Inet4Address ? ip.getAddress()[0] == 127 : ip.isLoopbackAddress())) {
                throw new RefusedTargetException("refusing non-loopback target " + a.getHostString()
                        + ": only 127.0.0.0/8, ::1 and unix sockets are allowed");
            }
        } else if (!(address instanceof UnixDomainSocketAddress)) {
            throw new RefusedTargetException("target must be an inet or unix address: " + address);
        }
    }

    /**
     * Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code unix:PATH}.
     *
     * @param spec the target
     * @return the target
     * @throws RefusedTargetException if the host is not a numeric loopback address (or {@code localhost})
     */
    public static LoopbackTarget parse(String spec) {
        if (spec.startsWith("unix:")) {
            return unix(spec.substring(5));
        }
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            throw new RefusedTargetException("target must be HOST:PORT or unix:PATH: " + spec);
        }
        String host = spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RefusedTargetException("bad port in target " + spec);
        }
        return inet(host, port);
    }

    /**
     * A loopback host and port.
     *
     * @param host a numeric loopback address or {@code localhost}; no name is ever looked up
     * @param port 1..65535 (0 is allowed only for servers binding, see {@link #bindable})
     * @return the target
     */
    public static LoopbackTarget inet(String host, int port) {
        return new LoopbackTarget(new InetSocketAddress(loopbackAddress(host), checkPort(port, 1)));
    }

    /**
     * Like {@link #parse} but port 0 (let the kernel choose) is allowed: for binding servers.
     *
     * @param spec {@code HOST:PORT} or a Unix path (with or without {@code unix:})
     * @return the target
     */
    public static LoopbackTarget bindable(String spec) {
        if (spec.startsWith("unix:") || spec.startsWith("/")) {
            return unix(spec.startsWith("unix:") ? spec.substring(5) : spec);
        }
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
            throw new RefusedTargetException("bind address must be HOST:PORT or a unix path: " + spec);
        }
        String host = spec.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RefusedTargetException("bad port in " + spec);
        }
        return new LoopbackTarget(new InetSocketAddress(loopbackAddress(host), checkPort(port, 0)));
    }

    /**
     * A Unix socket path (always local).
     *
     * @param path the path
     * @return the target
     */
    public static LoopbackTarget unix(String path) {
        if (path.isEmpty()) {
            throw new RefusedTargetException("empty unix socket path");
        }
        return new LoopbackTarget(UnixDomainSocketAddress.of(Path.of(path)));
    }

    /** @return whether this is a Unix socket path */
    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    /** @return whether this is an IPv6 address */
    public boolean isIpv6() {
        return address instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
    }

    @Override
    public String toString() {
        if (address instanceof InetSocketAddress a) {
            String h = a.getAddress().getHostAddress();
            return (a.getAddress() instanceof Inet6Address ? "[" + h + "]" : h) + ":" + a.getPort();
        }
        return "unix:" + ((UnixDomainSocketAddress) address).getPath();
    }

    private static InetAddress loopbackAddress(String host) {
        String literal = host.equalsIgnoreCase("localhost") ? "127.0.0.1" : host;
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(literal); // parses only: never a DNS look-up
        } catch (IllegalArgumentException e) {
            throw new RefusedTargetException("refusing target " + host
                    + ": the host must be a numeric loopback address (127.0.0.0/8 or ::1)");
        }
        boolean loopback = a instanceof Inet4Address ? (a.getAddress()[0] == 127) : a.isLoopbackAddress();
        if (!loopback) {
            throw new RefusedTargetException("refusing non-loopback target " + host
                    + ": only 127.0.0.0/8, ::1 and unix sockets are allowed");
        }
        return a;
    }

    private static int checkPort(int port, int min) {
        if (port < min || port > 65535) {
            throw new RefusedTargetException("port out of range: " + port);
        }
        return port;
    }
}
