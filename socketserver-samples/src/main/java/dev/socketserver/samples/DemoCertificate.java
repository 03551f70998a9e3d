package dev.socketserver.samples;

import dev.socketserver.KeyMaterial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The demo's self-signed certificate for localhost and 127.0.0.1, made with the running JDK's own
 * {@code keytool} into the demo's temporary folder (removed when the demo stops): a PKCS#12
 * keystore for the server and the certificate as PEM for {@code openssl s_client -CAfile} and
 * {@code curl --cacert}.
 *
 * @param keystore the PKCS#12 file
 * @param certificate the certificate, PEM
 * @param context a server context with the key
 */
record DemoCertificate(Path keystore, Path certificate, SSLContext context) {

    /**
     * Makes the certificate.
     *
     * @param dir the demo's temporary folder
     * @return the files and the context
     * @throws IOException if keytool fails
     */
    static DemoCertificate create(Path dir) throws IOException {
        Path keystore = dir.resolve("tls.p12");
        Path certificate = dir.resolve("tls-cert.pem");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random); // only for this run's throwaway keystore
        keytool("-genkeypair", "-alias", "demo", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "demo", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        return new DemoCertificate(keystore, certificate,
                KeyMaterial.serverContextFromPkcs12(keystore, password.toCharArray(), null));
    }

    private static void keytool(String... args) throws IOException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed to make the demo's certificate: "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the demo's certificate", e);
        }
    }
}
