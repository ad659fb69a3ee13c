#!/usr/bin/env bash
# Refreshes the vendored Redoc bundle that GET /docs serves, from npm:
#   service/http/assets/redoc/refresh.sh [VERSION]   (default: the one in VERSION)
# Vendored rather than fetched at build time so that every build (the
# Dockerfile, deploy/run-local.sh, an air-gapped CI) makes the same binary
# without a network or node, and a reviewer sees any change to it in a diff.
#
# The bundle is upstream's bundles/redoc.standalone.js with two changes,
# each checked to apply exactly once:
#  - the side menu's "API docs by Redocly" logo is an <img> loaded from
#    https://cdn.redoc.ly; its URL becomes "" so the browser requests
#    nothing and Redoc's onError handler drops the image (the link stays).
#  - the sourceMappingURL comment goes: the map is not shipped.
set -euo pipefail
cd "$(dirname "$0")"
version=${1:-$(cat VERSION)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# npm pack checks the tarball against the registry's integrity hash.
(cd "$tmp" && npm pack --silent "redoc@$version" >/dev/null && tar xzf "redoc-$version.tgz")
src=$tmp/package/bundles/redoc.standalone.js
got=$(node -p 'require(process.argv[1]).version' "$tmp/package/package.json")
[ "$got" = "$version" ] || { echo "npm gave redoc $got, not $version" >&2; exit 1; }

# docs.c puts the bundle inline in a <script> element: a "</script" inside
# would end it early.
if grep -qi '</script' "$src"; then
	echo "the bundle contains </script; it cannot be inlined" >&2
	exit 1
fi
once() {
	local n
	n=$(grep -cF -- "$1" "$src" || true)
	[ "$n" = 1 ] || { echo "expected one line with $1 in the bundle, found $n" >&2; exit 1; }
}
logo='"https://cdn.redoc.ly/redoc/logo-mini.svg"'
once "$logo"
once '//# sourceMappingURL=redoc.standalone.js.map'
sed -e "s|$logo|\"\"|" -e '\|^//# sourceMappingURL=redoc.standalone.js.map$|d' "$src" >redoc.standalone.js
if grep -q 'cdn.redoc.ly/redoc/logo' redoc.standalone.js; then
	echo "the logo URL is still there" >&2
	exit 1
fi
cp "$tmp/package/LICENSE" LICENSE
cp "$tmp/package/bundles/redoc.standalone.js.LICENSE.txt" THIRD-PARTY-NOTICES.txt
echo "$version" >VERSION
sha256sum "$src" | sed "s|$src|upstream bundles/redoc.standalone.js|" >SHA256SUMS
sha256sum redoc.standalone.js >>SHA256SUMS
echo "redoc $version vendored:"
cat SHA256SUMS
