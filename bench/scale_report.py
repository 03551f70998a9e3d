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
    alone = {}
    for r in rows:
        if r.get("idle") == 0 and r.get("rps"):
            alone[r["server"]] = r["rps"]        # last one wins if several files
    order = []
    for r in rows:
        if r["server"] not in order:
            order.append(r["server"])
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
    L.append("| server | idle N | accept-all s | failed | RSS MiB (per conn KiB) | pp1000 req/s · p99 | ratio to pp1000 alone | server CPU µs/req | foreign cores |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for s in order:
        for r in sorted((r for r in rows if r["server"] == s), key=lambda r: r.get("idle", 0)):
            n = r.get("idle", 0)
            err = r.get("error") or r.get("hold_error")
            if err and not r.get("rps") and not r.get("hold_connected"):
                L.append(f"| {s} | {n} | — | — | — | error: {str(err)[:160]} | — | — | — |")
                continue
            if n == 0:
                rss = f"{r['rss0_kb'] / 1024:.1f} (before the run)" if r.get("rss0_kb") else "—"
                acc, failed, ratio = "—", "—", "1.00"
            else:
                acc = f"{r['hold_seconds']:.2f}" if r.get("hold_seconds") is not None else "—"
                if r.get("hold_connected") is not None and r["hold_connected"] < n:
                    acc += f" ({r['hold_connected']}/{n})"
                failed = str(r.get("hold_failed", "—"))
                rss = (f"{r['rss_kb'] / 1024:.1f} ({r['per_conn_kb']:.1f})" if r.get("rss_kb") and r.get("per_conn_kb") is not None
                       else "—")
                ratio = f"{r['rps'] / alone[s]:.2f}" if r.get("rps") and alone.get(s) else "—"
            pp = f"{fmt_k(r.get('rps'))} · {fmt_us(r.get('p99_us'))}" if r.get("rps") else "—"
            if r.get("errors"):
                pp += f" ({r['errors']} errors)"
            cpu = f"{r['srv_us_per_req']:.2f}" if r.get("srv_us_per_req") else "—"
            fc = r.get("foreign_cores")
            fcs = "—" if fc is None else (f"{fc:.2f} ⚠" if fc > 0.15 else f"{fc:.2f}")
            L.append(f"| {s} | {n} | {acc} | {failed} | {rss} | {pp} | {ratio} | {cpu} | {fcs} |")
    L.append("")
    L.append("accept-all s: idle_hold's time from its first connect() to the last of the N echoes (each connection "
             "sends `h\\n` and reads it back, so the server accepted it and its handler ran). RSS: VmRSS of the server "
             "with the N open (max over the settle samples); per conn = (RSS with N − RSS before them) / N. Ratio: pp1000 "
             "with N idle ÷ pp1000 alone (idle 0, fresh server, same run). Server CPU: server utime+stime over the "
             "loadgen run ÷ every request completed in it (ramp and warm-up included). Foreign cores: system busy − "
             "server − loadgen during the pp1000; ⚠ above 0.15 (a busy machine: the req/s of that row is not comparable).")
    # issue-16 checks
    if "ss-virtual" in order and "netty-nio" in order:
        L.append("")
        L.append("### Issue 16 checks (ss-virtual against netty-nio, this run)")
        L.append("")
        L.append("| idle N | RSS ss-virtual ≤ netty-nio | accept-all ss-virtual ≤ netty-nio | ss-virtual pp1000 ratio ≥ 0.9 |")
        L.append("|---|---|---|---|")
        by = {(r["server"], r.get("idle")): r for r in rows}
        for n in sorted({r.get("idle") for r in rows if r.get("idle")}):
            v, t = by.get(("ss-virtual", n)), by.get(("netty-nio", n))

            def cmp(key, fmt):
                if not v or not t or v.get(key) is None or t.get(key) is None:
                    return "—"
                ok = v[key] <= t[key]
                return f"{'yes' if ok else 'no'} ({fmt(v[key])} vs {fmt(t[key])})"
            ratio = "—"
            if v and v.get("rps") and alone.get("ss-virtual"):
                q = v["rps"] / alone["ss-virtual"]
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
