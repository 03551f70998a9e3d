package dev.socketserver.impl.os;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;

/**
 * The OS descriptor of a NIO channel, found once and cached (it never changes while the channel is open).
 *
 * <p>Two ways, tried in order:
 * <ol>
 *   <li>{@code sun.nio.ch.SelChImpl.getFDVal()}, when the JVM runs with
 *       {@code --add-exports java.base/sun.nio.ch=dev.socketserver.impl} (or {@code =ALL-UNNAMED} on the
 *       class path): exact, well under a microsecond;</li>
 *   <li>otherwise, on Linux, the socket's inode matched in {@code /proc/net/*} and {@code /proc/self/fd}
 *       ({@link ProcFd}): a few milliseconds, once, and only after bind.</li>
 * </ol>
 * Where neither works (another OS, no {@code /proc}, an ambiguous match) the result is {@code -1}.
 */
public final class Fileno {

    private static final MethodHandle GET_FD_VAL = findGetFdVal();

    private final NetworkChannel channel;
    private final ProcFd.Kind kind;
    private volatile int cached = -1;

    public Fileno(NetworkChannel channel, ProcFd.Kind kind) {
        this.channel = channel;
        this.kind = kind;
    }

    public int get() {
        if (!channel.isOpen()) {
            return -1;
        }
        int fd = cached;
        if (fd >= 0) {
            return fd;
        }
        fd = GET_FD_VAL != null ? viaJdk(channel) : ProcFd.find(channel, kind);
        if (fd >= 0 && channel.isOpen()) {
            cached = fd;
            return fd;
        }
        return -1;
    }

    /**
     * Tells whether the exact (JDK-internal) way is available in this JVM.
     *
     * @return {@code true} when {@code sun.nio.ch} is exported to this module
     */
    public static boolean exactLookupAvailable() {
        return GET_FD_VAL != null;
    }

    /**
     * Returns a channel's descriptor the exact way, with no {@code /proc} search.
     *
     * @param channel an open NIO socket channel
     * @return the descriptor, or {@code -1} when {@link #exactLookupAvailable()} is {@code false}
     */
    public static int exact(Channel channel) {
        return GET_FD_VAL != null ? viaJdk(channel) : -1;
    }

    private static int viaJdk(Channel channel) {
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static MethodHandle findGetFdVal() {
        Module java = Object.class.getModule();
        if (!java.isExported("sun.nio.ch", Fileno.class.getModule())) {
            return null;
        }
        try {
            Class<?> selChImpl = Class.forName("sun.nio.ch.SelChImpl");
            // a full-privilege lookup of this module: publicLookup() sees only unconditional exports,
            // never the qualified --add-exports java.base/sun.nio.ch=dev.socketserver.impl
            return MethodHandles.lookup()
                    .findVirtual(selChImpl, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Channel.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
