package dev.socketserver.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code AdminGateway.main}'s argument handling (the running gateway is covered by {@link CurlTest}). */
class GatewayMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        assertEquals(0, run("--help"));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("--host") && usage.contains("--port") && usage.contains("--token")
                && usage.contains(AdminGateway.TOKEN_ENV), usage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--port", "--port=1", "--port abc", "--port 70000", "--port -1", "--token short",
            "--host"})
    void badCommandLinesExitWith2(String line) {
        assertEquals(2, run(line.split(" ")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNonLoopbackHostWithoutATokenDoesNotStart() {
        // with a token in the environment this would really bind a public address: not in a test
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(AdminGateway.TOKEN_ENV) == null);
        assertEquals(1, run("--host", "0.0.0.0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("non-loopback"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void metricsWithoutTokenIsAcceptedAsAFlagAndDocumented() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(AdminGateway.TOKEN_ENV) == null);
        // accepted (not the 2 of a bad command line); the start then fails on the non-loopback host
        assertEquals(1, run("--metrics-without-token", "--host", "0.0.0.0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("non-loopback"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--metrics-without-token"));
    }
}
