#!/usr/bin/env bash
# RefNum directory import benchmark: time and peak memory of `refnum import`
# on a synthetic AAF feed (bench/gen_aaf.py) and on the real fixture files.
#
# Usage: bench/import.sh sqlite|postgres [PUPILS]
#
# Builds the release binary, generates the feed (PUPILS pupils, default
# 100000, with two guardians each) unless it is already in
# $BENCH_AAF_DIR, creates a throw-away demo académie (a temporary SQLite data
# directory, or a fresh PostgreSQL database dropped at the end), then runs,
# each under /usr/bin/time -v:
#   1. the first import of the feed (the school is created from EtabEducNat),
#   2. the same import again (0 changes expected),
#   3. each fixture source (STS, AAF, ONDE) into its school.
# Each line gives the wall time, the CPU time (user + system) and the peak
# resident memory of the process. With xmllint on the PATH (Debian:
# libxml2-utils), the CPU time of `xmllint --stream --noout` on the same feed
# is printed first, as the yardstick of reading those bytes at all.
#
# Options (environment): BENCH_SKIP_BUILD=1 uses the binary already built;
# CARGO_TARGET_DIR is honoured; BENCH_AAF_DIR, BENCH_FIXTURES, BENCH_PG_URL.
set -euo pipefail
export LC_ALL=C

die() { echo "bench/import.sh: $*" >&2; exit 1; }
backend="${1:-}"
case "$backend" in
  sqlite | postgres) ;;
  *) die "usage: bench/import.sh sqlite|postgres [PUPILS]" ;;
esac
pupils="${2:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="${BENCH_FIXTURES:-$root/../shared/fixtures}"
feed="${BENCH_AAF_DIR:-/tmp/refnum-aaf-$pupils}"
pg_base="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
[ -x /usr/bin/time ] || die "/usr/bin/time is required (Debian: apt-get install time)"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  cargo build --release --locked -p refnum --manifest-path "$root/Cargo.toml" >&2
fi
bin="${CARGO_TARGET_DIR:-$root/target}/release/refnum"
[ -x "$bin" ] || die "$bin is missing (build it, or unset BENCH_SKIP_BUILD)"

if [ ! -f "$feed/.complete" ]; then
  mkdir -p "$feed"
  python3 "$root/bench/gen_aaf.py" --pupils "$pupils" --out "$feed" >&2
  touch "$feed/.complete"
fi

data="$(mktemp -d)"
db_args=(--data-dir "$data")
cleanup() {
  rm -rf "$data"
  if [ "$backend" = postgres ]; then psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true; fi
}
if [ "$backend" = postgres ]; then
  pgdb="refnum_bench_import_$$"
  psql "$pg_base/postgres" -qc "CREATE DATABASE $pgdb" >/dev/null
  db_args+=(--database-url "$pg_base/$pgdb?sslmode=disable")
fi
trap cleanup EXIT

"$bin" demo "${db_args[@]}" --password bench-only-password-2026 >/dev/null

measure() { # label, then the refnum arguments
  local label="$1"; shift
  local log; log="$(mktemp)"
  /usr/bin/time -v "$bin" "$@" "${db_args[@]}" >"$log.out" 2>"$log" || { cat "$log.out" "$log" >&2; die "$label failed"; }
  local secs cpu rss changes
  secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
  cpu="$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u+s}' "$log")"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")"
  changes="$(awk '/^Appliqué :/ {print $3}' "$log.out")"
  printf '%-44s %10s %8s s %6s MB %10s changes\n' "$label" "$secs" "$cpu" "$rss" "${changes:-?}"
  rm -f "$log" "$log.out"
}

echo "backend: $backend   feed: $feed ($(du -sh "$feed" | cut -f1))"
if command -v xmllint >/dev/null; then
  xlog="$(mktemp)"
  /usr/bin/time -v xmllint --stream --noout "$feed"/*.xml 2>"$xlog" >/dev/null || true
  awk -F': ' '/Elapsed \(wall clock\)/ {w=$2} /User time/ {u=$2} /System time/ {s=$2}
    END {printf "xmllint --stream on the feed: wall %s, CPU %.2f s\n", w, u+s}' "$xlog"
  rm -f "$xlog"
fi
printf '%-44s %10s %10s %9s %18s\n' "run" "wall" "CPU" "peak RSS" ""
measure "AAF $pupils pupils, first import" import aaf "$feed"/*.xml --etablissement 0141234X --create-etablissement
measure "AAF $pupils pupils, same feed again" import aaf "$feed"/*.xml --etablissement 0141234X
measure "STS fixture (lycée, 139 staff)" import sts "$fixtures"/sts/*.xml --etablissement 0770935Y --create-etablissement
measure "AAF fixture (9 files, school 0059951P)" import aaf "$fixtures"/aaf/*.xml --etablissement 0059951P --create-etablissement
measure "ONDE fixture (3 CSV, 247 pupils)" import onde "$fixtures"/be1d/*.csv --etablissement 0141816Y
