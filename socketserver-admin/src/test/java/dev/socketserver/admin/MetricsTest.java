package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics} and {@link ServerMeterBinder}. */
class MetricsTest {

    /** Seven counters, gauges and the duration timer, open requests, bytes in and out, and one error counter per kind. */
    static final int METERS_PER_SERVER = 10 + dev.socketserver.ErrorKind.values().length;

    /** The value of the sample {@code name{...server_id="id"...}} in Prometheus text, if present. */
    static Optional<Double> sample(String text, String name, String serverId) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("server_id=\"" + serverId + "\""))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    static double value(String text, String name, String serverId) {
        return sample(text, name, serverId)
                .orElseThrow(() -> new AssertionError("no " + name + " for " + serverId + " in\n" + text));
    }

    /** Runs one handle-request through the gateway with a client that sends {@code line}. */
    private static void oneRequest(Fixture f, TCPServer s, String line) throws Exception {
        try (Socket client = Clients.connect(s)) {
            client.getOutputStream().write((line + "\n").getBytes());
            var r = Api.json(f.api.post("/api/servers/" + s.id() + "/handle-request?timeout=PT10S"), 200);
            assertTrue(r.path("handled").asBoolean(), r.toString());
        }
    }

    @Test
    void prometheusTextCarriesThePerServerCountersAfterNRequests() throws Exception {
        try (Fixture f = new Fixture()) {
            TCPServer busy = f.boomServer();
            TCPServer quiet = f.echoServer();
            int n = 4;
            for (int i = 0; i < n; i++) {
                oneRequest(f, busy, "hello " + i);
            }
            oneRequest(f, busy, "boom");

            HttpResponse<String> r = f.api.get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
            String text = r.body();

            assertEquals(n + 1, value(text, "socketserver_requests_received_total", busy.id()));
            assertEquals(n + 1, value(text, "socketserver_requests_handled_total", busy.id()));
            assertEquals(1, value(text, "socketserver_requests_errors_total", busy.id()));
            assertEquals(0, value(text, "socketserver_requests_active", busy.id()));
            assertEquals(0, value(text, "socketserver_requests_dropped_total", busy.id()));
            assertEquals(0, value(text, "socketserver_datagrams_truncated_total", busy.id()));
            assertEquals(n + 1, value(text, "socketserver_request_duration_seconds_count", busy.id()));
            // the same failure by kind, the bytes through the handlers, and no connection left open
            assertEquals(1.0, text.lines().filter(l -> l.startsWith("socketserver_errors_total{")
                    && l.contains("server_id=\"" + busy.id() + "\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum(), text); // all kinds together
            assertTrue(text.lines().anyMatch(l -> l.startsWith("socketserver_errors_total{") && l.contains("kind=\"handler\"")
                    && l.contains("server_id=\"" + busy.id() + "\"") && l.endsWith(" 1.0")), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("socketserver_errors_total{") && l.contains("kind=\"peer_gone\"")
                    && l.contains("server_id=\"" + busy.id() + "\"") && l.endsWith(" 0.0")), text);
            assertEquals(n * "hello 0\n".length() + "boom\n".length(), value(text, "socketserver_received_bytes_total", busy.id()));
            assertEquals(n * "hello 0\n".length(), value(text, "socketserver_sent_bytes_total", busy.id()));
            assertEquals(0, value(text, "socketserver_requests_open", busy.id()));
            assertTrue(value(text, "socketserver_request_duration_seconds_sum", busy.id()) > 0);
            // tags: id, class and family
            assertTrue(text.lines().anyMatch(l -> l.startsWith("socketserver_requests_handled_total{")
                    && l.contains("server_class=\"TCPServer\"") && l.contains("server_family=\"tcp\"")
                    && l.contains("server_id=\"" + busy.id() + "\"")), text);
            // the other server has its own, untouched series
            assertEquals(0, value(text, "socketserver_requests_handled_total", quiet.id()));
            // the gateway's own HTTP metrics, by route template
            assertTrue(text.lines().anyMatch(l -> l.startsWith("socketserver_admin_http_requests_seconds_count{")
                    && l.contains("uri=\"/api/servers/{id}/handle-request\"") && l.contains("status=\"200\"")
                    && l.endsWith(" " + (n + 1))), text);
        }
    }

    @Test
    void aClosedServersMetersDisappear() {
        try (Fixture f = new Fixture()) {
            TCPServer s = f.echoServer();
            assertTrue(sample(f.api.get("/metrics").body(), "socketserver_requests_handled_total", s.id()).isPresent());

            Api.json(f.api.post("/api/servers/" + s.id() + "/close"), 200);

            String text = f.api.get("/metrics").body();
            assertFalse(text.contains("server_id=\"" + s.id() + "\""), text);
        }
    }

    @Test
    void activeRequestsIsLive() throws Exception {
        try (Fixture f = new Fixture()) {
            TCPServer s = f.echoServer();
            try (Socket client = Clients.connect(s)) {
                // the handler waits for a line that has not been sent yet: one request is active
                CompletableFuture<HttpResponse<String>> call = f.api.postAsync("/api/servers/" + s.id() + "/handle-request");
                Fixture.await("the handler to start", () -> s.stats().activeRequests() == 1);
                assertEquals(1, value(f.api.get("/metrics").body(), "socketserver_requests_active", s.id()));
                assertEquals("x", Clients.exchange(client, "x"));
                Api.json(call.get(30, TimeUnit.SECONDS), 200);
            }
            assertEquals(0, value(f.api.get("/metrics").body(), "socketserver_requests_active", s.id()));
        }
    }

    @Test
    void usesTheGivenPrometheusRegistryAndLeavesItOpen() {
        PrometheusMeterRegistry shared = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        shared.counter("app.own.counter").increment();
        TCPServer s;
        try (Fixture f = new Fixture(AdminGateway.builder().token(Fixture.TOKEN).meterRegistry(shared))) {
            s = f.echoServer();
            String text = f.api.get("/metrics").body();
            assertTrue(text.contains("app_own_counter_total 1.0"), text);
            assertTrue(sample(text, "socketserver_requests_handled_total", s.id()).isPresent(), text);
        }
        // after stop: the gateway's server meters are gone, the application's stay, the registry is open
        assertFalse(shared.scrape().contains("server_id=\"" + s.id() + "\""));
        assertTrue(shared.scrape().contains("app_own_counter_total 1.0"));
        assertFalse(shared.isClosed());
        shared.close();
    }

    @Test
    void binderFollowsJoinsAndLeavesAndCleansUpOnClose() throws Exception {
        try (Fixture f = new Fixture()) {
            TCPServer before = f.echoServer();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ServerMeterBinder binder = new ServerMeterBinder(f.registry);
            binder.bindTo(meters);
            assertThrows(IllegalStateException.class, () -> binder.bindTo(meters));

            assertEquals(METERS_PER_SERVER, metersOf(meters, before.id()).size(), "servers already live get meters at bind");
            TCPServer after = f.echoServer();
            assertEquals(METERS_PER_SERVER, metersOf(meters, after.id()).size(), "a server that joins later gets meters too");

            before.serverClose();
            assertEquals(List.of(), metersOf(meters, before.id()), "meters leave with the server");

            binder.close();
            assertEquals(List.of(), meters.getMeters(), "close removes every meter");
            TCPServer late = f.echoServer();
            assertEquals(List.of(), metersOf(meters, late.id()), "a closed binder no longer listens");
            for (Meter m : meters.getMeters()) {
                assertFalse(m.getId().getName().endsWith(".created") || m.getId().getName().endsWith(".total")
                        || m.getId().getName().endsWith(".count"), m.getId().getName());
            }
        }
    }

    @Test
    void noMeterNameUsesAReservedPrometheusSuffix() {
        try (Fixture f = new Fixture()) {
            f.echoServer();
            f.api.get("/api/servers"); // and an HTTP timer
            List<String> names = f.gateway.meterRegistry().getMeters().stream().map(m -> m.getId().getName()).toList();
            assertTrue(names.size() >= 8, names.toString());
            for (String name : names) {
                assertFalse(name.matches(".*\\.(created|total|count|info|bucket)$"), name);
            }
        }
    }

    private static List<Meter> metersOf(SimpleMeterRegistry meters, String id) {
        return meters.getMeters().stream().filter(m -> id.equals(m.getId().getTag("server.id"))).toList();
    }
}
