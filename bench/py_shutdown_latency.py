#!/usr/bin/env python3
"""CPython's counterpart of `bench shutdown-latency`: N times, start socketserver.ThreadingTCPServer's
serve_forever() on a thread, let it sit idle 20 ms, and time shutdown() from call to return.
CPython's loop polls every 0.5 s, so the figure is spread over 0..500 ms. Loopback only.

usage: py_shutdown_latency.py [--runs 100]
"""
import argparse
import socketserver
import sys
import threading
import time


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    a = ap.parse_args()
    if not 1 <= a.runs <= 1000:
        sys.exit("runs must be 1..1000")
    ns = []
    for _ in range(a.runs):
        srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
        t = threading.Thread(target=srv.serve_forever)
        t.start()
        time.sleep(0.02)
        t0 = time.perf_counter_ns()
        srv.shutdown()
        ns.append(time.perf_counter_ns() - t0)
        t.join(5)
        srv.server_close()
    ns.sort()
    n = len(ns)
    print(f"mode=shutdown-latency impl=cpython{sys.version.split()[0]} family=tcp mixin=ThreadingMixIn runs={n} "
          f"median_us={ns[n // 2] / 1e3:.1f} p90_us={ns[min(n - 1, int(n * 0.9))] / 1e3:.1f} "
          f"min_us={ns[0] / 1e3:.1f} max_us={ns[-1] / 1e3:.1f}", flush=True)


if __name__ == "__main__":
    main()
