package dev.socketserver;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A PROXY-protocol header (HAProxy's {@code doc/proxy-protocol.txt}, versions 1 and 2) as a load
 * balancer sent it in front of a connection; see {@link Connection#proxyHeader()}. Python's
 * {@code socketserver} has none (Twisted: {@code HAProxyWrappingFactory}; Netty:
 * {@code HAProxyMessage}).
 *
 * <p>When {@link #source()} is {@code null} (a version 2 {@code LOCAL} header, as HAProxy's health
 * checks send, an {@code UNSPEC} family, or version 1 {@code UNKNOWN}), the server keeps the
 * socket's own address as the client address.
 */
public final class ProxyHeader {

    /** TLV type {@code PP2_TYPE_ALPN}: the application protocol the client negotiated with the proxy. */
    public static final int TYPE_ALPN = 0x01;
    /** TLV type {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (SNI or Host). */
    public static final int TYPE_AUTHORITY = 0x02;
    /** TLV type {@code PP2_TYPE_UNIQUE_ID}: the proxy's id for the connection. */
    public static final int TYPE_UNIQUE_ID = 0x05;
    /** TLV type {@code PP2_TYPE_SSL}: what the proxy learned from the client's TLS, see {@link Ssl}. */
    public static final int TYPE_SSL = 0x20;

    private final int version;
    private final boolean local;
    private final SocketAddress source;
    private final SocketAddress destination;
    private final List<Tlv> tlvs;

    ProxyHeader(int version, boolean local, SocketAddress source, SocketAddress destination, List<Tlv> tlvs) {
        this.version = version;
        this.local = local;
        this.source = source;
        this.destination = destination;
        this.tlvs = List.copyOf(tlvs);
    }

    /**
     * Returns the protocol version.
     *
     * @return 1 (text) or 2 (binary)
     */
    public int version() {
        return version;
    }

    /**
     * Tells whether this is a version 2 {@code LOCAL} header: the proxy's own connection, such as a
     * health check, served with the socket's address.
     *
     * @return {@code true} for {@code LOCAL}
     */
    public boolean local() {
        return local;
    }

    /**
     * Returns the original client's address, which the handler sees as {@code clientAddress()}.
     *
     * @return the address, or {@code null} when the header carries none (LOCAL, UNSPEC, UNKNOWN)
     */
    public SocketAddress source() {
        return source;
    }

    /**
     * Returns the address the client connected to at the proxy.
     *
     * @return the address, or {@code null} when the header carries none
     */
    public SocketAddress destination() {
        return destination;
    }

    /**
     * Returns the version 2 TLVs in the order received (empty for version 1).
     *
     * @return the TLVs
     */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    /**
     * Returns the value of the first TLV of a type.
     *
     * @param type the TLV type, e.g. {@link #TYPE_AUTHORITY}
     * @return a copy of its value, or {@code null} if there is none
     */
    public byte[] tlv(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return tlv.value();
            }
        }
        return null;
    }

    /**
     * Returns the {@code PP2_TYPE_AUTHORITY} TLV: the host name the client asked the proxy for.
     *
     * @return the name, or {@code null}
     */
    public String authority() {
        byte[] value = tlv(TYPE_AUTHORITY);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Returns the {@code PP2_TYPE_ALPN} TLV: the application protocol, such as {@code h2}.
     *
     * @return the protocol, or {@code null}
     */
    public String alpn() {
        byte[] value = tlv(TYPE_ALPN);
        return value == null ? null : new String(value, StandardCharsets.US_ASCII);
    }

    /**
     * Returns the {@code PP2_TYPE_SSL} TLV, decoded.
     *
     * @return the TLS facts the proxy sent, or {@code null}
     */
    public Ssl ssl() {
        byte[] value = tlv(TYPE_SSL);
        return value == null ? null : ProxyHeaderParser.ssl(value);
    }

    @Override
    public String toString() {
        return "ProxyHeader[v" + version + (local ? " LOCAL" : "") + " " + Addresses.format(source) + " -> "
                + Addresses.format(destination) + (tlvs.isEmpty() ? "" : " " + tlvs.size() + " TLVs") + "]";
    }

    /**
     * One version 2 TLV (type, length, value).
     *
     * @param type the type, 0 to 255
     * @param value the value
     */
    public record Tlv(int type, byte[] value) {

        /**
         * Keeps a copy of the value.
         *
         * @param type the type, 0 to 255
         * @param value the value
         */
        public Tlv {
            value = value.clone();
        }

        /**
         * Returns a copy of the value.
         *
         * @return the bytes
         */
        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv other && other.type == type && Arrays.equals(other.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Tlv[0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
        }
    }

    /**
     * The {@code PP2_TYPE_SSL} TLV: how the client spoke TLS to the proxy.
     *
     * @param client the {@code PP2_CLIENT_*} bits: 0x01 TLS, 0x02 a certificate on this connection,
     *     0x04 a certificate in this session
     * @param verify 0 if the client's certificate was verified
     * @param version the TLS version, such as {@code TLSv1.3}, or {@code null}
     * @param cipher the cipher, or {@code null}
     * @param commonName the client certificate's subject common name, or {@code null}
     */
    public record Ssl(int client, long verify, String version, String cipher, String commonName) {
    }
}
