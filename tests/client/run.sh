#!/usr/bin/env bash
# The generated-client check, run by CTest (client_generated):
#  1. installs the pinned generator, runtime and compiler (`npm ci`) when
#     node_modules is missing or older than package-lock.json;
#  2. generates the client's types from openapi/openapi.yaml with
#     openapi-typescript, at its default settings, as another team would;
#  3. type-checks example.ts against them (tsc --noEmit, strict): a change
#     to the document that breaks a generated client fails here;
#  4. compiles it without checking again and runs it with this machine's
#     node against a real server and database (with-server.sh), where it
#     creates a vendor, an engagement and an incident, reads them back and
#     handles problem+json errors.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error

rm -rf generated dist
node_modules/.bin/openapi-typescript ../../openapi/openapi.yaml -o generated/itaku.ts --silent
node_modules/.bin/tsc --noEmit -p tsconfig.json
node_modules/.bin/tsc --noCheck -p tsconfig.json
exec "$here/with-server.sh" node "$here/dist/example.js"
