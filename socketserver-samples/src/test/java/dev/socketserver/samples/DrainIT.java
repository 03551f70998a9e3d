package dev.socketserver.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Issue 12, the launcher: SIGTERM drains {@code samples echo} and {@code samples whoami} run as real
 * processes, with python3 as the outside client. Runs after {@code package} (failsafe), on the jars
 * {@code mvn verify} just built.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read cannot hang the build
class DrainIT {

    /**
     * Two connections to the echo server on port argv[1]: one that had its answer and stays idle, one
     * that sent half a line (a request in flight). After a line on stdin (the server is draining), it
     * reports what the idle one reads, finishes the half line and reports the answer and what follows.
     */
    private static final String TWO_CLIENTS = """
            import socket, sys
            port = int(sys.argv[1])
            def line(s):
                buf = b''
                while not buf.endswith(b'\\n'):
                    chunk = s.recv(100)
                    if not chunk:
                        break
                    buf += chunk
                return buf
            idle = socket.create_connection(('127.0.0.1', port), timeout=30)
            idle.sendall(b'hello\\n')
            print('idle answer', line(idle).decode().strip())
            busy = socket.create_connection(('127.0.0.1', port), timeout=30)
            busy.sendall(b'half')
            print('busy sent half a line')
            sys.stdin.readline()
            print('idle reads', repr(idle.recv(100)))
            busy.sendall(b' done\\n')
            print('busy answer', line(busy).decode().strip())
            print('busy then reads', repr(busy.recv(100)))
            """;

    private final Launched launched = new Launched();

    @AfterEach
    void stopEverything() throws InterruptedException {
        launched.close();
    }

    @Test
    void sigtermDrainsTheEchoServerIdleClientsSeeEndOfStreamAndTheRequestInFlightIsAnswered() throws Exception {
        Launched.Proc server = launched.samples("echo", "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:0",
                "--drain-timeout", "30s");
        String address = listeningAddress(server);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        Launched.Proc client = launched.python(TWO_CLIENTS, String.valueOf(port));
        assertEquals("idle answer hello", client.line());
        assertEquals("busy sent half a line", client.line());

        server.signal("TERM");
        assertEquals("draining " + address, server.line());
        int probesAccepted = awaitRefused(port); // while the request in flight keeps the drain going
        client.tell("go");
        assertEquals("idle reads b''", client.line(), "the idle client saw a clean end of stream, not a reset");
        assertEquals("busy answer half done", client.line(), "the request in flight was answered");
        assertEquals("busy then reads b''", client.line(), "then its connection ended between requests");
        assertEquals(0, client.exit(), client.err().all());

        String drained = server.line();
        assertTrue(drained.matches("drained finished=\\d+ forced=0 duration=\\d+ms"), drained);
        int finished = Integer.parseInt(drained.split(" ")[1].substring("finished=".length()));
        // the two clients, and any probe the server accepted before its socket closed (a probe still queued
        // when the socket closed was reset by the kernel instead)
        assertTrue(finished >= 2 && finished <= 2 + probesAccepted, drained + ", probes accepted: " + probesAccepted);
        assertEquals("stopped", server.line());
        assertEquals(0, server.exit());
        assertEquals("", server.err().all(), "nothing on stderr: the library's own drain log is left out");
    }

    @Test
    void whoamiDrainsToo() throws Exception {
        Launched.Proc server = launched.samples("whoami", "--family", "tcp", "--bind", "127.0.0.1:0");
        String address = listeningAddress(server);
        server.signal("TERM");
        assertEquals("draining " + address, server.line());
        assertTrue(server.line().matches("drained finished=0 forced=0 duration=\\d+ms"));
        assertEquals("stopped", server.line());
        assertEquals(0, server.exit());
        assertEquals("", server.err().all());
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 143, a second SIGTERM", "INT, 130, SIGINT"})
    void aSecondSignalDuringTheDrainStopsAtOnce(String signal, int status, String why) throws Exception {
        Launched.Proc server = launched.samples("echo", "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:0",
                "--drain-timeout", "60s");
        String address = listeningAddress(server);
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        Launched.Proc client = launched.python(TWO_CLIENTS, String.valueOf(port));
        assertEquals("idle answer hello", client.line());
        assertEquals("busy sent half a line", client.line());
        if (signal.equals("INT")) {
            assumeFalse(server.ignoresSigint(), "this test runs where SIGINT is ignored (a background job), "
                    + "and the JVM keeps an inherited SIG_IGN");
        }
        server.signal("TERM");
        assertEquals("draining " + address, server.line());
        long before = System.nanoTime();
        server.signal(signal);
        assertEquals("stopped (" + why + " cut the drain short; requests still running were cut off)", server.line());
        assertEquals(status, server.exit());
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(20), "at once, not at the 60 s deadline");
        assertEquals("", server.err().all());
    }

    @Test
    void withTheAdminGatewayHealthTurns503AtSigtermWhileTheGracePeriodStillServes() throws Exception {
        String token = "token-of-the-drain-test-123";
        Launched.Proc server = launched.samples("echo", "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:0",
                "--admin", "127.0.0.1:0", "--admin-token", token, "--drain-grace", "50s", "--drain-timeout", "60s");
        String address = listeningAddress(server);
        String admin = server.line();
        assertTrue(admin.startsWith("admin http://127.0.0.1:"), admin);
        URI health = URI.create(admin.substring("admin ".length()) + "/health");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build()) {
            HttpRequest get = HttpRequest.newBuilder(health).timeout(java.time.Duration.ofSeconds(10)).build();
            assertEquals(200, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());

            server.signal("TERM");
            assertEquals("draining " + address, server.line()); // printed after the gateway was marked
            HttpResponse<String> draining = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, draining.statusCode(), draining.body());
            assertEquals("{\"status\":\"draining\"}", draining.body());
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("during the grace period\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("during the grace period", new String(client.getInputStream().readNBytes(23), StandardCharsets.UTF_8),
                        "the server still serves new clients during the grace period");
            }
        }
        server.signal("TERM"); // no need to wait out the grace period
        assertTrue(server.line().startsWith("stopped (a second SIGTERM cut the drain short"));
        assertEquals(DrainOnSignal.TERM_STATUS, server.exit());
    }

    /** Reads the {@code listening tcp ADDRESS fileno=N} line and returns the address. */
    static String listeningAddress(Launched.Proc server) throws InterruptedException {
        String listening = server.line();
        String[] words = listening.split(" ");
        assertEquals(4, words.length, listening);
        assertEquals("listening", words[0], listening);
        return words[2];
    }

    /**
     * Connects until the port refuses, bounded: the drain closes the listening socket soon after it
     * prints {@code draining}. Returns how many probes connected before that (each is closed at once).
     */
    private static int awaitRefused(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int accepted = 0;
        while (System.nanoTime() - deadline < 0) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                accepted++;
            } catch (ConnectException refused) {
                return accepted;
            } catch (java.io.IOException e) {
                fail("probe connect failed otherwise: " + e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // pacing of a bounded poll, not a sleep-for-sync
        }
        throw new AssertionError("the port still accepted connections 20 s after the drain began");
    }
}
