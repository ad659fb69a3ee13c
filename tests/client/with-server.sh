#!/usr/bin/env bash
# Runs COMMAND against a real itaku server:
#   tests/client/with-server.sh COMMAND [ARG...]
# Creates a database in the test cluster (ITAKU_TEST_PG, as for every
# suite), migrates it, bootstraps tenant "client", starts ITAKU_BIN serve on a
# free port and waits until it is ready, then runs COMMAND with ITAKU_URL
# (http://127.0.0.1:PORT) and ITAKU_KEY (that tenant's admin key) in its
# environment. Afterwards it stops the server, which must exit cleanly, and
# drops the database. Exits with COMMAND's status, or 1 when set-up or the
# shutdown fails. Used by the generated-client check and the browser tests.
set -euo pipefail
: "${ITAKU_TEST_PG:?set ITAKU_TEST_PG (tests/run.sh does)}"
: "${ITAKU_BIN:?set ITAKU_BIN to the itaku binary (CTest does)}"
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

db=itaku_t_client_$$
log=${TMPDIR:-/tmp}/itaku-test-$db.log
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	PGOPTIONS="-c client_min_messages=warning" psql -q "$ITAKU_TEST_PG" -c "drop database if exists $db with (force)" >/dev/null || true
}
trap cleanup EXIT

PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 "$ITAKU_TEST_PG" -c "drop database if exists $db" -c "create database $db" >/dev/null
# Later keywords of a conninfo string override earlier ones.
export ITAKU_DATABASE_URL="$ITAKU_TEST_PG dbname=$db"
"$ITAKU_BIN" migrate >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
ITAKU_KEY=$("$ITAKU_BIN" bootstrap --tenant client | tail -n 1)
export ITAKU_KEY

# A port the kernel says is free now; the server fails to start if another
# process takes it first, and then this script fails.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
export ITAKU_URL=http://127.0.0.1:$port
ITAKU_LISTEN=127.0.0.1:$port "$ITAKU_BIN" serve >>"$log" 2>&1 &
pid=$!
for _ in $(seq 200); do
	kill -0 "$pid" 2>/dev/null || { echo "itaku serve exited; log:" >&2; cat "$log" >&2; pid=; exit 1; }
	curl -fs -o /dev/null "$ITAKU_URL/readyz" && break
	sleep 0.05
done
curl -fs -o /dev/null "$ITAKU_URL/readyz" || { echo "itaku serve is not ready; log: $log" >&2; exit 1; }

status=0
"$@" || status=$?

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
if [ "$rc" != 0 ]; then
	echo "itaku serve exited with $rc after SIGTERM; log:" >&2
	cat "$log" >&2
	exit 1
fi
rm -f "$log"
exit "$status"
