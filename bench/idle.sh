#!/usr/bin/env bash
# Idle memory of `refnum serve`: VmRSS, its private (RssAnon) and file-backed
# (RssFile) parts and the threads, read from /proc 2 s after the first 200 of
# GET /healthz. Each data directory is served RUNS times (default 3).
#
# Usage: bench/idle.sh DATA_DIR [DATA_DIR…]
#   (fill one with `refnum demo --data-dir DIR`, or `--scale 50` for the scale demo)
# Options (environment): BENCH_BIN (default: the release binary of
# CARGO_TARGET_DIR or target/), BENCH_PORT (18788), RUNS (3); REFNUM_* settings
# pass through to the server (REFNUM_SQLITE_MMAP_MB=0…).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${BENCH_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/refnum}"
port="${BENCH_PORT:-18788}"
runs="${RUNS:-3}"
[ -x "$bin" ] || { echo "bench/idle.sh: $bin is missing (cargo build --release -p refnum)" >&2; exit 1; }
[ "$#" -ge 1 ] || { echo "usage: bench/idle.sh DATA_DIR [DATA_DIR…]" >&2; exit 1; }
for data in "$@"; do
  for _ in $(seq "$runs"); do
    "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true' EXIT
    up=""
    for _ in $(seq 400); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        exec 3<>"/dev/tcp/127.0.0.1/$port"
        printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
        if head -c 12 <&3 | grep -q 200; then up=1; fi
        exec 3>&-
        [ -n "$up" ] && break
      fi
      sleep 0.025
    done
    [ -n "$up" ] || { echo "bench/idle.sh: the server did not answer on $port" >&2; exit 1; }
    sleep 2
    awk -v d="$data" '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} /^Threads/ {t=$2}
      END {printf "%s: VmRSS %.1f MiB (private %.1f, file-backed %.1f), %d threads\n", d, r/1024, a/1024, f/1024, t}' \
      "/proc/$pid/status"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
