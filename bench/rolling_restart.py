#!/usr/bin/env python3
"""A rolling restart behind HAProxy that must lose nothing (issue 12, docs/operations.md).

Starts N `samples echo --family tcp --mixin virtual` instances (PROXY protocol required, each with its
admin gateway on its own port) and a real HAProxy in TCP mode in front of them, with `send-proxy-v2`
and HTTP health checks against each instance's `/health`. A Python load runs through HAProxy for the
whole scenario: connect-per-request clients and long-lived connections doing ping-pong, every answer
checked. Meanwhile the instances are restarted one by one: SIGTERM (the launcher drains: `/health`
turns 503, the grace period lets HAProxy take the instance out, accepting stops, idle connections
close between requests, the process exits 0), then started again on the same ports, and the next one
waits until HAProxy reports the restarted one UP.

A request is sent again once when the connection it was sent on ended without its answer (the
instance closed that idle keep-alive connection as the request crossed it), as HTTP clients do with
idempotent requests: that is a retry, not a failure. A failure is a request with no answer after that
one retry, or a wrong answer. Connect-per-request clients also count connections that ended without
an answer at all (HAProxy runs with `retries 0` and no redispatch, so a backend that refused or reset
a connect would show here).

The handler-side client addresses come from each instance's `--access-log` lines and must all be
Python client sockets (never HAProxy's own).

Loopback only; bounded in time: every wait has a deadline, the load stops after the last restart plus
--tail seconds. Prints one JSON object (and with --summary a one-line result) on stdout.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

READY = re.compile(r"^listening tcp (\S+) fileno=")
ADMIN = re.compile(r"^admin (http://\S+)")
ACCESS = re.compile(r"^access client=(\S+) proxy=(\S+)")
DRAINED = re.compile(r"^drained finished=(\d+) forced=(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def restartable_port(taken):
    """A free port below the ephemeral range. An instance's ports are bound again after each restart, and
    a port from the ephemeral range may meanwhile be the source port of some outgoing connection (HAProxy's
    to another instance, a client's), which makes that bind fail with 'Address already in use'."""
    low, _ = ephemeral_range()
    for _ in range(1000):
        port = random.randint(max(1024, low - 20000), low - 1)
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError("no free port below the ephemeral range")


TAKEN_PORTS = set()
STARTED = time.monotonic()  # failures and restarts are timed from here


class Instance:
    """One launcher process, restartable on the same ports."""

    def __init__(self, index, samples, workdir, grace, drain_timeout, extra):
        self.index = index
        self.samples = samples
        self.workdir = workdir
        self.port = restartable_port(TAKEN_PORTS)
        self.admin_port = restartable_port(TAKEN_PORTS)
        self.grace = grace
        self.drain_timeout = drain_timeout
        self.extra = extra
        self.proc = None
        self.lines = []          # every stdout line of every run
        self.access = []         # (client, proxy) from --access-log
        self.drains = []         # (finished, forced, exit code) per SIGTERM
        self.lock = threading.Lock()
        self.ready = threading.Event()

    def start(self, deadline):
        self.ready.clear()
        cmd = [self.samples, "echo", "--family", "tcp", "--mixin", "virtual",
               "--bind", "127.0.0.1:%d" % self.port,
               "--proxy-protocol", "required",
               "--admin", "127.0.0.1:%d" % self.admin_port, "--admin-token", "rolling-restart-token",
               "--drain-grace", self.grace, "--drain-timeout", self.drain_timeout,
               "--access-log"] + self.extra
        err = open(os.path.join(self.workdir, "instance-%d.stderr" % self.index), "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, text=True)
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True).start()
        while not self.ready.wait(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                with open(err.name, errors="replace") as f:
                    tail = f.read()[-600:]
                raise RuntimeError("instance %d printed no ready line (exit %s); stderr: %s"
                                   % (self.index, self.proc.poll(), tail))

    def _pump(self, proc):
        for line in proc.stdout:
            line = line.rstrip("\n")
            with self.lock:
                self.lines.append(line)
                m = ACCESS.match(line)
                if m:
                    self.access.append((m.group(1), m.group(2)))
            if READY.match(line):
                self.ready.set()

    def stop_gracefully(self, timeout):
        """SIGTERM, then wait for the exit; returns (finished, forced, exit code)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise RuntimeError("instance %d did not exit within %ss of SIGTERM" % (self.index, timeout))
        time.sleep(0)  # let the pump thread see the last lines (it ends at EOF, which the exit guarantees)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with self.lock:
                drained = [DRAINED.match(l) for l in self.lines if DRAINED.match(l)]
            if len(drained) > len(self.drains):
                break
            time.sleep(0.01)
        m = drained[-1] if len(drained) > len(self.drains) else None
        result = (int(m.group(1)) if m else -1, int(m.group(2)) if m else -1, code)
        self.drains.append(result)
        return result

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass


class HAProxy:
    def __init__(self, binary, workdir, instances, inter_ms):
        self.port = free_port()
        self.stats = os.path.join(workdir, "haproxy.sock")
        self.config = os.path.join(workdir, "haproxy.cfg")
        servers = "\n".join(
            "    server s%d 127.0.0.1:%d check port %d" % (i.index, i.port, i.admin_port) for i in instances)
        text = """global
    maxconn 4096
    stats socket {stats} mode 600 level admin

defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A slow answer (a cold JVM on a busy machine) must not take an instance out: two failed checks do.
    timeout check 2s
    # No retries and no redispatch: a backend that refused or reset a connect would reach the client.
    retries 0

frontend fe
    bind 127.0.0.1:{port}
    default_backend echo

backend echo
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter {inter}ms fastinter {inter}ms downinter {inter}ms rise 1 fall 2 send-proxy-v2
{servers}
""".format(stats=self.stats, port=self.port, inter=inter_ms, servers=servers)
        with open(self.config, "w") as f:
            f.write(text)
        self.log = open(os.path.join(workdir, "haproxy.log"), "ab")
        self.proc = subprocess.Popen([binary, "-db", "-f", self.config], stdout=self.log, stderr=subprocess.STDOUT)

    def status(self):
        """Server name -> status (UP, DOWN, MAINT...) from the runtime API."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(self.stats)
            s.sendall(b"show stat\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        rows = {}
        header = None
        for line in data.decode().splitlines():
            if line.startswith("# "):
                header = line[2:].split(",")
                continue
            if not line or header is None:
                continue
            cols = dict(zip(header, line.split(",")))
            if cols.get("pxname") == "echo" and cols.get("svname", "").startswith("s"):
                rows[cols["svname"]] = cols.get("status", "")
        return rows

    def await_status(self, name, wanted, deadline):
        while time.monotonic() < deadline:
            try:
                if self.status().get(name, "").startswith(wanted):
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError("HAProxy never reported %s %s (last: %s)" % (name, wanted, self.status()))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.answered = 0
        self.failed = 0
        self.retries = 0
        self.reconnects = 0
        self.conn_retries = 0      # connect-per-request connections that ended without an answer
        self.failures = []         # first few, for the report
        self.client_addresses = set()

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)

    def fail(self, what):
        with self.lock:
            self.failed += 1
            if len(self.failures) < 10:
                self.failures.append("t=%.2fs %s" % (time.monotonic() - STARTED, what))

    def address(self, sock):
        host, port = sock.getsockname()[:2]
        with self.lock:
            self.client_addresses.add("%s:%d" % (host, port))


def exchange(sock, payload, timeout):
    """Sends one line and reads one line back; None if the connection ended first."""
    sock.settimeout(timeout)
    try:
        sock.sendall(payload)
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(4096)
            if not chunk:
                return None
            data += chunk
        return data
    except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError):
        return None


def connect(port, counters, timeout):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    counters.address(s)
    return s


def connect_per_request(port, counters, stop, name, timeout):
    n = 0
    while not stop.is_set():
        n += 1
        payload = ("%s-%d %s\n" % (name, n, "x" * random.randint(0, 64))).encode()
        counters.add(sent=1)
        answer = None
        problem = "no answer"
        for attempt in range(2):
            if attempt == 1:
                counters.add(retries=1, conn_retries=1)
            try:
                with connect(port, counters, timeout) as s:
                    answer = exchange(s, payload, timeout)
            except OSError as e:
                problem = repr(e)
            if answer is not None:
                break
        if answer is None:
            counters.fail("%s: %s after a retry" % (payload[:24], problem))
        elif answer != payload:
            counters.fail("%s: wrong answer %r" % (payload[:24], answer[:24]))
        else:
            counters.add(answered=1)


def long_lived(port, counters, stop, name, timeout):
    s = None
    n = 0
    try:
        while not stop.is_set():
            n += 1
            payload = ("%s-%d\n" % (name, n)).encode()
            counters.add(sent=1)
            answer = None
            for attempt in range(2):
                try:
                    if s is None:
                        s = connect(port, counters, timeout)
                        if n > 1 or attempt > 0:
                            counters.add(reconnects=1)
                    answer = exchange(s, payload, timeout)
                except OSError:
                    answer = None
                if answer is not None:
                    break
                if s is not None:
                    s.close()
                    s = None
                if attempt == 0:
                    counters.add(retries=1)
            if answer is None:
                counters.fail("%s: no answer after a retry" % payload[:24])
            elif answer != payload:
                counters.fail("%s: wrong answer %r" % (payload[:24], answer[:24]))
            else:
                counters.add(answered=1)
    finally:
        if s is not None:
            s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", required=True, help="the samples launcher (socketserver-samples/samples)")
    ap.add_argument("--haproxy", default="haproxy")
    ap.add_argument("--instances", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=1, help="how many times every instance is restarted")
    ap.add_argument("--conn-clients", type=int, default=4, help="connect-per-request clients")
    ap.add_argument("--long-clients", type=int, default=4, help="long-lived ping-pong connections")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of load before the first restart")
    ap.add_argument("--tail", type=float, default=1.0, help="seconds of load after the last restart")
    ap.add_argument("--pause", type=float, default=0.5, help="seconds of load between restarts")
    ap.add_argument("--grace", default="1s", help="the instances' --drain-grace")
    ap.add_argument("--drain-timeout", default="10s", help="the instances' --drain-timeout")
    ap.add_argument("--check-interval-ms", type=int, default=100, help="HAProxy's health check interval")
    ap.add_argument("--workdir", help="where configs and logs go (default: a new temporary folder)")
    ap.add_argument("--summary", action="store_true", help="also print a one-line result on stderr")
    ap.add_argument("--instance-arg", action="append", default=[], help="an extra launcher argument")
    args = ap.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix="rolling-restart-")
    os.makedirs(workdir, exist_ok=True)
    timeout = 10.0
    instances = [Instance(i + 1, args.samples, workdir, args.grace, args.drain_timeout, args.instance_arg)
                 for i in range(args.instances)]
    haproxy = None
    stop = threading.Event()
    counters = Counters()
    threads = []
    restarts = []
    started = time.monotonic()
    error = None
    load_started = None
    try:
        for inst in instances:
            inst.start(time.monotonic() + 60)
        haproxy = HAProxy(args.haproxy, workdir, instances, args.check_interval_ms)
        for inst in instances:
            haproxy.await_status("s%d" % inst.index, "UP", time.monotonic() + 30)
        for i in range(args.conn_clients):
            threads.append(threading.Thread(target=connect_per_request, daemon=True,
                                            args=(haproxy.port, counters, stop, "c%d" % i, timeout)))
        for i in range(args.long_clients):
            threads.append(threading.Thread(target=long_lived, daemon=True,
                                            args=(haproxy.port, counters, stop, "l%d" % i, timeout)))
        for t in threads:
            t.start()
        load_started = round(time.monotonic() - STARTED, 2)
        time.sleep(args.warmup)
        for _ in range(args.rounds):
            for inst in instances:
                t0 = time.monotonic()
                finished, forced, code = inst.stop_gracefully(timeout=60)
                inst.start(time.monotonic() + 60)
                haproxy.await_status("s%d" % inst.index, "UP", time.monotonic() + 30)
                restarts.append({"instance": inst.index, "exit": code, "finished": finished, "forced": forced,
                                 "seconds": round(time.monotonic() - t0, 2), "at": round(t0 - STARTED, 2)})
                time.sleep(args.pause)
        time.sleep(args.tail)
    except Exception as e:  # reported in the JSON; the caller decides
        error = "%s: %s" % (type(e).__name__, e)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout + 5)
        if haproxy:
            haproxy.stop()
        for inst in instances:
            if inst.proc and inst.proc.poll() is None:
                try:
                    inst.stop_gracefully(timeout=30)
                except Exception:
                    inst.kill()

    events = []  # HAProxy's own words on every server state change (DOWN/UP, reason, check duration)
    try:
        with open(os.path.join(workdir, "haproxy.log"), errors="replace") as f:
            events = [l.split(" : ", 1)[-1].strip()[:160] for l in f if " is DOWN" in l or " is UP" in l]
    except OSError:
        pass
    access = [a for inst in instances for a in inst.access]
    handler_clients = {c for c, _ in access}
    haproxy_side = {p for _, p in access}
    not_python = sorted(c for c in handler_clients if c not in counters.client_addresses)
    result = {
        "instances": args.instances,
        "restarts": restarts,
        "seconds": round(time.monotonic() - started, 1),
        "loadStartedAt": load_started,
        "sent": counters.sent,
        "answered": counters.answered,
        "failed": counters.failed,
        "retries": counters.retries,
        "reconnects": counters.reconnects,
        "connectRetries": counters.conn_retries,
        "failures": counters.failures,
        "accessLines": len(access),
        "handlerClientAddresses": len(handler_clients),
        "handlerAddressesNotPythonClients": not_python[:10],
        "handlerAddressesNotPythonClientsCount": len(not_python),
        "proxyAddresses": len(haproxy_side),
        "haproxyEvents": events,
        "workdir": workdir,
        "error": error,
    }
    print(json.dumps(result))
    if args.summary:
        print("rolling restart: instances=%d restarts=%d sent=%d answered=%d failed=%d retries=%d reconnects=%d "
              "connect-retries=%d handler-side clients=%d, not Python's=%d%s"
              % (args.instances, len(restarts), counters.sent, counters.answered, counters.failed, counters.retries,
                 counters.reconnects, counters.conn_retries, len(handler_clients), len(not_python),
                 "" if error is None else " ERROR " + error), file=sys.stderr)
    return 0 if error is None and counters.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
