package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PROXY header parser as a pure function, and the trusted-network blocks. */
class ProxyHeaderParserTest {

    private static final byte[] SIG = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static ProxyHeaderParser.Parsed parse(byte[] b) throws ProxyHeaderException {
        return ProxyHeaderParser.parse(b, b.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void version1() throws Exception {
        ProxyHeaderParser.Parsed p = parse(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443\r\nGET"));
        assertEquals(ProxyHeaderParser.Kind.HEADER, p.kind());
        assertEquals(45, p.length());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40000), p.header().source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 443), p.header().destination());
        assertEquals(ProxyHeaderParser.Kind.NEED_MORE, parse(ascii("PROXY TCP4 192.0.2.7")).kind());
        assertEquals(ProxyHeaderParser.Kind.NEED_MORE, parse(ascii("PRO")).kind());
        assertEquals(ProxyHeaderParser.Kind.NONE, parse(ascii("GET / HTTP/1.1\r\n")).kind());
        assertEquals(ProxyHeaderParser.Kind.NONE, parse(ascii("PROXX")).kind());
        assertNull(parse(ascii("PROXY UNKNOWN\r\n")).header().source());
        assertThrows(ProxyHeaderException.class, () -> parse(ascii("PROXY TCP4 0300.0.0.1 1.1.1.1 1 2\r\n")));
        assertThrows(ProxyHeaderException.class, () -> parse(ascii("PROXY TCP4 1.1.1.1 1.1.1.1 01 2\r\n")));
        assertThrows(ProxyHeaderException.class, () -> parse(ascii("PROXY TCP6 1.1.1.1 1.1.1.1 1 2\r\n")));
        assertThrows(ProxyHeaderException.class, () -> parse(ascii("PROXY TCP4 " + "9".repeat(100))));
    }

    @Test
    void version2WithTlvs() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) 203, 0, 113, 9, 127, 0, 0, 1, (byte) 0xc8, 0x22, 0x01, (byte) 0xbb});
        body.writeBytes(new byte[] {0x02, 0x00, 0x0b});
        body.writeBytes(ascii("example.com"));
        body.writeBytes(new byte[] {0x20, 0x00, 0x0f, 0x01, 0, 0, 0, 0, 0x21, 0x00, 0x07});
        body.writeBytes(ascii("TLSv1.3"));
        byte[] header = v2(0x21, 0x11, body.toByteArray());
        ProxyHeaderParser.Parsed p = parse(header);
        assertEquals(header.length, p.length());
        assertEquals(new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 51234), p.header().source());
        assertEquals("example.com", p.header().authority());
        assertEquals("TLSv1.3", p.header().ssl().version());
        assertEquals(1, p.header().ssl().client());
        assertFalse(p.header().local());
        assertTrue(parse(v2(0x20, 0x00, new byte[0])).header().local());
        assertEquals(ProxyHeaderParser.Kind.NEED_MORE, parse(Arrays.copyOf(header, 20)).kind());
        assertThrows(ProxyHeaderException.class, () -> parse(v2(0x21, 0x11, new byte[5000])));
    }

    @Test
    void trustedBlocks() throws Exception {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.1.2")));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1")));
        assertTrue(Cidr.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.200")));
        assertFalse(Cidr.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.100")));
        assertTrue(Cidr.parse("::1").contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("::ffff:127.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }

    @Test
    void tenThousandMutatedHeadersOnlyEverFailWithProxyHeaderException() throws Exception {
        List<byte[]> seeds = List.of(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 40000 443\r\n"),
                ascii("PROXY TCP6 2001:db8::7 2001:db8::1 40001 443\r\n"), ascii("PROXY UNKNOWN\r\n"),
                v2(0x21, 0x11, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2, 0x02, 0x00, 0x01, 'a'}),
                v2(0x21, 0x21, new byte[36]), v2(0x21, 0x31, new byte[216]), v2(0x20, 0x00, new byte[0]));
        Random random = new Random(11);
        int headers = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                if (b.length == 0) {
                    break;
                }
                int at = random.nextInt(b.length);
                switch (random.nextInt(3)) {
                    case 0 -> b[at] = (byte) random.nextInt(256);
                    case 1 -> b = Arrays.copyOf(b, at);
                    default -> b = Arrays.copyOf(b, b.length + 1 + random.nextInt(300));
                }
            }
            try {
                ProxyHeaderParser.Parsed p = parse(b);
                if (p.kind() == ProxyHeaderParser.Kind.HEADER) {
                    headers++;
                    assertTrue(p.length() <= b.length);
                    p.header().toString(); // every accessor works on what was accepted
                    p.header().ssl();
                }
            } catch (ProxyHeaderException e) {
                refused++;
            }
        }
        assertTrue(headers > 0 && refused > 0, headers + " accepted, " + refused + " refused");
    }

    private static byte[] v2(int versionCommand, int family, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIG);
        out.write(versionCommand);
        out.write(family);
        out.write(body.length >> 8);
        out.write(body.length & 0xff);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
