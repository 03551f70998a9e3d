package dev.socketserver.impl.unix;

import dev.socketserver.AbstractUnixAddress;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Linux's {@code struct sockaddr_un}: {@code {sa_family_t sun_family; char sun_path[108];}}, 110 bytes.
 *
 * <ul>
 *   <li>a path: its bytes plus a NUL, length {@code 2 + n + 1}; at most 107 bytes of path;</li>
 *   <li>an abstract name: a NUL, then the name's bytes, no terminator, length {@code 3 + n};</li>
 *   <li>the empty path: length 2, which makes {@code bind} autobind an abstract name (Python's
 *       {@code bind('')});</li>
 *   <li>a received length of 2 or less (Linux gives 0 for an unbound sender): no address; an
 *       abstract name of zero bytes (length 3, possible only if a peer binds it explicitly) is
 *       treated the same, since {@link AbstractUnixAddress} cannot be empty.</li>
 * </ul>
 * Paths use the JVM's file-name encoding ({@code sun.jnu.encoding}), as {@link java.nio.file.Path} does.
 */
final class SockaddrUn {

    /** {@code sizeof(struct sockaddr_un)}. */
    static final int SIZE = 110;

    /** The longest path: {@code sun_path} holds 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;

    private static final Charset PATH_CHARSET = pathCharset();

    private SockaddrUn() {
    }

    /**
     * Writes an address into {@code sa}.
     *
     * @param sa at least {@link #SIZE} bytes
     * @param address a {@link UnixDomainSocketAddress} or an {@link AbstractUnixAddress}
     * @return the length to pass to {@code bind} or {@code sendto}
     * @throws IOException if the path is too long
     * @throws UnsupportedAddressTypeException for any other kind of address
     */
    static int encode(MemorySegment sa, SocketAddress address) throws IOException {
        sa.asSlice(0, SIZE).fill((byte) 0);
        sa.set(JAVA_SHORT, 0, (short) LibC.AF_UNIX);
        if (address instanceof UnixDomainSocketAddress unix) {
            String path = unix.getPath().toString();
            if (path.isEmpty()) {
                return 2;
            }
            byte[] bytes = path.getBytes(PATH_CHARSET);
            if (bytes.length > MAX_PATH_BYTES) {
                throw new IOException("the socket path has " + bytes.length + " bytes; Linux allows at most "
                        + MAX_PATH_BYTES + ": " + path);
            }
            MemorySegment.copy(bytes, 0, sa, JAVA_BYTE, 2, bytes.length);
            return 2 + bytes.length + 1;
        }
        if (address instanceof AbstractUnixAddress name) {
            byte[] bytes = name.nameBytes();
            MemorySegment.copy(bytes, 0, sa, JAVA_BYTE, 3, bytes.length);
            return 3 + bytes.length;
        }
        throw new UnsupportedAddressTypeException();
    }

    /**
     * Reads an address that {@code recvfrom} or {@code getsockname} filled in.
     *
     * @param sa the buffer
     * @param length the length the kernel returned
     * @return the path or abstract name, or {@code null} for an unnamed socket
     */
    static SocketAddress decode(MemorySegment sa, int length) {
        int n = Math.min(length, SIZE) - 2;
        if (n <= 0) {
            return null;
        }
        byte[] bytes = sa.asSlice(2, n).toArray(JAVA_BYTE);
        if (bytes[0] == 0) {
            return n == 1 ? null : AbstractUnixAddress.of(Arrays.copyOfRange(bytes, 1, n));
        }
        int end = 0;
        while (end < n && bytes[end] != 0) {
            end++;
        }
        return UnixDomainSocketAddress.of(new String(bytes, 0, end, PATH_CHARSET));
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
