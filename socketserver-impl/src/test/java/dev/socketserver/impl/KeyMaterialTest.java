package dev.socketserver.impl;

import dev.socketserver.KeyMaterial;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEM (RSA and EC, PKCS#8) and PKCS#12 key material, and loading errors that name the file and the problem. */
class KeyMaterialTest {

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        ExternalTools.assumeInstalled("openssl", "the key material is made with openssl");
        pki = TestPki.create(dir);
    }

    @Test
    void pemChainsWithRsaAndEcKeysAndPkcs12Load() throws Exception {
        KeyStore rsa = KeyMaterial.pem(pki.serverCert, pki.serverKey);
        assertEquals("RSA", rsa.getKey("server", new char[0]).getAlgorithm());
        KeyStore ec = KeyMaterial.pem(pki.ecServerCert, pki.ecServerKey);
        assertEquals("EC", ec.getKey("server", new char[0]).getAlgorithm());
        assertNotNull(KeyMaterial.serverContext(pki.serverCert, pki.serverKey, pki.caCert));
        Path p12 = pki.serverPkcs12("s3cret");
        assertNotNull(KeyMaterial.serverContextFromPkcs12(p12, "s3cret".toCharArray(), null));
        KeyStore trusted = KeyMaterial.trustedCertificates(pki.caCert);
        assertEquals("CN=socketserver test CA",
                ((X509Certificate) trusted.getCertificate("ca-0")).getSubjectX500Principal().getName());
    }

    @Test
    void errorsNameTheFileAndWhatIsWrong() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertMessage(() -> KeyMaterial.pem(missing, pki.serverKey), missing + ": no such file");
        assertMessage(() -> KeyMaterial.pem(pki.serverKey, pki.serverKey),
                pki.serverKey + ": no -----BEGIN CERTIFICATE----- block (found PRIVATE KEY)");
        assertMessage(() -> KeyMaterial.pem(pki.serverCert, pki.clientKey),
                pki.clientKey + ": the private key does not belong to the first certificate of " + pki.serverCert);
        assertMessage(() -> KeyMaterial.pem(pki.serverCert, pki.serverCert),
                pki.serverCert + ": no -----BEGIN PRIVATE KEY----- block");
        Path traditional = dir.resolve("traditional.key");
        TestPki.openssl(dir, "genrsa", "-traditional", "-out", traditional.toString(), "2048");
        assertMessage(() -> KeyMaterial.pem(pki.serverCert, traditional),
                traditional + ": the key is in the old RSA PRIVATE KEY format; convert it to PKCS#8");
        Path p12 = pki.serverPkcs12("right");
        assertMessage(() -> KeyMaterial.pkcs12(p12, "wrong".toCharArray()),
                p12 + ": not a PKCS#12 keystore, or the password is wrong");
    }

    private interface Load {
        Object run() throws IOException;
    }

    private static void assertMessage(Load load, String start) {
        IOException e = assertThrows(IOException.class, load::run);
        assertTrue(e.getMessage().startsWith(start), () -> "expected '" + start + "...', got: " + e.getMessage());
    }
}
