#!/usr/bin/env bash
# The HTTP thread model: a thread per connection (the default) against the
# epoll pool of 4 that came before it, in one run:
#   1. throughput: wrk on GET /healthz and GET /v1/api-keys/{id}, and
#      pgbench on the same SQL as the latter (the ratio is HTTP over SQL);
#   2. stalls: the same wrk load on GET /v1/api-keys/{id} while 4 other
#      requests (POST /v1/vendors) are held inside their transactions by a
#      lock on the audit chain (4 of the pool's 8 connections stay free):
#      how much of the load is still answered, and how fast.
#
#   bench/threads.sh [DURATION_S] [CONNECTIONS]       (defaults 10, 32)
#
# Uses ITAKU_DATABASE_URL if set; otherwise starts its own throwaway
# cluster under .local/pg-bench. Needs build/itaku.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10}; conns=${2:-32}
port=${ITAKU_BENCH_PORT:-18082}

. bench/lib.sh

build/itaku migrate >/dev/null
key=$(build/itaku bootstrap --tenant bench-threads | tail -n 1)
base="http://127.0.0.1:$port"

wrk_run() {
  wrk -t2 -c"$conns" -d"${dur}s" --timeout 5s --latency -H "Authorization: Bearer $key" "$base$1" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
         /Socket errors/ {gsub(",", ""); to=$NF} /Non-2xx/ {bad=$NF}
         END {printf "%10s req/s  p50 %-8s p99 %-8s timeouts %s  non-2xx %s\n", rps, p50, p99, to ? to : 0, bad ? bad : 0}'
}

trial() {
  local label=$1 threads=$2
  ITAKU_HTTP_THREADS=$threads bench_serve "$port"
  local id tenant
  id=$(curl -fsS -H "Authorization: Bearer $key" "$base/v1/me" | sed -E 's/.*"key_id":"([^"]+)".*/\1/')
  tenant=$(curl -fsS -H "Authorization: Bearer $key" "$base/v1/me" | sed -E 's/.*"tenant_id":"([^"]+)".*/\1/')
  echo "== $label"
  printf '%-34s %s\n' "GET /healthz" "$(wrk_run /healthz)"
  printf '%-34s %s\n' "GET /v1/api-keys/{id}" "$(wrk_run "/v1/api-keys/$id")"
  printf '%-34s %10s tps\n' "pgbench, same SQL" "$(pgbench -n -M prepared -c "$conns" -j 2 -T "$dur" \
    -D tenant="$tenant" -D id="$id" -f bench/sql/api_key_get.sql "$ITAKU_DATABASE_URL" 2>&1 |
    awk '/^tps/ {printf "%d", $3}')"

  # Hold 4 writers inside their transactions: they wait for the audit
  # chain head that this psql session locks for the length of the run.
  psql -q "$ITAKU_DATABASE_URL" -c "begin; select 1 from audit_chain_heads for update; select pg_sleep($dur + 4); commit" >/dev/null &
  local holder=$! pids=()
  sleep 0.5
  for i in $(seq 4); do
    curl -s -o /dev/null -m $((dur + 10)) -X POST -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' -d "{\"name\":\"held $i\"}" "$base/v1/vendors" &
    pids+=($!)
  done
  sleep 0.5
  printf '%-34s %s\n' "GET /v1/api-keys/{id}, 4 held" "$(wrk_run "/v1/api-keys/$id")"
  wait "$holder" "${pids[@]}" || true
  kill -TERM "$server"; wait "$server" 2>/dev/null || true
}

trial "thread per connection (default)" 0
trial "epoll pool of 4 (before)" 4
echo "($conns connections, ${dur}s each; wrk --timeout 5s)"
