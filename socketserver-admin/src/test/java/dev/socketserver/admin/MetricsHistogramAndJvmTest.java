package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-duration histogram, the {@code server} label, and the JVM and process meters. */
class MetricsHistogramAndJvmTest {

    private static final List<String> LE = List.of("5.0E-5", "1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005",
            "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");

    @Test
    void everyRequestOfAServerLandsInItsPrometheusHistogram() throws Exception {
        try (Fixture f = new Fixture()) {
            TCPServer timed = f.echoServer("timed"); // fed by the server itself (ServerStats.addRequestTimer)
            TCPServer quiet = f.echoServer();
            f.serveForever(timed); // one echo
            Clients.assertEcho(timed, "two");
            Clients.assertEcho(timed, "three");
            // the client has its echo a moment before the request ends and the duration is recorded
            Fixture.await("three recorded durations", () -> f.gateway.meterRegistry().find(RequestDurationHistograms.NAME)
                    .tag("server", "timed").timer().count() == 3);

            String text = f.api.get("/metrics").body();
            for (String le : LE) {
                bucket(text, "timed", le);
                assertEquals(0, bucket(text, quiet.id(), le), "the unnamed server is labelled by its id, and served nothing");
            }
            assertEquals(3, bucket(text, "timed", "+Inf"));
            assertEquals(3, value(text, "socketserver_request_latency_seconds_count{server=\"timed\""));
            assertTrue(value(text, "socketserver_request_latency_seconds_sum{server=\"timed\"") > 0);
            assertEquals(0, value(text, "socketserver_request_latency_seconds_count{server=\"" + quiet.id() + "\""));
            // the buckets are cumulative and end at the count
            double previous = 0;
            for (String le : LE) {
                double v = bucket(text, "timed", le);
                assertTrue(v >= previous, le);
                previous = v;
            }

            timed.serverClose(Fixture.JOIN);
            assertFalse(f.api.get("/metrics").body().contains("server=\"timed\""), "a closed server's histogram goes");
        }
    }

    @Test
    void theServerLabelIsTheNameWhenSetElseTheId() {
        try (Fixture f = new Fixture()) {
            TCPServer named = f.echoServer("orders");
            TCPServer unnamed = f.echoServer();
            assertEquals("orders", ServerLabel.of(named));
            assertEquals(unnamed.id(), ServerLabel.of(unnamed), "the default name holds the ephemeral port");
            String text = f.api.get("/metrics").body();
            assertTrue(text.contains("socketserver_requests_handled_total{server=\"orders\",server_class=\"TCPServer\",server_family=\"tcp\",server_id=\""
                    + named.id() + "\"}"), text);
            assertTrue(text.contains("socketserver_requests_handled_total{server=\"" + unnamed.id() + "\","), text);
        }
    }

    @Test
    void jvmAndProcessMetersAreExportedInPrometheusUnits() {
        try (Fixture f = new Fixture()) {
            String text = f.api.get("/metrics").body();
            for (String name : List.of("jvm_memory_used_bytes{", "jvm_memory_max_bytes{", "jvm_threads_live_threads ",
                    "jvm_threads_states_threads{", "jvm_classes_loaded_classes ", "jvm_classes_unloaded_classes_total ",
                    "jvm_gc_memory_allocated_bytes_total ", "process_cpu_usage ", "system_cpu_usage ", "system_cpu_logical ",
                    "process_uptime_seconds ", "process_start_time_seconds ", "process_files_open_files ",
                    "process_files_max_files ", "process_cpu_seconds_total ", "jvm_buffer_instances_buffers{",
                    "jvm_classes_loaded_cumulative_classes_total ")) {
                assertTrue(text.lines().anyMatch(l -> l.startsWith(name)), () -> name + " in\n" + text);
            }
            assertFalse(text.contains("system_cpu_count"), "renamed: _count is a histogram suffix");
            assertFalse(text.contains("jvm_buffer_count") || text.contains("jvm_classes_loaded_count"), "renamed too");
            assertFalse(text.contains("_ns_") || text.contains("process_cpu_time"), "CPU time in seconds, not ns");
        }
    }

    @Test
    void jvmMetersCanBeLeftOutAndLeaveASharedRegistryWithTheGateway() {
        PrometheusMeterRegistry shared = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Fixture f = new Fixture(AdminGateway.builder().token(Fixture.TOKEN).meterRegistry(shared))) {
            assertSame(shared, f.gateway.meterRegistry());
            assertTrue(shared.scrape().contains("jvm_memory_used_bytes"));
        }
        assertFalse(shared.scrape().contains("jvm_"), shared.scrape());
        assertFalse(shared.scrape().contains("process_"), shared.scrape());
        try (Fixture f = new Fixture(AdminGateway.builder().token(Fixture.TOKEN).jvmMetrics(false))) {
            assertFalse(f.api.get("/metrics").body().contains("jvm_memory_used_bytes"));
        }
        shared.close();
    }

    private static double bucket(String text, String server, String le) {
        Pattern p = Pattern.compile("^socketserver_request_latency_seconds_bucket\\{server=\"" + Pattern.quote(server)
                + "\",[^}]*,le=\"" + Pattern.quote(le) + "\"} (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        assertTrue(m.find(), () -> "bucket le=" + le + " of " + server + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static double value(String text, String prefix) {
        Pattern p = Pattern.compile("^" + Pattern.quote(prefix) + "[^}]*} (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        assertTrue(m.find(), () -> prefix + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
