package dev.socketserver.samples.bench;

import dev.socketserver.BaseServer;
import dev.socketserver.samples.bench.LoadOptions.Mode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the generator for about a second against in-process {@code TCPServer + VirtualThreadingMixIn}
 * echo servers on 127.0.0.1:0 (and the bench's {@code UDPServer}), and checks that non-loopback
 * targets, and families that do not fit the mode, are refused before any connect.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private BaseServer<?> echo;
    private BaseServer<?> once;
    private Thread echoLoop;
    private Thread onceLoop;

    @BeforeEach
    void startServers() throws IOException {
        echo = BenchServer.open("tcp", "virtual", "echo", LoopbackTarget.bindable("127.0.0.1:0"));
        once = BenchServer.open("tcp", "virtual", "once", LoopbackTarget.bindable("127.0.0.1:0"));
        echoLoop = serve(echo);
        onceLoop = serve(once);
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (BaseServer<?> s : new BaseServer<?>[] {echo, once}) {
            if (s != null) {
                s.shutdown(Duration.ofSeconds(10));
                s.serverClose(Duration.ofSeconds(10));
            }
        }
        for (Thread t : new Thread[] {echoLoop, onceLoop}) {
            if (t != null) {
                assertTrue(t.join(Duration.ofSeconds(10)), "serveForever did not return");
            }
        }
    }

    @Test
    void pingpongCompletesRequestsWithoutErrors() throws InterruptedException {
        LoadResult r = new LoadGenerator(options(echo, Mode.PINGPONG, 8), log).run();
        assertSane(r);
        assertEquals(8, r.ready(), "every connection completed its ramp echo");
    }

    @Test
    void pingpongShardedOverTwoSelectorThreads() throws InterruptedException {
        LoadOptions o = options(echo, Mode.PINGPONG, 6);
        o = new LoadOptions(o.target(), o.mode(), o.conns(), o.size(), o.duration(), o.warmup(), o.window(),
                o.rampConcurrency(), o.rampTimeout(), o.udpTimeout(), 2, o.serverPid(), o.label());
        LoadResult r = new LoadGenerator(o, log).run();
        assertSane(r);
        assertEquals(6, r.ready());
    }

    @Test
    void connectPerRequestCompletesRequestsWithoutErrors() throws InterruptedException {
        LoadResult r = new LoadGenerator(options(once, Mode.CONNECT, 4), log).run();
        assertSane(r);
    }

    @Test
    void resultLineHasTheLoadgenKeys() throws InterruptedException {
        String line = new LoadGenerator(options(echo, Mode.PINGPONG, 2), log).run().line();
        for (String key : new String[] {"mode=pingpong", "conns=2", "size=64", "dur_s=", "reqs=", "rps=", "p50_us=",
                "p90_us=", "p99_us=", "p999_us=", "max_us=", "errors=0", "lost=0", "srv_cpu_us_per_req=",
                "srv_rss_kib=", "lg_cpu_pct="}) {
            assertTrue(line.contains(key), () -> key + " missing in " + line);
        }
    }

    @Test
    void nonLoopbackTargetsAreRefusedBeforeAnySocketExists() throws InterruptedException {
        // 192.0.2.1 is TEST-NET-1: never contacted, the refusal happens while parsing
        assertThrows(LoopbackTarget.RefusedTargetException.class, () -> LoopbackTarget.parse("192.0.2.1:7"));
        assertThrows(LoopbackTarget.RefusedTargetException.class, () -> LoopbackTarget.inet("10.0.0.1", 7));
        assertThrows(LoopbackTarget.RefusedTargetException.class, () -> LoopbackTarget.parse("[2001:db8::1]:7"));
        assertThrows(LoopbackTarget.RefusedTargetException.class, () -> LoopbackTarget.parse("example.com:7"));
        assertThrows(LoopbackTarget.RefusedTargetException.class,
                () -> new LoopbackTarget(new InetSocketAddress("192.0.2.1", 7)));
        assertEquals("127.0.0.2:7", LoopbackTarget.parse("127.0.0.2:7").toString());
        assertEquals("[0:0:0:0:0:0:0:1]:7", LoopbackTarget.parse("[::1]:7").toString());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run(new String[] {"--target", "192.0.2.1:7", "--duration", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("refusing non-loopback target 192.0.2.1"), message);
        assertEquals(1, message.strip().lines().count(), "one-line error: " + message);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no result line for a refused target");
    }

    @ParameterizedTest(name = "{0} with {1}-byte datagrams")
    @CsvSource({"sync, 64", "virtual, 60000"})
    void udpModeAgainstTheLibrarysUdpServer(String mixIn, int size) throws Exception {
        BaseServer<?> udp = BenchServer.open("udp", mixIn, "echo", LoopbackTarget.bindable("127.0.0.1:0"));
        assertEquals("udp", udp.family().label());
        Thread loop = serve(udp);
        LoadResult r;
        try {
            LoadOptions o = options(udp, Mode.UDP, 4);
            r = new LoadGenerator(new LoadOptions(o.target(), o.mode(), o.conns(), size, o.duration(), o.warmup(), 2,
                    o.rampConcurrency(), o.rampTimeout(), o.udpTimeout(), 1, o.serverPid(), o.label()), log).run();
        } finally {
            udp.shutdown(Duration.ofSeconds(10));
            udp.serverClose(Duration.ofSeconds(10));
            assertTrue(loop.join(Duration.ofSeconds(10)), "serveForever did not return");
        }
        assertSane(r); // errors=0: every answer that came back was the datagram sent, whole
        assertTrue(r.line().contains(" mode=udp ") && r.line().contains(" size=" + size + " "), r.line());
    }

    @Test
    void benchServerOpensAUnixDatagramEchoServerAndRemovesItsSocketFile(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("echo.sock");
        BaseServer<?> server = BenchServer.open("unix-datagram", "virtual", "echo", LoopbackTarget.bindable("unix:" + socket));
        try {
            assertEquals("unix-datagram", server.family().label());
            assertEquals("VirtualThreadingMixIn", server.mixIn().name());
            assertTrue(Files.exists(socket));
        } finally {
            server.serverClose(Duration.ofSeconds(10));
        }
        assertFalse(Files.exists(socket));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--family udp --mode pingpong|--mode pingpong does not fit --family udp: --family udp goes with --mode udp, and only with it",
            "--family tcp --mode udp|--mode udp does not fit --family tcp: --family udp goes with --mode udp, and only with it",
            "--family unix-datagram|the load generator cannot drive unix-datagram servers (the JDK has no AF_UNIX DatagramChannel); "
                    + "'bench server --family unix-datagram ...' runs one for an outside client"})
    void familiesAndModesThatCannotWorkAreRefusedBeforeAServerStarts(String args, String message) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchMain.run((args + " --duration 1").split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("bench: " + message + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void histogramPercentilesStayWithinOnePercent() {
        LatencyHistogram h = new LatencyHistogram();
        long largest = 0;
        for (long v = 1; v <= 10_000_000L; v = v * 11 / 10 + 1) {
            h.record(v);
            largest = v;
            long value = v;
            long got = LatencyHistogram.value(LatencyHistogram.bucket(v));
            assertTrue(Math.abs(got - value) <= Math.max(1, value / 100), () -> "bucket value " + got + " for " + value);
        }
        assertTrue(h.percentile(50) <= h.percentile(99) && h.percentile(99) <= h.max());
        assertEquals(largest, h.max());
    }

    private static void assertSane(LoadResult r) {
        assertTrue(r.reqs() > 0, () -> "no requests: " + r.line());
        assertEquals(0, r.errors(), () -> "errors: " + r.line());
        assertTrue(r.p50Us() > 0, r::line);
        assertTrue(r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), () -> "latency order: " + r.line());
        assertTrue(r.durS() > 0.5 && r.durS() < 1.5, r::line);
        assertFalse(r.line().contains("\n"));
    }

    private static LoadOptions options(BaseServer<?> server, Mode mode, int conns) {
        LoopbackTarget target = new LoopbackTarget(server.serverAddress());
        return new LoadOptions(target, mode, conns, 64, Duration.ofSeconds(1), Duration.ofMillis(200), 1, 4,
                Duration.ofSeconds(20), Duration.ofMillis(200), 1, ProcessHandle.current().pid(), "test");
    }

    /** The library's own background loop: a server closed before the thread reaches its loop ends it quietly. */
    private static Thread serve(BaseServer<?> server) {
        return server.serveForeverInBackground(true);
    }
}
