package dev.socketserver.samples.bench;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * The generator's TLS side: one client context for the run (trusting the bench's certificate) and a
 * fresh {@link TlsConnection} per connection, so a reconnecting slot never resumes a session.
 */
final class TlsClient {

    private final BenchTls settings;
    private final SSLContext context;

    /**
     * @param settings certificate, protocol and cipher
     * @throws IOException if the certificate cannot be read
     */
    TlsClient(BenchTls settings) throws IOException {
        this.settings = settings;
        this.context = settings.clientContext();
    }

    /**
     * @param channel a connecting or connected channel
     * @return its TLS side, handshake not started
     */
    TlsConnection connection(SocketChannel channel) {
        return new TlsConnection(settings.clientEngine(context), channel);
    }
}
