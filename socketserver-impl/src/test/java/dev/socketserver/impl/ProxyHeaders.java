package dev.socketserver.impl;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Builds PROXY-protocol headers (HAProxy's doc/proxy-protocol.txt) the way a proxy sends them. */
final class ProxyHeaders {

    static final byte[] V2_SIG = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 PROXY header over TCP/IPv4 (family 0x11) with the given TLVs. */
    static byte[] v2Tcp4(String source, int sourcePort, String destination, int destinationPort, byte[]... tlvs) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(InetAddress.getByName(source).getAddress());
        body.write(InetAddress.getByName(destination).getAddress());
        u16(body, sourcePort);
        u16(body, destinationPort);
        for (byte[] tlv : tlvs) {
            body.write(tlv);
        }
        return v2(0x21, 0x11, body.toByteArray());
    }

    /** A version 2 PROXY header over TCP/IPv6 (family 0x21). */
    static byte[] v2Tcp6(String source, int sourcePort, String destination, int destinationPort) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(InetAddress.getByName(source).getAddress());
        body.write(InetAddress.getByName(destination).getAddress());
        u16(body, sourcePort);
        u16(body, destinationPort);
        return v2(0x21, 0x21, body.toByteArray());
    }

    /** A version 2 LOCAL header, as HAProxy's health checks send. */
    static byte[] v2Local() {
        return v2(0x20, 0x00, new byte[0]);
    }

    static byte[] v2(int versionCommand, int family, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIG);
        out.write(versionCommand);
        out.write(family);
        u16(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        u16(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** PP2_TYPE_SSL: client bits 0x01 (TLS), verified, with version and CN sub-TLVs. */
    static byte[] sslTlv(String version, String commonName) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        value.write(0x01);
        value.writeBytes(new byte[4]);
        value.writeBytes(tlv(0x21, version));
        value.writeBytes(tlv(0x22, commonName));
        return tlv(0x20, value.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value & 0xff);
    }
}
