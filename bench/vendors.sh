#!/usr/bin/env bash
# The vendor register under load: seeds 100,000 vendors over 10 tenants,
# loads the service with wrk on three endpoints, then runs pgbench on the
# same SQL against the same database and prints both side by side.
#
#   bench/vendors.sh [DURATION_S] [CONNECTIONS]       (defaults 20, 64)
#
# Uses ITAKU_DATABASE_URL if set; otherwise starts its own throwaway
# cluster under .local/pg-bench. Needs build/itaku (deploy/run-local.sh or
# cmake --build build). Speed is measured here, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-20}; conns=${2:-64}
port=${ITAKU_BENCH_PORT:-18081}

. bench/lib.sh

build/itaku migrate >/dev/null
echo "seeding (100,000 vendors over 10 tenants; nothing is added on a rerun)"
psql -q -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" -f bench/sql/seed.sql
keys=""
for t in $(seq 0 9); do
  keys="$keys $(build/itaku bootstrap --tenant "bench-vendors-$t" | tail -n 1)"
done

bench_serve "$port"

declare -A http pg
wrk_run() {
  BENCH_MODE=$1 BENCH_KEYS=$keys BENCH_RUN=$(date +%s%N) \
    wrk -t2 -c"$conns" -d"${dur}s" --latency -s bench/vendors.lua "http://127.0.0.1:$port" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=$NF}
         END {printf "%s %s %s %s %s\n", rps, p50, p90, p99, bad ? bad : 0}'
}
pgbench_run() {
  pgbench -n -M prepared -c "$conns" -j 2 -T "$dur" -f "bench/sql/vendor_$1.sql" \
    "$ITAKU_DATABASE_URL" 2>&1 |
    awk '/^tps/ {tps=$3} /latency average/ {lat=$4} /failed/ {failed=$5}
         END {printf "%d %s %s\n", tps, lat, failed ? failed : 0}'
}

for m in get list create; do
  http[$m]=$(wrk_run $m)
  pg[$m]=$(pgbench_run $m)
done
kill -TERM $server; wait $server || true

printf '\n%-26s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' endpoint "http req/s" p50 p90 p99 non-2xx \
  "pgbench tps" "avg ms" ratio
for m in get list create; do
  read -r rps p50 p90 p99 bad <<<"${http[$m]}"
  read -r tps lat failed <<<"${pg[$m]}"
  case $m in
    get) name="GET /v1/vendors/{id}" ;; list) name="GET /v1/vendors?limit=50" ;; create) name="POST /v1/vendors" ;;
  esac
  printf '%-26s %10s %8s %8s %8s %7s | %10s %9s | %6s\n' "$name" "$rps" "$p50" "$p90" "$p99" "$bad" \
    "$tps" "$lat" "$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", b ? a / b : 0}')"
done
echo "($conns connections, ${dur}s each; ratio = HTTP requests/s over pgbench tps on the same SQL)"
