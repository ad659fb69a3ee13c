# Sourced by the bench scripts: run from the repository root, it points
# ITAKU_DATABASE_URL at a database, starting a throwaway cluster under
# .local/pg-bench when none is given (stopped on exit), and quiets the log.
if [ -z "${ITAKU_DATABASE_URL:-}" ]; then
  pgport=$(deploy/pgcluster.sh start "$PWD/.local/pg-bench" 54331)
  trap 'deploy/pgcluster.sh stop "$PWD/.local/pg-bench"' EXIT
  psql -q -h 127.0.0.1 -p "$pgport" -U itaku -d postgres -tAc \
    "select 1 from pg_database where datname = 'itaku'" | grep -q 1 ||
    psql -q -h 127.0.0.1 -p "$pgport" -U itaku -d postgres -c "create database itaku"
  export ITAKU_DATABASE_URL="postgresql://itaku@127.0.0.1:$pgport/itaku"
fi
export ITAKU_LOG_LEVEL=${ITAKU_LOG_LEVEL:-warning}

# Starts the server on port $1 in the background ($server is its pid) and
# waits until it answers; on exit it is stopped before the cluster.
bench_serve() {
  ITAKU_LISTEN=127.0.0.1:$1 build/itaku serve >/dev/null 2>&1 &
  server=$!
  trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true; [ -n "${pgport:-}" ] && deploy/pgcluster.sh stop "$PWD/.local/pg-bench"' EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}
