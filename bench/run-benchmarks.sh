#!/usr/bin/env bash
# Builds this repository and the anchors, runs the whole benchmark matrix with this project's NIO load
# generator, and renders tables.md + throughput.svg from the raw points.
#
# usage: bench/run-benchmarks.sh [--reps N] [--duration S] [--servers a,b] [--scenarios x,y] [--with-datagram]
#                                [--build-only] [any other bench/matrix.py option, see: python3 bench/matrix.py -h]
#        bench/run-benchmarks.sh --paired A,B [--scenarios pp16,...] [--pairs N] [--slice-s S]
#                                (two servers alternating in short slices: bench/paired.py -h)
#   defaults: 3 reps x 10 s (+1 s warm-up) per point; servers ss-virtual,ss-virtual-jdkpoll,ss-threading,ss-sync,netty-nio,java-vt,
#   c-epoll,py-threading; scenarios pp16,pp128,pp1000,conn16,udp16x4,unix-pp16,unixdg4x2,tls-pp16,tls-pp128,tls-conn16,rss10000;
#   server on CPU 1, generator on CPU 0; shutdown latency (100 runs), the C-loadgen cross-check and the per-rep
#   reference (C epoll echo, pp16, at the start and end of every rep) included.
# Results: bench/results/<stamp>/{points.jsonl,tables.md,throughput.svg,run.log,server-*.log}
#
# The anchors' sources are read from ../shared/bench (ANCHORS_SRC), the Netty TLS anchor's from bench/netty-tls-echo,
# and all are built OUTSIDE the repository in $TMPDIR/socketserver-bench-anchors (ANCHORS_BUILD). Loopback only; every step is bounded in time; all
# servers started here are stopped on exit.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

JDK25=${JDK25:-${JAVA_HOME:-}}
if [ -z "$JDK25" ] || ! "$JDK25/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -x "$c/bin/java" ]; then JDK25=$c; break; fi
  done
fi
"$JDK25/bin/java" -version 2>&1 | grep -q 'version "2[5-9]' || { echo "run-benchmarks: no JDK 25 (set JDK25=...)" >&2; exit 1; }
export JAVA_HOME=$JDK25 PATH=$JDK25/bin:$PATH
export JAVA25=$JDK25/bin/java
export ANCHORS_SRC=${ANCHORS_SRC:-$(cd "$REPO/.." && pwd)/shared/bench}
export ANCHORS_BUILD=${ANCHORS_BUILD:-${TMPDIR:-/tmp}/socketserver-bench-anchors}
case "$ANCHORS_BUILD" in "$REPO"|"$REPO"/*) echo "run-benchmarks: ANCHORS_BUILD must be outside the repository" >&2; exit 1;; esac

build_only=0
baseline=""
paired=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) build_only=1 ;;
    --baseline) baseline=$2; shift ;;
    --paired) paired=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

# --- build: this repository (no tests, no install) ---
mvn -q -DskipTests -pl socketserver-samples -am package
v=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
# the admin jar and target/lib (its third-party jars) are on the path but unused: the benchmark needs only api, impl, samples
export BENCH_MODULE_PATH="$REPO/socketserver-api/target/socketserver-api-$v.jar:$REPO/socketserver-impl/target/socketserver-impl-$v.jar:$REPO/socketserver-admin/target/socketserver-admin-$v.jar:$REPO/socketserver-samples/target/socketserver-samples-$v.jar:$REPO/socketserver-samples/target/lib"

# --- build: the baseline, if asked for, in a scratch worktree outside the repository ---
if [ -n "$baseline" ]; then
  base_dir="${TMPDIR:-/tmp}/socketserver-bench-baseline"
  rm -rf "$base_dir"; git -C "$REPO" worktree prune
  git -C "$REPO" worktree add -q --detach "$base_dir" "$baseline"
  (cd "$base_dir" && mvn -q -DskipTests -pl socketserver-samples -am package)
  bv=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$base_dir/pom.xml" | head -n 1)
  BENCH_BASELINE_MODULE_PATH=""
  for m in api impl admin samples; do
    jar="$base_dir/socketserver-$m/target/socketserver-$m-$bv.jar"
    [ -f "$jar" ] && BENCH_BASELINE_MODULE_PATH="$BENCH_BASELINE_MODULE_PATH${BENCH_BASELINE_MODULE_PATH:+:}$jar"
  done
  [ -d "$base_dir/socketserver-samples/target/lib" ] && BENCH_BASELINE_MODULE_PATH="$BENCH_BASELINE_MODULE_PATH:$base_dir/socketserver-samples/target/lib"
  export BENCH_BASELINE_MODULE_PATH
  export BENCH_BASELINE_REV="$baseline"
  echo "baseline $(git -C "$REPO" rev-parse --short "$baseline"): $BENCH_BASELINE_MODULE_PATH"
fi

# --- build: the anchors, from ../shared/bench into the scratch folder (same commands as its README) ---
[ -d "$ANCHORS_SRC" ] || { echo "run-benchmarks: anchors not found at $ANCHORS_SRC (set ANCHORS_SRC)" >&2; exit 1; }
mkdir -p "$ANCHORS_BUILD/java-vt" "$ANCHORS_BUILD/run"
gcc -O2 -Wall -o "$ANCHORS_BUILD/loadgen" "$ANCHORS_SRC/loadgen.c"
gcc -O2 -Wall -o "$ANCHORS_BUILD/epoll_echo" "$ANCHORS_SRC/epoll_echo.c"
javac -d "$ANCHORS_BUILD/java-vt" "$ANCHORS_SRC/java-vt/VtEcho.java"
if [ ! -d "$ANCHORS_BUILD/netty-echo/target/lib" ] || \
   [ "$ANCHORS_SRC/netty-echo/src/main/java/bench/NettyEcho.java" -nt "$ANCHORS_BUILD/netty-echo/target/classes/bench/NettyEcho.class" ]; then
  rm -rf "$ANCHORS_BUILD/netty-echo"
  cp -r "$ANCHORS_SRC/netty-echo" "$ANCHORS_BUILD/netty-echo"
  (cd "$ANCHORS_BUILD/netty-echo" && mvn -q -B package 2>&1 | grep -v '^WARNING' || true)
fi
test -f "$ANCHORS_BUILD/netty-echo/target/classes/bench/NettyEcho.class" || echo "run-benchmarks: netty-echo build failed; netty-nio points will fail to start" >&2
# the Netty TLS anchor lives in this repository (bench/netty-tls-echo, its own pom, not in the reactor); built outside it too
if [ ! -d "$ANCHORS_BUILD/netty-tls-echo/target/lib" ] || \
   [ "$REPO/bench/netty-tls-echo/src/main/java/bench/NettyTlsEcho.java" -nt "$ANCHORS_BUILD/netty-tls-echo/target/classes/bench/NettyTlsEcho.class" ] || \
   [ "$REPO/bench/netty-tls-echo/pom.xml" -nt "$ANCHORS_BUILD/netty-tls-echo/target/classes/bench/NettyTlsEcho.class" ]; then
  rm -rf "$ANCHORS_BUILD/netty-tls-echo"
  mkdir -p "$ANCHORS_BUILD/netty-tls-echo"
  cp -r "$REPO/bench/netty-tls-echo/pom.xml" "$REPO/bench/netty-tls-echo/src" "$ANCHORS_BUILD/netty-tls-echo/"
  (cd "$ANCHORS_BUILD/netty-tls-echo" && mvn -q -B package 2>&1 | grep -v '^WARNING' || true)
fi
test -f "$ANCHORS_BUILD/netty-tls-echo/target/classes/bench/NettyTlsEcho.class" || echo "run-benchmarks: netty-tls-echo build failed; netty-nio TLS points will fail to start" >&2
if [ "$build_only" = 1 ]; then echo "built: $BENCH_MODULE_PATH and $ANCHORS_BUILD/{loadgen,epoll_echo,java-vt,netty-echo,netty-tls-echo}"; exit 0; fi

# --- run ---
ulimit -n "$(ulimit -Hn)"          # 10k idle connections need > 10k descriptors on each side
[ "$(ulimit -n)" -ge 10100 ] || echo "run-benchmarks: warning: ulimit -n $(ulimit -n) < 10100, rss10000 will fail" >&2
stamp=$(date +%Y%m%d-%H%M%S)
out="$REPO/bench/results/$stamp"
[ -z "$paired" ] || out="$REPO/bench/results/paired-$stamp"
mkdir -p "$out"

driver=""
cleanup() {
  # stop the driver (it stops its servers), then any server pid it recorded and left behind
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$driver" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$out/server.pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done < "$out/server.pids"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$paired" ]; then
  # two servers up at once, the generator alternating between them (bench/paired.py): --paired A,B
  python3 "$REPO/bench/paired.py" --a "${paired%%,*}" --b "${paired#*,}" --out-dir "$out" ${args[@]+"${args[@]}"} &
else
  python3 "$REPO/bench/matrix.py" --out-dir "$out" ${args[@]+"${args[@]}"} &
fi
driver=$!
rc=0
wait "$driver" || rc=$?
driver=""
if [ -z "$paired" ]; then   # paired.py writes its own paired.md
  python3 "$REPO/bench/report.py" "$out/points.jsonl" --out-dir "$out"
  echo "results: $out/points.jsonl $out/tables.md $out/throughput.svg"
fi
exit "$rc"
