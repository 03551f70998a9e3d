package dev.socketserver.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result of one run as a small table for a person, printed by {@code samples bench} on standard
 * error before the {@code key=value} line (which stays the only thing on standard output, unchanged,
 * for the scripts that parse it).
 */
final class ResultTable {

    private ResultTable() {
    }

    /**
     * @param r the result
     * @return the table, lines ending in {@code \n}
     */
    static String format(LoadResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"run", (r.label() == null ? "" : r.label() + ": ") + r.mode() + ", " + r.conns()
                + (r.mode().equals("udp") ? " sockets x " + r.window() + " in flight" : " connections") + ", "
                + r.size() + " B messages" + (r.tls() == null ? "" : ", TLS " + r.tls().replace(':', ' '))});
        rows.add(new String[] {"measured", String.format(Locale.ROOT, "%.2f s, %s requests (%s with ramp and warm-up)",
                r.durS(), count(r.reqs()), count(r.reqsAll()))});
        rows.add(new String[] {"throughput", count(r.rps()) + " req/s"});
        rows.add(new String[] {"latency", "p50 " + micros(r.p50Us()) + "  p90 " + micros(r.p90Us()) + "  p99 "
                + micros(r.p99Us()) + "  p99.9 " + micros(r.p999Us()) + "  max " + micros(r.maxUs())});
        rows.add(new String[] {"errors", r.errors() + (r.mode().equals("udp") ? "  lost " + r.lost() + "  late " + r.late() : "")});
        rows.add(new String[] {"ready", r.ready() + "/" + r.conns() + String.format(Locale.ROOT, " after a %.2f s ramp", r.rampS())});
        rows.add(new String[] {"server", r.srvCpuUsPerReq() < 0 ? "no pid: no CPU or RSS figures"
                : String.format(Locale.ROOT, "%.2f µs CPU/request, RSS %s, %d threads",
                        r.srvCpuUsPerReq(), r.srvRssKib() < 0 ? "-" : mib(r.srvRssKib()), r.srvThreads())});
        rows.add(new String[] {"generator", String.format(Locale.ROOT, "%.0f%% of a core", r.lgCpuPct())});
        int w = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", row[0], row[1]));
        }
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    /** @return 1234 → 1,234; 271234.5 → 271.2k; 1083000 → 1.08M */
    static String count(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    /** @return 58 µs, 1.2 ms, 2.35 s */
    static String micros(double us) {
        if (us >= 1e6) {
            return String.format(Locale.ROOT, "%.2f s", us / 1e6);
        }
        return us >= 1000 ? String.format(Locale.ROOT, "%.1f ms", us / 1e3) : String.format(Locale.ROOT, "%.0f µs", us);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
