package dev.socketserver.admin;

import dev.socketserver.ServerState;
import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.ConnectException;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/servers/{id}/shutdown} and {@code POST /api/servers/{id}/close}. */
class ShutdownCloseTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void shutdownMakesServeForeverReturnAndTheStateIdle() throws Exception {
        TCPServer s = f.echoServer();
        Thread loop = f.serveForever(s);

        JsonNode r = Api.json(f.api.post("/api/servers/" + s.id() + "/shutdown"), 200);

        assertTrue(r.path("wasServing").asBoolean(), r.toString());
        assertTrue(r.path("loopEnded").asBoolean(), r.toString());
        assertEquals("IDLE", r.path("state").asString());
        assertTrue(loop.join(Fixture.JOIN), "serveForever() returned and its thread ended");
        assertEquals(ServerState.IDLE, s.state());
        assertEquals("IDLE", Api.json(f.api.get("/api/servers/" + s.id()), 200).path("state").asString());
    }

    @Test
    void shutdownIsIdempotentAndDoesNotPoisonTheNextLoop() throws Exception {
        TCPServer s = f.echoServer();
        Thread first = f.serveForever(s);
        Api.json(f.api.post("/api/servers/" + s.id() + "/shutdown"), 200);
        assertTrue(first.join(Fixture.JOIN));

        JsonNode again = Api.json(f.api.post("/api/servers/" + s.id() + "/shutdown?timeout=PT1S"), 200);

        assertFalse(again.path("wasServing").asBoolean(), again.toString());
        assertTrue(again.path("loopEnded").asBoolean());
        assertEquals("IDLE", again.path("state").asString());
        // a later serveForever() still serves: the idle shutdown was not remembered as a pending stop
        Thread second = f.serveForever(s);
        assertTrue(second.isAlive());
        Api.json(f.api.post("/api/servers/" + s.id() + "/shutdown"), 200);
        assertTrue(second.join(Fixture.JOIN));
    }

    @Test
    void closeMakesThePortRefuseConnections() throws Exception {
        TCPServer s = f.echoServer();
        var address = s.serverAddress();
        Thread loop = f.serveForever(s);

        JsonNode r = Api.json(f.api.post("/api/servers/" + s.id() + "/close"), 200);

        assertEquals("CLOSED", r.path("state").asString());
        assertTrue(r.path("handlersFinished").asBoolean(), r.toString());
        assertEquals(-1, s.fileno());
        assertTrue(loop.join(Fixture.JOIN), "closing ended serveForever()");
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, Clients.TIMEOUT_MS);
            }
        });
        // it left the registry: gone from the listing, and a second close is a 404
        assertEquals(0, Api.json(f.api.get("/api/servers"), 200).size());
        Api.error(f.api.get("/api/servers/" + s.id()), 404, "not_found");
        Api.error(f.api.post("/api/servers/" + s.id() + "/close"), 404, "not_found");
    }

    @Test
    void actionsOnUnknownServersAre404() {
        for (String action : new String[] {"handle-request", "shutdown", "close"}) {
            Api.error(f.api.post("/api/servers/tcp-424242/" + action), 404, "not_found");
        }
    }
}
