package dev.socketserver.samples;

import dev.socketserver.ThreadingMixIn;
import dev.socketserver.ThreadingTCPServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original example: the server answers each client with the next line typed at its console. */
@Timeout(30)
class SeedServerTest {

    @Test
    void serverPrintsWhatArrivesAndAnswersWithTheConsoleLine() throws Exception {
        var console = new BufferedReader(new StringReader("pong from the console\n"));
        var printed = new ByteArrayOutputStream();
        ThreadingTCPServer server = SeedServer.open(new InetSocketAddress("127.0.0.1", 0), console,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertInstanceOf(ThreadingMixIn.class, server.mixIn(), "a faithful port: a thread per request");
        try (Served _ = Served.start(server)) {
            var address = server.inetServerAddress();
            assertEquals("pong from the console", SeedClient.talk(address, "ping"));
            assertEquals("", SeedClient.talk(address, "again"), "the console has no more lines: the server just closes");
        }
        String log = printed.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains(" sent: ping\nreply> "), log);
        assertTrue(log.contains(" sent: again\nreply> "), log);
    }

    @Test
    void seedClientCommandSendsTheLineTypedAtItsConsole() throws Exception {
        var console = new BufferedReader(new StringReader("the answer\n"));
        ThreadingTCPServer server = SeedServer.open(new InetSocketAddress("127.0.0.1", 0), console,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (Served _ = Served.start(server)) {
            int status = Samples.run(new String[] {"seed-client", "--connect", Serving.format(server.serverAddress())},
                    new ByteArrayInputStream("the question\n".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        }
        assertEquals("message> the answer\n", out.toString(StandardCharsets.UTF_8));
    }
}
