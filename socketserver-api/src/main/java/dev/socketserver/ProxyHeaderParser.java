package dev.socketserver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a PROXY-protocol header, version 1 or 2, from the first bytes of a connection (HAProxy's
 * {@code doc/proxy-protocol.txt}). A pure function of the bytes, so it can be fuzzed without
 * sockets; it never resolves a name.
 */
final class ProxyHeaderParser {

    /** Version 1 lines are at most 107 bytes with the CRLF (section 2.1). */
    static final int V1_MAX = 107;
    /** The largest version 2 payload accepted (addresses and TLVs); HAProxy's own TLVs fit easily. */
    static final int V2_MAX_PAYLOAD = 4096;
    /** The most bytes a header can take. */
    static final int MAX_HEADER = 16 + V2_MAX_PAYLOAD;

    private static final byte[] V1_SIG = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIG = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

    /** What the first bytes are. */
    enum Kind {
        /** Not enough bytes to tell yet. */
        NEED_MORE,
        /** Not a PROXY header. */
        NONE,
        /** A complete header. */
        HEADER
    }

    /**
     * The outcome of {@link #parse}.
     *
     * @param kind what was found
     * @param header the header, for {@link Kind#HEADER}
     * @param length how many bytes the header took
     */
    record Parsed(Kind kind, ProxyHeader header, int length) {
        static final Parsed NEED_MORE = new Parsed(Kind.NEED_MORE, null, 0);
        static final Parsed NONE = new Parsed(Kind.NONE, null, 0);
    }

    private ProxyHeaderParser() {
    }

    /**
     * Parses the first {@code length} bytes of a connection.
     *
     * @throws ProxyHeaderException if they start like a header but are not a valid one
     */
    static Parsed parse(byte[] data, int length) throws ProxyHeaderException {
        if (startsLike(data, length, V2_SIG)) {
            return length < 16 ? Parsed.NEED_MORE : parseV2(data, length);
        }
        if (startsLike(data, length, V1_SIG)) {
            return length < V1_SIG.length ? Parsed.NEED_MORE : parseV1(data, length);
        }
        return Parsed.NONE;
    }

    /** Whether the bytes so far agree with {@code signature} (all of it, or all that arrived). */
    private static boolean startsLike(byte[] data, int length, byte[] signature) {
        if (length == 0) {
            return true;
        }
        for (int i = 0; i < Math.min(length, signature.length); i++) {
            if (data[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static Parsed parseV1(byte[] data, int length) throws ProxyHeaderException {
        int end = -1;
        for (int i = 0; i < Math.min(length, V1_MAX); i++) {
            if (data[i] == '\n') {
                if (i == 0 || data[i - 1] != '\r') {
                    throw new ProxyHeaderException("PROXY v1 line ends with LF without CR");
                }
                end = i - 1;
                break;
            }
            if (data[i] < 0x20 && data[i] != '\r' || data[i] > 0x7e) {
                throw new ProxyHeaderException("PROXY v1 line has a byte that is not printable ASCII (0x"
                        + Integer.toHexString(data[i] & 0xff) + " at " + i + ")");
            }
            if (data[i] == '\r' && i + 1 < length && data[i + 1] != '\n') {
                throw new ProxyHeaderException("PROXY v1 line has CR without LF");
            }
        }
        if (end < 0) {
            if (length >= V1_MAX) {
                throw new ProxyHeaderException("PROXY v1 line longer than " + V1_MAX + " bytes");
            }
            return Parsed.NEED_MORE;
        }
        String line = new String(data, 0, end, StandardCharsets.US_ASCII);
        String[] parts = line.split(" ", -1);
        if (parts.length >= 2 && parts[1].equals("UNKNOWN")) {
            return new Parsed(Kind.HEADER, new ProxyHeader(1, false, null, null, List.of()), end + 2);
        }
        if (parts.length != 6) {
            throw new ProxyHeaderException("PROXY v1 line needs 6 fields, has " + parts.length + ": " + printable(line));
        }
        boolean v4 = switch (parts[1]) {
            case "TCP4" -> true;
            case "TCP6" -> false;
            default -> throw new ProxyHeaderException("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN: " + printable(parts[1]));
        };
        InetAddress source = v1Address(parts[2], v4);
        InetAddress destination = v1Address(parts[3], v4);
        int sourcePort = v1Port(parts[4]);
        int destinationPort = v1Port(parts[5]);
        return new Parsed(Kind.HEADER, new ProxyHeader(1, false, new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort), List.of()), end + 2);
    }

    private static InetAddress v1Address(String text, boolean v4) throws ProxyHeaderException {
        try {
            if (v4 && IPV4.matcher(text).matches()) {
                return Inet4Address.ofLiteral(text);
            }
            if (!v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
                InetAddress address = Inet6Address.ofLiteral(text);
                if (address instanceof Inet6Address) {
                    return address;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new ProxyHeaderException("PROXY v1 address is not an IPv" + (v4 ? "4" : "6") + " literal: " + printable(text));
    }

    private static int v1Port(String text) throws ProxyHeaderException {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw new ProxyHeaderException("PROXY v1 port is not 0 to 65535: " + printable(text));
        }
        return Integer.parseInt(text);
    }

    private static Parsed parseV2(byte[] data, int length) throws ProxyHeaderException {
        int versionCommand = data[12] & 0xff;
        if (versionCommand >> 4 != 2) {
            throw new ProxyHeaderException("PROXY v2 version nibble is " + (versionCommand >> 4) + ", not 2");
        }
        int command = versionCommand & 0x0f;
        if (command > 1) {
            throw new ProxyHeaderException("PROXY v2 command is " + command + ", neither LOCAL (0) nor PROXY (1)");
        }
        int family = data[13] & 0xff;
        int payload = u16(data, 14);
        if (payload > V2_MAX_PAYLOAD) {
            throw new ProxyHeaderException("PROXY v2 header of " + payload + " bytes is longer than " + V2_MAX_PAYLOAD);
        }
        if (length < 16 + payload) {
            return Parsed.NEED_MORE;
        }
        int total = 16 + payload;
        if (command == 0) {
            // LOCAL: the proxy's own connection; the receiver must ignore the address block
            return new Parsed(Kind.HEADER, new ProxyHeader(2, true, null, null, List.of()), total);
        }
        int addressFamily = family >> 4;
        int transport = family & 0x0f;
        if (addressFamily > 3 || transport > 2) {
            throw new ProxyHeaderException("PROXY v2 family byte 0x" + Integer.toHexString(family) + " is not defined");
        }
        int addressLength = switch (addressFamily) {
            case 1 -> 12;
            case 2 -> 36;
            case 3 -> 216;
            default -> 0;
        };
        if (payload < addressLength) {
            throw new ProxyHeaderException("PROXY v2 header of " + payload + " bytes is too short for its "
                    + addressLength + "-byte address block");
        }
        SocketAddress source = null;
        SocketAddress destination = null;
        int p = 16;
        try {
            switch (addressFamily) {
                case 1 -> {
                    source = new InetSocketAddress(InetAddress.getByAddress(slice(data, p, 4)), u16(data, p + 8));
                    destination = new InetSocketAddress(InetAddress.getByAddress(slice(data, p + 4, 4)), u16(data, p + 10));
                }
                case 2 -> {
                    source = new InetSocketAddress(Inet6Address.getByAddress(null, slice(data, p, 16), null), u16(data, p + 32));
                    destination = new InetSocketAddress(Inet6Address.getByAddress(null, slice(data, p + 16, 16), null), u16(data, p + 34));
                }
                case 3 -> {
                    source = unixPath(data, p);
                    destination = unixPath(data, p + 108);
                }
                default -> {
                    // UNSPEC: no addresses; the socket's own are used
                }
            }
        } catch (UnknownHostException e) {
            throw new ProxyHeaderException("PROXY v2 address block is invalid", e); // not reached: lengths are fixed
        }
        List<ProxyHeader.Tlv> tlvs = tlvs(data, p + addressLength, total);
        return new Parsed(Kind.HEADER, new ProxyHeader(2, false, source, destination, tlvs), total);
    }

    private static List<ProxyHeader.Tlv> tlvs(byte[] data, int from, int end) throws ProxyHeaderException {
        List<ProxyHeader.Tlv> tlvs = new ArrayList<>();
        int p = from;
        while (p < end) {
            if (end - p < 3) {
                throw new ProxyHeaderException("PROXY v2 TLV header truncated at byte " + p);
            }
            int type = data[p] & 0xff;
            int length = u16(data, p + 1);
            if (p + 3 + length > end) {
                throw new ProxyHeaderException("PROXY v2 TLV 0x" + Integer.toHexString(type) + " of " + length
                        + " bytes runs past the header's end");
            }
            byte[] value = slice(data, p + 3, length);
            if (type == ProxyHeader.TYPE_SSL) {
                try {
                    ssl(value); // refuse a malformed SSL TLV now, not when the handler asks
                } catch (IllegalArgumentException e) {
                    throw new ProxyHeaderException(e.getMessage());
                }
            }
            tlvs.add(new ProxyHeader.Tlv(type, value));
            p += 3 + length;
        }
        return tlvs;
    }

    /** Decodes {@code PP2_TYPE_SSL}: client (1 byte), verify (4 bytes), then sub-TLVs. */
    static ProxyHeader.Ssl ssl(byte[] value) {
        if (value.length < 5) {
            throw new IllegalArgumentException("PROXY v2 SSL TLV shorter than 5 bytes");
        }
        int client = value[0] & 0xff;
        long verify = ((long) u16(value, 1) << 16) | u16(value, 3);
        String version = null;
        String cipher = null;
        String commonName = null;
        int p = 5;
        while (p < value.length) {
            if (value.length - p < 3 || p + 3 + u16(value, p + 1) > value.length) {
                throw new IllegalArgumentException("PROXY v2 SSL sub-TLV runs past the TLV's end");
            }
            int type = value[p] & 0xff;
            int length = u16(value, p + 1);
            String text = new String(value, p + 3, length, StandardCharsets.UTF_8);
            switch (type) {
                case 0x21 -> version = text;
                case 0x22 -> commonName = text;
                case 0x23 -> cipher = text;
                default -> {
                    // signature and key algorithms: in tlvs() for whoever wants them
                }
            }
            p += 3 + length;
        }
        return new ProxyHeader.Ssl(client, verify, version, cipher, commonName);
    }

    private static SocketAddress unixPath(byte[] data, int from) {
        int end = from;
        while (end < from + 108 && data[end] != 0) {
            end++;
        }
        if (end == from) {
            return UnixDomainSocketAddress.of("");
        }
        try {
            return UnixDomainSocketAddress.of(new String(data, from, end - from, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return UnixDomainSocketAddress.of(""); // a path this JVM cannot represent: shown as unnamed
        }
    }

    private static int u16(byte[] data, int at) {
        return ((data[at] & 0xff) << 8) | (data[at + 1] & 0xff);
    }

    private static byte[] slice(byte[] data, int from, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, from, out, 0, length);
        return out;
    }

    /** A field for a log line: at most 60 characters, control characters shown as '?'. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 60; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return text.length() > 60 ? b + "..." : b.toString();
    }
}
