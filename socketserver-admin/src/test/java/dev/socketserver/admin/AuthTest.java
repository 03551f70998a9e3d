package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer-token auth, where the token comes from, and the loopback rule. */
class AuthTest {

    private static HttpResponse<String> withAuthorization(Fixture f, String path, String header) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.gateway.uri().resolve(path)).timeout(Api.TIMEOUT);
        if (header != null) {
            b.header("Authorization", header);
        }
        return f.api.send(b.GET().build());
    }

    @ParameterizedTest(name = "[{index}] Authorization: {0}")
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic dGVzdDp0ZXN0", "Bearer wrong-token-0123456789",
            "Bearer " + Fixture.TOKEN + "x", "Bearer " + "test-token-0123456789abcde", "Token " + Fixture.TOKEN,
            Fixture.TOKEN})
    void wrongOrMissingTokenIs401(String header) {
        try (Fixture f = new Fixture()) {
            for (String path : List.of("/api/servers", "/api/servers/tcp-1", "/metrics", "/no/such/route")) {
                HttpResponse<String> r = withAuthorization(f, path, header.isEmpty() ? null : header);
                Api.error(r, 401, "unauthorized");
                assertEquals("Bearer realm=\"socketserver-admin\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
            }
        }
    }

    @Test
    void theRightTokenPassesAndTheSchemeIsCaseInsensitive() {
        try (Fixture f = new Fixture()) {
            Api.json(withAuthorization(f, "/api/servers", "Bearer " + Fixture.TOKEN), 200);
            Api.json(withAuthorization(f, "/api/servers", "bearer " + Fixture.TOKEN), 200);
        }
    }

    @Test
    void stateChangingCallsWithoutTheTokenChangeNothing() {
        try (Fixture f = new Fixture(); Api anonymous = new Api(f.gateway.uri(), null)) {
            TCPServer s = f.echoServer();
            Thread loop = f.serveForever(s);
            for (String action : List.of("shutdown", "close", "handle-request", "drain")) {
                Api.error(anonymous.post("/api/servers/" + s.id() + "/" + action), 401, "unauthorized");
            }
            assertTrue(loop.isAlive());
            Clients.assertEcho(s, "still serving");
            assertTrue(f.registry.find(s.id()).isPresent());
        }
    }

    @Test
    void aGeneratedTokenIsAnnouncedOnceAndWorks() {
        List<String> announced = new ArrayList<>();
        AdminGateway.Builder b = AdminGateway.builder().environment(name -> null).announcer(announced::add);
        try (Fixture f = new Fixture(b)) {
            assertEquals(List.of(f.gateway.token()), announced);
            assertTrue(f.gateway.token().matches("[A-Za-z0-9_-]{43}"), f.gateway.token());
            Api.json(f.api.get("/api/servers"), 200);
            Api.error(withAuthorization(f, "/api/servers", "Bearer " + Fixture.TOKEN), 401, "unauthorized");
        }
    }

    @Test
    void twoGeneratedTokensDiffer() {
        AtomicReference<String> first = new AtomicReference<>();
        try (Fixture a = new Fixture(AdminGateway.builder().environment(n -> null).announcer(first::set));
             Fixture b = new Fixture(AdminGateway.builder().environment(n -> null).announcer(t -> { }))) {
            assertEquals(a.gateway.token(), first.get());
            assertFalse(a.gateway.token().equals(b.gateway.token()));
        }
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenTheBuilderHasNone() {
        String envToken = "env-token-from-the-environment";
        AtomicReference<String> announced = new AtomicReference<>();
        AdminGateway.Builder b = AdminGateway.builder()
                .environment(name -> name.equals(AdminGateway.TOKEN_ENV) ? envToken : null)
                .announcer(announced::set);
        try (Fixture f = new Fixture(b)) {
            assertEquals(envToken, f.gateway.token());
            assertNull(announced.get(), "a configured token is never printed");
            Api.json(f.api.get("/api/servers"), 200);
        }
    }

    @Test
    void theBuilderTokenWinsOverTheEnvironment() {
        AdminGateway.Builder b = AdminGateway.builder().token(Fixture.TOKEN)
                .environment(name -> "env-token-from-the-environment");
        try (Fixture f = new Fixture(b)) {
            assertEquals(Fixture.TOKEN, f.gateway.token());
        }
    }

    @Test
    void refusesANonLoopbackHostWithoutAnExplicitToken() {
        AdminGateway.Builder b = AdminGateway.builder().host("0.0.0.0").environment(name -> null)
                .announcer(t -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
        assertTrue(e.getMessage().contains("non-loopback") && e.getMessage().contains(AdminGateway.TOKEN_ENV),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "has a space in it 0123", "tab\there-0123456789", "non-ascii-\u00e9-0123456789"})
    void refusesUnusableTokens(String token) {
        assertThrows(IllegalArgumentException.class, () -> AdminGateway.builder().token(token));
        AdminGateway.Builder b = AdminGateway.builder().environment(name -> token);
        assertThrows(IllegalArgumentException.class, b::start);
    }

    @Test
    void bindsLoopbackByDefault() {
        try (Fixture f = new Fixture()) {
            assertEquals(AdminGateway.DEFAULT_HOST, f.gateway.host());
            assertEquals("127.0.0.1", f.gateway.uri().getHost());
            JsonNode h = Api.json(f.api.get("/health"), 200);
            assertEquals("UP", h.path("status").asString());
        }
    }
}
