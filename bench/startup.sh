#!/usr/bin/env bash
# Measures `serve` start-up time on an existing database (time until the "listening" line and until
# /api/health answers) and idle memory (VmRSS after a few requests and 5 s idle).
# Usage: bench/startup.sh [runs]   (uses target/release/shuzhuan; build it first)
# Results are written down by hand in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
bin=target/release/shuzhuan
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export SHUZHUAN_DATABASE_URL="sqlite://$dir/bench.db" SHUZHUAN_DATA_DIR="$dir" SHUZHUAN_LOG=warn
"$bin" migrate >/dev/null
"$bin" seed-demo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SHUZHUAN_LISTEN="127.0.0.1:$port"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" serve > "$dir/out" 2>/dev/null &
  pid=$!
  until grep -q listening "$dir/out" 2>/dev/null; do sleep 0.005; done
  listening=$(( ($(date +%s%N) - start) / 1000000 ))
  until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.005; done
  healthy=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$i" = "$runs" ]; then
    for _ in $(seq 20); do curl -sf "http://127.0.0.1:$port/api/regions?parent=440000" >/dev/null; done
    sleep 5
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    echo "idle RSS after 20 requests + 5 s: $((rss / 1024)) MiB"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $i: listening after ${listening} ms, healthy after ${healthy} ms"
done
