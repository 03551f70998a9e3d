#!/usr/bin/env python3
"""Renders bench/results/<stamp>/tables.md and throughput.svg from one or more points.jsonl files
(written by bench/matrix.py). Python 3 standard library only; the SVG is written by hand.

usage: python3 bench/report.py RESULTS/points.jsonl [more.jsonl ...] [--out-dir DIR]
       (default out dir: the folder of the first file)
Medians over the final reps of each point, using only clean reps (little foreign CPU, little steal)
when at least one exists; a cell that had to use noisy reps is marked with a warning sign.

Plaintext scenarios and TLS scenarios (tls-*) get the same tables, in two sections. When the run measured
the reference (the C epoll echo at the start and end of every rep, matrix.py --reference), a table shows it
per rep and flags (↯) every rep whose reference is more than --ref-tolerance off the median of all reference
points, and the per-rep ratios (÷ netty-nio and ÷ reference, rep by rep) stand next to the ratio of medians.
"""
import argparse
import json
import os
import statistics
from html import escape

PLAIN_ORDER = ["pp1", "pp16", "pp128", "pp1000", "conn16", "udp16x4", "unix-pp16"]
TLS_ORDER = ["tls-pp16", "tls-pp128", "tls-conn16"]
SCENARIO_ORDER = PLAIN_ORDER + TLS_ORDER
# scenarios only the C loadgen drives (matrix.py C_LOADGEN_INSTANCES): their own table, compared with the sync server
C_LOADGEN_ORDER = ["unixdg4x2"]
C_LOADGEN_RATIO_REF = "ss-sync"
RATIO_REF = "netty-nio"
REFS = ["netty-nio", "py-threading"]
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf"]


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            rows.extend(json.loads(l) for l in f if l.strip())
    return rows


def fmt_rps(v):
    return "—" if v is None else (f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}")


def fmt_us(v):
    if v is None:
        return "—"
    if v >= 1e6:
        return f"{v / 1e6:.2f} s"
    return f"{v / 1000:.1f} ms" if v >= 1000 else f"{v:.0f} µs"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def aggregate(points):
    """(server, scenario) -> medians and spreads over final reps, clean ones preferred."""
    agg = {}
    keys = []
    for r in points:
        k = (r["server"], r["scenario"])
        if k not in keys:
            keys.append(k)
    for k in keys:
        allr = [r for r in points if (r["server"], r["scenario"]) == k and "rps" in r]
        if not allr:
            continue
        clean = [r for r in allr if r.get("clean", True)]
        use = clean or allr
        med = lambda f: statistics.median([r[f] for r in use if isinstance(r.get(f), (int, float)) and r[f] >= 0] or [-1])
        rps = [r["rps"] for r in use]
        p99 = [r["p99_us"] for r in use]
        cpr = [r["srv_cpu_us_per_req"] for r in use if isinstance(r.get("srv_cpu_us_per_req"), (int, float)) and r["srv_cpu_us_per_req"] > 0]
        agg[k] = dict(n=len(use), n_all=len(allr), n_clean=len(clean), noisy=not clean,
                      rps=statistics.median(rps), rmin=min(rps), rmax=max(rps),
                      p99=statistics.median(p99), pmin=min(p99), pmax=max(p99), p50=med("p50_us"),
                      cpr=statistics.median(cpr) if cpr else None, cmin=min(cpr) if cpr else None,
                      cmax=max(cpr) if cpr else None,
                      errors=sum(r.get("errors", 0) for r in use), lost=sum(r.get("lost", 0) for r in use),
                      lg=med("lg_cpu_pct"), srv=med("server_cpu"),
                      foreign=max(r.get("foreign_cpu", 0) for r in use))
    return agg


def metric_tables(L, agg, servers, scs, rss=None, heading="", note=None):
    """Summary, throughput, latency, server CPU per request and ÷ reference tables for one group of scenarios."""
    rss = rss or []
    rss_by = {r["server"]: r for r in rss}
    L.append(f"### {heading}Summary: req/s · p99 (medians)" + (", RSS with idle connections" if rss else "") + "\n")
    if note:
        L.append(note + "\n")
    hdr = ["server"] + scs + (["RSS @" + rss[0]["scenario"][3:] + " conns (per conn)"] if rss else [])
    body = []
    for s in servers:
        cells = [s]
        for sc in scs:
            g = agg.get((s, sc))
            cells.append("n/a" if not g else f"{fmt_rps(g['rps'])} · {fmt_us(g['p99'])}" + (" ⚠" if g["noisy"] else ""))
        if rss:
            r = rss_by.get(s)
            cells.append("—" if not r or not r.get("rss_kb") else
                         f"{r['rss_kb'] / 1024:.1f} MiB ({r.get('per_conn_kb', 0):.1f} KiB)")
        body.append(cells)
    L.append(table(hdr, body))
    L.append("⚠ = no clean rep (foreign CPU > 0.15 cores or steal > 0.10 cores during every rep); n/a = not offered "
             "(a synchronous stream server serves one connection at a time; datagram servers behind --with-datagram; "
             "TLS only for this library's servers and the Netty TLS anchor).\n")

    L.append(f"### {heading}Throughput: req/s, median [min–max]\n")
    L.append(table(["server"] + scs, [[s] + ["n/a" if not (g := agg.get((s, sc))) else
                                              f"**{fmt_rps(g['rps'])}** [{fmt_rps(g['rmin'])}–{fmt_rps(g['rmax'])}]"
                                              for sc in scs] for s in servers]))
    L.append(f"### {heading}Latency: p99 median [min–max] (p50 median)\n")
    L.append(table(["server"] + scs, [[s] + ["n/a" if not (g := agg.get((s, sc))) else
                                              f"**{fmt_us(g['p99'])}** [{fmt_us(g['pmin'])}–{fmt_us(g['pmax'])}] ({fmt_us(g['p50'])})"
                                              for sc in scs] for s in servers]))
    L.append(f"### {heading}Server CPU per request, µs, median [min–max] (lower is better)\n")
    L.append("Server utime+stime over the whole generator run ÷ every request completed in it (ramp and warm-up "
             "included); the figure least sensitive to a noisy machine.\n")
    L.append(table(["server"] + scs, [[s] + ["n/a" if not (g := agg.get((s, sc))) or g["cpr"] is None else
                                              f"**{g['cpr']:.1f}** [{g['cmin']:.1f}–{g['cmax']:.1f}]"
                                              for sc in scs] for s in servers]))
    for ref in REFS:
        if not any(k[0] == ref and k[1] in scs for k in agg):
            continue
        L.append(f"### {heading}Throughput ÷ {ref} (median ÷ median)\n")
        L.append(table(["server"] + scs, [[s] + ["n/a" if not (g := agg.get((s, sc))) or not (r := agg.get((ref, sc)))
                                                  or not r["rps"] else f"{g['rps'] / r['rps']:.2f}×"
                                                  for sc in scs] for s in servers]))
        if ref == RATIO_REF:
            L.append(f"### {heading}Server CPU per request ÷ {ref} (median ÷ median; below 1.00× = less CPU than {ref})\n")
            L.append(table(["server"] + scs, [[s] + ["n/a" if not (g := agg.get((s, sc))) or not (r := agg.get((ref, sc)))
                                                      or not g["cpr"] or not r["cpr"] else f"{g['cpr'] / r['cpr']:.2f}×"
                                                      for sc in scs] for s in servers]))


def reference_by_rep(final):
    """rep -> {"start": rps, "end": rps, "rps": mean of both}, and the median over every reference point."""
    refs = [r for r in final if r.get("reference") and "rps" in r]
    by = {}
    for r in refs:
        by.setdefault(r.get("rep"), {})[r.get("ref_when", "start")] = r["rps"]
    for d in by.values():
        d["rps"] = statistics.mean(v for k, v in d.items() if k in ("start", "end"))
    med = statistics.median([r["rps"] for r in refs]) if refs else None
    return by, med


def reference_tables(L, final, main, servers, scs, tolerance):
    by, med = reference_by_rep(final)
    if not by:
        return
    sc = next((r["scenario"] for r in final if r.get("reference")), "ref")
    moved = {rep for rep, d in by.items()
             if any(abs(d[k] / med - 1) > tolerance for k in ("start", "end") if k in d)}
    L.append(f"### Reference per rep: the C epoll echo, {sc[4:]}, fresh, at the start and end of every rep\n")
    L.append(f"A yardstick of the machine: the same C server measured by the same generator in every rep. ↯ = a rep "
             f"whose reference (start or end) is more than {tolerance * 100:.0f}% off the median of all reference points "
             f"({fmt_rps(med)}): something else changed the machine's speed during that rep, and its points deserve "
             f"less trust than the run-quality table alone suggests.\n")
    L.append(table(["rep", "start req/s", "end req/s", "start ÷ median", "end ÷ median", "moved"],
                   [[rep, fmt_rps(d.get("start")), fmt_rps(d.get("end")),
                     f"{d['start'] / med:.3f}" if "start" in d else "—", f"{d['end'] / med:.3f}" if "end" in d else "—",
                     "↯" if rep in moved else ""] for rep, d in sorted(by.items(), key=lambda kv: kv[0] or 0)]))
    # per-rep ratios next to the ratio of medians
    rps = {}
    for r in main:
        if "rps" in r:
            rps.setdefault((r["server"], r["scenario"]), {})[r.get("rep")] = r["rps"]
    reps = sorted(by)
    agg_med = lambda k: statistics.median(rps[k].values()) if k in rps else None
    rows = []
    for s in servers:
        for sc2 in scs:
            mine = rps.get((s, sc2))
            if not mine:
                continue
            netty = rps.get((RATIO_REF, sc2), {})
            per_n, per_r = [], []
            ratio = lambda x: f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"   # a TLS handshake is a small fraction of pp16
            for rep in reps:
                v = mine.get(rep)
                mark = "↯" if rep in moved else ""
                per_n.append(f"{v / netty[rep]:.2f}{mark}" if v and netty.get(rep) else "—")
                per_r.append(f"{ratio(v / by[rep]['rps'])}{mark}" if v and by.get(rep, {}).get("rps") else "—")
            mn, nn = agg_med((s, sc2)), agg_med((RATIO_REF, sc2))
            rows.append([s, sc2, " · ".join(per_n), f"**{mn / nn:.2f}×**" if mn and nn else "—",
                         " · ".join(per_r), f"**{ratio(mn / med)}×**" if mn and med else "—"])
    L.append(f"### Per-rep ratios: ÷ {RATIO_REF} of the same rep, ÷ the reference of the same rep (mean of its start "
             f"and end), and the ratio of medians\n")
    L.append(f"Reps {', '.join(str(r) for r in reps)} in order; ↯ = that rep's reference moved. A server whose per-rep "
             f"ratios agree while the raw req/s wander was measured on a machine whose speed changed, not a server that "
             f"did. These use every final rep (clean or not), the medians tables only the clean ones.\n")
    L.append(table(["server", "scenario", f"÷ {RATIO_REF} per rep", f"÷ {RATIO_REF} medians", "÷ reference per rep",
                    "÷ reference medians"], rows))


def c_loadgen_tables(L, final):
    """Unix datagrams (driven by the C loadgen, not by this project's generator): req/s, latency and CPU per
    request, with the ratio to the synchronous server per rep and of medians (issue 16's Unix datagram target)."""
    rows = [r for r in final if r.get("scenario") in C_LOADGEN_ORDER and not r.get("crosscheck")
            and not r.get("reference")]
    if not rows:
        return
    agg = aggregate(rows)
    rps = {}
    for r in rows:
        if "rps" in r:
            rps.setdefault((r["server"], r["scenario"]), {})[r.get("rep")] = r["rps"]
    servers = []
    for r in rows:
        if r["server"] not in servers:
            servers.append(r["server"])
    for sc in [s for s in C_LOADGEN_ORDER if any(r["scenario"] == s for r in rows)]:
        L.append(f"### Unix datagrams ({sc}): the C loadgen, `-m udp -c 4 -W 2` over an AF_UNIX datagram socket\n")
        L.append("This project's generator cannot open an AF_UNIX datagram socket (the JDK has none), so the C loadgen "
                 "of ../shared/bench drives these servers; compare the rows with each other, not with the tables "
                 f"above. Ratios are to {C_LOADGEN_RATIO_REF} (per rep, and of medians).\n")
        ref = rps.get((C_LOADGEN_RATIO_REF, sc), {})
        body = []
        for s in servers:
            g = agg.get((s, sc))
            if not g:
                continue
            mine = rps.get((s, sc), {})
            per = " · ".join(f"{v / ref[rep]:.2f}" if ref.get(rep) else "—" for rep, v in sorted(mine.items()))
            refmed = agg.get((C_LOADGEN_RATIO_REF, sc))
            body.append([s, f"**{fmt_rps(g['rps'])}** [{fmt_rps(g['rmin'])}–{fmt_rps(g['rmax'])}]"
                         + (" ⚠" if g["noisy"] else ""), fmt_us(g["p50"]), fmt_us(g["p99"]),
                         "—" if g["cpr"] is None else f"{g['cpr']:.1f}", f"{g['errors']} / {g['lost']}", per,
                         f"**{g['rps'] / refmed['rps']:.2f}×**" if refmed else "—"])
        L.append(table(["server", "req/s median [min–max]", "p50", "p99", "server µs/req", "errors / lost",
                        f"÷ {C_LOADGEN_RATIO_REF} per rep", f"÷ {C_LOADGEN_RATIO_REF} medians"], body))


def tls_note(main):
    seen = {}
    for r in main:
        if r.get("scenario", "").startswith("tls-") and "rps" in r:
            seen.setdefault(r["server"], set()).add(r.get("tls", "?"))
    if not seen:
        return None
    neg = "; ".join(f"{s}: {', '.join(sorted(str(x) for x in v))}" for s, v in seen.items())
    return ("One self-signed EC P-256 certificate per run (`tls/cert.pem` in the results folder), the same for every "
            "server; the generator offers only the run's protocol, cipher suite and x25519, and every server is held "
            "to the same protocol and suite. `tls-ppN`: N long connections, handshakes during the ramp (not "
            "measured); `tls-conn16`: every request is a new connection with a full handshake (the client keeps no "
            "session: no resumption, no tickets used), latency from connect to the echo. Negotiated, as reported by "
            f"the generator: {neg}.")


def render(rows, ref_tolerance=0.10):
    metas = [r for r in rows if r.get("meta")]
    final = [r for r in rows if r.get("final") and not r.get("meta")]
    main = [r for r in final if not r.get("crosscheck") and not r.get("reference")
            and r.get("generator", "java-nio") == "java-nio" and r.get("scenario") in SCENARIO_ORDER]
    servers = []
    for r in main:
        if r["server"] not in servers:
            servers.append(r["server"])
    plain = [s for s in PLAIN_ORDER if any(r["scenario"] == s for r in main)]
    tls = [s for s in TLS_ORDER if any(r["scenario"] == s for r in main)]
    scs = plain + tls
    agg = aggregate(main)
    rss = [r for r in final if str(r.get("scenario", "")).startswith("rss")]
    L = []
    if metas:
        m = metas[0]
        L.append(f"Run of {m.get('ts')} at commit {m.get('commit')}: {m.get('cpus')} CPUs ({m.get('cpu')}), "
                 f"kernel {m.get('kernel')}, {m.get('java_version')}, Python {m.get('python')}. "
                 f"Server on CPU {m['args'].get('server_cpus')!r}, generator on CPU {m['args'].get('loadgen_cpus')!r}; "
                 f"{m['args'].get('reps')} reps × {m['args'].get('duration')} s (+{m['args'].get('warmup')} s warm-up) per point; "
                 f"generator: this project's NIO load generator (`samples bench`).\n")
    if plain:
        metric_tables(L, agg, [s for s in servers if any((s, sc) in agg for sc in plain)], plain, rss)
    if tls:
        L.append("## TLS\n")
        metric_tables(L, agg, [s for s in servers if any((s, sc) in agg for sc in tls)], tls, heading="TLS: ",
                      note=tls_note(main))
    if rss:
        L.append("### RSS with idle connections (server VmRSS; largest sample while the connections were held)\n")
        L.append(table(["server", "ready", "RSS before", "RSS with conns", "per conn", "threads with conns", "RSS after close", "ramp"],
                       [[r["server"], r.get("ready", "—"),
                         f"{r['rss0_kb'] / 1024:.1f} MiB" if r.get("rss0_kb") else "—",
                         f"{r['rss_kb'] / 1024:.1f} MiB" if r.get("rss_kb") else "—",
                         f"{r['per_conn_kb']:.1f} KiB" if r.get("per_conn_kb") is not None else "—",
                         r.get("threads", "—"),
                         f"{r['rss_after_close_kb'] / 1024:.1f} MiB" if r.get("rss_after_close_kb") else "—",
                         f"{r.get('ramp_s', 0):.1f} s"] for r in rss if "error" not in r]))
        for r in (r for r in rss if "error" in r):
            L.append(f"- rss {r['server']}: {r['error']}\n")
    sd = [r for r in final if r.get("scenario") == "shutdown"]
    if sd:
        L.append("### shutdown() latency: call to return, idle server (µs)\n")
        L.append(table(["server", "impl", "runs", "median", "p90", "min", "max"],
                       [[r["server"], r.get("impl", "—"), r.get("runs", "—"), fmt_us(r.get("median_us")),
                         fmt_us(r.get("p90_us")), fmt_us(r.get("min_us")), fmt_us(r.get("max_us"))]
                        if "error" not in r else [r["server"], "—", "—", "error: " + r["error"][:80], "", "", ""]
                        for r in sd]))
        L.append("CPython polls for shutdown every 0.5 s (`serve_forever(poll_interval=0.5)`); this library wakes "
                 "its selector at once.\n")
    xc = [r for r in final if r.get("crosscheck")]
    if xc:
        L.append("### Cross-check: C loadgen vs this generator, same server instance, back to back\n")
        rowsx = []
        for sc in [s for s in SCENARIO_ORDER if any(r["scenario"] == s for r in xc)]:
            for r in [r for r in xc if r["scenario"] == sc]:
                rowsx.append([r["server"], sc, r.get("generator"), fmt_rps(r.get("rps")), fmt_us(r.get("p50_us")),
                              fmt_us(r.get("p99_us")), r.get("errors", "—"), r.get("lg_cpu_pct", "—"),
                              r.get("srv_cpu_us_per_req", "—"), "yes" if r.get("clean", True) else "no"])
            c = next((r for r in xc if r["scenario"] == sc and r.get("generator") == "c-loadgen" and "rps" in r), None)
            j = next((r for r in xc if r["scenario"] == sc and r.get("generator") == "java-nio" and "rps" in r), None)
            if c and j and c["rps"]:
                rowsx.append(["", sc, "**java ÷ C**", f"**{j['rps'] / c['rps']:.2f}×**", "", "", "", "", "", ""])
        L.append(table(["server", "scenario", "generator", "req/s", "p50", "p99", "errors", "gen CPU %",
                        "srv µs/req", "clean"], rowsx))
    c_loadgen_tables(L, final)
    reference_tables(L, final, main, servers, scs, ref_tolerance)
    L.append("### Run quality: reps used (clean/all), errors, lost, server cores, generator CPU %, max foreign cores\n")
    L.append(table(["server", "scenario", "reps", "errors", "lost", "server cpu", "generator cpu", "max foreign"],
                   [[s, sc, f"{g['n_clean']}/{g['n_all']}", g["errors"], g["lost"], f"{g['srv']:.2f}",
                     f"{g['lg']:.0f}", f"{g['foreign']:.2f}"] for s in servers for sc in scs if (g := agg.get((s, sc)))]))
    fails = [r for r in final if "error" in r and "rps" not in r
             and (r.get("scenario") in SCENARIO_ORDER + C_LOADGEN_ORDER or r.get("reference"))]
    if fails:
        L.append("### Failed points\n")
        L.extend(f"- {r['server']} {r['scenario']} rep {r.get('rep')}: {r['error']}\n" for r in fails)
    return "\n".join(L), servers, scs, agg


def svg(servers, scs, agg, title):
    """Grouped bar chart: one group per scenario, one bar per server (median req/s)."""
    servers = [s for s in servers if any((s, sc) in agg for sc in scs)]
    if not servers or not scs:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><text x="10" y="30">no data</text></svg>\n'
    top = max(agg[k]["rps"] for k in agg if k[1] in scs) or 1
    mag = 10 ** (len(str(int(top))) - 1)
    ymax = next(m * mag for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * mag >= top)
    bw, gap, left, right, plot_h = 16, 26, 70, 20, 320
    legend_h = 18 * ((len(servers) + 3) // 4) + 10
    top_m = 40 + legend_h
    group_w = bw * len(servers) + gap
    width = max(left + group_w * len(scs) + right, left + 170 * min(4, len(servers)) + right, 480)
    height = top_m + plot_h + 50
    y = lambda v: top_m + plot_h - plot_h * v / ymax
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="sans-serif" font-size="11">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>']
    for i, s in enumerate(servers):
        lx, ly = left + (i % 4) * 170, 34 + (i // 4) * 18
        o.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{COLORS[i % len(COLORS)]}"/>'
                 f'<text x="{lx + 16}" y="{ly + 10}">{escape(s)}</text>')
    for k in range(6):
        v = ymax * k / 5
        o.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                 f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{fmt_rps(v)}</text>')
    o.append(f'<text x="16" y="{top_m + plot_h / 2}" transform="rotate(-90 16 {top_m + plot_h / 2})" '
             f'text-anchor="middle">requests/s (median)</text>')
    for gi, sc in enumerate(scs):
        gx = left + gap / 2 + gi * group_w
        for si, s in enumerate(servers):
            g = agg.get((s, sc))
            if not g:
                continue
            x = gx + si * bw
            o.append(f'<rect x="{x:.1f}" y="{y(g["rps"]):.1f}" width="{bw - 2}" height="{top_m + plot_h - y(g["rps"]):.1f}" '
                     f'fill="{COLORS[si % len(COLORS)]}"><title>{escape(s)} {sc}: {g["rps"]:.0f} req/s, '
                     f'p99 {fmt_us(g["p99"])}</title></rect>')
            tx, ty = x + (bw - 2) / 2 + 3, y(g["rps"]) - 3
            o.append(f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="9" transform="rotate(-90 {tx:.1f} {ty:.1f})">'
                     f'{fmt_rps(g["rps"])}{" ⚠" if g["noisy"] else ""}</text>')
        o.append(f'<text x="{gx + bw * len(servers) / 2:.1f}" y="{top_m + plot_h + 18}" text-anchor="middle" '
                 f'font-size="12">{sc}</text>')
    o.append(f'<line x1="{left}" x2="{left + group_w * len(scs)}" y1="{top_m + plot_h}" y2="{top_m + plot_h}" stroke="#333"/>')
    o.append(f'<text x="{left}" y="{height - 8}" font-size="10" fill="#555">Generated by bench/report.py from '
             f'points.jsonl; ⚠ = no clean rep.</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out-dir")
    ap.add_argument("--ref-tolerance", type=float, default=0.10,
                    help="flag a rep whose reference is further than this fraction from the reference's median")
    a = ap.parse_args()
    out_dir = a.out_dir or os.path.dirname(os.path.abspath(a.files[0]))
    rows = load(a.files)
    md, servers, scs, agg = render(rows, a.ref_tolerance)
    with open(os.path.join(out_dir, "tables.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out_dir, "throughput.svg"), "w") as f:
        f.write(svg(servers, scs, agg, "Echo servers over loopback: throughput per scenario"))
    print(f"wrote {out_dir}/tables.md and {out_dir}/throughput.svg")


if __name__ == "__main__":
    main()
