package dev.socketserver.samples.bench;

import java.util.Locale;

/**
 * The outcome of one load run, printed as one line of {@code key=value} pairs in the order and
 * style of {@code loadgen.c}, plus the server's figures:
 *
 * <pre>
 * mode=pingpong conns=16 size=64 window=1 dur_s=3.00 reqs=... rps=... p50_us=... p90_us=... p99_us=...
 * p999_us=... max_us=... errors=0 lost=0 late=0 ready=16 ramp_s=0.01 srv_cpu_us_per_req=... srv_rss_kib=...
 * srv_threads=... lg_cpu_pct=... reqs_all=...
 * </pre>
 *
 * <p>Latencies are in microseconds. {@code srv_cpu_us_per_req} is the server's utime+stime over the
 * whole run (ramp and warm-up included) divided by every request completed in it, and
 * {@code srv_rss_kib} its VmRSS at the end (idle mode: the largest sample while the connections were
 * held), {@code srv_threads} its thread count at the same moment; all are -1 without a server pid. {@code lg_cpu_pct} is this JVM's CPU over the run's wall time.
 *
 * @param label an optional label, or {@code null}
 * @param mode the mode
 * @param conns connections or sockets
 * @param size message size
 * @param window datagram window
 * @param durS measured seconds (idle: seconds held)
 * @param reqs requests completed in the measured time
 * @param p50Us median latency
 * @param p90Us 90th percentile
 * @param p99Us 99th percentile
 * @param p999Us 99.9th percentile
 * @param maxUs largest latency
 * @param errors failed connects, resets, unexpected EOF, short or long echoes, failed sends
 * @param lost datagrams not echoed within the timeout, in the measured time
 * @param late echoes that arrived after their datagram timed out
 * @param ready connections that completed their first echo (pingpong, idle) or {@code conns}
 * @param rampS seconds the ramp took
 * @param srvCpuUsPerReq server CPU per request in µs, or -1
 * @param srvRssKib server RSS in KiB, or -1
 * @param srvThreads server thread count, or -1
 * @param lgCpuPct the generator's CPU use in percent of one core
 * @param reqsAll requests completed over the whole run, ramp and warm-up included
 * @param tls the negotiated protocol and cipher ({@code TLSv1.3:TLS_AES_128_GCM_SHA256}) of a TLS run,
 *            {@code null} without TLS: then the line is exactly as before TLS existed
 */
public record LoadResult(String label, String mode, int conns, int size, int window, double durS, long reqs,
                         double p50Us, double p90Us, double p99Us, double p999Us, double maxUs,
                         long errors, long lost, long late, int ready, double rampS,
                         double srvCpuUsPerReq, long srvRssKib, long srvThreads, double lgCpuPct, long reqsAll,
                         String tls) {

    /** @return requests per second in the measured time */
    public double rps() {
        return durS > 0 ? reqs / durS : 0;
    }

    /** @return the one result line */
    public String line() {
        return String.format(Locale.ROOT,
                "%smode=%s conns=%d size=%d window=%d dur_s=%.2f reqs=%d rps=%.0f p50_us=%.1f p90_us=%.1f "
                        + "p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%d lost=%d late=%d ready=%d ramp_s=%.2f "
                        + "srv_cpu_us_per_req=%.2f srv_rss_kib=%d srv_threads=%d lg_cpu_pct=%.0f reqs_all=%d",
                label == null ? "" : "label=" + label + " ", mode, conns, size, window, durS, reqs, rps(),
                p50Us, p90Us, p99Us, p999Us, maxUs, errors, lost, late, ready, rampS,
                srvCpuUsPerReq, srvRssKib, srvThreads, lgCpuPct, reqsAll) + (tls == null ? "" : " tls=" + tls);
    }

    @Override
    public String toString() {
        return line();
    }
}
