#!/usr/bin/env bash
# Installs what is missing, builds (normal and ASan/UBSan), starts a
# throwaway PostgreSQL under .local/pg-test, and runs every test suite in
# both builds, then lints the OpenAPI document and the compose file. The
# generated-client check (tests/client) and the browser test of /docs
# (tests/browser) are CTest tests of the normal build; each runs `npm ci`
# from its committed lock file when its node_modules is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

deploy/deps.sh

echo "== layers: includes point one way, no cycle (tests/layers.mjs)"
node tests/layers.mjs

echo "== build (warnings are errors)"
cmake -S . -B build -DITAKU_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DITAKU_WERROR=ON -DITAKU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j "$jobs"

pgport=${ITAKU_TEST_PG_PORT:-54330}
pgport=$(deploy/pgcluster.sh start "$root/.local/pg-test" "$pgport")
trap 'deploy/pgcluster.sh stop "$root/.local/pg-test"' EXIT
export ITAKU_TEST_PG="host=127.0.0.1 port=$pgport user=itaku dbname=postgres"

# Every HTTP exchange the suites see is recorded here and checked against
# the OpenAPI document afterwards (tests/contract/check.mjs).
rm -rf build/exchanges build-asan/exchanges
mkdir -p build/exchanges build-asan/exchanges

echo "== tests"
(cd build && ctest --output-on-failure -j "$jobs")
echo "== tests under ASan/UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j "$jobs")

echo "== property-based requests from the document (fixed seed), both builds"
(cd tests/contract && npm ci --no-audit --no-fund --loglevel=error)
FUZZ_RECORD=$root/build/exchanges/fuzz.jsonl tests/contract/fuzz.sh build/itaku
FUZZ_RECORD=$root/build-asan/exchanges/fuzz.jsonl tests/contract/fuzz.sh build-asan/itaku

echo "== contract: every recorded response against openapi/openapi.yaml; the catalogue"
node tests/contract/catalog.mjs
node tests/contract/check.mjs openapi/openapi.yaml build/exchanges
node tests/contract/check.mjs openapi/openapi.yaml build-asan/exchanges

echo "== OpenAPI lint"
npx --yes @redocly/cli@1.34.20 lint --config openapi/redocly.yaml openapi/openapi.yaml
echo "== OpenAPI lint: OWASP API Security (Spectral; justifications in openapi/spectral/ruleset.mjs)"
(cd openapi/spectral && npm ci --no-audit --no-fund --loglevel=error)
openapi/spectral/node_modules/.bin/spectral lint --fail-severity=warn \
  --ruleset openapi/spectral/ruleset.mjs openapi/openapi.yaml
echo "== docker-compose config"
docker-compose -f docker-compose.yml config -q
echo "== all checks passed"
