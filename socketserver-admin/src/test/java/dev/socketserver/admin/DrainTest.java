package dev.socketserver.admin;

import dev.socketserver.StreamRequestHandler;
import dev.socketserver.TCPServer;
import dev.socketserver.VirtualThreadingMixIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/servers/{id}/drain} and the draining {@code GET /health}: 503 while a server drains
 * or once the gateway is marked, the report, and the 400, 401, 404 and 409 answers.
 */
class DrainTest {

    private final Fixture f = new Fixture();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Echoes each line, but holds the line {@code hold} until the test lets it go: a request in flight. */
    private final class Holding extends StreamRequestHandler {
        @Override
        protected void handle() throws IOException {
            for (byte[] line; (line = rfile().readLine()).length > 0; ) {
                if (new String(line, StandardCharsets.UTF_8).strip().equals("hold")) {
                    held.countDown();
                    try {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        return; // forced at the drain's deadline: the connection is closed for us
                    }
                }
                wfile().write(line);
            }
        }
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        f.close();
    }

    private TCPServer holdingServer() throws IOException {
        TCPServer server = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Holding::new, new VirtualThreadingMixIn(), false);
        f.activate(server);
        f.serveForever(server);
        return server;
    }

    private Socket holdARequest(TCPServer server) throws Exception {
        Socket client = Clients.connect(server);
        client.getOutputStream().write("hold\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(held.await(10, TimeUnit.SECONDS), "the handler took the held request");
        return client;
    }

    @Test
    void healthIs503WhileTheDrainRunsAndTheReportCountsTheRequests() throws Exception {
        TCPServer server = holdingServer();
        SocketAddress address = server.serverAddress();
        try (Api anonymous = new Api(f.gateway.uri(), null);
             Socket busy = holdARequest(server);
             Socket idle = Clients.connect(server)) {
            assertEquals("hi", Clients.exchange(idle, "hi"), "the idle client is mid-session");
            assertEquals("UP", Api.json(anonymous.get("/health"), 200).path("status").asString());

            CompletableFuture<HttpResponse<String>> drain = f.api.postAsync("/api/servers/" + server.id() + "/drain?deadline=PT20S");

            Fixture.await("/health to answer 503", () -> anonymous.get("/health").statusCode() == 503);
            assertEquals("draining", Api.json(anonymous.get("/health"), 503).path("status").asString(), "no token needed");
            assertEquals("DRAINING", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
            assertEquals("DRAINING", Api.json(f.api.get("/api/servers"), 200).get(0).path("state").asString());
            assertEquals(-1, idle.getInputStream().read(), "the idle connection ends between requests");
            Api.error(f.api.post("/api/servers/" + server.id() + "/drain"), 409, "draining");
            assertFalse(drain.isDone(), "the drain waits for the held request");

            release.countDown();
            assertEquals("hold", Clients.readLine(busy), "the request in flight is answered");
            JsonNode report = Api.json(drain.get(30, TimeUnit.SECONDS), 200);
            assertEquals(server.id(), report.path("id").asString());
            assertEquals(2, report.path("finished").asInt(), "the held and the idle connection: " + report);
            assertEquals(0, report.path("forced").asInt(), report.toString());
            assertTrue(report.path("durationMillis").asLong() >= 0, report.toString());
            assertEquals(4, report.size(), report.toString());

            // the drained server is closed and gone: health is back to UP, its port refuses
            assertEquals("UP", Api.json(anonymous.get("/health"), 200).path("status").asString());
            Api.error(f.api.post("/api/servers/" + server.id() + "/drain"), 404, "not_found");
            assertThrows(ConnectException.class, () -> {
                try (Socket late = new Socket()) {
                    late.connect(address, Clients.TIMEOUT_MS);
                }
            });
        }
    }

    @Test
    void aRequestStillRunningAtTheDeadlineIsForced() throws Exception {
        TCPServer server = holdingServer();
        try (Socket busy = holdARequest(server)) {
            JsonNode report = Api.json(f.api.post("/api/servers/" + server.id() + "/drain?grace=PT0S&deadline=PT0.3S"), 200);
            assertEquals(1, report.path("forced").asInt(), report.toString());
            assertEquals(0, report.path("finished").asInt(), report.toString());
            assertTrue(report.path("durationMillis").asLong() >= 300, report.toString());
            assertEquals(-1, busy.getInputStream().read(), "the forced connection is closed");
        }
    }

    @Test
    void graceKeepsServingWithHealthAt503() throws Exception {
        TCPServer server = holdingServer();
        CompletableFuture<HttpResponse<String>> drain = f.api.postAsync("/api/servers/" + server.id() + "/drain?grace=PT20S&deadline=PT30S");
        Fixture.await("/health to answer 503", () -> f.api.get("/health").statusCode() == 503);
        Clients.assertEcho(server, "still served during the grace period");
        // ending the grace early: a close makes the drain return
        Api.json(f.api.post("/api/servers/" + server.id() + "/close"), 200);
        JsonNode report = Api.json(drain.get(30, TimeUnit.SECONDS), 200);
        assertTrue(report.path("durationMillis").asLong() < 20_000, report.toString());
    }

    @Test
    void markDrainingTurnsHealthTo503WithoutAnyServerDraining() {
        TCPServer server = f.echoServer();
        try (Api anonymous = new Api(f.gateway.uri(), null)) {
            assertEquals(200, anonymous.get("/health").statusCode());
            f.gateway.markDraining();
            f.gateway.markDraining(); // idempotent
            assertEquals("draining", Api.json(anonymous.get("/health"), 503).path("status").asString());
            assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grace=abc", "deadline=PT-1S", "deadline=PT6M", "grace=-5", "grace=", "grace=PT1S&grace=PT2S",
            "deadline=1e3"})
    void badDurationsAre400AndLeaveTheServerAlone(String query) {
        TCPServer server = f.echoServer();
        JsonNode error = Api.error(f.api.post("/api/servers/" + server.id() + "/drain?" + query), 400, "bad_request");
        String name = query.substring(0, query.indexOf('='));
        assertTrue(error.path("message").asString().contains(name), "the message names " + name + ": " + error);
        assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
    }

    @Test
    void aBodyIs400BecauseTheDurationsAreQueryParameters() {
        TCPServer server = f.echoServer();
        Api.error(f.api.post("/api/servers/" + server.id() + "/drain", "{\"deadline\": \"PT1S\"}"), 400, "bad_request");
        assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
    }

    @Test
    void unknownServerIs404AndNoTokenIs401() {
        TCPServer server = f.echoServer();
        Api.error(f.api.post("/api/servers/tcp-424242/drain"), 404, "not_found");
        try (Api anonymous = new Api(f.gateway.uri(), null)) {
            assertEquals(401, anonymous.post("/api/servers/" + server.id() + "/drain").statusCode());
        }
        assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + server.id()), 200).path("state").asString());
    }
}
