package dev.socketserver.impl.poller;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import dev.socketserver.impl.os.Errno;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Linux {@code epoll}, bound through FFM, for {@link EdgePoller}. Each call captures {@code errno}
 * and fails with an {@link IOException} that names the call ({@link Errno}).
 *
 * <p>Loaded only by {@link EdgePoller}, and only after it checked that this module has native access,
 * so no warning is ever printed. The calls that never block ({@link #ctl}, {@link #pollNow}) are bound
 * as <em>critical</em> downcalls (no thread-state transition: they run on virtual threads thousands
 * of times a second); {@link #await} blocks and refuses to run on a virtual thread, whose
 * carrier it would hold. The poller calls through an instance, not the static handles, so a test can
 * make a call fail ({@code EdgePollerFailureTest}).
 *
 * <p>{@code struct epoll_event} is packed on x86-64 (12 bytes: {@code uint32_t events} then
 * {@code uint64_t data} at offset 4) and 16 bytes, aligned, on other 64-bit targets.
 */
class Epoll {

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

    /** The real calls. */
    static final Epoll SYSTEM = new Epoll();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final MethodHandle CREATE = downcall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT),
            Errno.CAPTURE);
    private static final MethodHandle CTL = downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Errno.CAPTURE, Linker.Option.critical(true));
    private static final MethodHandle WAIT_NOW = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Errno.CAPTURE, Linker.Option.critical(false));
    private static final MethodHandle WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Errno.CAPTURE);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), Errno.CAPTURE);

    Epoll() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = C.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * {@code epoll_create1(EPOLL_CLOEXEC)}.
     *
     * @return the new epoll descriptor
     * @throws IOException naming the call and errno if it fails
     */
    int create() throws IOException {
        try (Arena arena = Arena.ofConfined()) { // not critical: the capture segment must be native
            MemorySegment capture = Errno.newCaptureSegment(arena);
            int fd;
            try {
                fd = (int) CREATE.invokeExact(capture, EPOLL_CLOEXEC);
            } catch (Throwable t) {
                throw Errno.unexpected(t);
            }
            if (fd < 0) {
                throw Errno.error("epoll_create1", Errno.errno(capture));
            }
            return fd;
        }
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data})}.
     *
     * @param what names the call in the exception, e.g. {@code "epoll_ctl(ADD, fd 12)"}
     * @param scratch at least {@link #EVENT_SIZE} bytes, owned by the caller; may be on the heap
     *     ({@link #newEvent()}): the call is critical with heap access, the kernel copies the struct
     * @param capture a capture segment owned by the caller; may be on the heap ({@link Errno#newHeapCaptureSegment()})
     * @throws IOException naming the call and errno if it fails
     */
    void ctl(String what, int epfd, int op, int fd, int events, long data, MemorySegment scratch, MemorySegment capture)
            throws IOException {
        scratch.set(JAVA_INT, 0, events);
        scratch.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, data);
        int result;
        try {
            result = (int) CTL.invokeExact(capture, epfd, op, fd, scratch);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
        if (result != 0) {
            throw Errno.error(what, Errno.errno(capture));
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
     * @param capture a native capture segment owned by the caller
     * @return the number of events written to {@code events}
     * @throws IOException naming the call and errno if it fails (EINTR included)
     */
    int pollNow(int epfd, MemorySegment events, int max, MemorySegment capture) throws IOException {
        int n;
        try {
            n = (int) WAIT_NOW.invokeExact(capture, epfd, events, max, 0);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
        if (n < 0) {
            throw Errno.error("epoll_wait(epfd " + epfd + ", no timeout)", Errno.errno(capture));
        }
        return n;
    }

    /**
     * {@code epoll_wait} with a timeout: blocks until something is ready or the time passes.
     *
     * @param timeoutMillis the longest wait
     * @param capture a native capture segment owned by the caller
     * @return the number of events, 0 on timeout
     * @throws IOException naming the call and errno if it fails (EINTR included)
     * @throws IllegalStateException on a virtual thread, whose carrier a blocking native call holds
     */
    int await(int epfd, MemorySegment events, int max, int timeoutMillis, MemorySegment capture) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a blocking epoll_wait must run on a platform thread");
        }
        int n;
        try {
            n = (int) WAIT.invokeExact(capture, epfd, events, max, timeoutMillis);
        } catch (Throwable t) {
            throw Errno.unexpected(t);
        }
        if (n < 0) {
            throw Errno.error("epoll_wait(epfd " + epfd + ")", Errno.errno(capture));
        }
        return n;
    }

    /**
     * {@code close(fd)} of an epoll descriptor.
     *
     * @throws IOException naming the call and errno if it fails
     */
    void close(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Errno.newCaptureSegment(arena);
            int result;
            try {
                result = (int) CLOSE.invokeExact(capture, fd);
            } catch (Throwable t) {
                throw Errno.unexpected(t);
            }
            if (result != 0) {
                throw Errno.error("close(epfd " + fd + ")", Errno.errno(capture));
            }
        }
    }

    static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT, index * EVENT_SIZE);
    }

    static long data(MemorySegment events, int index) {
        return events.get(JAVA_LONG_UNALIGNED, index * EVENT_SIZE + DATA_OFFSET);
    }
}
