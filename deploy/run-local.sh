#!/usr/bin/env bash
# Builds itaku, starts a throwaway PostgreSQL under .local/, migrates, loads
# demo data, prints an admin API key and the base URL, and serves until
# Ctrl-C (which also stops PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

deploy/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

pgport=${ITAKU_PG_PORT:-54329}
pgport=$(deploy/pgcluster.sh start "$root/.local/pg" "$pgport")
trap 'deploy/pgcluster.sh stop "$root/.local/pg"' EXIT
psql -q -h 127.0.0.1 -p "$pgport" -U itaku -d postgres -tAc \
  "select 1 from pg_database where datname = 'itaku'" | grep -q 1 ||
  psql -q -h 127.0.0.1 -p "$pgport" -U itaku -d postgres -c "create database itaku"

export ITAKU_DATABASE_URL="postgresql://itaku@127.0.0.1:$pgport/itaku"
export ITAKU_LISTEN=${ITAKU_LISTEN:-127.0.0.1:8080}
# A throwaway local stack: let webhooks reach receivers on this machine.
export ITAKU_WEBHOOK_ALLOW_PRIVATE=${ITAKU_WEBHOOK_ALLOW_PRIVATE:-1}
# The key that seals webhook signing secrets, made once and kept beside the
# local database (losing it makes the stored secrets unusable).
if [ -z "${ITAKU_SECRET_KEY:-}" ]; then
  [ -s .local/secret-key ] || (umask 077 && echo "local:$(head -c 32 /dev/urandom | base64)" > .local/secret-key)
  ITAKU_SECRET_KEY=$(cat .local/secret-key)
fi
export ITAKU_SECRET_KEY
build/itaku migrate
key=$(build/itaku bootstrap --tenant demo | tail -n 1)
deploy/demo-data.sh "http://$ITAKU_LISTEN" "$key" &

cat <<EOT

  itaku is starting on http://$ITAKU_LISTEN   (Ctrl-C stops it and PostgreSQL)
  admin API key for tenant "demo" (shown once):
    $key
  try:
    curl -H "Authorization: Bearer $key" http://$ITAKU_LISTEN/v1/api-keys
    curl http://$ITAKU_LISTEN/openapi.json
  webhooks: run build/tests/itaku-receiver 9999 and subscribe http://127.0.0.1:9999/hooks

EOT
build/itaku serve
