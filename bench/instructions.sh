#!/usr/bin/env bash
# Instructions per request of one page, counted by valgrind's callgrind:
# the same binary, data and request give the same count whatever else the
# machine is doing (unlike CPU time), so a change is measured on a shared
# machine. Counts the whole server process (every thread, SQLite included;
# not PostgreSQL's own processes).
#
# Usage: bench/instructions.sh DATA PATH [N]
#   DATA  a data directory filled by `refnum demo` (`--scale 10` for the
#         list pages of docs/performance.md), or a postgres:// URL
#   PATH  the page, signed in; ETAB stands for the first school listed on
#         /etablissements (e.g. /etablissements/ETAB/parc)
#   N     requests counted (default 20), after 5 not counted
# Options (environment): BENCH_BIN (default: the release binary of
# CARGO_TARGET_DIR or target/), BENCH_EMAIL (default: the first scale
# school's referent), BENCH_PASSWORD (bench-only-password-2026),
# BENCH_PORT (18799), BENCH_KEEP=1 keeps the callgrind file (for
# callgrind_annotate) and prints its name.
# Needs valgrind (Debian: apt-get install valgrind) and curl.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${BENCH_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/refnum}"
data="${1:?usage: bench/instructions.sh DATA PATH [N]}"
path="${2:?usage: bench/instructions.sh DATA PATH [N]}"
n="${3:-20}"
email="${BENCH_EMAIL:-referent.scale01@ac-normandie.test}"
password="${BENCH_PASSWORD:-bench-only-password-2026}"
port="${BENCH_PORT:-18799}"
base="http://127.0.0.1:$port"
die() { echo "bench/instructions.sh: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin is missing (cargo build --release -p refnum)"
command -v valgrind >/dev/null || die "valgrind is required (Debian: apt-get install valgrind)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/refnum-instructions.XXXXXX")"
case "$data" in
  postgres://*) args=(--data-dir "$tmp/data" --database-url "$data") ;;
  *) args=(--data-dir "$data") ;;
esac
REFNUM_LOG=warn valgrind --tool=callgrind --instr-atstart=no \
  --callgrind-out-file="$tmp/callgrind.out" \
  "$bin" serve "${args[@]}" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"' EXIT
for _ in $(seq 600); do
  curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
  sleep 0.2
done
jar="$tmp/cookies"
csrf="$(curl -fsS -c "$jar" -b "$jar" "$base/connexion" |
  grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
code="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" "$base/connexion")"
[ "$code" = 303 ] || die "sign-in as $email answered $code"
etab="$(curl -fsS -b "$jar" "$base/etablissements" | grep -o '/etablissements/[0-9a-f-]\{36\}' | head -1 | cut -d/ -f3)"
url="$base${path//ETAB/$etab}"
for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -b "$jar" "$url" || die "GET $path failed"; done
callgrind_control -i on "$pid" >/dev/null 2>&1
for _ in $(seq "$n"); do curl -fsS -o /dev/null -b "$jar" "$url" || die "GET $path failed"; done
callgrind_control -i off "$pid" >/dev/null 2>&1
callgrind_control -d "$pid" >/dev/null 2>&1
kill "$pid"; wait "$pid" 2>/dev/null || true
total=0
for f in "$tmp"/callgrind.out*; do
  t="$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')"  || true # awk stops reading early
  case "$t" in '' | *[!0-9]*) t=0 ;; esac # "." when the file counted nothing
  total=$((total + t))
done
[ "$total" -gt 0 ] || die "callgrind counted nothing"
printf '%s: %d instructions per request (%d requests, %s)\n' "$path" $((total / n)) "$n" "$("$bin" --version)"
[ -z "${BENCH_KEEP:-}" ] || echo "callgrind files: $tmp/callgrind.out*"
