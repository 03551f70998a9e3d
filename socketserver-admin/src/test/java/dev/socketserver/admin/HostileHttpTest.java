package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 14, points 4 and 5: malformed HTTP sent as raw bytes (bad chunked bodies on every POST route,
 * HTTP/0.9, oversized headers, pipelining) gets a JSON 4xx and at most one log line, never a 500 or a
 * Jetty trace; and the token never reaches the log, whether it comes in the query string or in a
 * header. Surefire runs this class in a JVM of its own with the audit logger at INFO (execution
 * {@code audit-log} in the module's pom), so the audit lines are part of what is checked.
 */
class HostileHttpTest {

    private static final String SECRET = "leaked-secret-0123456789";

    private Fixture f;
    private TCPServer server;
    private PrintStream originalErr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void onlyWhereTheAuditLinesAreWritten() {
        assumeTrue(LoggerFactory.getLogger("dev.socketserver.admin.audit").isInfoEnabled(),
                "the audit logger is below INFO in this JVM: surefire's audit-log execution runs this class");
    }

    @BeforeEach
    void setUp() {
        f = new Fixture();
        server = f.echoServer();
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
    }

    @AfterEach
    void tearDown() {
        System.setErr(originalErr);
        try {
            assertEquals("UP", Api.json(f.api.get("/health"), 200).path("status").asString(), "the gateway still serves");
            assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
        } finally {
            f.close();
        }
        originalErr.print(logText()); // what the gateway logged, for the reader of the build output
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private List<String> logLines() {
        return logText().lines().filter(l -> !l.isBlank()).toList();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"bad chunk size,handle-request", "bad chunk size,shutdown", "bad chunk size,close",
            "overflowing chunk size,handle-request", "overflowing chunk size,shutdown", "overflowing chunk size,close",
            "100 KB chunk extension,handle-request", "100 KB chunk extension,shutdown", "100 KB chunk extension,close",
            "bad chunk size,drain", "100 KB chunk extension,drain",
            "bad chunk without the token,shutdown", "bad chunk without the token,close", "bad chunk without the token,drain"})
    void aMalformedChunkedBodyIsAJson4xxAndAtMostOneLogLine(String kind, String route) throws IOException {
        String chunked = switch (kind) {
            case "bad chunk size", "bad chunk without the token" -> "zz\r\n{}\r\n0\r\n\r\n";
            case "overflowing chunk size" -> "FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n";
            case "100 KB chunk extension" -> "2;ext=" + "a".repeat(100_000) + "\r\n{}\r\n0\r\n\r\n";
            default -> throw new IllegalArgumentException(kind);
        };
        boolean withToken = !kind.contains("without");
        String request = "POST /api/servers/" + server.id() + "/" + route + " HTTP/1.1\r\nHost: localhost\r\n"
                + (withToken ? "Authorization: Bearer " + Fixture.TOKEN + "\r\n" : "")
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked;
        Raw response = Raw.exchange(f.gateway.uri().getPort(), request);
        assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
        JsonNode body = Api.JSON.readTree(response.body());
        assertFalse(body.path("error").asString().isEmpty(), response.toString());
        assertTrue(logLines().size() <= 1, "at most one log line:\n" + logText());
        assertNoTraceOr500();
    }

    @Test
    void http09OversizedHeadersAndPipeliningAreNever500() throws IOException {
        // Jetty refuses HTTP/0.9 with 505 HTTP Version Not Supported: the right answer, not an internal error
        Raw old = Raw.exchange(f.gateway.uri().getPort(), "GET /health\r\n\r\n");
        assertEquals(505, old.status(), "HTTP/0.9: " + old);
        assertEquals("http_version_not_supported", Api.JSON.readTree(old.body()).path("error").asString());

        Raw big = Raw.exchange(f.gateway.uri().getPort(), "GET /api/servers HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "y".repeat(64_000) + "\r\nConnection: close\r\n\r\n");
        assertEquals(431, big.status(), big.toString());
        assertEquals("headers_too_large", Api.JSON.readTree(big.body()).path("error").asString());

        String get = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
        Raw pipelined = Raw.exchange(f.gateway.uri().getPort(), get + get + get.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
        assertEquals(3, pipelined.text().split("HTTP/1.1 200", -1).length - 1, "three answers in order: " + pipelined);

        assertTrue(logLines().isEmpty(), "GETs are not audited, and nothing was worth a line:\n" + logText());
        assertNoTraceOr500();
    }

    @Test
    void theTokenInTheQueryStringIsRedactedFromTheAuditLine() throws IOException {
        Api.json(f.api.post("/api/servers/" + server.id() + "/shutdown?token=" + SECRET), 200);
        Api.json(f.api.post("/api/servers/" + server.id() + "/shutdown?timeout=PT1S&token=" + SECRET + "x"), 200);
        List<String> audit = logLines().stream().filter(l -> l.contains("/shutdown")).toList();
        assertEquals(2, audit.size(), "each POST has its audit line:\n" + logText());
        assertTrue(audit.get(0).contains("/shutdown?[1 query parameter redacted]"), audit.get(0));
        assertTrue(audit.get(1).contains("/shutdown?[2 query parameters redacted]"), audit.get(1));
        assertFalse(logText().contains(SECRET), logText());
    }

    @Test
    void aWrongTokenInAHeaderOrTheQueryIsNeverLogged() throws IOException {
        String path = "/api/servers/" + server.id() + "/shutdown";
        Raw header = Raw.exchange(f.gateway.uri().getPort(), "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + SECRET + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(401, header.status(), header.toString());
        Raw query = Raw.exchange(f.gateway.uri().getPort(), "POST " + path + "?token=" + SECRET + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(401, query.status(), query.toString());
        assertFalse(logLines().isEmpty(), "the refusals are logged");
        assertFalse(logText().contains(SECRET), logText());
    }

    private void assertNoTraceOr500() {
        String text = logText();
        assertFalse(text.contains("\tat ") || text.contains("Exception:") || text.contains("-> 500"), "a trace or a 500:\n" + text);
    }

    /** One raw exchange: what came back until the server closed the connection (or went quiet for 10 s). */
    private record Raw(String text) {

        static Raw exchange(int port, String request) throws IOException {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                ByteArrayOutputStream in = new ByteArrayOutputStream();
                InputStream stream = s.getInputStream();
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = stream.read(buffer)) >= 0; ) {
                        in.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException | java.net.SocketException e) {
                    // keep what arrived: a reset after the answer, or a server that kept the connection open
                }
                return new Raw(in.toString(StandardCharsets.ISO_8859_1));
            }
        }

        int status() {
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        }

        String body() {
            int start = text.indexOf("\r\n\r\n");
            if (start < 0) {
                return "";
            }
            String body = text.substring(start + 4);
            if (!text.substring(0, start).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                return body;
            }
            StringBuilder decoded = new StringBuilder();
            for (int at = 0; at < body.length(); ) {
                int eol = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, eol).split(";")[0].strip(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            return decoded.toString();
        }

        @Override
        public String toString() {
            return text.length() > 600 ? text.substring(0, 600) + "..." : text;
        }
    }
}
