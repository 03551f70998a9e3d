package dev.socketserver.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --drain-timeout}, {@code --drain-grace} and {@code --reuse-port} as the launcher reads them. */
class DrainPolicyTest {

    private static CommandLine echo(String options) throws UsageException {
        return CommandLine.parse(("echo --family tcp --mixin virtual --bind 127.0.0.1:0 " + options).strip().split(" "));
    }

    @Test
    void withoutOptionsNoGraceAndTenSeconds() throws UsageException {
        assertEquals(new DrainPolicy(Duration.ZERO, Duration.ofSeconds(10)), DrainPolicy.of(echo("")));
        assertEquals(DrainPolicy.DEFAULT, DrainPolicy.of(echo("")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--drain-timeout 30s|PT0S|PT30S",
            "--drain-timeout=500ms|PT0S|PT0.5S",
            "--drain-timeout 2m --drain-grace 5s|PT5S|PT2M",
            "--drain-grace 0|PT0S|PT10S",
            "--drain-grace 0s|PT0S|PT10S",
            "--drain-grace 9s|PT9S|PT10S",
            "--drain-timeout 1h --drain-grace 1m|PT1M|PT1H",
            "--drain-timeout 15|PT0S|PT15S"})
    void readsTheIdleTimeoutSyntax(String options, String grace, String timeout) throws UsageException {
        DrainPolicy policy = DrainPolicy.of(echo(options));
        assertEquals(Duration.parse(grace), policy.grace());
        assertEquals(Duration.parse(timeout), policy.timeout());
    }

    @Test
    void reusePortIsAFlagThatReachesTheLimits() throws UsageException {
        CommandLine with = echo("--reuse-port --drain-timeout 5s");
        assertTrue(with.flag("reuse-port"));
        assertEquals(Duration.ofSeconds(5), DrainPolicy.of(with).timeout(), "the option after the flag keeps its value");
        assertTrue(ServerLimits.of(with, EchoFamily.TCP, with.mixIn(null).get()).reusePort());
        CommandLine without = echo("");
        assertFalse(without.flag("reuse-port"));
        assertFalse(ServerLimits.of(without, EchoFamily.TCP, without.mixIn(null).get()).reusePort());
    }
}
