package dev.socketserver.impl;

import dev.socketserver.Connection;
import dev.socketserver.ProxyHeader;
import dev.socketserver.StreamRequestHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Answers each connection with one line of what the handler sees (client and proxy addresses, TLS,
 * the PROXY header's TLVs), then the first line the client sent, if any.
 */
final class Who extends StreamRequestHandler {

    /** Whether to read a line from the client and echo it after the report. */
    private final boolean readLine;

    Who() {
        this(true);
    }

    Who(boolean readLine) {
        this.readLine = readLine;
    }

    @Override
    protected void handle() throws IOException {
        Connection c = connection();
        ProxyHeader header = c.proxyHeader();
        StringBuilder b = new StringBuilder();
        b.append("client=").append(text(clientAddress()));
        b.append(" proxy=").append(text(c.proxyAddress()));
        b.append(" tls=").append(c.sslSession() == null ? "-" : c.sslSession().getProtocol());
        if (header != null) {
            b.append(" v=").append(header.version()).append(" local=").append(header.local());
            b.append(" authority=").append(header.authority()).append(" alpn=").append(header.alpn());
            if (header.ssl() != null) {
                b.append(" sslversion=").append(header.ssl().version()).append(" cn=").append(header.ssl().commonName());
            }
        }
        if (readLine) {
            byte[] line = rfile().readLine();
            b.append(" line=").append(new String(line, StandardCharsets.UTF_8).strip());
        }
        b.append('\n');
        wfile().write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** host:port with the JDK's own address text, a Unix path, or "-". */
    static String text(SocketAddress address) {
        if (address == null) {
            return "-";
        }
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString().isEmpty() ? "''" : unix.getPath().toString();
        }
        return address.toString();
    }
}
