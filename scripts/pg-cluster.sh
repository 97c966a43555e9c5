#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from the machine's PostgreSQL binaries, listening only on a
# unix socket inside its own directory.
#
#   scripts/pg-cluster.sh start DIR     create and start a cluster in DIR; prints its URL
#   scripts/pg-cluster.sh stop DIR      stop it (DIR stays; start again to reuse it)
#   scripts/pg-cluster.sh run CMD...    start one in a fresh temporary directory, run CMD with
#                                       TEST_DATABASE_URL set to it, then stop and remove it
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg-cluster: no PostgreSQL binaries found (looked in ${PG_BIN:-/usr/lib/postgresql/*/bin})." >&2
  echo "pg-cluster: install them with: apt-get install postgresql-15 postgresql-contrib, or set PG_BIN." >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url_for() { echo "postgresql:///postgres?host=$1&user=postgres"; }

start() {
  local dir=$1
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start -o \
    "-c listen_addresses='' -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  url_for "$dir"
}

stop() {
  as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  run)
    shift
    if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi
    dir=$(mktemp -d /tmp/helpdesk-pg.XXXXXX)
    trap 'stop "$dir"; rm -rf "$dir"' EXIT
    TEST_DATABASE_URL=$(start "$dir")
    export TEST_DATABASE_URL
    "$@"
    ;;
  *) echo "usage: $0 start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
