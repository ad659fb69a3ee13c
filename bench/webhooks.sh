#!/usr/bin/env bash
# Webhook delivery: throughput from the outbox to a local receiver that
# answers at once, and the time from an incident POST to its webhook
# arriving.
#
#   bench/webhooks.sh [EVENTS] [LATENCY_SAMPLES]     (defaults 20000, 300)
#
# Set RECEIVER_DELAY_MS (e.g. 50) to make the receiver answer after that
# long, like one across a network.
#
# 1. Throughput: with the API's dispatcher off, EVENTS events are written
#    to the outbox in one transaction, then `itaku worker` starts with 1, 2,
#    4 and 8 threads in turn and the time until every delivery succeeded
#    gives deliveries/s.
# 2. Latency: `itaku serve` with its default 2 dispatcher threads; one
#    incident POST at a time, each timed from just before curl starts to
#    the receiver's arrival timestamp (same clock, same machine). Prints
#    p50/p90/p99/max.
#
# Uses ITAKU_DATABASE_URL if set; otherwise starts its own throwaway
# cluster under .local/pg-bench. Needs build/itaku and build/tests/itaku-receiver.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-20000}
samples=${2:-300}
port=${ITAKU_BENCH_PORT:-18082}
rport=${ITAKU_BENCH_RECEIVER_PORT:-18083}

. bench/lib.sh
sql() { psql -qtA -v ON_ERROR_STOP=1 "$ITAKU_DATABASE_URL" "$@"; }
export ITAKU_WEBHOOK_ALLOW_PRIVATE=1

build/itaku migrate >/dev/null
key=$(build/itaku bootstrap --tenant bench-webhooks | tail -n 1)
tenant=$(sql -c "select id from tenants where name = 'bench-webhooks'")
log=$(mktemp)
build/tests/itaku-receiver "$rport" "${RECEIVER_DELAY_MS:-0}" > "$log" &
receiver=$!
cleanup_receiver() { kill -TERM $receiver 2>/dev/null || true; rm -f "$log"; }

# Only this run's subscription, and an empty outbox for this tenant.
sql -c "delete from webhook_subscriptions where tenant_id = '$tenant'" >/dev/null
sql -c "insert into webhook_subscriptions (tenant_id, url, event_types, secret)
        values ('$tenant', 'http://127.0.0.1:$rport/hooks', '{*}',
                'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')" >/dev/null

echo "== throughput: $events deliveries from the outbox (receiver delay ${RECEIVER_DELAY_MS:-0} ms)"
for threads in 1 2 4 8; do
  sql -c "delete from webhook_deliveries where tenant_id = '$tenant'" >/dev/null
  sql -c "select count(webhook_emit('$tenant', 'incident.reported', null,
                 jsonb_build_object('n', n, 'title', repeat('x', 200))))
            from generate_series(1, $events) n" >/dev/null
  start=$(date +%s%N)
  ITAKU_WEBHOOK_WORKERS=$threads build/itaku worker >/dev/null 2>&1 &
  worker=$!
  while [ "$(sql -c "select count(*) from webhook_deliveries where tenant_id = '$tenant' and status = 'pending'")" != 0 ]; do
    sleep 0.05
  done
  end=$(date +%s%N)
  kill -TERM $worker; wait $worker || true
  awk -v n="$events" -v t="$threads" -v ns=$((end - start)) \
    'BEGIN { printf "  %d dispatcher threads: %.0f deliveries/s (%.2f s)\n", t, n / (ns / 1e9), ns / 1e9 }'
done

echo "== latency: incident POST to webhook arrival, $samples samples"
: > "$log.posts"
ITAKU_WEBHOOK_WORKERS=2 bench_serve "$port"
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true; cleanup_receiver; rm -f "$log.posts"; [ -n "${pgport:-}" ] && deploy/pgcluster.sh stop "$PWD/.local/pg-bench"' EXIT
vendor=$(curl -fs -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d '{"name":"bench vendor"}' "http://127.0.0.1:$port/v1/vendors" | sed 's/.*"id" *: *"\([^"]*\)".*/\1/; s/^{"id":"\([^"]*\)".*/\1/')
for _ in $(seq "$samples"); do
  t0=$(date +%s%N)
  id=$(curl -fs -H "Authorization: Bearer $key" -H 'content-type: application/json' \
    -d "{\"vendor_id\":\"$vendor\",\"title\":\"bench\",\"category\":\"other\",\"severity\":\"low\",\"detected_at\":\"2026-01-05T09:00:00+09:00\"}" \
    "http://127.0.0.1:$port/v1/incidents" | grep -o '"id" *: *"[^"]*"' | head -1 | grep -o '[0-9a-f-]\{36\}')
  echo "$t0 $id" >> "$log.posts"
done
sleep 1
sql -c "select e.id, e.resource_id, (extract(epoch from e.created_at) * 1e9)::bigint from webhook_events e
         where e.tenant_id = '$tenant' and e.type = 'incident.reported' and e.resource_id is not null" |
  tr '|' ' ' | sort -k2 > "$log.events"
# event id, POST start, transaction start (the event's created_at)
sort -k2 "$log.posts" | join -1 2 -2 2 - "$log.events" | awk '{ print $3, $2, $4 }' | sort > "$log.sent"
sort -k2 "$log" | awk '{ print $2, $1 }' | sort > "$log.arrived"
join "$log.sent" "$log.arrived" > "$log.joined"
n=$(wc -l < "$log.joined")
report() {   # $1 label, $2 awk expression for the start column
  awk "{ printf \"%.3f\\n\", (\$4 - $2) / 1e6 }" "$log.joined" | sort -n > "$log.ms"
  pct() { awk -v p="$1" -v n="$n" 'NR == int((n - 1) * p / 100) + 1 { print; exit }' "$log.ms"; }
  echo "  $1: p50 $(pct 50) ms, p90 $(pct 90) ms, p99 $(pct 99) ms, max $(tail -1 "$log.ms") ms"
}
echo "  matched $n of $samples"
report "POST sent -> webhook arrived      " '$2'
report "incident committed -> webhook arrived" '$3'
rm -f "$log.events" "$log.sent" "$log.arrived" "$log.joined" "$log.ms"
