#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for local runs and tests.
#
#   deploy/pgcluster.sh start DIR PORT   initdb if needed, start, print the port
#   deploy/pgcluster.sh stop DIR         stop (fast)
#
# When PORT is taken by something else, the next free port is used; when the
# cluster is already running, its port is printed. Callers use the output.
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user. When that user cannot reach DIR (a clone under /root), the
# cluster lives under /var/tmp instead; DIR/location records where.
# Listens on 127.0.0.1:PORT only, trust authentication for the `itaku` role:
# for throwaway use, never for production.
set -euo pipefail

cmd=${1:?start|stop}
dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "pgcluster: PostgreSQL server binaries not found" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/location" ]; then
  data=$(cat "$dir/location")
else
  data="$dir/data"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
    data="/var/tmp/itaku-pg-$(printf '%s' "$dir" | sha256sum | cut -c1-12)/data"
  fi
  echo "$data" > "$dir/location"
fi

case "$cmd" in
start)
  port=${3:?port}
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$(dirname "$data")"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$pgbin/initdb" -D "$data" -U itaku -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if as_pg "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    cat "$dir/port"
    exit 0
  fi
  # A port can be taken without anyone listening (a client socket in the
  # ephemeral range), so try the start itself, moving on a few times.
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    if as_pg "$pgbin/pg_ctl" -D "$data" -l "$data/../server.log" -w -t 30 start \
         -o "-p $port -c listen_addresses=127.0.0.1 -k '' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null; then
      break
    fi
    [ "$attempt" = 10 ] && { echo "pgcluster: could not start; see $data/../server.log" >&2; exit 1; }
    port=$((port + 1))
  done
  echo "$port" > "$dir/port"
  echo "$port"
  ;;
stop)
  if [ -f "$data/PG_VERSION" ]; then
    as_pg "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  ;;
*)
  echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
