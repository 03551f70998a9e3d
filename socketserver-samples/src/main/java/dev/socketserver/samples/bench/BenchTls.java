package dev.socketserver.samples.bench;

import dev.socketserver.KeyMaterial;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The benchmark's TLS settings, shared by the generator (client) and the bench server: one
 * certificate, one protocol, one cipher suite and one key-exchange group, set explicitly on both
 * sides so that every server in a run (this library's and the Netty anchor) negotiates the same
 * thing. The defaults are TLS 1.3 with {@value #DEFAULT_CIPHER} over {@value #DEFAULT_GROUP}.
 *
 * <p>The client trusts exactly the bench's certificate (a self-signed one made per run) and checks
 * no host name: the point is the cost of the protocol, not of the PKI.
 *
 * @param certificate the server's certificate (PEM); the client's only trust anchor
 * @param key the server's private key (PKCS#8 PEM), or {@code null} on the client side
 * @param protocol e.g. {@code TLSv1.3}
 * @param cipher e.g. {@code TLS_AES_128_GCM_SHA256}
 */
record BenchTls(Path certificate, Path key, String protocol, String cipher) {

    /** The protocol version every server and the generator are held to. */
    static final String DEFAULT_PROTOCOL = "TLSv1.3";
    /** The cipher suite every server and the generator are held to. */
    static final String DEFAULT_CIPHER = "TLS_AES_128_GCM_SHA256";
    /** The key-exchange group the client offers (alone), so that no server can pick a dearer one. */
    static final String DEFAULT_GROUP = "x25519";

    /**
     * @param a the parsed options: {@code --tls-cert} switches TLS on; {@code --tls-key} (server side),
     *          {@code --tls-protocol}, {@code --tls-cipher} are optional
     * @return the settings, or {@code null} when {@code --tls-cert} is absent
     */
    static BenchTls fromArgs(BenchArgs a) {
        if (!a.has("tls-cert")) {
            if (a.has("tls-key") || a.has("tls-protocol") || a.has("tls-cipher")) {
                throw new IllegalArgumentException("--tls-key/--tls-protocol/--tls-cipher need --tls-cert");
            }
            return null;
        }
        return new BenchTls(Path.of(a.string("tls-cert", "")), a.has("tls-key") ? Path.of(a.string("tls-key", "")) : null,
                a.string("tls-protocol", DEFAULT_PROTOCOL), a.string("tls-cipher", DEFAULT_CIPHER));
    }

    /** @return the options that give a child process the same settings (the key only if there is one) */
    List<String> asArgs() {
        var args = new ArrayList<>(List.of("--tls-cert", certificate.toString(),
                "--tls-protocol", protocol, "--tls-cipher", cipher));
        if (key != null) {
            args.addAll(List.of("--tls-key", key.toString()));
        }
        return args;
    }

    /**
     * @return a server context holding the key and certificate
     * @throws IOException if the files cannot be read
     */
    SSLContext serverContext() throws IOException {
        if (key == null) {
            throw new IllegalArgumentException("a TLS server needs --tls-key");
        }
        return KeyMaterial.serverContext(certificate, key, null);
    }

    /**
     * @return a client context whose only trust anchor is the bench's certificate
     * @throws IOException if the certificate cannot be read or the JDK lacks TLS
     */
    SSLContext clientContext() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(KeyMaterial.trustedCertificates(certificate));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(certificate + ": cannot make a client TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A client engine for one connection. It is made without a peer host and port, so the JDK keeps
     * no session to resume: every connection does a full handshake (certificate, signature, key
     * exchange), which is what the connect-per-request scenario means to measure.
     *
     * @param context from {@link #clientContext()}
     * @return the engine, in client mode, held to this protocol, cipher and group
     */
    SSLEngine clientEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setCipherSuites(new String[] {cipher});
        p.setNamedGroups(new String[] {DEFAULT_GROUP});
        engine.setSSLParameters(p);
        return engine;
    }
}
