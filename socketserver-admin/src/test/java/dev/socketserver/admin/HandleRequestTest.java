package dev.socketserver.admin;

import dev.socketserver.ServerState;
import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/servers/{id}/handle-request} against real servers and real clients. */
class HandleRequestTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void handlesExactlyOneRealClientConnection() throws Exception {
        TCPServer s = f.echoServer();
        try (Socket first = Clients.connect(s); Socket second = Clients.connect(s)) {
            // both connections wait in the backlog; the client writes before the server takes it
            first.getOutputStream().write("hello\n".getBytes());
            second.getOutputStream().write("second\n".getBytes());

            JsonNode r = Api.json(f.api.post("/api/servers/" + s.id() + "/handle-request?timeout=PT10S"), 200);

            assertTrue(r.path("handled").asBoolean(), r.toString());
            assertEquals("handled", r.path("outcome").asString());
            assertEquals("PT10S", r.path("timeout").asString());
            assertEquals("IDLE", r.path("state").asString());
            assertEquals("hello", Clients.readLine(first));
            assertEquals(1, s.stats().requestsHandled(), "the second connection is still waiting");
        }
    }

    @Test
    void theClientGetsItsEchoAndOnlyOneRequestIsTaken() throws Exception {
        TCPServer s = f.echoServer();
        try (Socket first = Clients.connect(s); Socket second = Clients.connect(s)) {
            CompletableFuture<HttpResponse<String>> call = f.api.postAsync("/api/servers/" + s.id() + "/handle-request");
            assertEquals("one", Clients.exchange(first, "one"));
            JsonNode r = Api.json(call.get(30, TimeUnit.SECONDS), 200);

            assertTrue(r.path("handled").asBoolean(), r.toString());
            assertEquals(AdminGateway.DEFAULT_HANDLE_REQUEST_TIMEOUT.toString(), r.path("timeout").asString());
            assertEquals(1, s.stats().received());
            assertEquals(1, s.stats().requestsHandled());
            assertEquals(ServerState.IDLE, s.state());
            // nobody serves the second connection: its echo does not come
            second.setSoTimeout(300);
            second.getOutputStream().write("two\n".getBytes());
            assertThrows(SocketTimeoutException.class, () -> second.getInputStream().read());
        }
    }

    @Test
    void reportsATimeoutWhenNoClientComes() {
        TCPServer s = f.echoServer();

        JsonNode r = Api.json(f.api.post("/api/servers/" + s.id() + "/handle-request?timeout=200"), 200);

        assertFalse(r.path("handled").asBoolean(), r.toString());
        assertEquals("timed_out", r.path("outcome").asString());
        assertEquals("PT0.2S", r.path("timeout").asString());
        assertTrue(Duration.parse(r.path("elapsed").asString()).compareTo(Duration.ofMillis(200)) >= 0, r.toString());
        assertEquals("IDLE", r.path("state").asString());
        assertEquals(0, s.stats().received());
    }

    @Test
    void takesTheTimeoutFromAJsonBody() {
        TCPServer s = f.echoServer();

        JsonNode iso = Api.json(f.api.post("/api/servers/" + s.id() + "/handle-request", "{\"timeout\": \"PT0.1S\"}"), 200);
        JsonNode millis = Api.json(f.api.post("/api/servers/" + s.id() + "/handle-request", "{\"timeout\": 50}"), 200);

        assertEquals("PT0.1S", iso.path("timeout").asString());
        assertEquals("timed_out", iso.path("outcome").asString());
        assertEquals("PT0.05S", millis.path("timeout").asString());
    }

    @Test
    void is409WhileServeForeverRuns() {
        TCPServer s = f.echoServer();
        f.serveForever(s);

        JsonNode e = Api.error(f.api.post("/api/servers/" + s.id() + "/handle-request?timeout=PT1S"), 409, "busy");

        assertTrue(e.path("message").asString().contains("serveForever"), e.toString());
        Clients.assertEcho(s, "still serving"); // the loop was not disturbed
    }

    @Test
    void is409WhileAnotherHandleRequestRunsAndDoesNotBlockOtherCalls() throws Exception {
        TCPServer s = f.echoServer();
        CompletableFuture<HttpResponse<String>> waiting =
                f.api.postAsync("/api/servers/" + s.id() + "/handle-request?timeout=PT30S");
        Fixture.await("the first handle-request to be inside handleRequest()", () -> s.state() == ServerState.SERVING);

        // the gateway still answers while one of its calls waits for a client
        JsonNode view = Api.json(f.api.get("/api/servers/" + s.id()), 200);
        assertEquals("SERVING", view.path("state").asString());
        Api.json(f.api.get("/health"), 200);
        JsonNode e = Api.error(f.api.post("/api/servers/" + s.id() + "/handle-request?timeout=PT1S"), 409, "busy");
        assertTrue(e.path("message").asString().contains("handleRequest"), e.toString());
        assertFalse(waiting.isDone());

        Clients.assertEcho(s, "release");
        JsonNode r = Api.json(waiting.get(30, TimeUnit.SECONDS), 200);
        assertTrue(r.path("handled").asBoolean(), r.toString());
    }

    @Test
    void closedMeanwhileIsReported() throws Exception {
        TCPServer s = f.echoServer();
        CompletableFuture<HttpResponse<String>> waiting =
                f.api.postAsync("/api/servers/" + s.id() + "/handle-request?timeout=PT30S");
        Fixture.await("handle-request to be waiting", () -> s.state() == ServerState.SERVING);

        s.serverClose();

        JsonNode r = Api.json(waiting.get(30, TimeUnit.SECONDS), 200);
        assertFalse(r.path("handled").asBoolean());
        assertEquals("closed", r.path("outcome").asString());
        assertEquals("CLOSED", r.path("state").asString());
    }
}
