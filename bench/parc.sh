#!/usr/bin/env bash
# RefNum parc and helpdesk benchmark on the scale demo: the time of
# `refnum demo --scale N`, then the throughput and latency of the signed-in
# ticket list and asset list under wrk.
#
# Usage: bench/parc.sh sqlite|postgres
#
# Builds the release binary, fills a throw-away data directory (or a fresh
# PostgreSQL database, dropped at the end) with `refnum demo --scale 50`
# (100,000 assets, 300,000 tickets), signs in as a scale school's referent,
# runs wrk, prints a summary block and cleans up. Options: BENCH_SCALE (50),
# BENCH_PORT, BENCH_DURATION (20s), BENCH_WARMUP (5s), BENCH_CONNECTIONS (16),
# BENCH_THREADS (2), BENCH_PG_URL, BENCH_SKIP_BUILD, BENCH_KEEP, BENCH_DATA
# (an existing SQLite data directory or PostgreSQL URL already filled by
# `refnum demo --scale N`: the demo is not run, only the load).
set -euo pipefail
bench_name="bench/parc.sh"
bench_id="parc"
bench_title="parc/helpdesk"
# shellcheck source=bench/scale_lib.sh
. "$(dirname "$0")/scale_lib.sh"

# The measured pages: 50 rows each, a filter and a sort.
run tickets "/assistance?statut=closed&tri=cree&ordre=desc"
run tickets2 "/assistance?statut=new&tri=priorite"
run assets "/etablissements/$etab/parc?categorie=laptop&tri=achat&ordre=desc"
run assets2 "/etablissements/$etab/parc?etat=in_service&tri=modele&page=5"
[ -n "${BENCH_DASHBOARD:-}" ] && run dashboard "/etablissements/$etab/indicateurs/parc?periode=365"
summary
