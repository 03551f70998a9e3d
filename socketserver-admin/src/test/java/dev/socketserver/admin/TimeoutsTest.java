package dev.socketserver.admin;

import dev.socketserver.admin.internal.ApiException;
import dev.socketserver.admin.internal.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The timeout syntax: ISO-8601 or milliseconds, bounded, never negative. */
class TimeoutsTest {

    private final Timeouts timeouts = new Timeouts(AdminGateway.MAX_TIMEOUT);

    @Test
    void acceptsIsoDurationsAndMilliseconds() {
        assertEquals(Duration.ofSeconds(2), timeouts.parse("PT2S"));
        assertEquals(Duration.ofMillis(500), timeouts.parse("PT0.5S"));
        assertEquals(Duration.ofSeconds(2), timeouts.parse("pt2s"));
        assertEquals(Duration.ofMillis(2000), timeouts.parse("2000"));
        assertEquals(Duration.ZERO, timeouts.parse("0"));
        assertEquals(Duration.ZERO, timeouts.parse("PT0S"));
        assertEquals(AdminGateway.MAX_TIMEOUT, timeouts.parse("PT5M"));
        assertEquals(AdminGateway.MAX_TIMEOUT, timeouts.parse("300000"));
        assertEquals(Duration.ofMillis(7), timeouts.ofMillis(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "PT-5S", "99999999999", "300001", "PT5M0.001S", "P1D", "99999999999999999999",
            "abc", "1.5", "1e3", "", " 100", "100 ", "+100", "PT", "-PT1S", "P-1D", "0x10"})
    void refusesEverythingElseWith400(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> timeouts.parse(raw));
        assertEquals(400, e.status());
        assertEquals("bad_request", e.code());
    }

    @Test
    void refusesNegativeAndHugeMilliseconds() {
        assertEquals(400, assertThrows(ApiException.class, () -> timeouts.ofMillis(-1)).status());
        assertEquals(400, assertThrows(ApiException.class, () -> timeouts.ofMillis(Long.MAX_VALUE)).status());
    }
}
