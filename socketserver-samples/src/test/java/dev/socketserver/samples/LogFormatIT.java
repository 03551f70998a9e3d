package dev.socketserver.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, item 5: a launcher process prints one log format, whoever logs: the library
 * ({@code System.Logger}), the admin gateway and Javalin and Jetty (SLF4J), all through
 * {@link SampleLogging}. Runs the checked-in launcher on the packaged jars, with {@code SAMPLES_LOG}
 * opening the levels so that every one of them has something to say.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LogFormatIT {

    private static final String TOKEN = "token-given-by-the-log-test";
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly();
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void libraryGatewayJavalinAndJettyLinesShareOneFormat() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of("samples").toAbsolutePath().toString(), "echo",
                "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:0", "--read-timeout", "200ms",
                "--admin", "127.0.0.1:0", "--admin-token", TOKEN);
        builder.environment().put(SampleLogging.ENV, "info,dev.socketserver=debug"); // Jetty's start-up lines too
        server = builder.start();
        Lines out = new Lines(server.getInputStream());
        Lines err = new Lines(server.getErrorStream());
        String listening = out.next();
        assertNotNull(listening, "no 'listening' line in time");
        String admin = out.next();
        assertNotNull(admin, "no 'admin' line in time");
        URI base = URI.create(admin.substring("admin ".length()));

        // The library: a client that stays silent past --read-timeout is a DEBUG line of dev.socketserver.
        try (Socket silent = new Socket("127.0.0.1", CommandLine.hostPort("connect", listening.split(" ")[2]).getPort())) {
            silent.setSoTimeout(10_000);
            InputStream in = silent.getInputStream();
            assertEquals(-1, in.read(), "the server ends the silent connection (its log line comes first)");
        }
        // The gateway: a refused token (WARN) and an audited POST (INFO) to a server that does not exist.
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/api/servers")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(base.resolve("/api/servers/nope/shutdown"))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }

        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -TERM " + server.pid()).start().waitFor());
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server stopped");
        assertEquals(0, server.exitValue());
        String text = err.all();
        List<String> lines = text.lines().toList();
        for (String line : lines) {
            assertTrue(LogFormat.FIRST_LINE.matcher(line).matches() || line.startsWith(LogFormat.INDENT),
                    "not in the one format: '" + line + "' in\n" + text);
        }
        assertLogged(lines, "DEBUG dev.socketserver  Timed out during processing of request from 127.0.0.1:", text);
        assertLogged(lines, "INFO  org.eclipse.jetty.server.Server  jetty-", text);
        assertLogged(lines, "INFO  io.javalin.Javalin  ", text);
        assertLogged(lines, "WARN  dev.socketserver.admin.internal.BearerAuth  rejected GET /api/servers from 127.0.0.1:", text);
        assertLogged(lines, "INFO  dev.socketserver.admin.audit  POST /api/servers/nope/shutdown from 127.0.0.1:", text);
    }

    private static void assertLogged(List<String> lines, String text, String all) {
        assertTrue(lines.stream().anyMatch(line -> line.substring(line.indexOf(' ') + 1).startsWith(text)), // after the time
                "no line '" + text + "...' in\n" + all);
    }
}
