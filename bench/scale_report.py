#!/usr/bin/env python3
"""points.jsonl of bench/scale_curve.py -> scale.md (stdlib only).

usage: python3 bench/scale_report.py bench/results/scale-<stamp>/points.jsonl [--out FILE]

One row per server and idle count N: seconds until idle_hold had all N connected and echoed once,
server RSS with the N idle (and per connection, over the RSS before them), pp1000 with the N still
open, its ratio to the same run's pp1000 against a fresh server with no idle connections, and server
CPU per request. Then the issue-16 checks for ss-virtual against netty-nio at each N.
"""
import argparse
import json
import os
import statistics


def load(paths):
    meta, rows = None, []
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line)
                if r.get("meta"):
                    meta = meta or r
                else:
                    rows.append(r)
    return meta, rows


def fmt_k(v):
    return "—" if v is None else (f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}")


def fmt_us(v):
    return "—" if v is None else (f"{v / 1000:.1f} ms" if v >= 1000 else f"{v:.0f} µs")


def render(meta, rows):
    groups = {}
    order = []
    for r in rows:
        if r["server"] not in order:
            order.append(r["server"])
        groups.setdefault((r["server"], r.get("idle", 0)), []).append(r)

    def med(rs, key, agg=statistics.median):
        v = [r[key] for r in rs if isinstance(r.get(key), (int, float))]
        return agg(v) if v else None
    alone = {s: med(groups.get((s, 0), []), "rps") for s in order}
    L = ["# Scale curve: idle connections, RSS, accept time, pp1000 alongside", ""]
    if meta:
        a = meta["args"]
        sc = meta.get("sysctl", {})
        L.append(f"Run of {meta['ts']} at commit {meta.get('commit')}: {meta.get('cpus')} CPUs ({meta.get('cpu')}), "
                 f"kernel {meta.get('kernel_release')}, {meta.get('java_version')}; load average at start "
                 f"{' '.join(meta.get('loadavg', []))}. Server on CPU '{a['server_cpus']}', idle_hold and loadgen on "
                 f"CPU '{a['loadgen_cpus']}'. pp{a['pp_conns']} = C loadgen `-m pingpong -c {a['pp_conns']}`, "
                 f"{a['warmup']} s warm-up + {a['duration']} s measured; each point on a fresh server after "
                 f"{a['instance_warmup']} s of discarded pp16. idle_hold: window {a['window']} connections in flight, "
                 f"at most {a['per_addr']} per source address from {a['first_src']}.")
        L.append("")
        L.append(f"Limits: descriptors {meta.get('nofile')}, ip_local_port_range {' '.join(sc.get('ip_local_port_range') or [])}, "
                 f"somaxconn {' '.join(sc.get('somaxconn') or [])}, tcp_max_syn_backlog {' '.join(sc.get('tcp_max_syn_backlog') or [])}, "
                 f"syncookies {' '.join(sc.get('tcp_syncookies') or [])}, tcp_tw_reuse {' '.join(sc.get('tcp_tw_reuse') or [])}; "
                 f"listen backlog 4096 (BenchServer, NettyEcho).")
        L.append("")
    reps = max((r.get("rep", 1) for r in rows), default=1)
    L.append(f"Medians over {reps} rep(s); [min–max] of req/s when more than one." if reps > 1 else "One rep per point.")
    L.append("")
    L.append("| server | idle N | accept-all s | failed | server CPU µs / accepted conn | RSS MiB (per conn KiB) "
             "| pp1000 req/s · p99 | ratio to pp1000 alone | server CPU µs/req | foreign cores |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for s in order:
        for n in sorted(k[1] for k in groups if k[0] == s):
            rs = groups[(s, n)]
            ok = [r for r in rs if r.get("rps") or r.get("hold_connected")]
            if not ok:
                err = next((r.get("error") or r.get("hold_error") for r in rs if r.get("error") or r.get("hold_error")), "no data")
                L.append(f"| {s} | {n} | — | — | — | — | error: {str(err)[:160]} | — | — | — |")
                continue
            rps = med(ok, "rps")
            if n == 0:
                rss0 = med(ok, "rss0_kb")
                rss = f"{rss0 / 1024:.1f} (before the run)" if rss0 else "—"
                acc, failed, acpu, ratio = "—", "—", "—", "1.00"
            else:
                hs = med(ok, "hold_seconds")
                acc = "—" if hs is None else f"{hs:.2f}"
                conn = med(ok, "hold_connected", min)
                if conn is not None and conn < n:
                    acc += f" (only {conn}/{n})"
                fl = med(ok, "hold_failed", max)
                failed = "—" if fl is None else str(fl)
                ac = med(ok, "accept_srv_us_per_conn")
                acpu = "—" if ac is None else f"{ac:.0f}"
                rk, pc = med(ok, "rss_kb"), med(ok, "per_conn_kb")
                rss = f"{rk / 1024:.1f} ({pc:.1f})" if rk and pc is not None else "—"
                ratio = f"{rps / alone[s]:.2f}" if rps and alone.get(s) else "—"
            pp = "—"
            if rps:
                pp = f"{fmt_k(rps)} · {fmt_us(med(ok, 'p99_us'))}"
                if len(ok) > 1:
                    pp += f" [{fmt_k(med(ok, 'rps', min))}–{fmt_k(med(ok, 'rps', max))}]"
                errs = med(ok, "errors", max)
                if errs:
                    pp += f" ({errs} errors)"
            cpu = med(ok, "srv_us_per_req")
            cpu = "—" if cpu is None else f"{cpu:.2f}"
            fc = med(ok, "foreign_cores", max)
            fcs = "—" if fc is None else (f"{fc:.2f} ⚠" if fc > 0.15 else f"{fc:.2f}")
            L.append(f"| {s} | {n} | {acc} | {failed} | {acpu} | {rss} | {pp} | {ratio} | {cpu} | {fcs} |")
    L.append("")
    L.append("accept-all s: idle_hold's time from its first connect() to the last of the N echoes (each connection "
             "sends `h\\n` and reads it back, so the server accepted it and its handler ran). RSS: VmRSS of the server "
             "with the N open (max over the settle samples); per conn = (RSS with N − RSS before them) / N. Server CPU "
             "per accepted conn: the server's utime+stime during the accept phase ÷ N (accept, handler start, one "
             "echo; less sensitive to a busy machine than the seconds). Ratio: pp1000 "
             "with N idle ÷ pp1000 alone (idle 0, fresh server, same run). Server CPU: server utime+stime over the "
             "loadgen run ÷ every request completed in it (ramp and warm-up included). Foreign cores: system busy − "
             "server − loadgen during the pp1000 (max over reps); ⚠ above 0.15 (a busy machine: the req/s of that row is not comparable).")
    # issue-16 checks
    if "ss-virtual" in order and "netty-nio" in order:
        L.append("")
        L.append("### Issue 16 checks (ss-virtual against netty-nio, this run)")
        L.append("")
        L.append("| idle N | RSS ss-virtual ≤ netty-nio | accept-all ss-virtual ≤ netty-nio | ss-virtual pp1000 ratio ≥ 0.9 |")
        L.append("|---|---|---|---|")
        for n in sorted({k[1] for k in groups if k[1]}):
            v = [r for r in groups.get(("ss-virtual", n), []) if r.get("hold_connected")]
            t = [r for r in groups.get(("netty-nio", n), []) if r.get("hold_connected")]

            def cmp(key, fmt):
                a, b = med(v, key), med(t, key)
                if a is None or b is None:
                    return "—"
                return f"{'yes' if a <= b else 'no'} ({fmt(a)} vs {fmt(b)})"
            ratio = "—"
            if med(v, "rps") and alone.get("ss-virtual"):
                q = med(v, "rps") / alone["ss-virtual"]
                ratio = f"{'yes' if q >= 0.9 else 'no'} ({q:.2f})"
            L.append(f"| {n} | {cmp('rss_kb', lambda x: f'{x / 1024:.1f} MiB')} | "
                     f"{cmp('hold_seconds', lambda x: f'{x:.2f} s')} | {ratio} |")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("points", nargs="+")
    ap.add_argument("--out", help="default: scale.md beside the first points file")
    a = ap.parse_args()
    meta, rows = load(a.points)
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(a.points[0])), "scale.md")
    with open(out, "w") as f:
        f.write(render(meta, rows))
    print(out)


if __name__ == "__main__":
    main()
