package dev.socketserver;

import java.io.Serial;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Linux abstract Unix socket name: Python's {@code '\0name'} address for {@code AF_UNIX}.
 *
 * <p><b>Linux only.</b> An abstract name lives in the kernel, not in the file system: binding it
 * creates no file, and the name disappears with the last socket that holds it. Java's
 * {@link UnixDomainSocketAddress} cannot hold one (a path cannot contain a NUL), so this type
 * carries the bytes after the leading NUL. {@link UnixDatagramServer} binds to it and reports
 * abstract clients with it; NIO stream sockets ({@link UnixStreamServer}) do not support it.
 *
 * <p>{@link #toString()} shows the name as {@code ss} and {@code /proc/net/unix} do: {@code @name}.
 */
public final class AbstractUnixAddress extends SocketAddress {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The longest name: {@code sun_path} has 108 bytes, one of which is the leading NUL. */
    public static final int MAX_NAME_BYTES = 107;

    /** The name's bytes, without the leading NUL. */
    private final byte[] name;

    private AbstractUnixAddress(byte[] name) {
        this.name = name;
    }

    /**
     * An abstract name given as text, encoded as UTF-8 (Python: {@code '\0' + name}).
     *
     * @param name the name without the leading NUL; 1 to {@value #MAX_NAME_BYTES} bytes in UTF-8
     * @return the address
     * @throws IllegalArgumentException if the name is empty or too long
     */
    public static AbstractUnixAddress of(String name) {
        return of(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An abstract name given as bytes (Python: {@code b'\0' + name}); any byte is allowed.
     *
     * @param name the name without the leading NUL, 1 to {@value #MAX_NAME_BYTES} bytes
     * @return the address
     * @throws IllegalArgumentException if the name is empty or too long
     */
    public static AbstractUnixAddress of(byte[] name) {
        if (name.length == 0 || name.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("an abstract Unix name has 1 to " + MAX_NAME_BYTES
                    + " bytes after the leading NUL, not " + name.length);
        }
        return new AbstractUnixAddress(name.clone());
    }

    /**
     * Returns the name decoded as UTF-8 (bytes that are not UTF-8 show as U+FFFD).
     *
     * @return the name without the leading NUL
     */
    public String name() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /**
     * Returns the raw bytes of the name.
     *
     * @return a copy of the bytes after the leading NUL
     */
    public byte[] nameBytes() {
        return name.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbstractUnixAddress other && Arrays.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }

    /**
     * Returns {@code @name}, the notation of {@code ss} and {@code /proc/net/unix}; a name that is
     * not printable UTF-8 is shown in hex ({@code @\x00\x1f...}).
     */
    @Override
    public String toString() {
        String text = name();
        boolean printable = Arrays.equals(text.getBytes(StandardCharsets.UTF_8), name)
                && text.codePoints().noneMatch(Character::isISOControl);
        if (printable) {
            return "@" + text;
        }
        StringBuilder sb = new StringBuilder("@");
        for (byte b : name) {
            sb.append("\\x").append(HexFormat.of().toHexDigits(b));
        }
        return sb.toString();
    }
}
