#!/usr/bin/env bash
# The overview for dashboards at 100,000 vendors (issue 21): ten tenants of
# 10,000 vendors each, seeded with tests/fixtures/overview_seed.sql
# (engagements, certifications, subcontract links, assessments, findings,
# incidents and handovers in proportion), then GET /v1/overview with wrk,
# one client alone (the latency a dashboard sees) and CONNECTIONS at once,
# and pgbench on the same statement (bench/sql/overview.sql) with the same
# client counts, against the same database. Prints both side by side, and
# the plan of one tenant's overview as the function runs it.
#
#   bench/overview.sh [DURATION_S] [CONNECTIONS]       (defaults 20, 16)
#
# Uses ITAKU_DATABASE_URL if set, else a throwaway cluster (bench/lib.sh).
# Seeds once: a second run on the same database reuses the tenants.
# Needs build/itaku, wrk, pgbench, curl, python3. Speed is measured here,
# never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-20}; conns=${2:-16}
port=${ITAKU_BENCH_PORT:-18083}
base="http://127.0.0.1:$port"

. bench/lib.sh

build/itaku migrate >/dev/null
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" -f tests/fixtures/overview_seed.sql
psql -q "$ITAKU_DATABASE_URL" -c "create table if not exists bench_overview_tenants
                                   (n int primary key, id uuid not null, key text not null)"
have=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select count(*) from bench_overview_tenants")
if [ "$have" -lt 10 ]; then
  echo "seeding 10 tenants x 10,000 vendors"
  start=$(date +%s)
  for n in $(seq 1 10); do
    tenant="bench-overview-$n-$(date +%s)"
    key=$(build/itaku bootstrap --tenant "$tenant" | tail -n 1)
    tid=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select id from tenants where name = '$tenant'")
    psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" -c "select overview_seed('$tid', 10000)" >/dev/null
    psql -q "$ITAKU_DATABASE_URL" -c "insert into bench_overview_tenants values ($n, '$tid', '$key')
                                      on conflict (n) do update set id = excluded.id, key = excluded.key"
    echo "  tenant $n seeded ($(( $(date +%s) - start )) s)"
  done
  psql -q "$ITAKU_DATABASE_URL" -c "vacuum analyze"
fi
# A register seeded before the negotiation tables existed gets their rows.
psql -qtA -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" -c "select overview_seed_negotiations(t.id)
  from bench_overview_tenants t
 where not exists (select 1 from security_requests s where s.tenant_id = t.id)" >/dev/null
psql -qtA -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" -c "select overview_seed_torihiki(t.id)
  from bench_overview_tenants t
 where not exists (select 1 from engagements e where e.tenant_id = t.id and e.torihiki_type is not null)" >/dev/null
# The day's chores before the clock starts (the server's scheduler would
# otherwise run them during the first run): the overview's counts (a
# tenant seeded before they were kept is counted), the re-derivation, the
# negotiation rules kept for every request and engagement, the snapshot.
psql -qtA -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" >/dev/null <<'SQL'
do $$
declare more boolean;
begin
    loop select s.more into more from overview_counts_recount_step(1) s; exit when not more; end loop;
    loop select s.more into more from overview_counts_settle_step(20) s; exit when not more; end loop;
    loop select s.more into more from vendors_rederive_step(2000) s; exit when not more; end loop;
    loop select s.more into more from negotiation_risks_step(2000) s; exit when not more; end loop;
    loop select s.more into more from overview_snapshot_step(10) s; exit when not more; end loop;
end
$$;
SQL
psql -q "$ITAKU_DATABASE_URL" -c "vacuum analyze"
psql -qtA "$ITAKU_DATABASE_URL" -c "select 'vendors ' || (select count(*) from vendors) || ', engagements ' ||
  (select count(*) from engagements) || ', certifications ' || (select count(*) from certifications) ||
  ', subcontracts ' || (select count(*) from subcontracts) || ', assessments ' || (select count(*) from assessments) ||
  ', findings ' || (select count(*) from findings) || ', incidents ' || (select count(*) from incidents) ||
  ', handovers ' || (select count(*) from handovers) || ', security requests ' ||
  (select count(*) from security_requests) || ', negotiations ' || (select count(*) from negotiations)"
keys=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select string_agg(key, ' ' order by n) from bench_overview_tenants")
tid=$(psql -qtA "$ITAKU_DATABASE_URL" -c "select id from bench_overview_tenants where n = 1")

# The plan the function runs (its cached generic plan, third call of a
# session), from auto_explain: every node that took 2 ms or more, and the
# total. Needs a superuser (LOAD), as the seeding does.
echo; echo "plan of one tenant's overview (nodes of 2 ms or more, third call of a session):"
psql -q "$ITAKU_DATABASE_URL" >/tmp/bench-overview-plan.txt 2>&1 <<SQL
load 'auto_explain';
set auto_explain.log_min_duration = 0;
set auto_explain.log_nested_statements = on;
set auto_explain.log_analyze = on;
set auto_explain.log_buffers = on;
set client_min_messages = log;
\o /dev/null
select overview_json('$tid', null, null, null, null, true);
select overview_json('$tid', null, null, null, null, true);
select 'third call';
select overview_json('$tid', null, null, null, null, true);
SQL
python3 - /tmp/bench-overview-plan.txt <<'PY'
import re, sys
text = open(sys.argv[1]).read()
third = text[text.index("third call"):]
plan = third[third.index("Query Text: (\nwith"):]
plan = plan[:plan.index("LOG:", 10)] if "LOG:" in plan[10:] else plan
for line in plan.splitlines():
    m = re.search(r"actual time=([0-9.]+)\.\.([0-9.]+) rows=(\d+) loops=(\d+)", line)
    if m and float(m.group(2)) * int(m.group(4)) >= 2:
        print(re.sub(r"\(cost=[^)]*\) ", "", line.rstrip())[:160])
print(re.findall(r"duration: [0-9.]+ ms", third)[-1])
PY

bench_serve "$port"
wrk_run() {   # threads connections
  BENCH_KEYS=$keys wrk -t"$1" -c"$2" -d"${dur}s" --timeout 60s --latency -s bench/overview.lua "$base" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=$NF}
         END {printf "%s %s %s %s %s\n", rps, p50, p90, p99, bad ? bad : 0}'
}
pgbench_run() {   # clients
  pgbench -n -M prepared -c "$1" -j "$(( $1 < 2 ? 1 : 2 ))" -T "$dur" -r -f bench/sql/overview.sql \
    "$ITAKU_DATABASE_URL" 2>&1 |
    awk '/^tps/ {tps=$3} /latency average/ {lat=$4} END {printf "%d %s\n", tps, lat}'
}
# Warm-up, not measured: every pooled connection plans the statement once
# (its first call costs 100-150 ms more), and the scheduler's start-up
# scans are over.
BENCH_KEYS=$keys wrk -t2 -c16 -d10s --timeout 60s -s bench/overview.lua "$base" >/dev/null 2>&1
h1=$(wrk_run 1 1); p1=$(pgbench_run 1)
hn=$(wrk_run 2 "$conns"); pn=$(pgbench_run "$conns")

printf '\n%-28s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' "GET /v1/overview" "http req/s" p50 p90 p99 non-2xx \
  "pgbench tps" "avg ms" ratio
for row in "1 client:$h1:$p1" "$conns connections:$hn:$pn"; do
  IFS=: read -r name h p <<<"$row"
  read -r rps p50 p90 p99 bad <<<"$h"
  read -r tps lat <<<"$p"
  printf '%-28s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' "$name" "$rps" "$p50" "$p90" "$p99" "$bad" \
    "$tps" "$lat" "$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
done
echo "(${dur}s each; ratio = HTTP requests/s over pgbench tps on the same statement)"
