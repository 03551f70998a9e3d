package dev.socketserver.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, {@code --reuse-port}: two launcher processes share one port with {@code SO_REUSEPORT};
 * one drains on SIGTERM under connect-per-request load while the other goes on serving, and the
 * client sees no failed request. See docs/operations.md, "Drain and SO_REUSEPORT", for
 * {@code net.ipv4.tcp_migrate_req}, whose value this test prints.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read cannot hang the build
class ReusePortIT {

    private static final String TOKEN = "token-of-the-reuse-port-test";
    private static final int AFTER_THE_DRAIN = 300;

    /**
     * Connect, send a line, read the echo, close: over and over on port argv[1], for at most argv[2]
     * seconds; once a line comes on stdin (one server has drained and exited), argv[3] more. Prints
     * "first ok" after the first success, then the totals.
     */
    private static final String LOAD = """
            import socket, sys, threading, time
            port, seconds, after = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
            told = threading.Event()
            threading.Thread(target=lambda: (sys.stdin.readline(), told.set()), daemon=True).start()
            ok = failed = done_after = 0
            first_error = None
            start = time.monotonic()
            while time.monotonic() - start < seconds and done_after < after:
                if told.is_set():
                    done_after += 1
                try:
                    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
                        s.sendall(b'ping\\n')
                        buf = b''
                        while not buf.endswith(b'\\n'):
                            chunk = s.recv(100)
                            if not chunk:
                                raise ConnectionError('closed before the answer')
                            buf += chunk
                        if buf != b'ping\\n':
                            raise ConnectionError('wrong answer %r' % buf)
                    ok += 1
                    if ok == 1:
                        print('first ok')
                except OSError as e:
                    failed += 1
                    first_error = first_error or repr(e)
            print('ok=%d failed=%d after=%d first_error=%s' % (ok, failed, done_after, first_error))
            """;

    private final Launched launched = new Launched();

    @AfterEach
    void stopEverything() throws InterruptedException {
        launched.close();
    }

    @Test
    void oneOfTwoProcessesOnTheSamePortDrainsUnderLoadWithoutAFailedRequest() throws Exception {
        System.out.println("ReusePortIT: net.ipv4.tcp_migrate_req=" + migrateReq());
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Launched.Proc first = echoOn(port);
        Launched.Proc second = echoOn(port);
        URI firstAdmin = adminOf(first, port);
        URI secondAdmin = adminOf(second, port);

        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            Launched.Proc load = launched.python(LOAD, String.valueOf(port), "20", String.valueOf(AFTER_THE_DRAIN));
            assertEquals("first ok", load.line());
            awaitHandled(http, firstAdmin, 1);
            awaitHandled(http, secondAdmin, 1); // the kernel spreads the connections over both processes

            first.signal("TERM");
            assertEquals("draining 127.0.0.1:" + port, first.line());
            assertTrue(first.line().matches("drained finished=\\d+ forced=0 duration=\\d+ms"));
            assertEquals("stopped", first.line());
            assertEquals(0, first.exit(), first.err().all());
            long secondBefore = handled(http, secondAdmin);

            load.tell("the first server is gone");
            String totals = load.line();
            System.out.println("ReusePortIT: " + totals);
            assertEquals(0, load.exit(), load.err().all());
            Matcher m = Pattern.compile("ok=(\\d+) failed=(\\d+) after=(\\d+) first_error=(.*)").matcher(totals);
            assertTrue(m.matches(), totals);
            assertEquals(0, Integer.parseInt(m.group(2)), "no failed request while one process drained: " + totals);
            assertEquals(AFTER_THE_DRAIN, Integer.parseInt(m.group(3)), "the load went on after the drain: " + totals);
            assertTrue(handled(http, secondAdmin) >= secondBefore + AFTER_THE_DRAIN,
                    "the second process served what came after the drain");
        }

        second.signal("TERM");
        assertEquals("draining 127.0.0.1:" + port, second.line());
        assertTrue(second.line().startsWith("drained finished="));
        assertEquals("stopped", second.line());
        assertEquals(0, second.exit(), second.err().all());
    }

    private Launched.Proc echoOn(int port) throws Exception {
        return launched.samples("echo", "--family", "tcp", "--mixin", "virtual", "--bind", "127.0.0.1:" + port,
                "--reuse-port", "--admin", "127.0.0.1:0", "--admin-token", TOKEN);
    }

    private static URI adminOf(Launched.Proc server, int port) throws InterruptedException {
        assertEquals("127.0.0.1:" + port, DrainIT.listeningAddress(server));
        String admin = server.line();
        assertTrue(admin.startsWith("admin http://"), admin);
        return URI.create(admin.substring("admin ".length()) + "/api/servers");
    }

    /** The requests the only server of a launcher has handled, from its admin gateway. */
    private static long handled(HttpClient http, URI servers) throws Exception {
        HttpResponse<String> listing = http.send(HttpRequest.newBuilder(servers).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listing.statusCode(), listing.body());
        Matcher m = Pattern.compile("\"requestsHandled\":(\\d+)").matcher(listing.body());
        assertTrue(m.find(), listing.body());
        return Long.parseLong(m.group(1));
    }

    private static void awaitHandled(HttpClient http, URI servers, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (handled(http, servers) < atLeast) {
            assertTrue(System.nanoTime() - deadline < 0, servers + " handled no request within 15 s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing of a bounded poll, not a sleep-for-sync
        }
    }

    /** The sysctl that lets a closing SO_REUSEPORT listener hand its queued connections to the others. */
    private static String migrateReq() throws Exception {
        Path sysctl = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
        return Files.exists(sysctl) ? Files.readString(sysctl).strip() : "absent (Linux before 5.14)";
    }
}
