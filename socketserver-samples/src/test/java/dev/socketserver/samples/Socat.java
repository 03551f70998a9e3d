package dev.socketserver.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** socat, the outside Unix datagram client of the tests (the JDK cannot open AF_UNIX datagram sockets). */
final class Socat {

    private Socat() {
    }

    /** Skips the test, saying why, where socat is not installed; fails it instead under CI=true. */
    static void assumeInstalled() {
        if (!installed() && "true".equals(System.getenv("CI"))) {
            fail("socat is not installed, and under CI=true a missing tool fails the test (.ci/run installs it)");
        }
        if (!installed()) {
            String message = "socat is not installed; it is the Unix datagram client of this test (apt-get install socat)";
            System.err.println("SKIPPED: " + message); // the console shows why, not only the surefire XML
            assumeTrue(false, message);
        }
    }

    static boolean installed() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends {@code input} as one datagram from a socket bound to {@code own} and returns what came back
     * within a second, as {@code socat - UNIX-SENDTO:SERVER,bind=OWN} prints it.
     */
    static String sendto(Path server, Path own, String input) throws IOException, InterruptedException {
        Process socat = new ProcessBuilder("socat", "-t", "1", "-", UnixDatagramEchoClient.socatAddress(server, own)).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> errors(socat));
        socat.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        socat.getOutputStream().close();
        byte[] out = socat.getInputStream().readAllBytes(); // ends when socat does, a second after our input ended
        try {
            assertTrue(socat.waitFor(10, TimeUnit.SECONDS), "socat ended");
        } finally {
            socat.destroyForcibly();
        }
        assertEquals(0, socat.exitValue(), () -> new String(err.join(), StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static byte[] errors(Process process) {
        try {
            return process.getErrorStream().readAllBytes();
        } catch (IOException e) {
            return e.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
