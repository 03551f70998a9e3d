package dev.socketserver.impl.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code errno} for the engine's FFM bindings ({@code unix.LibC}, {@code poller.Epoll}): every call
 * that can fail is bound with {@link #CAPTURE} and captures {@code errno} into a segment its caller
 * owns, and a failure becomes an {@link IOException} naming the call and the C library's text.
 *
 * <p>Building a downcall is a restricted operation, so this class, like the bindings that use it,
 * is loaded only once the engine knows it has native access.
 */
public final class Errno {

    /** The linker option every failing call is bound with. */
    public static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    /** {@code EINTR}: interrupted by a signal; the call may be repeated. */
    public static final int EINTR = 4;
    /** {@code EAGAIN}: nothing to do now, on a non-blocking descriptor. */
    public static final int EAGAIN = 11;

    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Errno() {
    }

    /**
     * Allocates the memory one call's {@code errno} is captured into.
     *
     * @param arena the arena that owns it
     * @return a new capture segment
     */
    public static MemorySegment newCaptureSegment(Arena arena) {
        return arena.allocate(LAYOUT);
    }

    /**
     * Allocates a capture segment on the heap, for callers that keep one per object.
     *
     * @return a new capture segment
     */
    public static MemorySegment newHeapCaptureSegment() {
        return MemorySegment.ofArray(new int[(int) ((LAYOUT.byteSize() + 3) / 4)]);
    }

    /**
     * Reads the captured {@code errno}.
     *
     * @param capture the segment the call captured into
     * @return the error number
     */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * An exception for a failed call, with the C library's text:
     * {@code "bind: No such file or directory (errno 2)"}.
     *
     * @param call what was called, with what matters of its arguments
     * @param errno the captured error number
     * @return the exception, to throw
     */
    public static IOException error(String call, int errno) {
        return new IOException(call + ": " + strerror(errno) + " (errno " + errno + ")");
    }

    /**
     * The C library's text for an error number.
     *
     * @param errno the error number
     * @return the text, or {@code "error N"} if there is none
     */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.address() == 0 ? "error " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    /**
     * What a downcall's {@code invokeExact} threw, for rethrowing: a {@link RuntimeException} as it
     * is, an {@link Error} thrown from here; anything else (it declares {@code Throwable}) wrapped.
     *
     * @param t what the call threw
     * @return the exception to throw
     */
    public static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
