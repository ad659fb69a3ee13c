#!/usr/bin/env bash
# The browser test of GET /docs (docs.mjs) against a real server; run by
# CTest (browser_docs). Installs the pinned playwright-core with `npm ci`
# when node_modules is missing or older than package-lock.json; the browser
# is Debian's chromium (deploy/deps.sh), never a download.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ -x "${ITAKU_CHROMIUM:-/usr/bin/chromium}" ] || { echo "no chromium; run deploy/deps.sh" >&2; exit 1; }
# playwright-core has no install script; this only makes sure nothing fetches a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
exec "$here/../client/with-server.sh" node "$here/docs.mjs"
