#!/usr/bin/env bash
# The chain query on a deep chain: seeds an engagement whose chain is 10
# deep with 1,000 links (100 first-level subcontractors, each with a line
# of nine below it), then measures GET /v1/engagements/{id}/chain with wrk
# and the same SQL with pgbench, each at 1 and at 8 connections.
#
#   bench/chain.sh [DURATION_S]       (default 10)
#
# Uses ITAKU_DATABASE_URL if set; otherwise starts its own throwaway
# cluster under .local/pg-bench. Needs build/itaku.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}
port=${ITAKU_BENCH_PORT:-18081}

. bench/lib.sh
sql() { psql -qtA -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" "$@"; }

build/itaku migrate >/dev/null
key=$(build/itaku bootstrap --tenant bench-chain | tail -n 1)
tenant=$(sql -c "select id from tenants where name = 'bench-chain'")
engagement=$(sql -c "select id from engagements where tenant_id = '$tenant' and title = 'bench chain'")
if [ -z "$engagement" ]; then
  echo "seeding a chain of depth 10 with 1,000 links"
  sql -c "insert into vendors (tenant_id, name, status)
          select '$tenant', 'chain-' || g, 'active' from generate_series(0, 109) g"
  engagement=$(sql -c "insert into engagements (tenant_id, vendor_id, title, contract_type, category,
                         handles_personal_data, confidentiality, subcontracting, subcontract_max_depth)
                       select '$tenant', id, 'bench chain', 'inin', 'data_processing', true, 3, 'allowed', 10
                         from vendors where tenant_id = '$tenant' and name = 'chain-0' returning id" | head -1)
  for d in $(seq 1 10); do
    sql -c "insert into subcontracts (tenant_id, engagement_id, parent_id, vendor_id, parent_vendor_id,
              depth, path, scope, personal_data, confidentiality, reason, equal_obligations,
              equal_obligations_ref, direct_incident_notice, recurrence_prevention,
              status_reports_visible, return_or_erasure, status, decided_at)
            select e.tenant_id, e.id, p.id, v.id, e.vendor_id, 1, '{}', 'bench', true, 2, 'bench',
                   true, 'doc', true, true, true, true, 'approved', now()
              from engagements e join vendors v on v.tenant_id = e.tenant_id
              left join subcontracts p on p.engagement_id = e.id and p.depth = $d - 1
             where e.id = '$engagement'
               and case when $d = 1 then p.id is null and v.name ~ '^chain-([1-9][0-9]?|100)$'
                        else p.id is not null and v.name = 'chain-' || ($d + 99) end"
  done
  sql -c "analyze subcontracts; analyze vendors"
fi
echo "chain: $(sql -c "select count(*) || ' links, depth ' || max(depth) from subcontracts where engagement_id = '$engagement'")"

bench_serve "$port"
bytes=$(curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/engagements/$engagement/chain" | wc -c)
echo "response: $bytes bytes"

printf '\n%-34s %10s %9s %9s %9s\n' run "req/s" p50 p99 "avg ms"
for c in 1 8; do
  threads=$(( c < 2 ? 1 : 2 ))
  wrk -t$threads -c$c -d"${dur}s" --latency -H "Authorization: Bearer $key" \
      "http://127.0.0.1:$port/v1/engagements/$engagement/chain" 2>&1 |
    awk -v name="HTTP GET .../chain, $c conn" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=" non-2xx " $NF}
         END {printf "%-34s %10s %9s %9s %9s%s\n", name, rps, p50, p99, "-", bad}'
  pgbench -n -M prepared -c $c -j $threads -T "$dur" -D tenant="$tenant" -D engagement="$engagement" \
      -f bench/sql/chain_tree.sql "$ITAKU_DATABASE_URL" 2>&1 |
    awk -v name="pgbench same SQL, $c client(s)" '/^tps/ {tps=$3} /latency average/ {lat=$4}
         END {printf "%-34s %10d %9s %9s %9s\n", name, tps, "-", "-", lat}'
done
