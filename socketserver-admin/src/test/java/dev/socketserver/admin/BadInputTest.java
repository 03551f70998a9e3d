package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind gets a JSON error with the right status, no stack trace, and leaves the
 * gateway serving (checked after every case).
 */
class BadInputTest {

    private Fixture f;
    private TCPServer server;

    @BeforeEach
    void setUp() {
        f = new Fixture();
        server = f.echoServer();
    }

    @AfterEach
    void stillServingThenTearDown() {
        try {
            // whatever the case did, the gateway answers and the server is untouched
            assertEquals("UP", Api.json(f.api.get("/health"), 200).path("status").asString());
            JsonNode list = Api.json(f.api.get("/api/servers"), 200);
            assertEquals(1, list.size());
            assertEquals("IDLE", list.get(0).path("state").asString());
        } finally {
            f.close();
        }
    }

    private String base() {
        return "/api/servers/" + server.id();
    }

    // GET / is the console since issue 13 (ConsoleHttpTest, ConsoleBrowserTest); the paths around it are not routes
    @ParameterizedTest
    @ValueSource(strings = {"/console", "/console/nope", "/nope", "/api", "/api/nope", "/api/servers/tcp-1/nope", "/api/servers/x/y/z",
            "/metrics/x", "/health/x", "/API/servers"})
    void unknownRoutesAre404(String path) {
        JsonNode e = Api.error(f.api.get(path), 404, "not_found");
        assertTrue(e.path("message").asString().startsWith("no route GET "), e.toString());
    }

    @ParameterizedTest
    @CsvSource({"DELETE,/api/servers", "POST,/api/servers", "PUT,/api/servers/ID", "DELETE,/api/servers/ID",
            "GET,/api/servers/ID/shutdown", "GET,/api/servers/ID/handle-request", "PUT,/api/servers/ID/close",
            "POST,/health", "POST,/metrics", "PATCH,/metrics"})
    void wrongMethodsAre405(String method, String path) {
        HttpRequest request = f.api.request(path.replace("ID", server.id()))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        JsonNode e = Api.error(f.api.send(request), 405, "method_not_allowed");
        assertTrue(e.path("message").asString().contains("allowed"), e.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-0", "tcp--1", "..", "%2e%2e", "tcp-1%3Bdrop", "%E2%98%83", "%3Cscript%3E",
            "tcp-99999999999999999999999999", "udp-1", "TCP-1", "%20", "tcp-1%00"})
    void garbageIdsAre404(String id) {
        for (String path : new String[] {"/api/servers/" + id, "/api/servers/" + id + "/close"}) {
            HttpResponse<String> r = path.endsWith("/close") ? f.api.post(path) : f.api.get(path);
            if (r.statusCode() == 400) {
                Api.error(r, 400, "bad_request"); // Jetty refuses some encodings before routing: still JSON
                // and closes the connection: it must say so, or the client's next call on it fails
                assertEquals("close", r.headers().firstValue("Connection").orElse(""), r.headers().toString());
            } else {
                Api.error(r, 404, "not_found");
            }
        }
    }

    @Test
    void aVeryLongIdIs404AndNotEchoed() {
        String id = "x".repeat(3000);
        JsonNode e = Api.error(f.api.get("/api/servers/" + id), 404, "not_found");
        assertTrue(e.path("message").asString().length() < 200, e.toString());
    }

    @Test
    void aUriBeyondJettysLimitIsAJsonError() {
        HttpResponse<String> r = f.api.get("/api/servers/" + "x".repeat(20_000));
        Api.error(r, 414, "uri_too_long");
    }

    @Test
    void hugeHeadersAreAJsonError() {
        HttpRequest request = f.api.request("/api/servers").header("X-Big", "y".repeat(20_000)).GET().build();
        Api.error(f.api.send(request), 431, "headers_too_large");
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutContentLength() {
        String big = "{\"timeout\": \"" + "9".repeat(AdminGateway.MAX_BODY_BYTES * 3) + "\"}";
        Api.error(f.api.post(base() + "/handle-request", big), 413, "payload_too_large");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = f.api.request(base() + "/shutdown")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
        Api.error(f.api.send(chunked), 413, "payload_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "\"PT1S\"", "null", "42", "{\"timeout\": 1.5}", "{\"timeout\": true}",
            "{\"timeout\": {}}", "{\"timout\": 100}", "{\"timeout\": \"PT1S\"} trailing", "{\"timeout\": 1, \"timeout\": 2}",
            "{\"timeout\": -5}", "{\"timeout\": \"PT-5S\"}", "{\"timeout\": 99999999999}", "{\"timeout\": 1e3}",
            "timeout=PT1S"})
    void malformedBodiesAre400(String body) {
        for (String action : new String[] {"/handle-request", "/shutdown", "/close"}) {
            Api.error(f.api.post(base() + action, body), 400, "bad_request");
        }
    }

    @Test
    void aBodyThatIsNotUtf8Is400() {
        byte[] bytes = {'{', '"', 't', '"', ':', (byte) 0xff, (byte) 0xfe, '}'};
        HttpRequest request = f.api.request(base() + "/handle-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        Api.error(f.api.send(request), 400, "bad_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "PT-5S", "99999999999", "abc", "1.5", "", "P1D", "PT5M0.001S", "%2B100",
            "99999999999999999999"})
    void badTimeoutsAre400(String timeout) {
        for (String action : new String[] {"/handle-request", "/shutdown", "/close"}) {
            JsonNode e = Api.error(f.api.post(base() + action + "?timeout=" + timeout), 400, "bad_request");
            assertTrue(e.path("message").asString().contains("timeout"), e.toString());
        }
    }

    @Test
    void aTimeoutGivenTwiceIs400() {
        Api.error(f.api.post(base() + "/handle-request?timeout=1&timeout=2"), 400, "bad_request");
        Api.error(f.api.post(base() + "/handle-request?timeout=1", "{\"timeout\": 1}"), 400, "bad_request");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        JsonNode zero = Api.json(f.api.post(base() + "/handle-request?timeout=0"), 200);
        assertEquals("timed_out", zero.path("outcome").asString());
        JsonNode max = Api.json(f.api.post(base() + "/shutdown?timeout=PT5M"), 200);
        assertEquals("IDLE", max.path("state").asString());
    }

    @Test
    void aMalformedHttpRequestGetsAJsonError() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(f.gateway.host(), f.gateway.port()), Clients.TIMEOUT_MS);
            s.setSoTimeout(Clients.TIMEOUT_MS);
            s.getOutputStream().write("GARBAGE /\u0001 NOT-HTTP\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            JsonNode e = Api.JSON.readTree(body);
            assertEquals("bad_request", e.path("error").asString(), response);
            assertTrue(Arrays.stream(response.split("\r\n")).anyMatch(h -> h.toLowerCase().startsWith("content-type: application/json")),
                    response);
        }
    }
}
