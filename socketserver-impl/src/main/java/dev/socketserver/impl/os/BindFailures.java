package dev.socketserver.impl.os;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Turns a failed bind into an exception whose message names the address and the likely cause. */
public final class BindFailures {

    private BindFailures() {
    }

    public static IOException naming(SocketAddress address, IOException cause) {
        String where = describe(address);
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (address instanceof UnixDomainSocketAddress unix) {
            why += hint(unix.getPath());
        }
        BindException named = new BindException("cannot bind to " + where + ": " + why);
        named.initCause(cause);
        return named;
    }

    private static String hint(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return " (directory " + parent + " does not exist)";
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    ? " (the path exists and is not a socket; nothing was deleted)"
                    : " (a socket file already exists there; remove it if no server uses it)";
        }
        return "";
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return String.valueOf(address);
    }
}
