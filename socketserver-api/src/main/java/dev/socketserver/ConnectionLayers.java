package dev.socketserver;

import dev.socketserver.spi.StreamConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Puts the layers of a stream connection in place on the request's thread, in the order they come
 * from the wire: PROXY header, then TLS (HAProxy sends the header before the TLS bytes it passes
 * through), then the idle timeout for the handler's waits.
 */
final class ConnectionLayers {

    /**
     * One server's layer options, read once per connection.
     *
     * @param proxyProtocol whether to read a PROXY header
     * @param proxyTrusted who may send one
     * @param sslContext TLS, or {@code null}
     * @param clientAuth the client-certificate policy
     * @param protocols the TLS versions offered
     * @param cipherSuites the suites offered, or {@code null} for the context's
     * @param handshakeTimeout the limit of header and handshake together
     * @param idleTimeout the limit of each handler wait, or {@code null}
     */
    record Settings(ProxyProtocol proxyProtocol, List<Cidr> proxyTrusted, SSLContext sslContext,
                    TlsClientAuth clientAuth, List<String> protocols, List<String> cipherSuites,
                    Duration handshakeTimeout, Duration idleTimeout) {
    }

    private ConnectionLayers() {
    }

    /**
     * Establishes the layers.
     *
     * @return the client address the handler sees: the original client's after a PROXY header
     * @throws ProxyHeaderException if the header is refused
     * @throws TlsHandshakeException if the handshake fails or takes too long
     * @throws IOException if the connection fails otherwise
     */
    static SocketAddress establish(Connection connection, SocketAddress clientAddress, Settings settings) throws IOException {
        SocketAddress client = clientAddress;
        long deadline = System.nanoTime() + settings.handshakeTimeout().toNanos();
        if (settings.proxyProtocol() != ProxyProtocol.OFF) {
            StreamConnection stream = connection.stream();
            ProxyHeaderReader.Result result = ProxyHeaderReader.read(stream, settings.proxyProtocol(),
                    trusted(stream.remoteAddress(), settings.proxyTrusted()), deadline, settings.handshakeTimeout());
            connection.proxied(result.stream(), result.header());
            if (result.header() != null && result.header().source() != null) {
                client = result.header().source();
            }
        }
        if (settings.sslContext() != null) {
            TlsLayer tls = new TlsLayer(connection.stream(), engine(settings));
            try {
                tls.handshake(deadline, settings.handshakeTimeout());
            } catch (IOException | RuntimeException e) {
                throw new TlsHandshakeException("TLS handshake failed: " + e.getMessage(), e);
            }
            connection.secured(tls);
        }
        if (settings.idleTimeout() != null) {
            connection.setIdleTimeout(settings.idleTimeout());
        }
        return client;
    }

    private static SSLEngine engine(Settings settings) {
        SSLEngine engine = settings.sslContext().createSSLEngine();
        engine.setUseClientMode(false);
        List<String> supported = List.of(engine.getSupportedProtocols());
        engine.setEnabledProtocols(settings.protocols().stream().filter(supported::contains).toArray(String[]::new));
        if (settings.cipherSuites() != null) {
            engine.setEnabledCipherSuites(settings.cipherSuites().toArray(String[]::new));
        }
        switch (settings.clientAuth()) {
            case NEED -> engine.setNeedClientAuth(true);
            case WANT -> engine.setWantClientAuth(true);
            case NONE -> engine.setNeedClientAuth(false);
        }
        return engine;
    }

    /** Peers in the listed networks are trusted; a Unix stream peer always (the file's permissions guard it). */
    private static boolean trusted(SocketAddress peer, List<Cidr> networks) {
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            for (Cidr cidr : networks) {
                if (cidr.contains(inet.getAddress())) {
                    return true;
                }
            }
            return false;
        }
        return peer != null;
    }
}
