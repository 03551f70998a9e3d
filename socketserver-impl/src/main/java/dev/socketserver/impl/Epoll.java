package dev.socketserver.impl;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Linux {@code epoll}, bound through FFM, for {@link EdgePoller}.
 *
 * <p>A lazy holder like {@link LibC}: only {@link EdgePoller} touches it, and only after checking that
 * this module has native access, so no warning is ever printed. The calls that never block
 * ({@link #ctl}, {@link #pollNow}) are bound as <em>critical</em> downcalls (no thread-state
 * transition: they run on virtual threads thousands of times a second); {@link #waitForever} blocks and
 * refuses to run on a virtual thread, whose carrier it would hold.
 *
 * <p>{@code struct epoll_event} is packed on x86-64 (12 bytes: {@code uint32_t events} then
 * {@code uint64_t data} at offset 4) and 16 bytes, aligned, on other 64-bit targets.
 */
final class Epoll {

    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLONESHOT = 1 << 30;
    static final int EPOLLET = 1 << 31;
    static final int CTL_ADD = 1;
    static final int CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 0x80000;

    /** Size of one {@code struct epoll_event}. */
    static final long EVENT_SIZE = "amd64".equals(System.getProperty("os.arch")) ? 12 : 16;
    private static final long DATA_OFFSET = EVENT_SIZE == 12 ? 4 : 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final MethodHandle CREATE = downcall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.critical(true));
    private static final MethodHandle WAIT_NOW = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.critical(false));
    private static final MethodHandle WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private Epoll() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = C.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * {@code epoll_create1(EPOLL_CLOEXEC)}.
     *
     * @return the new epoll descriptor, or a negative value on failure
     */
    static int create() {
        try {
            return (int) CREATE.invokeExact(EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data})}.
     *
     * @param scratch at least {@link #EVENT_SIZE} bytes, owned by the caller; may be on the heap
     *     ({@link #newEvent()}): the call is critical with heap access, the kernel copies the struct
     * @return 0, or -1 on failure
     */
    static int ctl(int epfd, int op, int fd, int events, long data, MemorySegment scratch) {
        scratch.set(JAVA_INT, 0, events);
        scratch.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, data);
        try {
            return (int) CTL.invokeExact(epfd, op, fd, scratch);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * A heap segment for one {@code struct epoll_event}, to pass to {@link #ctl} without native allocation.
     *
     * @return a new, zeroed segment of {@link #EVENT_SIZE} bytes
     */
    static MemorySegment newEvent() {
        return MemorySegment.ofArray(new long[2]);
    }

    /**
     * {@code epoll_wait} with a zero timeout: takes what is ready now, never blocks.
     *
     * @return the number of events written to {@code events}, or -1 on failure
     */
    static int pollNow(int epfd, MemorySegment events, int max) {
        try {
            return (int) WAIT_NOW.invokeExact(epfd, events, max, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code epoll_wait} with no timeout: blocks until something is ready.
     *
     * @throws IllegalStateException on a virtual thread, whose carrier a blocking native call holds
     */
    static int waitForever(int epfd, MemorySegment events, int max) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a blocking epoll_wait must run on a platform thread");
        }
        try {
            return (int) WAIT.invokeExact(epfd, events, max, -1);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT, index * EVENT_SIZE);
    }

    static long data(MemorySegment events, int index) {
        return events.get(JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
