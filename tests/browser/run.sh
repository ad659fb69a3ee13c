#!/usr/bin/env bash
# One browser test (SCRIPT: docs.mjs, or a NAME.test.mjs of a vendor page)
# against a real server; run by CTest (browser_NAME):
#   tests/browser/run.sh [SCRIPT]   (default docs.mjs) Installs the pinned playwright-core with `npm ci`
# when node_modules is missing or older than package-lock.json; the browser
# is Debian's chromium (deploy/deps.sh), never a download.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ -x "${ITAKU_CHROMIUM:-/usr/bin/chromium}" ] || { echo "no chromium; run deploy/deps.sh" >&2; exit 1; }
# playwright-core has no install script; this only makes sure nothing fetches a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Several browser tests may start at once (ctest -j): one installs, the others wait.
flock "$here/.npm-install.lock" sh -c \
	'[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error'
exec "$here/../client/with-server.sh" node "${1:-$here/docs.mjs}"
