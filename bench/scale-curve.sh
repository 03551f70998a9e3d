#!/usr/bin/env bash
# Scale curve (issue 16): N idle TCP connections (bench/idle_hold.c, spread over 127.0.0.2..k) on each
# server, its RSS and the time to accept them all, then the C loadgen's pp1000 while they stay open,
# against the same pp1000 with no idle connections, in one run.
#
# usage: bench/scale-curve.sh [--servers ss-virtual,netty] [--counts 1000,10000,50000] [--duration S]
#                             [--no-build] [any other bench/scale_curve.py option: python3 bench/scale_curve.py -h]
#   defaults: servers ss-virtual,netty-nio (netty = netty-nio); counts 1000,10000,50000; 10 s per pp1000
#   (+1 s warm-up); server on CPU 1, idle_hold and loadgen on CPU 0; port 23421 (not the harness's 23411).
# Results: bench/results/scale-<stamp>/{scale.md,points.jsonl,run.log,server-*.log,idle_hold-*.out}
#
# Servers are started with the same commands, JVM flags and pinning as bench/matrix.py. The anchors
# (loadgen.c, epoll_echo.c, VtEcho, netty-echo) are built from ../shared/bench (ANCHORS_SRC) OUTSIDE the
# repository, in $TMPDIR/socketserver-scale-anchors (ANCHORS_BUILD), as run-benchmarks.sh does; idle_hold
# is built there too. The descriptor limit is raised for this script and its children only (ulimit),
# never system-wide. Loopback only; every step is bounded; everything started here is stopped on exit.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

JDK25=${JDK25:-${JAVA_HOME:-}}
if [ -z "$JDK25" ] || ! "$JDK25/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -x "$c/bin/java" ]; then JDK25=$c; break; fi
  done
fi
"$JDK25/bin/java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "scale-curve: no JDK 25 (set JDK25=...)" >&2; exit 1; }
export JAVA_HOME=$JDK25 PATH=$JDK25/bin:$PATH
export JAVA25=$JDK25/bin/java
export ANCHORS_SRC=${ANCHORS_SRC:-$(cd "$REPO/.." && pwd)/shared/bench}
export ANCHORS_BUILD=${ANCHORS_BUILD:-${TMPDIR:-/tmp}/socketserver-scale-anchors}
case "$ANCHORS_BUILD" in "$REPO"|"$REPO"/*) echo "scale-curve: ANCHORS_BUILD must be outside the repository" >&2; exit 1;; esac

build=1
counts=1000,10000,50000
pp_conns=1000
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --counts) counts=$2; args+=("$1" "$2"); shift ;;
    --pp-conns) pp_conns=$2; args+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

# --- build: this repository (no tests, no install), as run-benchmarks.sh ---
if [ "$build" = 1 ]; then
  if [ -x ./mvnw ]; then ./mvnw -o -q -DskipTests -pl socketserver-samples -am package
  else mvn -q -DskipTests -pl socketserver-samples -am package; fi
fi
v=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
export BENCH_MODULE_PATH="$REPO/socketserver-api/target/socketserver-api-$v.jar:$REPO/socketserver-impl/target/socketserver-impl-$v.jar:$REPO/socketserver-admin/target/socketserver-admin-$v.jar:$REPO/socketserver-samples/target/socketserver-samples-$v.jar:$REPO/socketserver-samples/target/lib"
test -f "$REPO/socketserver-samples/target/socketserver-samples-$v.jar" || { echo "scale-curve: samples not built (drop --no-build)" >&2; exit 1; }

# --- build: the anchors (same commands as ../shared/bench/README.md) and idle_hold ---
[ -d "$ANCHORS_SRC" ] || { echo "scale-curve: anchors not found at $ANCHORS_SRC (set ANCHORS_SRC)" >&2; exit 1; }
mkdir -p "$ANCHORS_BUILD/java-vt"
gcc -O2 -Wall -o "$ANCHORS_BUILD/loadgen" "$ANCHORS_SRC/loadgen.c"
gcc -O2 -Wall -o "$ANCHORS_BUILD/epoll_echo" "$ANCHORS_SRC/epoll_echo.c"
gcc -O2 -Wall -o "$ANCHORS_BUILD/idle_hold" "$REPO/bench/idle_hold.c"
export IDLE_HOLD=$ANCHORS_BUILD/idle_hold
javac -d "$ANCHORS_BUILD/java-vt" "$ANCHORS_SRC/java-vt/VtEcho.java"
if [ ! -d "$ANCHORS_BUILD/netty-echo/target/lib" ] || \
   [ "$ANCHORS_SRC/netty-echo/src/main/java/bench/NettyEcho.java" -nt "$ANCHORS_BUILD/netty-echo/target/classes/bench/NettyEcho.class" ]; then
  rm -rf "$ANCHORS_BUILD/netty-echo"
  cp -r "$ANCHORS_SRC/netty-echo" "$ANCHORS_BUILD/netty-echo"
  (cd "$ANCHORS_BUILD/netty-echo" && { mvn -o -q -B package 2>/dev/null || mvn -q -B package; } 2>&1 | grep -v '^WARNING' || true)
fi
test -f "$ANCHORS_BUILD/netty-echo/target/classes/bench/NettyEcho.class" || echo "scale-curve: netty-echo build failed; netty-nio points will fail to start" >&2

# --- limits: descriptors for the largest count on each side (server, idle_hold), this shell's children only ---
max=0
for c in ${counts//,/ }; do [ "$c" -gt "$max" ] && max=$c; done
need=$((max + pp_conns + 4096))
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$need" ]; then
  ulimit -Hn "$need" 2>/dev/null || echo "scale-curve: cannot raise the hard descriptor limit $(ulimit -Hn) to $need (needs root with CAP_SYS_RESOURCE; in a container: --ulimit nofile=$need:$need); counts above $(( $(ulimit -Hn) - pp_conns - 200 )) are skipped" >&2
fi
ulimit -n "$(ulimit -Hn)"
echo "scale-curve: ulimit -n $(ulimit -n); ip_local_port_range $(cat /proc/sys/net/ipv4/ip_local_port_range | tr '\t' ' '); somaxconn $(cat /proc/sys/net/core/somaxconn); tcp_max_syn_backlog $(cat /proc/sys/net/ipv4/tcp_max_syn_backlog)"

stamp=$(date +%Y%m%d-%H%M%S)
out="$REPO/bench/results/scale-$stamp"
mkdir -p "$out"

driver=""
cleanup() {
  # stop the driver (it stops what it started), then any pid it recorded and left behind
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$driver" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$out/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done < "$out/pids"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$REPO/bench/scale_curve.py" --out-dir "$out" ${args[@]+"${args[@]}"} &
driver=$!
rc=0
wait "$driver" || rc=$?
driver=""
python3 "$REPO/bench/scale_report.py" "$out/points.jsonl" --out "$out/scale.md"
cat "$out/scale.md"
echo "results: $out/scale.md $out/points.jsonl $out/run.log"
exit "$rc"
