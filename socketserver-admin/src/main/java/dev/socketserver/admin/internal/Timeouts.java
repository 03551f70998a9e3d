package dev.socketserver.admin.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the {@code timeout} of an action (and the {@code grace} and {@code deadline} of a drain): an
 * ISO-8601 duration ({@code PT2S}, {@code PT0.5S}) or a whole number of milliseconds ({@code 2000}).
 * Negative values, values above the maximum and anything else are refused with a 400 that names the
 * parameter.
 */
public final class Timeouts {

    private static final Pattern MILLIS = Pattern.compile("[0-9]{1,19}");

    private final Duration max;

    /**
     * Creates a parser.
     *
     * @param max the largest timeout accepted
     */
    public Timeouts(Duration max) {
        this.max = max;
    }

    /**
     * Returns the largest timeout accepted.
     *
     * @return the maximum
     */
    public Duration max() {
        return max;
    }

    /**
     * Parses a {@code timeout} given as a query parameter or a JSON string.
     *
     * @param raw the text
     * @return the duration
     * @throws ApiException (400) if the text is not a duration in range
     */
    public Duration parse(String raw) {
        return parse("timeout", raw);
    }

    /**
     * Parses the duration parameter {@code name}.
     *
     * @param name the parameter's name, for the message
     * @param raw the text
     * @return the duration
     * @throws ApiException (400) if the text is not a duration in range
     */
    public Duration parse(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest(name + " is empty; give an ISO-8601 duration like PT2S or milliseconds like 2000");
        }
        if (raw.length() > 64) {
            throw ApiException.badRequest(name + " is too long to be a duration");
        }
        Duration d;
        if (MILLIS.matcher(raw).matches()) {
            long ms;
            try {
                ms = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw outOfRange(name, raw);
            }
            return check(name, Duration.ofMillis(ms), raw);
        }
        if (raw.startsWith("-") && MILLIS.matcher(raw.substring(1)).matches()) {
            throw negative(name, raw);
        }
        try {
            d = Duration.parse(raw);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(name + " '" + Texts.clip(raw) + "' is neither an ISO-8601 duration (PT2S) nor milliseconds (2000)");
        }
        return check(name, d, raw);
    }

    /**
     * Checks a number of milliseconds given as a JSON number.
     *
     * @param millis the number
     * @return the duration
     * @throws ApiException (400) if out of range
     */
    public Duration ofMillis(long millis) {
        if (millis < 0) {
            throw negative("timeout", Long.toString(millis));
        }
        return check("timeout", Duration.ofMillis(millis), Long.toString(millis));
    }

    private Duration check(String name, Duration d, String raw) {
        if (d.isNegative()) {
            throw negative(name, raw);
        }
        if (d.compareTo(max) > 0) {
            throw outOfRange(name, raw);
        }
        return d;
    }

    private static ApiException negative(String name, String raw) {
        return ApiException.badRequest(name + " '" + Texts.clip(raw) + "' is negative");
    }

    private ApiException outOfRange(String name, String raw) {
        return ApiException.badRequest(name + " '" + Texts.clip(raw) + "' exceeds the maximum of " + max
                + " (" + max.toMillis() + " ms)");
    }
}
