package dev.socketserver.admin;

import dev.socketserver.TCPServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The copy-paste commands of {@code docs/admin.md}, run with the real {@code curl} against a real
 * gateway; and {@code AdminGateway.main} started as its own JVM. Skipped where curl or bash is missing.
 */
class CurlTest {

    private static final long WAIT_SECONDS = 30;

    @BeforeAll
    static void needsCurlAndBash() {
        ExternalTools.assumeInstalled("curl", "the docs' commands are curl command lines");
        ExternalTools.assumeInstalled("bash", "the docs' commands are bash command lines");
    }

    /** Runs a shell command line as the docs show it, with ADMIN, TOKEN and ID set, and returns its stdout. */
    private static String sh(String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("command did not finish: " + command);
        }
        assertEquals(0, p.exitValue(), () -> "exit status of: " + command + "\nstderr: " + read(p.getErrorStream()));
        return out.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void theDocumentedCurlCommandsWork() throws Exception {
        try (Fixture f = new Fixture()) {
            TCPServer s = f.echoServer();
            Map<String, String> env = Map.of("ADMIN", f.gateway.uri().toString().replaceAll("/$", ""),
                    "TOKEN", Fixture.TOKEN, "ID", s.id(), "PORT", Integer.toString(Clients.inet(s).getPort()));

            assertEquals("{\"status\":\"UP\"}", sh("curl -s \"$ADMIN/health\"", env));

            JsonNode list = Api.JSON.readTree(sh("curl -s -H \"Authorization: Bearer $TOKEN\" \"$ADMIN/api/servers\"", env));
            assertEquals(s.id(), list.get(0).path("id").asString());

            JsonNode one = Api.JSON.readTree(sh("curl -s -H \"Authorization: Bearer $TOKEN\" \"$ADMIN/api/servers/$ID\"", env));
            assertEquals(s.fileno(), one.path("fileno").asInt());

            // a client in the background (bash's /dev/tcp), then one handle-request serves it
            ProcessBuilder clientCommand = new ProcessBuilder("bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/$PORT; echo hello >&3; head -1 <&3").redirectErrorStream(true);
            clientCommand.environment().putAll(env);
            Process client = clientCommand.start();
            try {
                JsonNode handled = Api.JSON.readTree(sh("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" "
                        + "\"$ADMIN/api/servers/$ID/handle-request?timeout=PT5S\"", env));
                assertEquals("handled", handled.path("outcome").asString(), handled.toString());
                assertTrue(client.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
                assertEquals("hello\n", read(client.getInputStream()));
            } finally {
                client.destroyForcibly();
            }

            JsonNode timedOut = Api.JSON.readTree(sh("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" "
                    + "-d '{\"timeout\": \"PT0.5S\"}' \"$ADMIN/api/servers/$ID/handle-request\"", env));
            assertEquals("timed_out", timedOut.path("outcome").asString(), timedOut.toString());

            String metrics = sh("curl -s -H \"Authorization: Bearer $TOKEN\" \"$ADMIN/metrics\" | grep '^socketserver_requests_handled'", env);
            assertEquals(1.0, MetricsTest.value(metrics, "socketserver_requests_handled_total", s.id()));

            JsonNode shutdown = Api.JSON.readTree(sh("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" "
                    + "\"$ADMIN/api/servers/$ID/shutdown\"", env));
            assertEquals("IDLE", shutdown.path("state").asString());

            JsonNode closed = Api.JSON.readTree(sh("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" "
                    + "\"$ADMIN/api/servers/$ID/close\"", env));
            assertEquals("CLOSED", closed.path("state").asString());

            String unauthorized = sh("curl -s -i \"$ADMIN/api/servers\"", env);
            assertTrue(unauthorized.startsWith("HTTP/1.1 401"), unauthorized);
            assertTrue(unauthorized.contains("{\"error\":\"unauthorized\""), unauthorized);
        }
    }

    @Test
    void mainRunsAGatewayThatPrintsItsUrlAndGeneratedToken() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-p", System.getProperty("jdk.module.path"),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-m", "dev.socketserver.admin/dev.socketserver.admin.AdminGateway", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(AdminGateway.TOKEN_ENV);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> urlLine = CompletableFuture.supplyAsync(() -> lineMatching(out, "listening on"));
            CompletableFuture<String> tokenLine = CompletableFuture.supplyAsync(() -> lineMatching(err, "generated"));
            Matcher url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/").matcher(urlLine.get(WAIT_SECONDS, TimeUnit.SECONDS));
            Matcher token = Pattern.compile("\\(shown once\\): ([A-Za-z0-9_-]{43})$").matcher(tokenLine.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(url.find() && token.find(), urlLine.get() + " / " + tokenLine.get());
            Map<String, String> env = Map.of("ADMIN", url.group(1), "TOKEN", token.group(1));

            assertEquals("[]", sh("curl -s -H \"Authorization: Bearer $TOKEN\" \"$ADMIN/api/servers\"", env));
            assertTrue(sh("curl -s -i \"$ADMIN/api/servers\"", env).startsWith("HTTP/1.1 401"));
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops the gateway
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the gateway JVM did not stop on SIGTERM");
            }
        }
    }

    private static String lineMatching(BufferedReader reader, String needle) {
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.contains(needle)) {
                    return line;
                }
            }
            return "(stream ended without '" + needle + "')";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
