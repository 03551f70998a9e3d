package dev.socketserver;

import java.net.InetAddress;
import java.util.List;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code ::1/128} or a single address: who may send a
 * PROXY header. Parsed without name lookups.
 *
 * @param network the block's address bytes (4 or 16)
 * @param prefix how many leading bits must match
 * @param text the block as written
 */
record Cidr(byte[] network, int prefix, String text) {

    /** The default: loopback only, IPv4 and IPv6. */
    static final List<Cidr> LOOPBACK = List.of(parse("127.0.0.0/8"), parse("::1/128"));

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}.
     *
     * @throws IllegalArgumentException naming the text, if it is not an address literal and prefix
     */
    static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an address or CIDR block: '" + text + "' (expected e.g. 10.0.0.0/8 or ::1/128)");
        }
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "': 0 to " + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix, trimmed);
    }

    /** Whether {@code address} lies in this block (an IPv4-mapped IPv6 address counts as IPv4). */
    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = java.util.Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return text;
    }
}
