#!/usr/bin/env bash
# RefNum list pages on the scale demo: every list page of issue 15 under wrk,
# with the server's CPU per request (and PostgreSQL's), p50/p90/p99.
#
# Usage: bench/listes.sh sqlite|postgres
#
# Same options and steps as bench/parc.sh (BENCH_SCALE, default 50;
# BENCH_DATA to measure an already filled data directory or PostgreSQL
# database several times; BENCH_SKIP_BUILD, BENCH_DURATION, BENCH_WARMUP,
# BENCH_CONNECTIONS, BENCH_PG_URL, BENCH_KEEP), plus BENCH_WEEK (the week of
# the resource's page and, its Tuesday, the school's day; 2027-01-11) and
# BENCH_ONLY (names of the pages to measure, e.g. "techall tickets"; all by
# default).
# Signs in as the first scale school's referent and, for the support
# organisation's list of every status, as its technician (who needs no
# second factor). Three interleaved runs per backend: run it three times
# alternating the backends, on BENCH_DATA filled once for each.
set -euo pipefail
bench_name="bench/listes.sh"
bench_id="listes"
bench_title="list pages"
# shellcheck source=bench/scale_lib.sh
. "$(dirname "$0")/scale_lib.sh"

week="${BENCH_WEEK:-2027-01-11}"
curl -fsS -H "$cookie" "$base/etablissements/$etab/reservations" >"$tmp/resources.html"
resource="$(grep -o "/etablissements/$etab/reservations/ressources/[0-9a-f-]\{36\}" "$tmp/resources.html" | head -1 | awk -F/ '{ print $NF }')"
[ -n "$resource" ] || die "no bookable resource on the school's resources page"
tuesday="$(date -u -d "$week + 1 day" +%F)"

# The technician of the demo's support organisation, signed in like the
# referent (scale_lib.sh): the demo password given to `refnum demo`.
tech_jar="$tmp/tech_cookies.txt"
curl -fsS -c "$tech_jar" -b "$tech_jar" "$base/connexion" >"$tmp/tech_login.html"
tech_csrf="$(grep -o 'name="csrf_token" value="[^"]*"' "$tmp/tech_login.html" | head -1 | sed 's/.*value="//; s/"$//')"
code="$(curl -sS -o /dev/null -w '%{http_code}' -c "$tech_jar" -b "$tech_jar" \
  --data-urlencode "csrf_token=$tech_csrf" --data-urlencode "email=technicien@assistance.test" \
  --data-urlencode "password=$password" "$base/connexion")"
[ "$code" = 303 ] || die "the technician's sign-in answered $code, not 303"
tech_session="$(awk '$6 == "refnum_session" { v = $7 } END { print v }' "$tech_jar")"
[ -n "$tech_session" ] || die "no session cookie for the technician"
referent_cookie="$cookie"
page() { # name path
  case " ${BENCH_ONLY:-$1} " in
    *" $1 "*) run "$1" "$2" ;;
  esac
}

page tickets "/assistance"
page ticketsall "/assistance?statut=all"
cookie="Cookie: refnum_session=$tech_session"
page techall "/assistance?statut=all"
cookie="$referent_cookie"
page assets "/etablissements/$etab/parc"
page loans "/etablissements/$etab/prets"
page pupils "/etablissements/$etab/annuaire/eleves"
page staff "/etablissements/$etab/annuaire/personnels"
page week "/etablissements/$etab/reservations/ressources/$resource?semaine=$week"
page day "/etablissements/$etab/reservations/jour?date=$tuesday"
page journal "/etablissements/$etab/journal"
page schools "/etablissements"
summary
