#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages itaku needs to build, run and test.
# Installs only what is missing; runs apt-get update only when needed.
set -euo pipefail

pkgs=(build-essential cmake pkg-config git curl ca-certificates
      libulfius-dev libjansson-dev libpq-dev liborcania-dev libyder-dev libmicrohttpd-dev
      libgnutls28-dev nettle-dev libyaml-dev check openssl
      postgresql postgresql-contrib wrk docker-compose
      chromium    # the browser tests drive it (tests/browser)
      fonts-ipafont-gothic)   # so that the vendor pages' screenshots show Japanese, not boxes
# Node (for the OpenAPI linter) may come from elsewhere than dpkg.
command -v npx >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
