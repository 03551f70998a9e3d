package dev.socketserver.impl.unix;

import dev.socketserver.impl.os.SendRetry;
import dev.socketserver.impl.os.BindFailures;
import dev.socketserver.spi.BindOptions;
import dev.socketserver.spi.DatagramEndpoint;
import dev.socketserver.spi.ReceivedDatagram;
import dev.socketserver.spi.Waiter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An {@code AF_UNIX}/{@code SOCK_DGRAM} socket made with FFM: NIO cannot open one on any JDK.
 *
 * <p>The socket is created non-blocking and close-on-exec. {@link #receive} is
 * {@code recvfrom(MSG_DONTWAIT | MSG_TRUNC)}, which returns the datagram's real length, so truncation
 * is exact. {@link #send} is {@code sendto(MSG_DONTWAIT)} with a short bounded retry
 * ({@link SendRetry}), so it never blocks and is safe on virtual threads. Waiting is
 * {@code poll()} on the socket and a wake-up pipe ({@link PollWaiter}). Every native call runs
 * under an {@link FdGuard}, and {@link #close()} is {@code shutdown(SHUT_RDWR)} (which wakes any
 * waiter) followed by {@code close()} once no call is using the descriptor.
 */
public final class UnixDatagramEndpoint implements DatagramEndpoint {

    private final FdGuard guard;
    private final ReentrantLock receiveLock = new ReentrantLock();
    // receive state, used only under receiveLock; freed by the GC once the endpoint is gone
    private final Arena receiveArena = Arena.ofAuto();
    private final MemorySegment receiveAddress = receiveArena.allocate(SockaddrUn.SIZE);
    private final MemorySegment receiveAddressLength = receiveArena.allocate(JAVA_INT);
    private final MemorySegment receiveCapture = LibC.newCaptureSegment(receiveArena);
    private MemorySegment receiveBuffer;
    private volatile SocketAddress local;

    private UnixDatagramEndpoint(int fd) {
        this.guard = new FdGuard(fd);
    }

    /**
     * Python: {@code socket.socket(AF_UNIX, SOCK_DGRAM)}.
     *
     * @return an open, unbound socket
     * @throws IOException if the socket cannot be created
     */
    public static UnixDatagramEndpoint open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = LibC.newCaptureSegment(arena);
            int fd = LibC.socket(capture, LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw LibC.error("socket(AF_UNIX, SOCK_DGRAM)", LibC.errno(capture));
            }
            return new UnixDatagramEndpoint(fd);
        }
    }

    /**
     * Binds to a path, an abstract name, or (empty path) a fresh abstract name. The reuse options
     * mean nothing for Unix sockets and are not applied.
     */
    @Override
    public void bind(SocketAddress address, BindOptions options) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockaddrUn.SIZE);
            MemorySegment capture = LibC.newCaptureSegment(arena);
            int length;
            try {
                length = SockaddrUn.encode(sa, address);
            } catch (IOException e) {
                throw BindFailures.naming(address, e);
            }
            int fd = guard.enter();
            try {
                if (LibC.bind(capture, fd, sa, length) < 0) {
                    throw BindFailures.naming(address, LibC.error("bind", LibC.errno(capture)));
                }
                MemorySegment lengthOut = arena.allocate(JAVA_INT);
                lengthOut.set(JAVA_INT, 0, SockaddrUn.SIZE);
                if (LibC.getsockname(capture, fd, sa, lengthOut) < 0) {
                    throw LibC.error("getsockname", LibC.errno(capture));
                }
                local = SockaddrUn.decode(sa, lengthOut.get(JAVA_INT, 0));
            } finally {
                guard.exit();
            }
        }
    }

    @Override
    public SocketAddress localAddress() {
        return guard.isClosing() ? null : local;
    }

    @Override
    public int fileno() {
        return guard.fd();
    }

    @Override
    public boolean isOpen() {
        return !guard.isClosing();
    }

    @Override
    public Waiter newWaiter() throws IOException {
        if (guard.isClosing()) {
            throw new ClosedChannelException();
        }
        return PollWaiter.open(guard);
    }

    @Override
    public ReceivedDatagram receive(int maxPacketSize) throws IOException {
        receiveLock.lock();
        try {
            if (receiveBuffer == null || receiveBuffer.byteSize() < maxPacketSize) {
                receiveBuffer = receiveArena.allocate(maxPacketSize);
            }
            int fd = guard.enter();
            try {
                receiveAddressLength.set(JAVA_INT, 0, SockaddrUn.SIZE);
                long n = LibC.recvfrom(receiveCapture, fd, receiveBuffer, maxPacketSize,
                        LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, receiveAddress, receiveAddressLength);
                if (n < 0) {
                    int errno = LibC.errno(receiveCapture);
                    if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                        return null;
                    }
                    throw LibC.error("recvfrom", errno);
                }
                if (guard.isClosing()) {
                    // shutdown(SHUT_RDWR) makes recvfrom return 0: that is no datagram
                    throw new ClosedChannelException();
                }
                boolean truncated = n > maxPacketSize;
                byte[] data = receiveBuffer.asSlice(0, Math.min(n, maxPacketSize)).toArray(JAVA_BYTE);
                SocketAddress sender = SockaddrUn.decode(receiveAddress, receiveAddressLength.get(JAVA_INT, 0));
                return new ReceivedDatagram(data, sender, truncated);
            } finally {
                guard.exit();
            }
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public void send(ByteBuffer data, SocketAddress target) throws IOException {
        int length = data.remaining();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockaddrUn.SIZE);
            int addressLength = SockaddrUn.encode(sa, target);
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            MemorySegment.copy(MemorySegment.ofBuffer(data), 0, buffer, 0, length);
            MemorySegment capture = LibC.newCaptureSegment(arena);
            SendRetry.send(() -> {
                int fd = guard.enter();
                long sent;
                try {
                    sent = LibC.sendto(capture, fd, buffer, length, LibC.MSG_DONTWAIT, sa, addressLength);
                } finally {
                    guard.exit();
                }
                if (sent >= 0) {
                    return true;
                }
                int errno = LibC.errno(capture);
                if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                    return false;
                }
                throw LibC.error("sendto " + target, errno);
            }, target, length);
        }
        data.position(data.limit());
    }

    @Override
    public void close() throws IOException {
        if (!guard.beginClose()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = LibC.newCaptureSegment(arena);
            // wakes a poll() or recvfrom() in progress, so takeForClose() does not wait for a timeout
            LibC.shutdown(capture, guard.fdForCloser(), LibC.SHUT_RDWR);
            int fd = guard.takeForClose();
            if (LibC.close(capture, fd) < 0) {
                int errno = LibC.errno(capture);
                if (errno != LibC.EINTR) { // Linux releases the descriptor even on EINTR
                    throw LibC.error("close", errno);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "UnixDatagramEndpoint[fd=" + guard.fd() + " " + local + "]";
    }
}
