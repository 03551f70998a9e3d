#!/usr/bin/env python3
"""Scale curve (issue 16): for each server and each count N, a fresh server, N idle TCP connections
opened by bench/idle_hold (spread over 127.0.0.2..k, each with one line ping-pong so the handler really
ran), the server's RSS with them, then the C loadgen's ping-pong over 1,000 extra connections while the
N stay open. The same ping-pong without idle connections (N = 0) runs against a fresh server of each
kind in the same run, so "pp1000 with N idle / pp1000 alone" comes from one run.

Called by bench/scale-curve.sh, which builds everything, raises the descriptor limit and passes the
paths through the environment (BENCH_MODULE_PATH, JAVA25, ANCHORS_BUILD, IDLE_HOLD).

Loopback only; every step is bounded (idle_hold -T/-H, loadgen -d/-w/-T, wall-clock timeouts here,
--max-total-s for the run); every process started here is stopped on exit (SIGTERM, then kill by pid).
"""
import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA = os.environ.get("JAVA25", "java")
MODULE_PATH = os.environ.get("BENCH_MODULE_PATH", "")
ANCHORS_BUILD = os.environ.get("ANCHORS_BUILD", "")
IDLE_HOLD = os.environ.get("IDLE_HOLD", "")
LOADGEN = os.path.join(ANCHORS_BUILD, "loadgen")
CLK = os.sysconf("SC_CLK_TCK")

# The harness's own server commands and /proc readings (bench/matrix.py), so a change of JVM flags or
# options there applies here too.
sys.path.insert(0, HERE)
import matrix as harness  # noqa: E402  (after the path is set)

sys_busy = harness.sys_busy
proc_ticks = harness.proc_ticks
proc_status = harness.proc_status
parse_kv = harness.parse_kv
port_free = harness.port_free
stop_process = harness.stop_process
Pids = harness.Pids
_raise_nofile = harness._raise_nofile


def server_cmd(name, port):
    """The harness's command for this server's plain TCP echo, on this run's port."""
    harness.TCP_PORT = port  # read when the command is built
    return harness.server_cmd(harness.servers(False)[name], "tcp")


KNOWN = ["ss-virtual", "ss-virtual-jdkpoll", "ss-threading", "netty-nio", "java-vt", "c-epoll"]
ALIASES = {"netty": "netty-nio"}

# ---------------------------------------------------------------- /proc


def proc_nofile(pid):
    try:
        with open(f"/proc/{pid}/limits") as f:
            for line in f:
                if line.startswith("Max open files"):
                    return int(line.split()[3])
    except (OSError, ValueError, IndexError):
        pass
    return None


def read_int(path):
    try:
        with open(path) as f:
            return f.read().split()
    except OSError:
        return None


def wait_quiet(ctx, server_pid):
    """Waits (bounded by --quiet-timeout) until CPU used by others than the idle server is at most
    --max-foreign cores; returns (seconds waited, foreign cores seen last)."""
    t0 = time.time()
    while True:
        b0, _ = sys_busy()
        s0 = proc_ticks(server_pid) or 0
        time.sleep(0.5)
        b1, _ = sys_busy()
        s1 = proc_ticks(server_pid) or 0
        foreign = max(0.0, ((b1 - b0) - (s1 - s0)) / CLK / 0.5)
        if foreign <= ctx.a.max_foreign or time.time() - t0 >= ctx.a.quiet_timeout:
            return round(time.time() - t0, 1), round(foreign, 2)


# ---------------------------------------------------------------- processes


class Ctx:
    def __init__(self, a):
        self.a, self.out = a, a.out_dir
        os.makedirs(self.out, exist_ok=True)
        self.pids = Pids(os.path.join(self.out, "pids"))
        self.points = open(os.path.join(self.out, "points.jsonl"), "a")
        self.logf = open(os.path.join(self.out, "run.log"), "a")
        self.t0 = time.time()

    def log(self, m):
        line = time.strftime("%H:%M:%S ") + m
        print(line, flush=True)
        self.logf.write(line + "\n")
        self.logf.flush()

    def write(self, r):
        self.points.write(json.dumps(r) + "\n")
        self.points.flush()

    def over_time(self):
        return time.time() - self.t0 > self.a.max_total_s

    def pin(self, cpus):
        return ["taskset", "-c", cpus] if cpus else []


class Server:
    def __init__(self, ctx, name, tag):
        self.ctx = ctx
        a = ctx.a
        if not port_free(a.port):
            raise RuntimeError(f"port {a.port} busy")
        self.log_path = os.path.join(ctx.out, f"server-{name}-{tag}.log")
        self.logf = open(self.log_path, "w")
        cmd = ctx.pin(a.server_cpus) + server_cmd(name, a.port)
        self.cmd = " ".join(cmd)
        self.p = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  preexec_fn=_raise_nofile)
        ctx.pids.add(self.p)
        self.pid = self.p.pid
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.p.poll() is not None:
                ctx.pids.remove(self.p)
                raise RuntimeError(f"exited rc={self.p.returncode}: {open(self.log_path).read()[-600:]}")
            with open(self.log_path) as f:
                if "ready" in f.read():
                    break
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("not ready in 60 s")
        time.sleep(0.3)

    def stop(self):
        stop_process(self.p)
        self.ctx.pids.remove(self.p)
        self.logf.close()


def run_loadgen(ctx, pid, args, timeout, label):
    """One C loadgen run (pinned) against the server; its line plus server CPU over the run."""
    cmd = ctx.pin(ctx.a.loadgen_cpus) + [LOADGEN, "-h", "127.0.0.1", "-p", str(ctx.a.port), *args, "-l", label]
    b0, st0 = sys_busy()
    s0 = proc_ticks(pid)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                         preexec_fn=_raise_nofile)
    ctx.pids.add(p)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        err += "\n(loadgen killed by the driver's timeout)"
    ctx.pids.remove(p)
    wall = time.time() - t0
    b1, st1 = sys_busy()
    s1 = proc_ticks(pid)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    gen = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    lines = [l for l in out.splitlines() if "mode=" in l]
    res = parse_kv(lines[-1]) if lines else {"error": (err.strip() or f"rc={p.returncode}")[-300:]}
    srv = (s1 - s0) / CLK if s0 is not None and s1 is not None else None
    res["server_cores"] = round(srv / wall, 3) if srv is not None else None
    if srv is not None and res.get("reqs_all"):
        res["srv_us_per_req"] = round(srv / res["reqs_all"] * 1e6, 2)
    res["gen_cores"] = round(gen / wall, 3)
    res["foreign_cores"] = round(max(0.0, (b1 - b0) / CLK / wall - gen / wall - (srv or 0) / wall), 3)
    res["steal_cores"] = round((st1 - st0) / CLK / wall, 3)
    res["wall_s"] = round(wall, 2)
    res["cmd"] = " ".join(cmd)
    if err.strip():
        res["stderr"] = err.strip()[-300:]
    return res


def pingpong(ctx, pid, label):
    a = ctx.a
    waited, pre = wait_quiet(ctx, pid)
    args = ["-m", "pingpong", "-c", str(a.pp_conns), "-d", str(a.duration), "-w", str(a.warmup), "-T", "120"]
    r = run_loadgen(ctx, pid, args, a.duration + a.warmup + 120 + 30, label)
    r.update(quiet_wait_s=waited, pre_foreign=pre)
    return r


def warm(ctx, pid):
    if ctx.a.instance_warmup > 0:    # discarded: JIT, thread pools (the harness does 5 s of pp16)
        w = run_loadgen(ctx, pid, ["-m", "pingpong", "-c", "16", "-d", str(ctx.a.instance_warmup), "-w", "0.5"],
                        ctx.a.instance_warmup + 60, "warmup")
        return w.get("rps")
    return None


class IdleHold:
    """bench/idle_hold holding N connections; stdin is a pipe: closing it ends the hold."""

    def __init__(self, ctx, n, tag):
        a = ctx.a
        self.ctx = ctx
        self.out_path = os.path.join(ctx.out, f"idle_hold-{tag}.out")
        self.outf = open(self.out_path, "w")
        cmd = ctx.pin(a.loadgen_cpus) + [IDLE_HOLD, "-h", "127.0.0.1", "-p", str(a.port), "-n", str(n),
                                         "-a", a.first_src, "-m", str(a.per_addr), "-W", str(a.window),
                                         "-T", str(a.connect_deadline), "-H", str(a.max_hold)]
        self.cmd = " ".join(cmd)
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=self.outf, stderr=subprocess.STDOUT,
                                  preexec_fn=_raise_nofile)
        ctx.pids.add(self.p)

    def lines(self):
        with open(self.out_path) as f:
            return f.read().splitlines()

    def wait_connected(self):
        deadline = time.time() + self.ctx.a.connect_deadline + 30
        while time.time() < deadline:
            for l in self.lines():
                if l.startswith("connected="):
                    return parse_kv(l)
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        return {"error": "no connected= line: " + " | ".join(self.lines()[-3:])}

    def stop(self):
        try:
            self.p.stdin.close()           # EOF on its stdin: it closes every connection and exits
        except OSError:
            pass
        try:
            self.p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            stop_process(self.p)
        self.ctx.pids.remove(self.p)
        self.outf.close()
        for l in self.lines():
            if l.startswith("closed="):
                return parse_kv(l)
        return {}


def base_point(ctx, server):
    return dict(server=server, ts=time.strftime("%Y-%m-%dT%H:%M:%S"), port=ctx.a.port)


def run_alone(ctx, server, rep):
    """pp1000 with no idle connections: the denominator of the ratio."""
    srv = Server(ctx, server, f"alone-r{rep}")
    try:
        w = warm(ctx, srv.pid)
        rss0 = proc_status(srv.pid, "VmRSS")
        r = pingpong(ctx, srv.pid, "pp1000-alone")
        r.update(base_point(ctx, server), rep=rep, idle=0, warmup_rps=w, rss0_kb=rss0, server_cmd=srv.cmd,
                 server_nofile=proc_nofile(srv.pid), threads=proc_status(srv.pid, "Threads"))
        ctx.log(f"  {server:18s} r{rep} idle=0      pp1000 rps={r.get('rps')} p99={r.get('p99_us')} err={r.get('errors')} "
                f"srv_us/req={r.get('srv_us_per_req')} foreign={r.get('foreign_cores')}"
                + (f" ERROR {r['error']}" if "error" in r else ""))
        ctx.write(r)
    finally:
        srv.stop()


def run_idle(ctx, server, n, rep):
    a = ctx.a
    srv = Server(ctx, server, f"idle{n}-r{rep}")
    hold = None
    try:
        w = warm(ctx, srv.pid)
        time.sleep(0.5)
        rss0, thr0 = proc_status(srv.pid, "VmRSS"), proc_status(srv.pid, "Threads")
        waited, pre = wait_quiet(ctx, srv.pid)
        b0, _ = sys_busy()
        s0 = proc_ticks(srv.pid)
        t0 = time.time()
        hold = IdleHold(ctx, n, f"{server}-{n}-r{rep}")
        c = hold.wait_connected()
        s1 = proc_ticks(srv.pid)
        b1, _ = sys_busy()
        wall = time.time() - t0
        r = base_point(ctx, server)
        r.update(rep=rep, accept_quiet_wait_s=waited, accept_pre_foreign=pre,
                 accept_busy_cores=round((b1 - b0) / CLK / wall, 2), accept_server_cores=round((s1 - s0) / CLK / wall, 2) if s0 is not None and s1 is not None else None)
        r.update(idle=n, warmup_rps=w, rss0_kb=rss0, threads0=thr0, server_cmd=srv.cmd, idle_hold_cmd=hold.cmd,
                 server_nofile=proc_nofile(srv.pid))
        r.update({f"hold_{k}": v for k, v in c.items()})
        if s0 is not None and s1 is not None and c.get("connected"):
            r["accept_srv_cpu_s"] = round((s1 - s0) / CLK, 2)
            r["accept_srv_us_per_conn"] = round((s1 - s0) / CLK / c["connected"] * 1e6, 1)
        # RSS with all N idle: sampled after a settle time (GC, lazily touched pages), max of the samples
        samples = []
        for _ in range(max(1, int(a.settle / 0.5))):
            time.sleep(0.5)
            samples.append(proc_status(srv.pid, "VmRSS"))
        r["rss_samples_kb"] = samples
        r["rss_kb"] = max(s for s in samples if s is not None) if any(samples) else None
        r["threads"] = proc_status(srv.pid, "Threads")
        if r["rss_kb"] and rss0 and c.get("connected"):
            r["per_conn_kb"] = round((r["rss_kb"] - rss0) / c["connected"], 2)
        ctx.log(f"  {server:18s} r{rep} idle={n:<6d} connected={c.get('connected')} in {c.get('seconds')} s "
                f"failed={c.get('failed')} rss={r['rss_kb']} KiB (before {rss0}) per_conn={r.get('per_conn_kb')} KiB "
                f"threads={r['threads']}" + (f" ERROR {c['error']}" if "error" in c else ""))
        if c.get("connected"):
            p = pingpong(ctx, srv.pid, f"pp1000-idle{n}")
            r.update(p)
            r["rss_after_pp_kb"] = proc_status(srv.pid, "VmRSS")
            ctx.log(f"  {server:18s} r{rep} idle={n:<6d} pp1000 rps={p.get('rps')} p99={p.get('p99_us')} err={p.get('errors')} "
                    f"srv_us/req={p.get('srv_us_per_req')} foreign={p.get('foreign_cores')}"
                    + (f" ERROR {p['error']}" if "error" in p else ""))
        end = hold.stop()
        hold = None
        r.update({f"hold_end_{k}": v for k, v in end.items()})
        ctx.write(r)
    finally:
        if hold is not None:
            hold.stop()
        srv.stop()


def meta(ctx):
    a = ctx.a

    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem = {l.split(":")[0]: int(l.split()[1]) for l in f if l.split(":")[0] in ("MemTotal", "MemAvailable")}
    kernel = {k: read_int(f"/proc/sys/{p}") for k, p in {
        "ip_local_port_range": "net/ipv4/ip_local_port_range", "somaxconn": "net/core/somaxconn",
        "tcp_max_syn_backlog": "net/ipv4/tcp_max_syn_backlog", "tcp_syncookies": "net/ipv4/tcp_syncookies",
        "tcp_tw_reuse": "net/ipv4/tcp_tw_reuse", "nr_open": "fs/nr_open", "file_max": "fs/file-max"}.items()}
    return dict(meta=True, ts=time.strftime("%Y-%m-%dT%H:%M:%S"), args=vars(a), cpus=os.cpu_count(), cpu=cpu,
                kernel_release=os.uname().release, mem_kb=mem, sysctl=kernel,
                nofile=resource.getrlimit(resource.RLIMIT_NOFILE),
                java_version=subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0],
                commit=sh(["git", "-C", HERE, "rev-parse", "--short", "HEAD"]),
                loadavg=open("/proc/loadavg").read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--servers", default="ss-virtual,netty-nio", help="comma list of " + ",".join(KNOWN) + " (netty = netty-nio)")
    ap.add_argument("--counts", default="1000,10000,50000", help="idle connection counts")
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds of each pp1000")
    ap.add_argument("--warmup", type=float, default=1.0, help="loadgen warm-up before each pp1000 (not counted)")
    ap.add_argument("--instance-warmup", type=float, default=5.0, help="discarded pp16 after each server start")
    ap.add_argument("--pp-conns", type=int, default=1000)
    ap.add_argument("--port", type=int, default=23421)
    ap.add_argument("--first-src", default="127.0.0.2", help="first source address of the idle connections")
    ap.add_argument("--per-addr", type=int, default=1000,
                    help="most idle connections per source address (small: connect()'s port search slows as one address fills)")
    ap.add_argument("--window", type=int, default=1000, help="idle_hold connections in flight (< backlog)")
    ap.add_argument("--connect-deadline", type=float, default=180.0)
    ap.add_argument("--max-hold", type=float, default=900.0, help="idle_hold's own bound on the hold")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds of RSS sampling after all are connected")
    ap.add_argument("--reps", type=int, default=1, help="repetitions of the whole curve (report: medians)")
    ap.add_argument("--max-foreign", type=float, default=0.10, help="foreign cores allowed before a measurement")
    ap.add_argument("--quiet-timeout", type=float, default=30.0,
                    help="longest wait for a quiet machine before each accept phase and pp1000 (0: no wait)")
    ap.add_argument("--server-cpus", default="1")
    ap.add_argument("--loadgen-cpus", default="0")
    ap.add_argument("--max-total-s", type=float, default=3600)
    a = ap.parse_args()
    names = [ALIASES.get(s, s) for s in a.servers.split(",") if s]
    unknown = [s for s in names if s not in KNOWN]
    if unknown:
        sys.exit(f"unknown servers {unknown}; known: {','.join(KNOWN)}")
    counts = [int(x) for x in a.counts.split(",") if x]
    a.servers, a.counts = ",".join(names), ",".join(map(str, counts))
    for tool in (LOADGEN, IDLE_HOLD):
        if not os.access(tool, os.X_OK):
            sys.exit(f"missing {tool} (bench/scale-curve.sh builds it)")
    ctx = Ctx(a)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    m = meta(ctx)
    ctx.write(m)
    ctx.log(f"run: servers={names} counts={counts} pp{a.pp_conns} {a.duration}s (+{a.warmup}s) port={a.port} "
            f"window={a.window} per_addr={a.per_addr} nofile={m['nofile']} sysctl={m['sysctl']} loadavg={m['loadavg']}")
    try:
        for rep, server, n in [(rep, server, n) for rep in range(1, a.reps + 1) for server in names
                               for n in [0] + counts]:
            if ctx.over_time():
                ctx.log("max total time reached, stopping")
                return
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            need = n + a.pp_conns + 200          # the server holds both sets, plus its own files
            if n and hard != resource.RLIM_INFINITY and need > hard:
                msg = (f"needs ~{need} descriptors in the server, the hard limit is {hard} and cannot be raised "
                       f"here (no CAP_SYS_RESOURCE?); largest count possible: {hard - a.pp_conns - 200}")
                ctx.log(f"  {server} idle={n}: SKIPPED: {msg}")
                ctx.write(dict(base_point(ctx, server), rep=rep, idle=n, error=msg))
                continue
            try:
                run_alone(ctx, server, rep) if n == 0 else run_idle(ctx, server, n, rep)
            except RuntimeError as e:
                ctx.log(f"  {server} idle={n}: FAILED: {e}")
                ctx.write(dict(base_point(ctx, server), rep=rep, idle=n, error=str(e)[:400]))
        ctx.log(f"done in {time.time() - ctx.t0:.0f} s: {ctx.out}/points.jsonl")
    finally:
        ctx.pids.stop_all()


if __name__ == "__main__":
    main()
