package dev.socketserver.samples.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code samples bench} prints: the {@code key=value} line that bench/matrix.py and other scripts
 * parse stays byte for byte what it was (golden strings), alone on standard output; the progress lines
 * and the table for a person go to standard error, and only when asked for (or on a terminal).
 */
class BenchOutputTest {

    private static final LoadResult RESULT = new LoadResult("pp16", "pingpong", 16, 64, 1, 3.0, 812_345,
            58.2, 81.0, 106.4, 350.0, 2_100.5, 0, 0, 0, 16, 0.01, 3.81, 128_964, 24, 97.4, 1_083_000, null);

    @Test
    void theResultLineIsByteForByteTheOneScriptsParse() {
        // the format before TLS and progress existed; a plaintext run must print exactly this
        assertEquals("label=pp16 mode=pingpong conns=16 size=64 window=1 dur_s=3.00 reqs=812345 rps=270782 p50_us=58.2 "
                + "p90_us=81.0 p99_us=106.4 p999_us=350.0 max_us=2100.5 errors=0 lost=0 late=0 ready=16 ramp_s=0.01 "
                + "srv_cpu_us_per_req=3.81 srv_rss_kib=128964 srv_threads=24 lg_cpu_pct=97 reqs_all=1083000", RESULT.line());
    }

    @Test
    void aTlsRunAppendsTheNegotiatedProtocolAndCipherAtTheEnd() {
        LoadResult tls = withTls(RESULT, "TLSv1.3:TLS_AES_128_GCM_SHA256");
        assertEquals(RESULT.line() + " tls=TLSv1.3:TLS_AES_128_GCM_SHA256", tls.line());
    }

    @Test
    void theTableShowsTheFiguresForAPerson() {
        assertEquals("""
                  run         pp16: pingpong, 16 connections, 64 B messages
                  measured    3.00 s, 812.3k requests (1.08M with ramp and warm-up)
                  throughput  270.8k req/s
                  latency     p50 58 µs  p90 81 µs  p99 106 µs  p99.9 350 µs  max 2.1 ms
                  errors      0
                  ready       16/16 after a 0.01 s ramp
                  server      3.81 µs CPU/request, RSS 125.9 MiB, 24 threads
                  generator   97% of a core
                """, ResultTable.format(RESULT));
        String tls = ResultTable.format(withTls(RESULT, "TLSv1.3:TLS_AES_128_GCM_SHA256"));
        assertTrue(tls.startsWith("  run         pp16: pingpong, 16 connections, 64 B messages, TLS TLSv1.3 TLS_AES_128_GCM_SHA256\n"), tls);
    }

    @Test
    void progressLinesGiveTheRateOverTheLastInterval() {
        Progress.Snapshot first = new Progress.Snapshot(1.0, "ramp", 16, 0, 16, 16);
        Progress.Snapshot second = new Progress.Snapshot(2.0, "measure", 270_016, 1, 16, 16);
        assertEquals("bench    1.0 s  ramp     ready 16/16  reqs 16  rate 16/s  errors 0", Progress.line(null, first));
        assertEquals("bench    2.0 s  measure  ready 16/16  reqs 270.0k  rate 270.0k/s  errors 1", Progress.line(first, second));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8));
        p.tick(first);
        p.tick(second);
        assertEquals(Progress.line(null, first) + "\n" + Progress.line(first, second) + "\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutProgressStandardOutputHasTheLineAloneAndStandardErrorNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BenchCommand.report(RESULT, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(RESULT.line() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withProgressTheTableGoesToStandardErrorAndStandardOutputIsUnchanged() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        BenchCommand.report(RESULT, new Progress(errStream), new PrintStream(out, true, StandardCharsets.UTF_8), errStream);
        assertEquals(RESULT.line() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertEquals(ResultTable.format(RESULT), err.toString(StandardCharsets.UTF_8));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("mode="), "nothing a parser could take for the result line");
    }

    @Test
    void progressModesAreCheckedAndOffMeansNone() throws InterruptedException {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(null, BenchCommand.progress("off", err));
        assertTrue(BenchCommand.progress("on", err) != null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        int status = BenchCommand.run(new String[] {"--target", "127.0.0.1:9", "--progress", "sometimes"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(msg, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("bench: --progress must be auto, on or off: sometimes\n", msg.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private static LoadResult withTls(LoadResult r, String tls) {
        return new LoadResult(r.label(), r.mode(), r.conns(), r.size(), r.window(), r.durS(), r.reqs(), r.p50Us(),
                r.p90Us(), r.p99Us(), r.p999Us(), r.maxUs(), r.errors(), r.lost(), r.late(), r.ready(), r.rampS(),
                r.srvCpuUsPerReq(), r.srvRssKib(), r.srvThreads(), r.lgCpuPct(), r.reqsAll(), tls);
    }
}
