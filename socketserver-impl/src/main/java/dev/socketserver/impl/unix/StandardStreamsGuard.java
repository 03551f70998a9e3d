package dev.socketserver.impl.unix;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channel;

/**
 * Closes a channel made by {@link System#inheritedChannel()} without losing standard output and error.
 *
 * <p>The JDK's inherited channels, when closed, point descriptors 0, 1 and 2 at {@code /dev/null}: for
 * inetd's {@code nowait} mode they were all the connection, and that really closes it. For a listening
 * socket passed on fd 3 (systemd's {@code LISTEN_FDS}) or on standard input alone
 * ({@code StandardInput=socket} with {@code StandardOutput=journal}), it would silence the process's
 * output and error streams (the journal) from then on. This keeps a copy of each standard stream
 * that is not the socket itself and puts it back right after the close; a stream that is the socket is
 * left to the JDK, so the socket still closes. It needs native access; without it the close is the
 * JDK's, and what is written to standard output and error afterwards is lost. Output written by another
 * thread in the microseconds between the close and the restore is lost too.
 */
public final class StandardStreamsGuard implements Closeable {

    private final Channel channel;
    private final String socket;

    /**
     * Remembers which socket the channel holds; call when the server takes the channel.
     *
     * @param channel a channel from {@code System.inheritedChannel()}, directly or through {@link InheritedDescriptors}
     */
    public StandardStreamsGuard(Channel channel) {
        this.channel = channel;
        String taken = InheritedDescriptors.socketOf(channel);
        this.socket = taken != null ? taken : InheritedDescriptors.link(0); // System.inheritedChannel() read fd 0
    }

    /**
     * Tells whether a channel is one of the JDK's inherited channels, which detach the standard streams on close.
     *
     * @param channel a channel
     * @return {@code true} for {@code sun.nio.ch.InheritedChannel}'s channels
     */
    public static boolean detachesOnClose(Channel channel) {
        return channel.getClass().getName().startsWith("sun.nio.ch.InheritedChannel$");
    }

    /**
     * Closes the channel, keeping the standard streams that are not the socket.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        if (!StandardStreamsGuard.class.getModule().isNativeAccessEnabled() || socket == null) {
            channel.close();
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = LibC.newCaptureSegment(arena);
            int[] saved = {-1, -1, -1};
            for (int fd = 0; fd <= 2; fd++) {
                String link = InheritedDescriptors.link(fd);
                if (link != null && !link.equals(socket)) {
                    saved[fd] = LibC.dup(capture, fd);
                }
            }
            try {
                channel.close();
            } finally {
                for (int fd = 0; fd <= 2; fd++) {
                    if (saved[fd] >= 0) {
                        LibC.dup2(capture, saved[fd], fd);
                        LibC.close(capture, saved[fd]);
                    }
                }
            }
        }
    }
}
