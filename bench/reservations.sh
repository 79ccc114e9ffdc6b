#!/usr/bin/env bash
# RefNum bookings benchmark on the scale demo: the throughput and latency of
# a bookable resource's week view (and of the school's day view) under wrk,
# signed in, on a school with a school year of bookings.
#
# Usage: bench/reservations.sh sqlite|postgres
#
# `refnum demo --scale N` gives each scale school a timetable (M1-M5, S1-S4,
# zone B), two bookable carts and its own computer room and CDI made
# bookable, and books each of these four resources on about 7 slots in 10 of
# every school day from 1 September 2026 to 2 July 2027. The script measures
# the week of BENCH_WEEK (default 2027-01-11) of the first bookable resource
# listed on the bookings home, and the school's day of the Tuesday of that
# week. Same options as
# bench/parc.sh (BENCH_SCALE, BENCH_DATA, BENCH_SKIP_BUILD, BENCH_DURATION,
# BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_PG_URL…), plus BENCH_WEEK.
set -euo pipefail
bench_name="bench/reservations.sh"
bench_id="reservations"
bench_title="bookings"
# shellcheck source=bench/scale_lib.sh
. "$(dirname "$0")/scale_lib.sh"

week="${BENCH_WEEK:-2027-01-11}"
curl -fsS -H "$cookie" "$base/etablissements/$etab/reservations" >"$tmp/resources.html"
resource="$(grep -o "/etablissements/$etab/reservations/ressources/[0-9a-f-]\{36\}" "$tmp/resources.html" | head -1 | awk -F/ '{ print $NF }')"
[ -n "$resource" ] || die "no bookable resource on the school's resources page"
tuesday="$(date -u -d "$week + 1 day" +%F)"

run week "/etablissements/$etab/reservations/ressources/$resource?semaine=$week"
run day "/etablissements/$etab/reservations/jour?date=$tuesday"
summary
