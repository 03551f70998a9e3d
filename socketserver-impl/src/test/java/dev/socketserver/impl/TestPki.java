package dev.socketserver.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Certificates made at test time with Debian's openssl into a temporary folder (no private key is
 * committed): a test CA, a server certificate for localhost and 127.0.0.1 (RSA, and one EC), a
 * client certificate from the same CA, and a client certificate nobody trusts.
 */
final class TestPki {

    private static final Duration OPENSSL = Duration.ofSeconds(60);

    /** What every issued certificate carries; Python 3.13's strict verification wants the key ids. */
    private static final String LEAF = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n";

    final Path dir;
    final Path caCert;
    final Path serverCert;
    final Path serverKey;
    final Path ecServerCert;
    final Path ecServerKey;
    final Path clientCert;
    final Path clientKey;
    final Path strangerCert;
    final Path strangerKey;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
        this.ecServerCert = dir.resolve("ec-server.pem");
        this.ecServerKey = dir.resolve("ec-server.key");
        this.clientCert = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client.key");
        this.strangerCert = dir.resolve("stranger.pem");
        this.strangerKey = dir.resolve("stranger.key");
    }

    /** Makes the whole set; openssl must be installed (the caller checks with ExternalTools). */
    static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki pki = new TestPki(dir);
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", pki.caCert.toString(), "-subj", "/CN=socketserver test CA", "-days", "2");
        // req -x509 takes openssl.cnf's v3_ca: CA:true (critical) and a subject key id, as strict verifiers want
        pki.issue(caKey, "rsa:2048", pki.serverCert, pki.serverKey, "/CN=localhost",
                LEAF + "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n");
        pki.issue(caKey, "ec", pki.ecServerCert, pki.ecServerKey, "/CN=localhost",
                LEAF + "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        pki.issue(caKey, "rsa:2048", pki.clientCert, pki.clientKey, "/CN=test client",
                LEAF + "extendedKeyUsage=clientAuth\n");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.strangerKey.toString(),
                "-out", pki.strangerCert.toString(), "-subj", "/CN=stranger", "-days", "2");
        return pki;
    }

    private void issue(Path caKey, String keySpec, Path cert, Path key, String subject, String extensions)
            throws IOException, InterruptedException {
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        Path ext = dir.resolve(cert.getFileName() + ".ext");
        Files.writeString(ext, extensions);
        if (keySpec.equals("ec")) {
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        } else {
            openssl(dir, "req", "-newkey", keySpec, "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        }
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
    }

    /** A PKCS#12 keystore of the RSA server key and certificate. */
    Path serverPkcs12(String password) throws IOException, InterruptedException {
        Path p12 = dir.resolve("server.p12");
        openssl(dir, "pkcs12", "-export", "-in", serverCert.toString(), "-inkey", serverKey.toString(),
                "-out", p12.toString(), "-passout", "pass:" + password, "-name", "server");
        return p12;
    }

    static ExternalTools.Result openssl(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        ExternalTools.Result result = ExternalTools.run(OPENSSL, null, command);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + " failed: " + result.stderr());
        return result;
    }
}
