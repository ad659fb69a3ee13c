#!/usr/bin/env bash
# Loads a running itaku with wrk and prints requests/s and latency percentiles.
#
#   bench/run.sh BASE_URL API_KEY [DURATION] [CONNECTIONS]
#
# Endpoints: /healthz (no database), /v1/me (key check only),
# GET /v1/api-keys/{id} (key check + one prepared query), and
# GET /v1/api-keys?limit=20 (a page built by PostgreSQL).
set -euo pipefail
base=${1:?base url}; key=${2:?api key}; dur=${3:-10s}; conns=${4:-32}
threads=2

id=$(curl -fsS -H "Authorization: Bearer $key" "$base/v1/me" | sed -E 's/.*"key_id":"([^"]+)".*/\1/')

run() {
  local name=$1 path=$2
  shift 2
  printf '%-28s ' "$name"
  wrk -t"$threads" -c"$conns" -d"$dur" --latency "$@" "$base$path" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
         /Non-2xx/ {bad=$NF}
         END {printf "%10s req/s   p50 %-8s p90 %-8s p99 %-8s%s\n", rps, p50, p90, p99, bad ? "  non-2xx " bad : ""}'
}

auth=(-H "Authorization: Bearer $key")
run "GET /healthz" /healthz
run "GET /v1/me" /v1/me "${auth[@]}"
run "GET /v1/api-keys/{id}" "/v1/api-keys/$id" "${auth[@]}"
run "GET /v1/api-keys?limit=20" "/v1/api-keys?limit=20" "${auth[@]}"
