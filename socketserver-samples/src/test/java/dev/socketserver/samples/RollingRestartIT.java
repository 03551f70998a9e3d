package dev.socketserver.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rolling restart of issue 12, short form: three launcher instances behind a real HAProxy
 * ({@code send-proxy-v2}, health checks on each admin gateway's {@code /health}), a Python load of
 * connect-per-request clients and long-lived ping-pong connections through it, and each instance
 * restarted in turn with SIGTERM (drain) while the load runs. {@code bench/rolling_restart.py} does the
 * work (its longer form is the script in docs/operations.md); this test holds it to the targets:
 * no failed request, no connect-per-request connection ever left without an answer, every drain clean
 * and exiting 0, and the handlers saw the Python clients' own addresses, never HAProxy's.
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RollingRestartIT {

    private static final Path LAUNCHER = Path.of("samples").toAbsolutePath();
    private static final Path SCRIPT = Path.of("..", "bench", "rolling_restart.py").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void threeInstancesRestartOneByOneBehindHaproxyWithoutLosingARequest() throws Exception {
        requireTool("python3");
        requireTool("haproxy");
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(),
                "--samples", LAUNCHER.toString(), "--instances", "3", "--rounds", "1",
                "--conn-clients", "3", "--long-clients", "3",
                "--warmup", "1", "--pause", "0.3", "--tail", "1",
                "--grace", "1s", "--drain-timeout", "10s", "--check-interval-ms", "100",
                "--workdir", work.toString(), "--summary"));
        Process process = new ProcessBuilder(command).redirectError(work.resolve("script.stderr").toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(140, TimeUnit.SECONDS), "the scenario ended within its bound");
        String json = new String(out, StandardCharsets.UTF_8).strip();
        String summary = Files.readString(work.resolve("script.stderr"));
        String context = json + "\n" + summary;
        assertTrue(json.contains("\"error\": null"), () -> "the scenario ran to its end: " + context);
        assertEquals(0, process.exitValue(), context);

        assertEquals(0, number(json, "failed"), () -> "no failed request: " + context);
        assertEquals(0, number(json, "connectRetries"), () -> "no connect-per-request client saw a refused or reset connect: " + context);
        assertEquals(number(json, "sent"), number(json, "answered"), () -> "every request answered: " + context);
        assertTrue(number(json, "sent") > 100, () -> "the load ran: " + context);
        assertTrue(number(json, "reconnects") > 0,
                () -> "draining instances closed long-lived connections between requests: " + context);

        Matcher restart = Pattern.compile("\\{\"instance\": (\\d+), \"exit\": (-?\\d+), \"finished\": (-?\\d+), \"forced\": (-?\\d+)")
                .matcher(json);
        int restarts = 0;
        while (restart.find()) {
            restarts++;
            assertEquals("0", restart.group(2), () -> "exit 0 after the drain: " + context);
            assertEquals("0", restart.group(4), () -> "nothing forced: " + context);
            assertTrue(Integer.parseInt(restart.group(3)) >= 0, () -> "the drained line was printed: " + context);
        }
        assertEquals(3, restarts, context);

        assertTrue(number(json, "accessLines") > 0, () -> "the handlers logged their clients: " + context);
        assertEquals(0, number(json, "handlerAddressesNotPythonClientsCount"),
                () -> "every handler-side client address is a Python client's: " + context);
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** A missing tool skips the test on a developer's machine and fails it under CI=true (.ci/run installs it). */
    private static void requireTool(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                found = true;
                break;
            }
        }
        if (!found && "true".equals(System.getenv("CI"))) {
            fail(tool + " is not on PATH, and under CI=true a missing tool fails the test (.ci/run installs it)");
        }
        if (!found) {
            System.err.println("SKIPPED: " + tool + " is not on PATH: the rolling-restart scenario needs it");
        }
        assumeTrue(found, tool + " is not on PATH");
    }
}
