#!/usr/bin/env python3
"""Paired slices: two servers up at once, both pinned to the server CPU, and the generator alternating
between them in short slices, so that both are measured in the same speed regime of a machine whose
speed wanders (BENCHMARKS.md, "How far to trust these figures"). The server that is not being driven is
idle. Per scenario it reports the median and quartiles of the ratio A ÷ B of the two slices of each
pair, for req/s and for server CPU per request; the order inside a pair alternates (AB, BA, ...), so a
speed change during a pair favours neither.

usage: python3 bench/paired.py --a ss-virtual --b netty-nio --scenarios pp16,pp128,pp1000 \\
           [--pairs 10] [--slice-s 3] [--warmup-s 1] [--out-dir DIR]
Normally run through bench/run-benchmarks.sh --paired A,B (which builds and sets the module path).
Servers: ss-virtual, ss-threading, ss-sync, netty-nio, java-vt, c-epoll, and ss-virtual-base etc. (this
library built from REV, with run-benchmarks.sh --baseline REV); scenarios: the TCP and UDP scenarios of
matrix.py (ppN, conn16, udp16x4).
"""
import argparse
import json
import os
import statistics
import time

import matrix
from matrix import JAVA, SCENARIOS, Pids, Server, bench_server, java_load, run_load
from report import fmt_us

PORTS = {"a": 23421, "b": 23422}


def server_cmd(name, inst, port):
    """The command of one server on its own port; inst is tcp, tcp-once (a connection per request) or udp."""
    kind, once = inst.split("-")[0], inst.endswith("-once")
    if name.startswith("ss-") and name.endswith("-base"):   # the same server built from run-benchmarks.sh --baseline REV
        if not matrix.BASELINE_MODULE_PATH:
            raise SystemExit(f"paired: {name} needs a baseline build (run-benchmarks.sh --baseline REV --paired ...)")
        return bench_server(kind, name[3:-5], "once" if once else "echo", f"127.0.0.1:{port}",
                            module_path=matrix.BASELINE_MODULE_PATH)
    if name.startswith("ss-"):
        return bench_server(kind, name[3:], "once" if once else "echo", f"127.0.0.1:{port}")
    if name == "netty-nio":
        return matrix._netty(f"--{kind}", str(port), *matrix._once(once))
    if name == "c-epoll":
        return [os.path.join(matrix.ANCHORS_BUILD, "epoll_echo"), "-t" if kind == "tcp" else "-u", str(port),
                *(["-o"] if once else [])]
    if name == "java-vt":
        return [JAVA, "-cp", os.path.join(matrix.ANCHORS_BUILD, "java-vt"), "VtEcho", f"--{kind}", str(port),
                *matrix._once(once)]
    raise SystemExit(f"paired: unknown server {name}")


class Ctx:
    """What matrix.Server and matrix.run_load need: the output folder, the CPUs and the process list."""

    def __init__(self, a):
        self.a = a
        self.out_dir = a.out_dir
        os.makedirs(self.out_dir, exist_ok=True)
        self.pids = Pids(os.path.join(self.out_dir, "server.pids"))
        self.points = open(os.path.join(self.out_dir, "points.jsonl"), "a")

    def log(self, m):
        print(time.strftime("%H:%M:%S ") + m, flush=True)

    def write(self, r):
        self.points.write(json.dumps(r) + "\n")
        self.points.flush()


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def run_scenario(ctx, sc):
    a = ctx.a
    inst, args = SCENARIOS[sc]
    if inst not in ("tcp", "tcp-once", "udp"):
        raise SystemExit(f"paired: {sc} is not a TCP or UDP scenario")
    kind = inst.split("-")[0]
    servers = {}
    try:
        for side, name in (("a", a.a), ("b", a.b)):
            # inst "paired": matrix.Server checks no fixed port, each side has its own
            servers[side] = Server(ctx, name, "paired", server_cmd(name, inst, PORTS[side]), f"{sc}-{side}")
        target = {side: f"127.0.0.1:{PORTS[side]}" for side in servers}
        for side, srv in servers.items():   # discarded: JIT, pools
            run_load(ctx, java_load(ctx, target[side], srv.pid, args, a.instance_warmup, 0.5, "warmup", kind),
                     srv.pid, a.instance_warmup + 60)
        pairs = []
        for i in range(a.pairs):
            order = ("a", "b") if i % 2 == 0 else ("b", "a")
            got = {}
            for side in order:
                srv = servers[side]
                r = run_load(ctx, java_load(ctx, target[side], srv.pid, args, a.slice_s, a.warmup_s, sc, kind),
                             srv.pid, a.slice_s + a.warmup_s + 60)
                r.update(scenario=sc, pair=i, side=side, server=srv.name, ts=time.strftime("%Y-%m-%dT%H:%M:%S"))
                ctx.write(r)
                got[side] = r
            ra, rb = got["a"], got["b"]
            ok = all("rps" in r and r["rps"] and r.get("srv_cpu_us_per_req") for r in (ra, rb))
            ctx.log(f"  {sc} pair {i + 1}/{a.pairs} {''.join(order).upper()}: {a.a} {ra.get('rps')} "
                    f"({ra.get('srv_cpu_us_per_req')} µs/req), {a.b} {rb.get('rps')} ({rb.get('srv_cpu_us_per_req')} µs/req)"
                    + ("" if ok else " ERROR"))
            if ok:
                pairs.append((ra, rb))
        return pairs
    finally:
        for srv in servers.values():
            srv.stop()


def pairs_from_points(path):
    """Rebuilds {scenario: [(a, b), ...]} from a paired run's points.jsonl (for --render)."""
    by = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "pair" in r:
                by.setdefault(r["scenario"], {}).setdefault(r["pair"], {})[r["side"]] = r
    results = {}
    for sc, pairs in by.items():
        results[sc] = [(p["a"], p["b"]) for _, p in sorted(pairs.items()) if "a" in p and "b" in p
                       and all(x.get("rps") and x.get("srv_cpu_us_per_req") for x in (p["a"], p["b"]))]
    return results


def summarize(a, results, when=None):
    lines = [f"# Paired slices: {a.a} ÷ {a.b}", "",
             f"Run of {when or time.strftime('%Y-%m-%dT%H:%M:%S')}: both servers up, pinned to CPU {a.server_cpus!r}, "
             f"the generator on CPU {a.loadgen_cpus!r} alternating between them: {a.pairs} pairs of "
             f"{a.slice_s:g} s slices (+{a.warmup_s:g} s warm-up each) per scenario, order AB, BA, ... "
             "Ratios are per pair; median [first quartile – third quartile].", "",
             "```sh", "bench/run-benchmarks.sh "
             + (f"--baseline {os.environ['BENCH_BASELINE_REV']} " if os.environ.get("BENCH_BASELINE_REV") else "")
             + f"--paired {a.a},{a.b} --scenarios {','.join(results)} "
             f"--pairs {a.pairs} --slice-s {a.slice_s:g}", "```", "",
             f"| scenario | {a.a} req/s (median) | {a.b} req/s (median) | req/s ratio per pair | "
             f"{a.a} µs/req | {a.b} µs/req | CPU per request ratio per pair | p99 {a.a} / {a.b} (medians) | "
             f"pairs {a.a} faster |",
             "|---|---|---|---|---|---|---|---|---|"]
    for sc, pairs in results.items():
        if not pairs:
            lines.append(f"| {sc} | — | — | no complete pair | | | | | |")
            continue
        rr = [x["rps"] / y["rps"] for x, y in pairs]
        cr = [x["srv_cpu_us_per_req"] / y["srv_cpu_us_per_req"] for x, y in pairs]
        q1, m, q3 = quartiles(rr)
        c1, cm, c3 = quartiles(cr)
        lines.append(f"| {sc} | {statistics.median(x['rps'] for x, _ in pairs) / 1000:.1f}k | "
                     f"{statistics.median(y['rps'] for _, y in pairs) / 1000:.1f}k | **{m:.2f}×** [{q1:.2f}–{q3:.2f}] | "
                     f"{statistics.median(x['srv_cpu_us_per_req'] for x, _ in pairs):.1f} | "
                     f"{statistics.median(y['srv_cpu_us_per_req'] for _, y in pairs):.1f} | "
                     f"**{cm:.2f}×** [{c1:.2f}–{c3:.2f}] | "
                     f"{fmt_us(statistics.median(x['p99_us'] for x, _ in pairs))} / "
                     f"{fmt_us(statistics.median(y['p99_us'] for _, y in pairs))} | "
                     f"{sum(1 for v in rr if v > 1)}/{len(rr)} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--scenarios", default="pp16,pp128,pp1000")
    ap.add_argument("--pairs", type=int, default=10)
    ap.add_argument("--slice-s", type=float, default=3.0)
    ap.add_argument("--warmup-s", type=float, default=1.0)
    ap.add_argument("--instance-warmup", type=float, default=3.0)
    ap.add_argument("--server-cpus", default="1")
    ap.add_argument("--loadgen-cpus", default="0")
    ap.add_argument("--out-dir", default=os.path.join(matrix.HERE, "results", "paired-" + time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--render", metavar="POINTS", help="only render paired.md again from a run's points.jsonl")
    a = ap.parse_args()
    if a.render:
        a.out_dir = os.path.dirname(os.path.abspath(a.render))
        results = pairs_from_points(a.render)
        first = min((x["ts"] for pairs in results.values() for x, _ in pairs), default=None)
        report = summarize(a, results, first)
        with open(os.path.join(a.out_dir, "paired.md"), "w") as f:
            f.write(report)
        print(report)
        return
    if a.pairs < 1 or a.pairs > 100 or a.slice_s <= 0 or a.slice_s > 60:
        raise SystemExit("paired: --pairs 1..100, --slice-s up to 60")
    ctx = Ctx(a)
    results = {}
    try:
        for sc in a.scenarios.split(","):
            ctx.log(f"{sc}: {a.a} vs {a.b}")
            results[sc] = run_scenario(ctx, sc)
    finally:
        ctx.pids.stop_all()
        report = summarize(a, results)
        with open(os.path.join(a.out_dir, "paired.md"), "w") as f:
            f.write(report)
        print(report)
        print(f"results: {a.out_dir}/paired.md {a.out_dir}/points.jsonl")


if __name__ == "__main__":
    main()
