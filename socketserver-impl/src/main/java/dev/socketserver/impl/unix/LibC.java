package dev.socketserver.impl.unix;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import dev.socketserver.impl.os.Errno;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few C library calls a Unix datagram socket needs (and {@code dup}/{@code dup2}, which take an
 * inherited socket: {@link InheritedDescriptors}), bound through the Foreign Function &amp;
 * Memory API, with Linux's constants (the same on x86-64 and AArch64).
 *
 * <p><b>A lazy holder.</b> Building a downcall handle is a restricted operation: the JVM warns (or,
 * with {@code --illegal-native-access=deny}, refuses) unless it runs with
 * {@code --enable-native-access=dev.socketserver.impl} (module path) or {@code ALL-UNNAMED} (class
 * path). All handles are built in this class's static initialiser, and only Unix datagram code
 * touches this class, so users of TCP, UDP and Unix stream servers never trigger the check.
 *
 * <p>Each call that can fail captures {@code errno} into a segment the caller passes first
 * ({@link #newCaptureSegment}); callers own that memory, so no per-thread state is kept (a
 * {@code ThreadLocal} would leak one segment per virtual thread). The blocking call, {@link #poll}
 * with a timeout, refuses to run on a virtual thread: a native call that blocks holds the carrier.
 */
final class LibC {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int SHUT_RDWR = 2;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int EINTR = Errno.EINTR;
    static final int EAGAIN = Errno.EAGAIN;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();

    private static final MethodHandle SOCKET = withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = withErrno("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVFROM = withErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = withErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PIPE2 = withErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = withErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SHUTDOWN = withErrno("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle DUP = withErrno("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle DUP2 = withErrno("dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private LibC() {
    }

    private static MemorySegment symbol(String name) {
        return C.find(name).orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "()"));
    }

    private static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Errno.CAPTURE);
    }

    static MemorySegment newCaptureSegment(java.lang.foreign.Arena arena) {
        return Errno.newCaptureSegment(arena);
    }

    static int errno(MemorySegment capture) {
        return Errno.errno(capture);
    }

    static IOException error(String call, int errno) {
        return Errno.error(call, errno);
    }

    static int socket(MemorySegment capture, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(capture, domain, type, protocol);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int bind(MemorySegment capture, int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(capture, fd, address, length);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int getsockname(MemorySegment capture, int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(capture, fd, address, length);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static long recvfrom(MemorySegment capture, int fd, MemorySegment buffer, long size, int flags,
                         MemorySegment address, MemorySegment length) {
        try {
            return (long) RECVFROM.invokeExact(capture, fd, buffer, size, flags, address, length);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static long sendto(MemorySegment capture, int fd, MemorySegment buffer, long size, int flags,
                       MemorySegment address, int length) {
        try {
            return (long) SENDTO.invokeExact(capture, fd, buffer, size, flags, address, length);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    /**
     * {@code poll(fds, nfds, timeout)}.
     *
     * @throws IllegalStateException if it could block (timeout not 0) and the caller is a virtual thread
     */
    static int poll(MemorySegment capture, MemorySegment fds, long count, int timeoutMillis) {
        if (timeoutMillis != 0 && Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("poll() with a timeout on a virtual thread would hold its carrier; "
                    + "blocking native calls must run on platform threads");
        }
        try {
            return (int) POLL.invokeExact(capture, fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int pipe2(MemorySegment capture, MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(capture, fds, flags);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static long read(MemorySegment capture, int fd, MemorySegment buffer, long size) {
        try {
            return (long) READ.invokeExact(capture, fd, buffer, size);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static long write(MemorySegment capture, int fd, MemorySegment buffer, long size) {
        try {
            return (long) WRITE.invokeExact(capture, fd, buffer, size);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int shutdown(MemorySegment capture, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(capture, fd, how);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int close(MemorySegment capture, int fd) {
        try {
            return (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int dup(MemorySegment capture, int fd) {
        try {
            return (int) DUP.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }

    static int dup2(MemorySegment capture, int fd, int target) {
        try {
            return (int) DUP2.invokeExact(capture, fd, target);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
    }
}
