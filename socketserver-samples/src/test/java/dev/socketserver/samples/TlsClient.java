package dev.socketserver.samples;

import dev.socketserver.KeyMaterial;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The JDK's TLS client, trusting one PEM certificate (a test CA or a self-signed one), asking for localhost. */
final class TlsClient {

    private TlsClient() {
    }

    /** Sends one line (nothing when {@code null}) and returns the first line that comes back. */
    static String line(InetSocketAddress address, Path trusted, String line) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyMaterial.trustedCertificates(trusted));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(20_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("localhost")));
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name localhost
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            if (line != null) {
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            }
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
