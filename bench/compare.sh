#!/usr/bin/env bash
# Runs bench/run.sh against itaku started with each setting being compared:
# thread model (thread per connection vs epoll pools) and the API-key cache.
# Needs the cluster from deploy/run-local.sh (or any ITAKU_DATABASE_URL).
#   bench/compare.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}
export ITAKU_DATABASE_URL=${ITAKU_DATABASE_URL:-postgresql://itaku@127.0.0.1:54329/itaku}
export ITAKU_LOG_LEVEL=${ITAKU_LOG_LEVEL:-warning}
build/itaku migrate >/dev/null
key=$(build/itaku bootstrap --tenant bench | tail -n 1)
port=18080

trial() {
  local label=$1; shift
  env "$@" ITAKU_LISTEN=127.0.0.1:$port build/itaku serve >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== $label"
  bench/run.sh "http://127.0.0.1:$port" "$key" "$dur"
  kill -TERM $pid; wait $pid || true
}

trial "thread per connection, key cache on"  ITAKU_HTTP_THREADS=0
trial "epoll pool of 2, key cache on"        ITAKU_HTTP_THREADS=2
trial "epoll pool of 4, key cache on"        ITAKU_HTTP_THREADS=4
trial "epoll pool of 8, key cache on"        ITAKU_HTTP_THREADS=8
trial "epoll pool of 4, key cache off"       ITAKU_HTTP_THREADS=4 ITAKU_AUTH_CACHE_TTL_S=0
