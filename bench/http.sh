#!/usr/bin/env bash
# RefNum HTTP benchmark: start-up time, resident memory, and the throughput
# and latency of a signed-in page (GET /) and of GET /healthz under wrk.
#
# Usage: bench/http.sh sqlite|postgres
#
# Builds the release binary, creates a throw-away demo académie (a temporary
# SQLite data directory, or a fresh PostgreSQL database that is dropped at the
# end), measures, prints a summary block and cleans up. Every request goes to
# 127.0.0.1. See bench/README.md for the options (BENCH_* variables).
set -euo pipefail
export LC_ALL=C

die() { echo "bench/http.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required ($2)"; }

backend="${1:-}"
case "$backend" in
  sqlite | postgres) ;;
  *) die "usage: bench/http.sh sqlite|postgres" ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
port="${BENCH_PORT:-18787}"
duration="${BENCH_DURATION:-20s}"
warmup="${BENCH_WARMUP:-5s}"
conns="${BENCH_CONNECTIONS:-16}"
threads="${BENCH_THREADS:-2}"
runs="${BENCH_STARTUP_RUNS:-5}"
pg_base="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
pg_params="${BENCH_PG_PARAMS:-}" # e.g. sslmode=disable, appended to the server's URL
base="http://127.0.0.1:$port"
email="referent.malherbe@ac-normandie.test"
display_name="Julien Roussel" # the demo name of that account
password="bench-only-password-2026"

need wrk "Debian: apt-get install wrk"
need curl "Debian: apt-get install curl"
need awk "Debian: apt-get install gawk or mawk"
if [ "$backend" = postgres ]; then need psql "Debian: apt-get install postgresql-client"; fi

# Only this script's settings reach the server: no refnum.toml, no REFNUM_*
# variable of the caller's shell.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^REFNUM_' || true)
export REFNUM_LOG="warn,refnum=info" # warnings, errors and the "ready" line
export NO_COLOR=1

# --- build ------------------------------------------------------------------
cd "$root"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  need cargo "install Rust with rustup"
  if [ ! -d assets/node_modules/@fontsource/opendyslexic ]; then
    need npm "install Node.js 20 or later"
    npm ci --prefix assets --no-audit --no-fund
  fi
  cargo build --release --locked -p refnum
fi
bin="$root/target/release/refnum"
[ -x "$bin" ] || die "$bin is missing (build it, or unset BENCH_SKIP_BUILD)"

if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  exec 3<&- 3>&-
  die "port $port is in use; choose another with BENCH_PORT"
fi

# --- temporary data and cleanup -----------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/refnum-bench.XXXXXX")"
server_pid=""
pg_db=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    local i
    for i in $(seq 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "bench/http.sh: server $server_pid ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

cleanup() {
  stop_server
  if [ -n "$pg_db" ]; then
    psql "$pg_base/postgres" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null ||
      echo "bench/http.sh: could not drop database $pg_db" >&2
  fi
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "bench/http.sh: raw outputs kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'echo "bench/http.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
set -E # the ERR trap also in functions and command substitutions

db_args=(--data-dir "$tmp/data")
if [ "$backend" = postgres ]; then
  psql "$pg_base/postgres" -qAtc "CREATE DATABASE \"refnum_bench_$$\"" >/dev/null
  pg_db="refnum_bench_$$" # dropped by cleanup from now on
  db_args+=(--database-url "$pg_base/$pg_db${pg_params:+?$pg_params}")
fi
# Run from the temporary directory, so that no refnum.toml is picked up.
cd "$tmp"

# --- helpers ----------------------------------------------------------------
exec {sleep_fd}<> <(:)
nap() { read -r -t "$1" -u "$sleep_fd" _ || true; } # sleep without forking

now_us() { local t="$EPOCHREALTIME"; echo "${t/[.,]/}"; }

start_server() {
  "$bin" serve "${db_args[@]}" --listen "127.0.0.1:$port" >>"$tmp/serve.out" 2>>"$tmp/serve.log" &
  server_pid=$!
}

# One GET /healthz over a bash socket (no process started): true on a 200.
probe_healthz() {
  local line=""
  { exec 4<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" >&4 || true
  IFS= read -r -t 5 line <&4 || true
  exec 4<&- 4>&-
  [[ "$line" == "HTTP/1.1 200"* ]]
}

# Starts the server and waits for the first 200 from /healthz, polling every
# 5 ms; sets elapsed_us to the time from the launch to that 200.
elapsed_us=0
timed_start() {
  local t0 t1
  t0="$(now_us)"
  start_server
  until probe_healthz; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited during start-up"; }
    (($(now_us) - t0 < 60000000)) || die "no 200 from /healthz within 60 s"
    nap 0.005
  done
  t1="$(now_us)"
  elapsed_us=$((t1 - t0))
}

rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime
# CPU time of the local PostgreSQL server: every live postgres process
# (utime + stime), plus the time of the backends that already ended, which
# the kernel adds to their parent's cutime + cstime.
pg_ticks() {
  if [ "$backend" = postgres ]; then
    # A process may end between the glob and the read: ignore cat's status.
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
      awk '$2 == "(postgres)" { t += $14 + $15 + $16 + $17 } END { print t + 0 }'
  else
    echo 0
  fi
}
# Whole machine, from /proc/stat: "busy idle steal" ticks.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6, $9 }' /proc/stat; }
# CPU time of this script's finished children (wrk once it has been waited for).
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

# wrk prints latencies as 812.00us, 1.23ms, 2.01s: convert to milliseconds.
wrk_ms() {
  awk -v p="$2" '
    $1 == p {
      v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v)
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
      printf "%.2f", v * f
    }' "$1"
}
wrk_field() {
  case "$2" in
    rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
    requests) awk '/ requests in / { print $1 }' "$1" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1" ;;
    socket) grep -h 'Socket errors' "$1" | sed 's/^ *//' || true ;;
  esac
}

# Requests seen by the server for one route, by status, between two /metrics
# snapshots: "200:12345" (the server's own count, independent of wrk).
status_delta() {
  awk -v r="route=\"$3\"" '
    FNR == 1 { file++ }
    /^http_requests_total\{/ && index($0, r) {
      match($0, /status="[0-9]+"/); s = substr($0, RSTART + 8, RLENGTH - 9)
      if (file == 1) before[s] += $NF; else after[s] += $NF; seen[s] = 1
    }
    END {
      out = ""
      for (s in seen) if (after[s] - before[s] > 0) out = out sprintf("%s%s:%d", (out == "" ? "" : " "), s, after[s] - before[s])
      print (out == "" ? "none" : out)
    }' "$1" "$2"
}

# run_wrk NAME PATH [HEADER]: warm-up, then the measured run, with /metrics
# snapshots and the server's CPU time around it.
run_wrk() {
  local name="$1" path="$2" hdr=()
  [ -n "${3:-}" ] && hdr=(-H "$3")
  wrk -t"$threads" -c"$conns" -d"$warmup" "${hdr[@]}" "$base$path" >"$tmp/warmup_$name.txt"
  curl -fsS "$base/metrics" >"$tmp/metrics_${name}_before.txt"
  local c0 c1 p0 p1 m0 m1 w0 w1
  cp /proc/loadavg "$tmp/load_$name.txt"
  c0="$(cpu_ticks "$server_pid")"
  p0="$(pg_ticks)"
  w0="$(children_ticks)"
  m0="$(machine_ticks)"
  wrk -t"$threads" -c"$conns" -d"$duration" --latency "${hdr[@]}" "$base$path" >"$tmp/wrk_$name.txt"
  m1="$(machine_ticks)"
  c1="$(cpu_ticks "$server_pid")"
  p1="$(pg_ticks)"
  w1="$(children_ticks)"
  curl -fsS "$base/metrics" >"$tmp/metrics_${name}_after.txt"
  echo $((c1 - c0)) >"$tmp/cpu_$name.txt"
  echo $((p1 - p0)) >"$tmp/pgcpu_$name.txt"
  # Machine time: busy, steal, and the share of the busy time that is
  # neither the server, nor PostgreSQL, nor wrk (other work on the machine).
  echo "$m0 $m1 $((c1 - c0 + p1 - p0 + w1 - w0)) $((w1 - w0))" | awk '{
    b = $4 - $1; i = $5 - $2; s = $6 - $3; o = b - $7
    printf "%s %.0f%% busy (wrk %.0f%%, other processes %.0f%%), %.1f%% steal",
      n, 100 * b / (b + i), 100 * $8 / (b + i), 100 * o / (b + i), 100 * s / (b + i) }' n="$2" >"$tmp/machine_$name.txt"
  echo "--- wrk: GET $path ($name) ---" >&2
  cat "$tmp/wrk_$name.txt" >&2
}

# --- machine and versions -----------------------------------------------------
cpu_model="$(lscpu | awk -F: '/^Model name/ { sub(/^ +/, "", $2); print $2; exit }')"
ram="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
rustc_v="$(rustc --version 2>/dev/null || echo "rustc: not found")"
refnum_v="$("$bin" --version)"
wrk_v="$({ wrk -v 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')"
sqlite_v="unknown"
lsv="$(awk '/^name = "libsqlite3-sys"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$root/Cargo.lock")"
if [ -n "$lsv" ]; then
  h="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"libsqlite3-sys-$lsv"/sqlite3/sqlite3.h 2>/dev/null | head -1 || true)"
  if [ -n "$h" ]; then
    sqlite_v="$(awk '/^#define SQLITE_VERSION / { gsub(/"/, "", $3); print $3; exit }' "$h")"
  fi
  if ldd "$bin" 2>/dev/null | grep -q libsqlite3; then
    sqlite_v="system library ($(ldd "$bin" | awk '/libsqlite3/ { print $3 }'))"
  else
    sqlite_v="$sqlite_v, compiled in (libsqlite3-sys $lsv)"
  fi
fi
pg_v="-"
if [ "$backend" = postgres ]; then
  pg_v="$(psql "$pg_base/postgres" -qAtc 'SHOW server_version')"
fi

# --- demo data ----------------------------------------------------------------
"$bin" demo "${db_args[@]}" --password "$password" >"$tmp/demo.txt" 2>>"$tmp/serve.log"
grep -q "$email" "$tmp/demo.txt" || die "the demo data has no $email"

# --- start-up time ------------------------------------------------------------
# The database is already migrated (by `demo`): this is the start-up of a
# server restarted on existing data.
startup_ms=()
for i in $(seq "$runs"); do
  timed_start
  startup_ms+=("$(awk -v u="$elapsed_us" 'BEGIN { printf "%.1f", u / 1000 }')")
  stop_server
done
startup_median="$(printf '%s\n' "${startup_ms[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
# The server logs its own measure (from after reading the settings to the bind).
app_startup="$(grep -o 'startup_ms=[0-9]*' "$tmp/serve.log" | cut -d= -f2 | tr '\n' ' ' || true)"

# --- the measured server --------------------------------------------------------
timed_start
nap 2
rss_idle="$(rss_kib "$server_pid" VmRSS)"

# Sign in: GET /connexion for the session cookie and the CSRF token, then POST.
jar="$tmp/cookies.txt"
curl -fsS -c "$jar" -b "$jar" "$base/connexion" >"$tmp/login.html"
csrf="$(grep -o 'name="csrf_token" value="[^"]*"' "$tmp/login.html" | head -1 | sed 's/.*value="//; s/"$//')"
[ -n "$csrf" ] || die "no csrf_token in the sign-in page"
code="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" "$base/connexion")"
[ "$code" = 303 ] || die "sign-in answered $code, not 303"
session="$(awk '$6 == "refnum_session" { v = $7 } END { print v }' "$jar")"
[ -n "$session" ] || die "no refnum_session cookie after sign-in"
cookie="Cookie: refnum_session=$session"

# The signed-in page must really be served: 200 with the account's name.
check_home() {
  local code
  code="$(curl -sS -o "$tmp/home.html" -w '%{http_code}' -H "$cookie" "$base/")"
  [ "$code" = 200 ] || die "GET / with the session answered $code, not 200 ($1)"
  grep -q "$display_name" "$tmp/home.html" || die "GET / does not show $display_name: not signed in ($1)"
}
check_home "before the load"
home_bytes="$(wc -c <"$tmp/home.html")"

run_wrk home / "$cookie"
check_home "after the load"
run_wrk healthz /healthz
nap 2
rss_after="$(rss_kib "$server_pid" VmRSS)"
rss_peak="$(rss_kib "$server_pid" VmHWM)"
threads_after="$(rss_kib "$server_pid" Threads)"
stop_server

# --- summary --------------------------------------------------------------------
clk="$(getconf CLK_TCK)"
row() { # name path
  local f="$tmp/wrk_$1.txt" req cpu pgcpu
  req="$(wrk_field "$f" requests)"
  per_req() { awk -v c="$1" -v k="$clk" -v n="$req" 'BEGIN { printf "%.0f", (n > 0) ? c / k * 1e6 / n : 0 }'; }
  cpu="$(per_req "$(cat "$tmp/cpu_$1.txt")")"
  pgcpu="-"
  [ "$backend" = postgres ] && pgcpu="$(per_req "$(cat "$tmp/pgcpu_$1.txt")")"
  printf '%-14s %9s %7s %7s %7s %8s %8s %7s  %s\n' "GET $2" \
    "$(wrk_field "$f" rps)" "$(wrk_ms "$f" 50%)" "$(wrk_ms "$f" 90%)" "$(wrk_ms "$f" 99%)" \
    "$cpu" "$pgcpu" "$(wrk_field "$f" non2xx)" \
    "$(status_delta "$tmp/metrics_$1_before.txt" "$tmp/metrics_$1_after.txt" "$2")"
}
log_issues="$(grep -cE ' (WARN|ERROR) ' "$tmp/serve.log" || true)"

cat <<SUMMARY

===== RefNum HTTP benchmark: $backend${pg_params:+ ($pg_params)} =====
date              $(date -u +%Y-%m-%dT%H:%MZ)
machine           $(nproc) CPUs, $cpu_model, $ram RAM, $(uname -sr)
versions          $refnum_v; $rustc_v; $wrk_v; SQLite $sqlite_v; PostgreSQL server $pg_v
load average      $(cut -d' ' -f1-3 "$tmp/load_home.txt") (before GET /), $(cut -d' ' -f1-3 "$tmp/load_healthz.txt") (before /healthz)
machine CPU       during the runs: $(cat "$tmp/machine_home.txt"); $(cat "$tmp/machine_healthz.txt")
startup ms        median $startup_median of $runs (in launch order: ${startup_ms[*]}); server-logged startup_ms: ${app_startup% }
RSS idle MiB      $(mib "$rss_idle")
RSS after load    $(mib "$rss_after") MiB (peak VmHWM $(mib "$rss_peak") MiB, $threads_after threads)
wrk               -t$threads -c$conns -d$duration --latency (after a $warmup warm-up); GET / page size $home_bytes bytes
$(printf '%-14s %9s %7s %7s %7s %8s %8s %7s  %s' "" "req/s" "p50 ms" "p90 ms" "p99 ms" "app cpu" "db cpu" "non2xx" "statuses seen by the server")
$(printf '%-14s %9s %7s %7s %7s %8s %8s %7s' "" "" "" "" "" "us/req" "us/req" "(wrk)")
$(row home /)
$(row healthz /healthz)
$(for n in home healthz; do wrk_field "$tmp/wrk_$n.txt" socket | sed "s|^|$n: |"; done)
server log        $log_issues WARN/ERROR lines$( [ "$log_issues" != 0 ] && { echo; grep -E ' (WARN|ERROR) ' "$tmp/serve.log" | sed -E 's/^[0-9T:.Z-]+ +//' | sort | uniq -c | sort -rn | head -5; } )
SUMMARY
