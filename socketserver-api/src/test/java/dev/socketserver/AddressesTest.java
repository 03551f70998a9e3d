package dev.socketserver;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AddressesTest {

    @Test
    void formatsInetV6AndUnixAddresses() throws Exception {
        assertEquals("127.0.0.1:8888", Addresses.format(new InetSocketAddress("127.0.0.1", 8888)));
        assertEquals("[::1]:80", Addresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 80)));
        assertEquals("[2001:db8::1:0:0:1]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1)));
        assertEquals("[fe80::1]:9", Addresses.format(new InetSocketAddress(InetAddress.getByName("fe80:0:0:0:0:0:0:1"), 9)));
        assertEquals("[::]:9", Addresses.format(new InetSocketAddress(InetAddress.getByName("::"), 9)));
        assertEquals("/tmp/s.sock", Addresses.format(UnixDomainSocketAddress.of("/tmp/s.sock")));
        assertEquals("-", Addresses.format(null));
    }
}
