package dev.socketserver.samples;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the launcher drains its servers on SIGTERM: {@code --drain-grace} (how long {@code /health}
 * answers 503 while the servers still accept, for a load balancer to notice) and
 * {@code --drain-timeout} (the longest the whole drain may take, grace included; requests still
 * running then are cut off). Both use {@code --idle-timeout}'s syntax: {@code 500ms}, {@code 10s},
 * {@code 2m}, {@code 1h}, or a number of seconds.
 *
 * @param grace how long the servers go on accepting after SIGTERM; zero by default
 * @param timeout the drain's deadline, counted from SIGTERM
 */
record DrainPolicy(Duration grace, Duration timeout) {

    /** The option names, for the commands that serve until a signal. */
    static final List<String> OPTIONS = List.of("drain-timeout", "drain-grace");

    /** What the usage of a sample's own {@code main} says about them. */
    static final String SYNOPSIS = "[--drain-timeout 10s] [--drain-grace 0s]";

    /** Without options: no grace, 10 seconds for the requests running at SIGTERM. */
    static final DrainPolicy DEFAULT = new DrainPolicy(Duration.ZERO, Duration.ofSeconds(10));

    private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)?");

    /**
     * Reads {@code --drain-timeout} and {@code --drain-grace}, with the defaults where one is absent.
     *
     * @param line the command line
     * @return the policy
     * @throws UsageException for a malformed duration, or a grace period that leaves no time to drain
     */
    static DrainPolicy of(CommandLine line) throws UsageException {
        String timeoutText = line.get("drain-timeout");
        String graceText = line.get("drain-grace");
        Duration timeout = timeoutText == null ? DEFAULT.timeout : StreamLayers.duration("drain-timeout", timeoutText);
        Duration grace = graceText == null || ZERO.matcher(graceText.strip()).matches() ? Duration.ZERO
                : StreamLayers.duration("drain-grace", graceText);
        if (grace.compareTo(timeout) >= 0) {
            // the deadline counts from SIGTERM, grace included: the requests would be cut off as accepting stops
            throw new UsageException("--drain-grace " + graceText + " must be shorter than --drain-timeout ("
                    + timeout.toMillis() + " ms), which counts from SIGTERM and includes the grace period");
        }
        return new DrainPolicy(grace, timeout);
    }
}
