package dev.socketserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads the key material operators get from their CA into a server {@link SSLContext}: PEM files
 * (a certificate chain and a PKCS#8 private key, RSA or EC) or a PKCS#12 keystore. Python:
 * {@code SSLContext.load_cert_chain(certfile, keyfile)} and {@code load_verify_locations(cafile)}.
 *
 * <pre>{@code
 * server.setSslContext(KeyMaterial.serverContext(Path.of("cert.pem"), Path.of("key.pem"), null));
 * }</pre>
 *
 * <p>Every loading error is an {@link IOException} whose message names the file and what is wrong
 * with it (missing, no PEM block, a key in another format, a key that does not match the
 * certificate, a wrong keystore password).
 */
public final class KeyMaterial {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private KeyMaterial() {
    }

    /**
     * A server context from PEM files. Python: {@code ctx = SSLContext(PROTOCOL_TLS_SERVER);
     * ctx.load_cert_chain(certfile, keyfile); ctx.load_verify_locations(cafile)}.
     *
     * @param certificateChain the server's certificate first, then the intermediates
     * @param privateKey the unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC
     * @param clientCa certificates that client certificates must chain to, or {@code null} to use
     *     the JDK's default trust store (only used with {@link TlsClientAuth#WANT} or {@code NEED})
     * @return a TLS context for {@link TCPServer#setSslContext}
     * @throws IOException naming the file and the problem
     */
    public static SSLContext serverContext(Path certificateChain, Path privateKey, Path clientCa) throws IOException {
        return context(pem(certificateChain, privateKey), NO_PASSWORD,
                clientCa == null ? null : trustedCertificates(clientCa), certificateChain);
    }

    /**
     * A server context from a PKCS#12 keystore holding one private key and its chain.
     *
     * @param keystore the {@code .p12} file
     * @param password its password (also the key's)
     * @param clientCa certificates that client certificates must chain to, or {@code null} for the
     *     JDK's default trust store
     * @return a TLS context for {@link TCPServer#setSslContext}
     * @throws IOException naming the file and the problem
     */
    public static SSLContext serverContextFromPkcs12(Path keystore, char[] password, Path clientCa) throws IOException {
        return context(pkcs12(keystore, password), password,
                clientCa == null ? null : trustedCertificates(clientCa), keystore);
    }

    /**
     * Reads a PKCS#12 keystore.
     *
     * @param file the {@code .p12} file
     * @param password its password
     * @return the keystore
     * @throws IOException naming the file: missing, not PKCS#12, or a wrong password
     */
    public static KeyStore pkcs12(Path file, char[] password) throws IOException {
        byte[] bytes = read(file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException(file + ": not a PKCS#12 keystore, or the password is wrong (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Builds a keystore from PEM files: a certificate chain and its PKCS#8 private key.
     *
     * @param certificateChain the server's certificate first, then the intermediates
     * @param privateKey the unencrypted PKCS#8 key, RSA or EC
     * @return a keystore with one entry, alias {@code server}, and an empty password
     * @throws IOException naming the file and the problem
     */
    public static KeyStore pem(Path certificateChain, Path privateKey) throws IOException {
        List<Certificate> chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey);
        if (!matches(key, chain.get(0))) {
            throw new IOException(privateKey + ": the private key does not belong to the first certificate of "
                    + certificateChain);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException(certificateChain + ": cannot be stored with its key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the certificates of a PEM file into a trust store (Python: {@code load_verify_locations(cafile)}).
     *
     * @param file one or more {@code -----BEGIN CERTIFICATE-----} blocks
     * @return a keystore with one trusted entry per certificate
     * @throws IOException naming the file and the problem
     */
    public static KeyStore trustedCertificates(Path file) throws IOException {
        List<Certificate> certificates = certificates(file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException(file + ": cannot be used as trusted certificates (" + e.getMessage() + ")", e);
        }
    }

    private static SSLContext context(KeyStore keys, char[] password, KeyStore trusted, Path source) throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted); // null: the JDK's default trust store
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(source + ": cannot make a TLS context from it (" + e.getMessage() + ")", e);
        }
    }

    private static List<Certificate> certificates(Path file) throws IOException {
        List<Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IOException("no X.509 support in this JVM", e);
        }
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        List<String> others = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                others.add(m.group(1));
                continue;
            }
            try (InputStream in = new ByteArrayInputStream(decode(file, m.group(2)))) {
                certificates.add(factory.generateCertificate(in));
            } catch (CertificateException e) {
                throw new IOException(file + ": certificate " + (certificates.size() + 1) + " is not a valid X.509 certificate ("
                        + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no -----BEGIN CERTIFICATE----- block"
                    + (others.isEmpty() ? " (is it PEM?)" : " (found " + String.join(", ", others) + ")"));
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "PRIVATE KEY" -> {
                    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(decode(file, m.group(2)));
                    for (String algorithm : new String[] {"RSA", "EC", "RSASSA-PSS", "Ed25519", "Ed448"}) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                        } catch (GeneralSecurityException | RuntimeException ignored) {
                            // try the next algorithm
                        }
                    }
                    throw new IOException(file + ": the PKCS#8 private key is neither RSA nor EC (nor EdDSA)");
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file
                        + ": the private key is encrypted; decrypt it (openssl pkcs8 -in KEY -out KEY.pem) or use a PKCS#12 keystore");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": the key is in the old "
                        + m.group(1) + " format; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default -> {
                    // EC PARAMETERS and the like come before the key: skip
                }
            }
        }
        throw new IOException(file + ": no -----BEGIN PRIVATE KEY----- block (is it PEM?)");
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // no cheap check: the handshake will tell
        }
        try {
            byte[] probe = "socketserver key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] decode(Path file, String base64) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": a PEM block is not valid base64", e);
        }
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read (" + e + ")", e);
        }
    }
}
