#!/usr/bin/env bash
# Runs fuzz.mjs against a fresh database and a server of its own.
#   tests/contract/fuzz.sh ITAKU_BINARY        (ITAKU_TEST_PG names the cluster)
# FUZZ_SEED, FUZZ_RUNS and FUZZ_RECORD pass through. The server must exit cleanly at the
# end (under ASan this also checks for leaks).
set -euo pipefail
bin=$(realpath "${1:?itaku binary}")
cd "$(dirname "$0")"
: "${ITAKU_TEST_PG:?set ITAKU_TEST_PG (see tests/run.sh)}"
db=itaku_fuzz_$$
psql -q "$ITAKU_TEST_PG" -c "create database $db" >/dev/null
export ITAKU_DATABASE_URL="$ITAKU_TEST_PG dbname=$db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
cleanup() {
  [ -n "${server:-}" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql -q "$ITAKU_TEST_PG" -c "drop database if exists $db" >/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
"$bin" migrate >/dev/null
key=$("$bin" bootstrap --tenant fuzz | tail -n 1)
# A throwaway key that seals webhook secrets (32 bytes of zeros: this
# database is dropped at the end).
ITAKU_SECRET_KEY="fuzz:$(head -c 32 /dev/zero | base64)" \
ITAKU_MAX_BODY_BYTES=65536 \
ITAKU_LISTEN=127.0.0.1:$port ITAKU_WEBHOOK_WORKERS=0 ITAKU_WEBHOOK_ALLOW_PRIVATE=1 ITAKU_LOG_LEVEL=warning \
  "$bin" serve >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
status=0
node fuzz.mjs ../../openapi/openapi.yaml "http://127.0.0.1:$port" "$key" || status=$?
kill -TERM "$server"
if ! wait "$server"; then
  echo "fuzz: the server did not exit cleanly:"; cat "$log"; status=1
fi
server=
exit $status
