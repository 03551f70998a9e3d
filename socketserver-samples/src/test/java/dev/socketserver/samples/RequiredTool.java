package dev.socketserver.samples;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An outside program a test needs: skipped with the reason where it is missing, failed under CI=true. */
final class RequiredTool {

    private RequiredTool() {
    }

    /**
     * Returns the program's path, or skips (fails under {@code CI=true}) when it is not on the PATH.
     *
     * @param name the program, e.g. {@code python3}
     * @param debianPackage what installs it, for the message
     * @return its path
     */
    static Path require(String name, String debianPackage) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = folder.isEmpty() ? null : Path.of(folder, name);
            if (candidate != null && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " is not installed (apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + ", and under CI=true a missing tool fails the test (.ci/run installs it)");
        }
        System.err.println("SKIPPED: " + message);
        assumeTrue(false, message);
        return null;
    }
}
