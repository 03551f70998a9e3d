package dev.socketserver.samples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A self-signed certificate for localhost and 127.0.0.1 with its PKCS#8 key, made by openssl at
 * test time into a temporary folder (no key is committed); the certificate is its own CA. Public for
 * the bench package's TLS tests.
 *
 * @param cert the certificate, PEM
 * @param key the private key, PKCS#8 PEM
 */
public record SelfSigned(Path cert, Path key) {

    /** Skips where a tool is missing, saying why; fails instead under CI=true (.ci/run installs it). */
    public static void assumeInstalled(String tool, String why) {
        boolean found = false;
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= !folder.isEmpty() && Files.isExecutable(Path.of(folder, tool));
        }
        if (!found && "true".equals(System.getenv("CI"))) {
            fail(tool + " is not on PATH, and under CI=true a missing tool fails the test (.ci/run installs it): " + why);
        }
        if (!found) {
            String message = tool + " is not on PATH, so this test is skipped: " + why;
            System.err.println("SKIPPED: " + message);
            assumeTrue(false, message);
        }
    }

    public static SelfSigned create(Path dir) throws IOException, InterruptedException {
        assumeInstalled("openssl", "the TLS samples' certificate is made with openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost", "-days", "2",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("openssl req did not finish");
        }
        assertEquals(0, p.exitValue(), output);
        return new SelfSigned(cert, key);
    }
}
