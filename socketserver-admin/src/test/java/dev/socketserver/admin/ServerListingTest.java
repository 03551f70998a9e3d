package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/servers} and {@code GET /api/servers/{id}} against real servers. */
class ServerListingTest {

    private final Fixture f = new Fixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void listsEveryLiveServerWithItsRealAddressAndFileno() {
        TCPServer a = f.echoServer();
        TCPServer b = f.echoServer();

        JsonNode list = Api.json(f.api.get("/api/servers"), 200);

        assertEquals(2, list.size(), list.toString());
        for (int i = 0; i < 2; i++) {
            TCPServer s = i == 0 ? a : b;
            JsonNode v = list.get(i);
            InetSocketAddress addr = Clients.inet(s);
            assertEquals(s.id(), v.path("id").asString());
            assertEquals("127.0.0.1:" + addr.getPort(), v.path("address").asString());
            assertTrue(addr.getPort() > 0);
            assertEquals(s.fileno(), v.path("fileno").asInt(), "fileno of " + s.id());
            assertTrue(s.fileno() >= 0, "a bound server has a descriptor");
            assertEquals("TCPServer", v.path("serverClass").asString());
            assertEquals("tcp", v.path("family").asString());
            assertEquals("IDLE", v.path("state").asString());
            assertEquals(s.mixIn().name(), v.path("mixIn").asString());
            assertEquals(s.name(), v.path("name").asString());
            // java.time as an ISO string, not a number
            assertEquals(s.info().startedAt(), Instant.parse(v.path("startedAt").asString()));
            assertEquals(0, v.path("requestsHandled").asLong());
        }
    }

    @Test
    void showsOneServerAndItsCountersMove() {
        TCPServer s = f.echoServer();
        f.serveForever(s); // one echo already went through
        // the client has its echo a moment before the server counts the request as handled
        Fixture.await("the echo counted as handled", () -> s.stats().requestsHandled() == 1);

        JsonNode v = Api.json(f.api.get("/api/servers/" + s.id()), 200);

        assertEquals(s.id(), v.path("id").asString());
        assertEquals("SERVING", v.path("state").asString());
        assertEquals(1, v.path("received").asLong());
        assertEquals(s.stats().requestsHandled(), v.path("requestsHandled").asLong());
    }

    @Test
    void unknownIdIs404() {
        f.echoServer();
        JsonNode e = Api.error(f.api.get("/api/servers/tcp-999999"), 404, "not_found");
        assertTrue(e.path("message").asString().contains("tcp-999999"), e.toString());
    }

    @Test
    void serversOfOtherRegistriesAndClosedServersAreNotListed() throws Exception {
        TCPServer mine = f.echoServer();
        TCPServer closed = f.echoServer();
        try (TCPServer elsewhere = new TCPServer(new InetSocketAddress("127.0.0.1", 0), Fixture.Echo::new,
                false)) {
            elsewhere.setRegistry(new dev.socketserver.ServerRegistry());
            elsewhere.serverBind();
            elsewhere.serverActivate();
            closed.serverClose();

            JsonNode list = Api.json(f.api.get("/api/servers"), 200);

            assertEquals(1, list.size(), list.toString());
            assertEquals(mine.id(), list.get(0).path("id").asString());
            Api.error(f.api.get("/api/servers/" + elsewhere.id()), 404, "not_found");
            Api.error(f.api.get("/api/servers/" + closed.id()), 404, "not_found");
        }
        assertFalse(f.registry.find(closed.id()).isPresent());
    }

    @Test
    void healthNeedsNoToken() {
        try (Api anonymous = new Api(f.gateway.uri(), null)) {
            JsonNode h = Api.json(anonymous.get("/health"), 200);
            assertEquals("UP", h.path("status").asString());
        }
    }
}
