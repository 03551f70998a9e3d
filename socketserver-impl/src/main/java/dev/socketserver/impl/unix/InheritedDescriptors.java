package dev.socketserver.impl.unix;

import dev.socketserver.impl.os.Fileno;
import dev.socketserver.impl.os.ProcFd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Takes a socket that a service manager passed on a descriptor above 2 (systemd's {@code LISTEN_FDS},
 * from fd 3) as a NIO channel: Python's {@code socket.socket(fileno=3)}.
 *
 * <p>Java makes a channel of an inherited socket only through {@link System#inheritedChannel()}, which
 * looks at standard input, once per JVM, and caches what it found. So this moves the descriptor onto
 * fd 0 with {@code dup2} for that one call, puts the old standard input back, and closes the original
 * descriptor: the channel (the JDK's own {@code dup}) is then the socket's only owner in this process,
 * and closing it closes the socket. It needs native access (the FFM API), and it works once per JVM,
 * and only if nothing called {@code System.inheritedChannel()} before; both are told in the exception.
 * A thread that reads {@code System.in} at that very moment could read from the socket: take inherited
 * sockets at start-up.
 */
public final class InheritedDescriptors {

    /** Each channel taken here, and the {@code /proc/self/fd} link of its socket. */
    private static final Map<Channel, String> SOCKETS = Collections.synchronizedMap(new WeakHashMap<>());

    private static int taken = -1; // guarded by the class

    private InheritedDescriptors() {
    }

    /**
     * Takes descriptor {@code fd} as a channel.
     *
     * @param fd a descriptor above 2 that holds a socket
     * @return a {@link ServerSocketChannel} for a listening stream socket, a {@code DatagramChannel} for a
     *     datagram socket, a {@code SocketChannel} for a connected one
     * @throws IOException if {@code fd} is not an open socket, native access is denied, or the one
     *     {@code System.inheritedChannel()} of this JVM is already used
     */
    public static synchronized Channel take(int fd) throws IOException {
        if (fd < 3) {
            throw new IllegalArgumentException("fd " + fd + " is a standard stream; fd 0 is System.inheritedChannel()");
        }
        if (taken >= 0) {
            throw new IOException("fd " + fd + " cannot be taken as well: Java makes a channel of an inherited socket "
                    + "only through System.inheritedChannel(), once per JVM, and fd " + taken + " took it; "
                    + "serve one inherited socket per JVM");
        }
        String socket = link(fd);
        if (socket == null) {
            throw new IOException("fd " + fd + " is not open in this process");
        }
        if (!socket.startsWith("socket:")) {
            throw new IOException("fd " + fd + " is not a socket: " + socket);
        }
        if (!InheritedDescriptors.class.getModule().isNativeAccessEnabled()) {
            throw new IOException("taking the inherited socket on fd " + fd + " needs native access (the FFM API): "
                    + "run the JVM with --enable-native-access=dev.socketserver.impl (on the class path: "
                    + "--enable-native-access=ALL-UNNAMED); a socket on standard input (StandardInput=socket, "
                    + "inetd wait mode) needs no flag");
        }
        Channel channel = onStandardInput(fd);
        if (channel == null || !channel.isOpen() || !isSocket(channel, socket)) {
            throw new IOException("fd " + fd + " cannot be taken: System.inheritedChannel() was called before in this JVM "
                    + "and keeps what it found then; take inherited sockets before anything else does");
        }
        taken = fd;
        try (Arena arena = Arena.ofConfined()) {
            LibC.close(LibC.newCaptureSegment(arena), fd); // the channel is the socket's only owner now
        }
        SOCKETS.put(channel, socket);
        return channel;
    }

    /**
     * Returns the {@code /proc/self/fd} link of the socket a channel was taken from here.
     *
     * @param channel a channel
     * @return {@code socket:[INODE]}, or {@code null} if the channel was not taken here
     */
    static String socketOf(Channel channel) {
        return SOCKETS.get(channel);
    }

    /**
     * Reads where a descriptor of this process points.
     *
     * @param fd the descriptor
     * @return e.g. {@code socket:[123]}, {@code /dev/null} or {@code pipe:[456]}; {@code null} if it is not open
     */
    static String link(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** {@code dup2(fd, 0)}, {@code System.inheritedChannel()}, then the old standard input back. */
    private static Channel onStandardInput(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = LibC.newCaptureSegment(arena);
            int saved = LibC.dup(capture, 0); // -1 when standard input is closed: then it is closed again after
            if (LibC.dup2(capture, fd, 0) < 0) {
                IOException failure = LibC.error("dup2", LibC.errno(capture));
                if (saved >= 0) {
                    LibC.close(capture, saved);
                }
                throw failure;
            }
            try {
                return System.inheritedChannel();
            } finally {
                if (saved >= 0) {
                    LibC.dup2(capture, saved, 0);
                    LibC.close(capture, saved);
                } else {
                    LibC.close(capture, 0);
                }
            }
        }
    }

    /** Whether the channel holds the socket whose link is {@code socket}, not one cached before. */
    private static boolean isSocket(Channel channel, String socket) {
        if (Fileno.exactLookupAvailable()) {
            return socket.equals(link(Fileno.exact(channel)));
        }
        String inode = socket.substring("socket:[".length(), socket.length() - 1);
        return switch (channel) {
            case ServerSocketChannel listening -> ProcFd.inodes(listening, ProcFd.Kind.STREAM_LISTENER).contains(inode);
            case DatagramChannel datagram -> ProcFd.inodes(datagram, ProcFd.Kind.DATAGRAM).contains(inode);
            case NetworkChannel connected -> true; // a connected socket: no table to check it against
            default -> false;
        };
    }
}
