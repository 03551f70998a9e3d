#!/usr/bin/env python3
"""Benchmark driver for socketserver-for-Java: starts echo servers (this library's and the anchors
from ../shared/bench), drives each with this project's NIO load generator (samples `bench`), and
appends one JSON line per measured point to <out-dir>/points.jsonl. Called by run-benchmarks.sh,
which builds everything first and passes the paths through the environment.

Loopback only. Every load step is bounded (generator limits + a wall-clock timeout here), the whole
run by --max-total-s, and every server this driver starts is stopped on exit (SIGTERM, then kill by pid).

TLS scenarios (tls-*): one self-signed EC P-256 certificate is made per run with openssl into
<out-dir>/tls/ (cert.pem kept with the results; key.pem is git-ignored), and every TLS server and the
generator are held to the same protocol and cipher suite (--tls-protocol, --tls-cipher).

Reference (--reference, on by default when the C epoll echo is built): at the start and at the end of
every rep, a fresh C epoll echo is measured with --reference-scenario (pp16) for --reference-duration
seconds; report.py shows it per rep, flags reps whose reference moved, and prints per-rep ratios.
"""
import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JAVA = os.environ.get("JAVA25", "java")
MODULE_PATH = os.environ.get("BENCH_MODULE_PATH", "")
# an older build of this library (run-benchmarks.sh --baseline REV): its servers run as ss-*-base
BASELINE_MODULE_PATH = os.environ.get("BENCH_BASELINE_MODULE_PATH", "")
ANCHORS_SRC = os.environ.get("ANCHORS_SRC", os.path.join(HERE, "..", "..", "shared", "bench"))
ANCHORS_BUILD = os.environ.get("ANCHORS_BUILD", os.path.join(os.environ.get("TMPDIR", "/tmp"), "socketserver-bench-anchors"))
PYTHON = os.environ.get("PYTHON", sys.executable)
CLK = os.sysconf("SC_CLK_TCK")

TCP_PORT, UDP_PORT = 23411, 23412
TLS_PROTOCOL, TLS_CIPHER = "TLSv1.3", "TLS_AES_128_GCM_SHA256"
UNIX_PATH = os.path.join(ANCHORS_BUILD, "run", "echo.sock")
UNIX_DG_PATH = os.path.join(ANCHORS_BUILD, "run", "echo-dgram.sock")

LIB_FLAGS = ["--add-exports", "java.base/sun.nio.ch=dev.socketserver.impl",
             "--enable-native-access=dev.socketserver.impl"]
NETTY_FLAGS = ["--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"]


def generator_cmd(args):
    return [JAVA, *LIB_FLAGS, "-p", MODULE_PATH, "-m",
            "dev.socketserver.samples/dev.socketserver.samples.bench.BenchMain", *args]


def bench_server(family, mixin, handler, bind, jvm_flags=(), module_path=None, tls=()):
    return [JAVA, *LIB_FLAGS, *jvm_flags, "-p", module_path or MODULE_PATH, "-m",
            "dev.socketserver.samples/dev.socketserver.samples.bench.BenchServer",
            "--family", family, "--mixin", mixin, "--handler", handler, "--bind", bind, *tls]


class TlsFiles:
    """The run's certificate and key (made once, on first use) and the options that hold a server or the
    generator to the run's protocol and cipher."""
    dir = None

    @classmethod
    def make(cls, out_dir):
        cls.dir = os.path.join(out_dir, "tls")
        os.makedirs(cls.dir, exist_ok=True)
        if not os.path.exists(cls.cert()):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-keyout", cls.key(), "-out", cls.cert(), "-subj", "/CN=localhost", "-days", "7",
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                           check=True, capture_output=True, timeout=60)

    @classmethod
    def cert(cls):
        return os.path.join(cls.dir, "cert.pem")

    @classmethod
    def key(cls):
        return os.path.join(cls.dir, "key.pem")

    @classmethod
    def server_args(cls):
        return ["--tls-cert", cls.cert(), "--tls-key", cls.key(), "--tls-protocol", TLS_PROTOCOL, "--tls-cipher", TLS_CIPHER]

    @classmethod
    def client_args(cls):
        return ["--tls-cert", cls.cert(), "--tls-protocol", TLS_PROTOCOL, "--tls-cipher", TLS_CIPHER]


def _netty(*extra):
    cp = os.path.join(ANCHORS_BUILD, "netty-echo", "target", "classes") + ":" + \
         os.path.join(ANCHORS_BUILD, "netty-echo", "target", "lib", "*")
    return [JAVA, *NETTY_FLAGS, "-cp", cp, "bench.NettyEcho", "--transport", "nio", *extra]


def _netty_tls(once):
    cp = os.path.join(ANCHORS_BUILD, "netty-tls-echo", "target", "classes") + ":" + \
         os.path.join(ANCHORS_BUILD, "netty-tls-echo", "target", "lib", "*")
    return [JAVA, *NETTY_FLAGS, "-cp", cp, "bench.NettyTlsEcho", "--tcp", str(TCP_PORT), "--cert", TlsFiles.cert(),
            "--key", TlsFiles.key(), "--protocol", TLS_PROTOCOL, "--cipher", TLS_CIPHER, *_once(once)]


def _py(kind, *extra):
    return [PYTHON, os.path.join(ANCHORS_SRC, "py_echo.py"), kind, *extra]


def _once(once):
    return ["--once"] if once else []


def _lib(mixin, unix=True, udp=False, jvm_flags=(), note="", module_path=None, tls=True):
    mp = module_path
    s = {"desc": f"this library: TCPServer / UnixStreamServer / UDPServer + {mixin} mix-in{note}",
         "tcp": lambda once: bench_server("tcp", mixin, "once" if once else "echo", f"127.0.0.1:{TCP_PORT}", jvm_flags, mp)}
    if tls:   # TCPServer.setSslContext with the run's certificate, protocol and cipher
        s["tls"] = lambda once: bench_server("tcp", mixin, "once" if once else "echo", f"127.0.0.1:{TCP_PORT}",
                                             jvm_flags, mp, TlsFiles.server_args())
    if unix:
        s["unix"] = lambda: bench_server("unix-stream", mixin, "echo", "unix:" + UNIX_PATH, jvm_flags, mp)
    if udp:
        s["udp"] = lambda: bench_server("udp", mixin, "echo", f"127.0.0.1:{UDP_PORT}", jvm_flags, mp)
        s["unixdg"] = lambda: bench_server("unix-datagram", mixin, "echo", "unix:" + UNIX_DG_PATH, jvm_flags, mp)
    if mixin == "sync":
        s["max_pingpong_conns"] = 1   # one connection at a time: multi-connection ping-pong cannot run
    return s


def servers(with_datagram):
    epoll = os.path.join(ANCHORS_BUILD, "epoll_echo")
    vt = ["-cp", os.path.join(ANCHORS_BUILD, "java-vt"), "VtEcho"]
    return {
        "netty-nio": {"desc": "Netty 4.2 NIO, default event loops (anchor); TLS: bench/netty-tls-echo, SslHandler on SslProvider.JDK",
                      "tcp": lambda once: _netty("--tcp", str(TCP_PORT), *_once(once)),
                      "tls": _netty_tls,
                      "udp": lambda: _netty("--udp", str(UDP_PORT))},
        "java-vt": {"desc": "plain JDK 25: accept loop + virtual thread per connection (anchor)",
                    "tcp": lambda once: [JAVA, *vt, "--tcp", str(TCP_PORT), *_once(once)],
                    "udp": lambda: [JAVA, *vt, "--udp", str(UDP_PORT)],
                    "unix": lambda: [JAVA, *vt, "--unix", UNIX_PATH]},
        "c-epoll": {"desc": "C single-threaded epoll (anchor, the ceiling)",
                    "tcp": lambda once: [epoll, "-t", str(TCP_PORT), *(["-o"] if once else [])],
                    "udp": lambda: [epoll, "-u", str(UDP_PORT)],
                    "unix": lambda: [epoll, "-s", UNIX_PATH],
                    "unixdg": lambda: [epoll, "-g", UNIX_DG_PATH]},
        "py-threading": {"desc": "CPython socketserver ThreadingTCP/UDP/UnixStreamServer (anchor)",
                         "tcp": lambda once: _py("threading-tcp", "--port", str(TCP_PORT), *_once(once)),
                         "udp": lambda: _py("threading-udp", "--port", str(UDP_PORT)),
                         "unix": lambda: _py("threading-unix", "--path", UNIX_PATH)},
        "ss-virtual": _lib("virtual", udp=with_datagram),
        # the same server with the engine's poller switched off: the JDK's own blocking reads
        "ss-virtual-jdkpoll": _lib("virtual", jvm_flags=["-Ddev.socketserver.poller=jdk"],
                                   note=", -Ddev.socketserver.poller=jdk"),
        # an experiment (not in the default run): serveForever() itself on a virtual thread, so the serving
        # loop and the handlers share the virtual-thread scheduler (BenchServer's bench.serveOnVirtualThread)
        "ss-virtual-vtloop": _lib("virtual", udp=with_datagram, jvm_flags=["-Dbench.serveOnVirtualThread=true"],
                                  note=", serveForever() on a virtual thread"),
        "ss-threading": _lib("threading", udp=with_datagram),
        "ss-sync": _lib("sync", unix=False, udp=with_datagram),
        # the same servers from the baseline build, when run-benchmarks.sh --baseline REV made one
        # (no TLS rows: an older build may not know the bench server's --tls-* options)
        **({f"ss-{m}-base": _lib(m, unix=m != "sync", udp=with_datagram, module_path=BASELINE_MODULE_PATH,
                                 note=" (baseline build)", tls=False) for m in ("virtual", "threading", "sync")}
           if BASELINE_MODULE_PATH else {}),
    }


DEFAULT_SERVERS = ["ss-virtual", "ss-virtual-jdkpoll", "ss-threading", "ss-sync", "netty-nio", "java-vt", "c-epoll", "py-threading"]

# scenario -> (server instance, generator arguments)
SCENARIOS = {
    "pp1": ("tcp", ["--mode", "pingpong", "--conns", "1"]),
    "pp16": ("tcp", ["--mode", "pingpong", "--conns", "16"]),
    "pp128": ("tcp", ["--mode", "pingpong", "--conns", "128"]),
    "pp1000": ("tcp", ["--mode", "pingpong", "--conns", "1000"]),
    "conn16": ("tcp-once", ["--mode", "connect", "--conns", "16"]),
    "udp16x4": ("udp", ["--mode", "udp", "--conns", "16", "--window", "4"]),
    "unix-pp16": ("unix", ["--mode", "pingpong", "--conns", "16"]),
    # Unix datagrams: the JDK has no AF_UNIX DatagramChannel, so the C loadgen drives these (arguments are
    # loadgen's); net.unix.max_dgram_qlen is 10 here, so 4 sockets with 2 datagrams in flight each
    "unixdg4x2": ("unixdg", ["-m", "udp", "-c", "4", "-W", "2"]),
    # TLS over TCP: ping-pong on N long connections (handshake during the ramp, not measured), and
    # connect-per-request where every request is a new connection with a full handshake (no resumption)
    "tls-pp16": ("tls", ["--mode", "pingpong", "--conns", "16"]),
    "tls-pp128": ("tls", ["--mode", "pingpong", "--conns", "128"]),
    "tls-conn16": ("tls-once", ["--mode", "connect", "--conns", "16"]),
}
DEFAULT_SCENARIOS = ["pp16", "pp128", "pp1000", "conn16", "udp16x4", "unix-pp16", "unixdg4x2", "tls-pp16", "tls-pp128",
                     "tls-conn16", "rss10000"]
INSTANCE_ORDER = ("tcp", "tcp-once", "tls", "tls-once", "udp", "unix", "unixdg")
C_LOADGEN_INSTANCES = ("unixdg",)  # instances only the C loadgen can drive
WARMUP = {"tcp": ["--mode", "pingpong", "--conns", "16"], "tcp-once": ["--mode", "connect", "--conns", "16"],
          "tls": ["--mode", "pingpong", "--conns", "16"], "tls-once": ["--mode", "connect", "--conns", "16"],
          "udp": ["--mode", "udp", "--conns", "16", "--window", "4"], "unix": ["--mode", "pingpong", "--conns", "16"]}
CROSS_CHECK = {"pp16": ["-m", "pingpong", "-c", "16"], "pp128": ["-m", "pingpong", "-c", "128"]}

# ---------------------------------------------------------------- /proc


def sys_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = v
    return user + nice + system + irq + softirq, steal


def proc_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        fields = s[s.rindex(")") + 2:].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None


def proc_status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wait_quiet(server_pid, limit, timeout):
    """Waits (bounded) until CPU used by others than the idle server is at most `limit` cores."""
    t0 = time.time()
    while True:
        b0, _ = sys_busy()
        s0 = proc_ticks(server_pid) or 0
        time.sleep(0.5)
        b1, _ = sys_busy()
        s1 = proc_ticks(server_pid) or 0
        foreign = max(0.0, ((b1 - b0) - (s1 - s0)) / CLK / 0.5)
        if foreign <= limit or time.time() - t0 >= timeout:
            return round(time.time() - t0, 1), round(foreign, 2)


def _raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass


def parse_kv(line):
    d = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            try:
                d[k] = float(v) if ("." in v or "e" in v) else int(v)
            except ValueError:
                d[k] = v
    return d

# ---------------------------------------------------------------- processes


class Pids:
    """Every server pid this driver started, also written to a file so the shell trap can stop them."""

    def __init__(self, path):
        self.path = path
        self.live = {}

    def add(self, p):
        self.live[p.pid] = p
        self._write()

    def remove(self, p):
        self.live.pop(p.pid, None)
        self._write()

    def _write(self):
        with open(self.path, "w") as f:
            f.write("".join(f"{pid}\n" for pid in self.live))

    def stop_all(self):
        for p in list(self.live.values()):
            stop_process(p)
            self.remove(p)


def stop_process(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()                       # our own child, by pid
            p.wait(timeout=5)


def port_free(port, udp=False):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


class Server:
    def __init__(self, ctx, name, inst, cmd, tag):
        self.name, self.ctx = name, ctx
        self.log_path = os.path.join(ctx.out_dir, f"server-{name}-{tag}.log")
        full = (["taskset", "-c", ctx.a.server_cpus] if ctx.a.server_cpus else []) + cmd
        if inst.startswith(("tcp", "tls")) and not port_free(TCP_PORT):
            raise RuntimeError(f"port {TCP_PORT} busy")
        if inst == "udp" and not port_free(UDP_PORT, udp=True):
            raise RuntimeError(f"udp port {UDP_PORT} busy")
        if inst == "unix" and os.path.exists(UNIX_PATH):
            os.unlink(UNIX_PATH)
        if inst == "unixdg" and os.path.exists(UNIX_DG_PATH):
            os.unlink(UNIX_DG_PATH)
        self.logf = open(self.log_path, "w")
        self.p = subprocess.Popen(full, stdout=self.logf, stderr=subprocess.STDOUT, preexec_fn=_raise_nofile)
        ctx.pids.add(self.p)
        self.pid = self.p.pid
        deadline = time.time() + 30
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
            raise RuntimeError("not ready in 30 s")
        time.sleep(0.3)

    def stop(self):
        stop_process(self.p)
        self.ctx.pids.remove(self.p)
        self.logf.close()

# ---------------------------------------------------------------- one point


def target_for(inst):
    if inst == "udp":
        return f"127.0.0.1:{UDP_PORT}"
    if inst == "unix":
        return "unix:" + UNIX_PATH
    return f"127.0.0.1:{TCP_PORT}"


def run_load(ctx, cmd, server_pid, timeout):
    """Runs one generator process (pinned), returns its parsed line plus CPU accounting."""
    full = (["taskset", "-c", ctx.a.loadgen_cpus] if ctx.a.loadgen_cpus else []) + cmd
    b0, st0 = sys_busy()
    s0 = proc_ticks(server_pid)
    c0 = children_cpu()
    t0 = time.time()
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_raise_nofile)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        err += "\n(generator killed by the driver's timeout)"
    wall = time.time() - t0
    b1, st1 = sys_busy()
    s1 = proc_ticks(server_pid)
    gen_cpu = children_cpu() - c0
    lines = [l for l in out.strip().splitlines() if "mode=" in l]
    res = parse_kv(lines[-1]) if lines else {"error": (err.strip() or f"rc={p.returncode}")[-300:]}
    srv = (s1 - s0) / CLK if s0 is not None and s1 is not None else None
    res["server_cpu"] = round(srv / wall, 3) if srv is not None else None
    if srv is not None and res.get("reqs_all"):
        res["srv_us_per_req_driver"] = round(srv / res["reqs_all"] * 1e6, 2)
        if res.get("srv_cpu_us_per_req", -1) in (-1, -1.0, None):
            res["srv_cpu_us_per_req"] = res["srv_us_per_req_driver"]   # C loadgen lines lack it
    res["gen_cpu"] = round(gen_cpu / wall, 3)
    res["foreign_cpu"] = round(max(0.0, (b1 - b0) / CLK / wall - gen_cpu / wall - (srv or 0) / wall), 3)
    res["steal"] = round((st1 - st0) / CLK / wall, 3)
    res["wall_s"] = round(wall, 2)
    if err.strip():
        res["stderr"] = err.strip()[-300:]
    return res


def c_load(args, dur, warm, label):
    """The C loadgen of ../shared/bench against an instance only it can drive (Unix datagrams)."""
    return [os.path.join(ANCHORS_BUILD, "loadgen"), "-u", UNIX_DG_PATH, *args, "-d", str(dur), "-w", str(warm),
            "-l", label]


def java_load(ctx, target, pid, args, dur, warm, label, inst="tcp"):
    tls = TlsFiles.client_args() if inst.startswith("tls") else []
    return generator_cmd(["--target", target, "--pid", str(pid), *args, *tls, "--duration", str(dur),
                          "--warmup", str(warm), "--label", label])


def base_kind(inst):
    """tcp-once -> tcp, tls-once -> tls: the key of the server spec that starts it."""
    return inst.split("-")[0]


def server_cmd(spec, inst):
    kind = base_kind(inst)
    return spec[kind](inst.endswith("-once")) if kind in ("tcp", "tls") else spec[inst]()


def measure(ctx, server, sc, rep, pid, cmd, generator, timeout, extra=None):
    best = None
    for attempt in range(1, ctx.a.attempts + 1):
        waited, pre = wait_quiet(pid, ctx.a.max_foreign, ctx.a.quiet_timeout)
        r = run_load(ctx, cmd, pid, timeout)
        r.update(server=server, scenario=sc, rep=rep, attempt=attempt, generator=generator, quiet_wait_s=waited,
                 pre_foreign=pre, ts=time.strftime("%Y-%m-%dT%H:%M:%S"), cmd=" ".join(cmd))
        r.update(extra or {})
        r["clean"] = r.get("foreign_cpu", 9) <= ctx.a.max_foreign_run and r.get("steal", 0) <= 0.10
        ctx.log(f"  {server:13s} {sc:9s} rep{rep} {generator:9s} try{attempt}: rps={r.get('rps')} "
                f"p50={r.get('p50_us')} p99={r.get('p99_us')} err={r.get('errors')} lost={r.get('lost')} "
                f"srv_us/req={r.get('srv_cpu_us_per_req')} lg_cpu={r.get('lg_cpu_pct')}% "
                f"foreign={r.get('foreign_cpu')} steal={r.get('steal')}{'' if r['clean'] else ' NOISY'}"
                + (f" ERROR {r['error']}" if "error" in r else ""))
        r["final"] = False
        if best is None or r.get("foreign_cpu", 9) < best.get("foreign_cpu", 9):
            best = r
        if r["clean"] or ctx.over_time():
            break
        ctx.write(r)                      # keep rejected attempts for the record
    best["final"] = True
    ctx.write(best)
    return best


def point_timeout(a):
    return a.duration + max(a.warmup, a.tls_warmup) + 120


def run_instance(ctx, server, inst, scs, rep):
    a = ctx.a
    spec = ctx.servers[server]
    cmd = server_cmd(spec, inst)
    try:
        srv = Server(ctx, server, inst, cmd, f"{inst}-r{rep}")
    except RuntimeError as e:
        ctx.log(f"  {server} {inst}: START FAILED: {e}")
        for sc in scs:
            ctx.write(dict(server=server, scenario=sc, rep=rep, final=True, error=f"start failed: {str(e)[:300]}"))
        return
    try:
        target = target_for(inst)
        # TLS servers get longer: the handshake's EC and key-schedule code needs many calls before the JIT is done
        warm = a.tls_instance_warmup if inst.startswith("tls") else a.instance_warmup
        if warm > 0 and inst in C_LOADGEN_INSTANCES:
            w = run_load(ctx, c_load(SCENARIOS[scs[0]][1], warm, 0.5, "warmup"), srv.pid, point_timeout(a))
            ctx.log(f"  warmup {server} {inst}: rps={w.get('rps')} errors={w.get('errors')}")
        elif warm > 0:     # discarded: JIT, thread pools, page cache
            wargs = list(WARMUP[inst])
            if spec.get("max_pingpong_conns") and wargs[1] == "pingpong":
                wargs[3] = str(spec["max_pingpong_conns"])
            w = run_load(ctx, java_load(ctx, target, srv.pid, wargs, warm, 0.5, "warmup", inst), srv.pid,
                         point_timeout(a))
            ctx.log(f"  warmup {server} {inst}: rps={w.get('rps')} errors={w.get('errors')}")
        for sc in scs:
            if ctx.over_time():
                return
            _, args = SCENARIOS[sc]
            if inst in C_LOADGEN_INSTANCES:
                measure(ctx, server, sc, rep, srv.pid, c_load(args, a.duration, a.warmup, sc), "c-loadgen",
                        point_timeout(a))
                continue
            # every point starts a fresh generator JVM: its own TLS client code (handshakes, AES-GCM) must compile
            # before the measured time too, or a cold client caps the first seconds of every TLS point
            gen_warm = max(a.warmup, a.tls_warmup) if inst.startswith("tls") else a.warmup
            measure(ctx, server, sc, rep, srv.pid, java_load(ctx, target, srv.pid, args, a.duration, gen_warm, sc, inst),
                    "java-nio", point_timeout(a))
            if ctx.cross_check and server == "netty-nio" and sc in CROSS_CHECK and rep == 1:
                lg = [os.path.join(ANCHORS_BUILD, "loadgen"), "-h", "127.0.0.1", "-p", str(TCP_PORT),
                      *CROSS_CHECK[sc], "-d", str(a.duration), "-w", str(a.warmup), "-l", sc]
                measure(ctx, server, sc, rep, srv.pid, lg, "c-loadgen", point_timeout(a), {"crosscheck": True})
                measure(ctx, server, sc, rep, srv.pid,
                        java_load(ctx, target, srv.pid, SCENARIOS[sc][1], a.duration, a.warmup, sc),
                        "java-nio", point_timeout(a), {"crosscheck": True})
    finally:
        srv.stop()


def run_reference(ctx, rep, when):
    """The C epoll echo, fresh, measured like any point: a yardstick of the machine at this moment of the rep."""
    a = ctx.a
    sc = a.reference_scenario
    inst, args = SCENARIOS[sc]
    spec = ctx.servers["c-epoll"]
    try:
        srv = Server(ctx, "c-epoll", inst, server_cmd(spec, inst), f"ref-r{rep}-{when}")
    except RuntimeError as e:
        ctx.log(f"  reference rep{rep} {when}: START FAILED: {e}")
        ctx.write(dict(server="c-epoll", scenario="ref-" + sc, rep=rep, final=True, reference=True, ref_when=when,
                       error=f"start failed: {str(e)[:300]}"))
        return
    try:
        dur = a.reference_duration or a.duration
        measure(ctx, "c-epoll", "ref-" + sc, rep, srv.pid,
                java_load(ctx, target_for(inst), srv.pid, args, dur, a.warmup, "ref-" + sc, inst), "java-nio",
                point_timeout(a), {"reference": True, "ref_when": when})
    finally:
        srv.stop()


def run_rss(ctx, server):
    a = ctx.a
    spec = ctx.servers[server]
    try:
        srv = Server(ctx, server, "tcp", spec["tcp"](False), "rss")
    except RuntimeError as e:
        ctx.log(f"  rss {server}: START FAILED: {e}")
        ctx.write(dict(server=server, scenario=f"rss{a.rss_conns}", final=True, error=str(e)[:300]))
        return
    try:
        time.sleep(1.0)
        rss0, thr0 = proc_status(srv.pid, "VmRSS"), proc_status(srv.pid, "Threads")
        cmd = generator_cmd(["--target", target_for("tcp"), "--pid", str(srv.pid), "--mode", "idle",
                             "--conns", str(a.rss_conns), "--duration", str(a.rss_hold), "--ramp", "4",
                             "--ramp-timeout", "180", "--label", f"rss{a.rss_conns}"])
        r = run_load(ctx, cmd, srv.pid, a.rss_hold + 240)
        time.sleep(2.0)
        r.update(server=server, scenario=f"rss{a.rss_conns}", final=True, generator="java-nio", rss0_kb=rss0,
                 threads0=thr0, rss_kb=r.get("srv_rss_kib"), threads=r.get("srv_threads"),
                 threads_after_close=proc_status(srv.pid, "Threads"),
                 rss_after_close_kb=proc_status(srv.pid, "VmRSS"), ts=time.strftime("%Y-%m-%dT%H:%M:%S"),
                 cmd=" ".join(cmd))
        if r.get("srv_rss_kib") and rss0 and r.get("ready"):
            r["per_conn_kb"] = round((r["srv_rss_kib"] - rss0) / r["ready"], 2)
        ctx.log(f"  rss {server}: idle={rss0} KiB, with {r.get('ready')} conns={r.get('srv_rss_kib')} KiB, "
                f"per conn={r.get('per_conn_kb')} KiB, ramp={r.get('ramp_s')} s" + (f" ERROR {r['error']}" if "error" in r else ""))
        ctx.write(r)
    finally:
        srv.stop()


def run_shutdown(ctx):
    n = str(ctx.a.shutdown_runs)
    pin = (["taskset", "-c", ctx.a.server_cpus] if ctx.a.server_cpus else [])
    jobs = [(f"ss-{m}", pin + generator_cmd(["shutdown-latency", "--runs", n, "--mixin", m]))
            for m in ("virtual", "threading", "sync")]
    jobs.append(("py-threading", pin + [PYTHON, os.path.join(HERE, "py_shutdown_latency.py"), "--runs", n]))
    for name, cmd in jobs:
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=int(n) * 1.5 + 60)
            lines = [l for l in p.stdout.splitlines() if "mode=shutdown-latency" in l]
            r = parse_kv(lines[-1]) if lines else {"error": (p.stderr.strip() or f"rc={p.returncode}")[-300:]}
        except subprocess.TimeoutExpired:
            r = {"error": "timeout"}
        r.update(server=name, scenario="shutdown", final=True, ts=time.strftime("%Y-%m-%dT%H:%M:%S"), cmd=" ".join(cmd))
        ctx.log(f"  shutdown {name}: median={r.get('median_us')} us p90={r.get('p90_us')} max={r.get('max_us')}"
                + (f" ERROR {r['error']}" if "error" in r else ""))
        ctx.write(r)

# ---------------------------------------------------------------- run


class Ctx:
    def __init__(self, a):
        self.a = a
        self.out_dir = a.out_dir
        os.makedirs(self.out_dir, exist_ok=True)
        os.makedirs(os.path.dirname(UNIX_PATH), exist_ok=True)
        self.pids = Pids(os.path.join(self.out_dir, "server.pids"))
        self.points = open(os.path.join(self.out_dir, "points.jsonl"), "a")
        self.logf = open(os.path.join(self.out_dir, "run.log"), "a")
        self.t0 = time.time()
        self.servers = servers(a.with_datagram)
        self.cross_check = a.cross_check == "on" or (
            a.cross_check == "auto" and os.access(os.path.join(ANCHORS_BUILD, "loadgen"), os.X_OK))
        self.reference = a.reference == "on" or (
            a.reference == "auto" and os.access(os.path.join(ANCHORS_BUILD, "epoll_echo"), os.X_OK))

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


def instances_for(spec, scenarios):
    groups = {}
    for sc in scenarios:
        if sc not in SCENARIOS:
            continue
        inst, args = SCENARIOS[sc]
        if base_kind(inst) not in spec:
            continue
        if args[1] == "pingpong" and inst in ("tcp", "tls") and int(args[3]) > spec.get("max_pingpong_conns", 10 ** 9):
            continue
        groups.setdefault(inst, []).append(sc)
    return [(k, groups[k]) for k in INSTANCE_ORDER if k in groups]


def meta(a):
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
    return dict(meta=True, ts=time.strftime("%Y-%m-%dT%H:%M:%S"), args=vars(a), cpus=os.cpu_count(), cpu=cpu,
                kernel=os.uname().release, java_version=subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0],
                python=sys.version.split()[0], commit=sh(["git", "-C", HERE, "rev-parse", "--short", "HEAD"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--servers", default=",".join(DEFAULT_SERVERS))
    ap.add_argument("--scenarios", default=",".join(DEFAULT_SCENARIOS),
                    help="comma list of " + ",".join(SCENARIOS) + ",rss10000")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds per point")
    ap.add_argument("--warmup", type=float, default=1.0, help="generator warm-up per point (not counted)")
    ap.add_argument("--instance-warmup", type=float, default=5.0, help="discarded load after each server start")
    ap.add_argument("--tls-instance-warmup", type=float, default=10.0,
                    help="the same for a TLS server (tls-* scenarios)")
    ap.add_argument("--tls-warmup", type=float, default=5.0,
                    help="generator warm-up per TLS point (not counted): the fresh generator JVM's TLS code compiles")
    ap.add_argument("--server-cpus", default="1")
    ap.add_argument("--loadgen-cpus", default="0")
    ap.add_argument("--attempts", type=int, default=2, help="tries of a point that saw foreign CPU load")
    ap.add_argument("--max-foreign", type=float, default=0.10, help="foreign cores allowed before a point")
    ap.add_argument("--max-foreign-run", type=float, default=0.15, help="foreign cores allowed during a point")
    ap.add_argument("--quiet-timeout", type=float, default=30.0, help="longest wait for a quiet machine per point")
    ap.add_argument("--rss-conns", type=int, default=10000)
    ap.add_argument("--rss-hold", type=float, default=20.0)
    ap.add_argument("--rss-servers", default="ss-virtual,ss-threading,java-vt,netty-nio,c-epoll,py-threading")
    ap.add_argument("--shutdown-runs", type=int, default=100)
    ap.add_argument("--extra", default="shutdown", help="'shutdown' to measure shutdown latency, '' for none")
    ap.add_argument("--with-datagram", action="store_true",
                    help="also run this library's UDP servers")
    ap.add_argument("--cross-check", choices=["auto", "on", "off"], default="auto",
                    help="C loadgen vs this generator on netty-nio pp16/pp128, rep 1")
    ap.add_argument("--reference", choices=["auto", "on", "off"], default="auto",
                    help="measure the C epoll echo at the start and end of every rep (auto: if it is built)")
    ap.add_argument("--reference-scenario", default="pp16", help="the reference's scenario (a plain tcp one)")
    ap.add_argument("--reference-duration", type=float, default=0,
                    help="measured seconds of each reference point (0: the same as --duration)")
    ap.add_argument("--max-total-s", type=float, default=5400)
    a = ap.parse_args()
    ctx = Ctx(a)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    names = [s for s in a.servers.split(",") if s]
    unknown = [s for s in names if s not in ctx.servers]
    if unknown:
        sys.exit(f"unknown servers {unknown}; known: {','.join(ctx.servers)}")
    scenarios = [s for s in a.scenarios.split(",") if s]
    bad = [s for s in scenarios if s not in SCENARIOS and not s.startswith("rss")]
    if bad:
        sys.exit(f"unknown scenarios {bad}")
    if SCENARIOS.get(a.reference_scenario, ("",))[0] != "tcp":
        sys.exit(f"--reference-scenario must be a plain tcp scenario, not {a.reference_scenario}")
    if any(SCENARIOS.get(s, ("",))[0].startswith("tls") for s in scenarios):
        TlsFiles.make(ctx.out_dir)
    ctx.write(meta(a))
    ctx.log(f"run: servers={names} scenarios={scenarios} reps={a.reps} dur={a.duration}s "
            f"server_cpus={a.server_cpus} loadgen_cpus={a.loadgen_cpus} cross_check={ctx.cross_check} "
            f"reference={a.reference_scenario if ctx.reference else 'off'}")
    try:
        if any(s.startswith("rss") for s in scenarios):
            for server in [s for s in a.rss_servers.split(",") if s in names]:
                if not ctx.over_time():
                    run_rss(ctx, server)
        if "shutdown" in a.extra:
            run_shutdown(ctx)
        for rep in range(1, a.reps + 1):
            if ctx.reference:
                run_reference(ctx, rep, "start")
            k = (rep - 1) % len(names)
            for server in names[k:] + names[:k]:          # rotate the order per rep
                for inst, scs in instances_for(ctx.servers[server], scenarios):
                    if ctx.over_time():
                        ctx.log("max total time reached, stopping")
                        return
                    run_instance(ctx, server, inst, scs, rep)
            if ctx.reference and not ctx.over_time():
                run_reference(ctx, rep, "end")
        ctx.log(f"done in {time.time() - ctx.t0:.0f} s: {ctx.out_dir}/points.jsonl")
    finally:
        ctx.pids.stop_all()
        if os.path.exists(UNIX_PATH):
            os.unlink(UNIX_PATH)


if __name__ == "__main__":
    main()
