# Shared part of the scale benchmarks (bench/parc.sh, bench/reservations.sh):
# builds the release binary, fills a throw-away data directory or PostgreSQL
# database with `refnum demo --scale N` (or uses BENCH_DATA), starts the
# server, signs in as the first scale school's referent and defines `run NAME
# PATH` (one wrk measurement, checked before and after) and `summary`.
# The sourcing script sets bench_name, bench_id and bench_title first.
# Options: see the scripts' headers and bench/README.md.
export LC_ALL=C

die() { echo "$bench_name: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required ($2)"; }

backend="${1:-}"
case "$backend" in
  sqlite | postgres) ;;
  *) die "usage: $bench_name sqlite|postgres" ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
scale="${BENCH_SCALE:-50}"
port="${BENCH_PORT:-18788}"
duration="${BENCH_DURATION:-20s}"
warmup="${BENCH_WARMUP:-5s}"
conns="${BENCH_CONNECTIONS:-16}"
threads="${BENCH_THREADS:-2}"
pg_base="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
# The server's connection to PostgreSQL on loopback, without TLS (what the
# figures of docs/performance.md measure); BENCH_PG_PARAMS="" keeps the
# driver's default (TLS when the server offers it).
pg_params="${BENCH_PG_PARAMS-sslmode=disable}"
base="http://127.0.0.1:$port"
email="referent.scale01@ac-normandie.test"
password="bench-only-password-2026"

need wrk "Debian: apt-get install wrk"
need curl "Debian: apt-get install curl"
if [ "$backend" = postgres ]; then need psql "Debian: apt-get install postgresql-client"; fi

while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^REFNUM_' || true)
export REFNUM_LOG="warn,refnum=info"
export NO_COLOR=1

# --- build ------------------------------------------------------------------
cd "$root"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  need cargo "install Rust with rustup"
  cargo build --release --locked -p refnum
fi
bin="${CARGO_TARGET_DIR:-$root/target}/release/refnum"
[ -x "$bin" ] || die "$bin is missing (build it, or unset BENCH_SKIP_BUILD)"

if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  exec 3<&- 3>&-
  die "port $port is in use; choose another with BENCH_PORT"
fi

# --- temporary data and cleanup -----------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/refnum-bench-$bench_id.XXXXXX")"
server_pid=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_db" ]; then
    psql "$pg_base/postgres" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null ||
      echo "$bench_name: could not drop database $pg_db" >&2
  fi
  if [ -n "${BENCH_KEEP:-}" ]; then
    echo "$bench_name: raw outputs kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

demo_needed=1
if [ -n "${BENCH_DATA:-}" ]; then
  demo_needed=""
  case "$BENCH_DATA" in
    postgres://*) db_args=(--data-dir "$tmp/data" --database-url "$BENCH_DATA") ;;
    *) db_args=(--data-dir "$BENCH_DATA") ;;
  esac
else
  db_args=(--data-dir "$tmp/data")
  if [ "$backend" = postgres ]; then
    psql "$pg_base/postgres" -qAtc "CREATE DATABASE \"refnum_bench_${bench_id}_$$\"" >/dev/null
    pg_db="refnum_bench_${bench_id}_$$"
    db_args+=(--database-url "$pg_base/$pg_db${pg_params:+?$pg_params}")
  fi
fi
cd "$tmp"

# --- scale demo -----------------------------------------------------------------
demo_line="(not run: BENCH_DATA)"
if [ -n "$demo_needed" ]; then
  t0="$EPOCHREALTIME"
  "$bin" demo "${db_args[@]}" --password "$password" --scale "$scale" >"$tmp/demo.txt" 2>"$tmp/demo.err" ||
    { cat "$tmp/demo.err" >&2; die "refnum demo --scale $scale failed"; }
  t1="$EPOCHREALTIME"
  demo_line="$(grep -o 'Scale demo:.*' "$tmp/demo.err" || true) (wall clock $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"
fi
data_size="-"
if [ "$backend" = sqlite ] && [ -z "${BENCH_DATA:-}" ]; then
  data_size="$(du -sh "$tmp/data" | cut -f1)"
fi

# --- server and sign-in ---------------------------------------------------------
"$bin" serve "${db_args[@]}" --listen "127.0.0.1:$port" >>"$tmp/serve.out" 2>>"$tmp/serve.log" &
server_pid=$!
for i in $(seq 600); do
  curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; die "the server exited"; }
  sleep 0.1
done

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

# The school of the referent, from the home page's links.
curl -fsS -H "$cookie" "$base/" >"$tmp/home.html"
etab="$(grep -o '/etablissements/[0-9a-f-]\{36\}' "$tmp/home.html" | head -1 | cut -d/ -f3)"
[ -n "$etab" ] || die "no school link on the referent's home page"

# Each page must really be served: 200 and a table of 50 rows.
check() {
  local code rows
  code="$(curl -sS -o "$tmp/check.html" -w '%{http_code}' -H "$cookie" "$base$1")"
  [ "$code" = 200 ] || die "GET $1 answered $code, not 200"
  rows="$(grep -c '<tr' "$tmp/check.html" || true)"
  echo "GET $1: $(wc -c <"$tmp/check.html") bytes, $rows table rows" >>"$tmp/pages.txt"
}

wrk_ms() {
  awk -v p="$2" '
    $1 == p {
      v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v)
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : -1
      printf "%.2f", v * f
    }' "$1"
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"; }

# CPU time (ticks, utime + stime) of the server, and of the local PostgreSQL
# server (every live postgres process, plus the backends that already ended,
# which the kernel adds to their parent's cutime + cstime).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
pg_ticks() {
  if [ "$backend" = postgres ]; then
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
      awk '$2 == "(postgres)" { t += $14 + $15 + $16 + $17 } END { print t + 0 }'
  else
    echo 0
  fi
}
clk="$(getconf CLK_TCK)"
# Microseconds of CPU per request: ticks, wrk output.
per_req() {
  awk -v c="$1" -v k="$clk" -v n="$(awk '/ requests in / { print $1 }' "$2")" \
    'BEGIN { printf "%.0f", (n > 0) ? c / k * 1e6 / n : 0 }'
}

rows=()
run() { # name path
  local c0 c1 p0 p1 load
  check "$2"
  wrk -t"$threads" -c"$conns" -d"$warmup" -H "$cookie" "$base$2" >"$tmp/warmup_$1.txt"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  c0="$(cpu_ticks "$server_pid")"
  p0="$(pg_ticks)"
  wrk -t"$threads" -c"$conns" -d"$duration" --latency -H "$cookie" "$base$2" >"$tmp/wrk_$1.txt"
  c1="$(cpu_ticks "$server_pid")"
  p1="$(pg_ticks)"
  check "$2"
  echo "--- wrk: GET $2 ---" >&2
  cat "$tmp/wrk_$1.txt" >&2
  local pgcpu="-"
  [ "$backend" = postgres ] && pgcpu="$(per_req $((p1 - p0)) "$tmp/wrk_$1.txt")"
  rows+=("$(printf '%-10s %9s %7s %7s %7s %8s %8s %6s %7s  %s' "$1" "$(rps "$tmp/wrk_$1.txt")" \
    "$(wrk_ms "$tmp/wrk_$1.txt" 50%)" "$(wrk_ms "$tmp/wrk_$1.txt" 90%)" \
    "$(wrk_ms "$tmp/wrk_$1.txt" 99%)" "$(per_req $((c1 - c0)) "$tmp/wrk_$1.txt")" "$pgcpu" \
    "$load" "$(non2xx "$tmp/wrk_$1.txt")" "$2")")
}

summary() {
counts="-"
if [ "$backend" = postgres ] && [ -n "$pg_db" ]; then
  counts="$(psql "$pg_base/$pg_db" -qAtc "SELECT (SELECT COUNT(*) FROM etablissements) || ' schools, ' || (SELECT COUNT(*) FROM parc_assets) || ' assets, ' || (SELECT COUNT(*) FROM tickets) || ' tickets, ' || (SELECT COUNT(*) FROM bookings) || ' bookings'" 2>/dev/null || echo -)"
fi

cat <<SUMMARY

===== RefNum $bench_title benchmark: $backend, demo --scale $scale =====
date              $(date -u +%Y-%m-%dT%H:%MZ)
machine           $(nproc) CPUs, $(lscpu | awk -F: '/^Model name/ { sub(/^ +/, "", $2); print $2; exit }'), $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM
versions          $("$bin" --version); $({ wrk -v 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')$( [ "$backend" = postgres ] && echo "; PostgreSQL $(psql "$pg_base/postgres" -qAtc 'SHOW server_version')")
scale demo        $demo_line
data              $data_size on disk (SQLite); $counts
load average      $(cut -d' ' -f1-3 /proc/loadavg)
wrk               -t$threads -c$conns -d$duration --latency (after a $warmup warm-up), signed in as $email
$(printf '%-10s %9s %7s %7s %7s %8s %8s %6s %7s  %s' "" "req/s" "p50 ms" "p90 ms" "p99 ms" "app cpu" "db cpu" "load" "non2xx" "GET")
$(printf '%-10s %9s %7s %7s %7s %8s %8s %6s %7s' "" "" "" "" "" "us/req" "us/req" "1 min" "")
$(printf '%s\n' "${rows[@]}")
$(cat "$tmp/pages.txt" | sort -u)
server log        $(grep -cE ' (WARN|ERROR) ' "$tmp/serve.log" || true) WARN/ERROR lines
SUMMARY
}
