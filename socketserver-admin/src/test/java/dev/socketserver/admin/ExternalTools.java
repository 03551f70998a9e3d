package dev.socketserver.admin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Outside programs a test needs: skipped where one is missing, failed under CI=true (.ci/run installs them). */
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
}
