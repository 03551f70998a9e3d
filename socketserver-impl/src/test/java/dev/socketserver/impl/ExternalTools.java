package dev.socketserver.impl;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs outside programs (python3, socat) as bounded child processes. */
final class ExternalTools {

    private ExternalTools() {
    }

    /** Skips the test, with a clear message, when the tool is not installed; fails it instead under CI=true. */
    static void assumeInstalled(String tool, String why) {
        if (!onPath(tool) && "true".equals(System.getenv("CI"))) {
            fail(tool + " is not on PATH, and under CI=true a missing tool fails the test (.ci/run installs it): " + why);
        }
        if (!onPath(tool)) {
            String message = tool + " is not on PATH, so this test is skipped: " + why;
            System.err.println("SKIPPED: " + message); // the console shows why, not only the surefire XML
            assumeTrue(false, message);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** What a finished process printed. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /**
     * Runs a command with the given standard input, waits at most {@code timeout}, and fails the test
     * (killing the process) if it takes longer.
     */
    static Result run(Duration timeout, byte[] stdin, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + timeout + "; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
