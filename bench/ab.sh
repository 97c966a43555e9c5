#!/usr/bin/env bash
# Two builds of the server compared in turns on one durable PostgreSQL (bench/README.md):
#
#   bench/ab.sh BEFORE_BIN AFTER_BIN
#
# Both serve the same seeded store, one after the other, ROUNDS times; each round runs every row
# for DURATION seconds after a 1 s warm-up, and the report gives each build's median requests/s
# and the median of the paired rounds' changes. One run on a shared 2-core machine varies by ±10%;
# rounds in turn make that noise fall on both builds alike. The store is made by BEFORE_BIN's
# migrations, so AFTER_BIN must read the same schema (or migrate it at its first start).
#
# Knobs (environment): N (tickets, 200000), ROUNDS (5), DURATION (4), ROWS (names from the list
# below, default all of them; the writes change the store, so they run last in a round).

set -euo pipefail

BEFORE=$(realpath "$1")
AFTER=$(realpath "$2")
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-4}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# name | wrk script (bench/wrk/) | path
ALL_ROWS=(
  "stats|fixed.lua|/api/tickets/stats/"
  "list|fixed.lua|/api/tickets/?limit=20"
  "filter|fixed.lua|/api/tickets/?category=technical&priority=high&status=open&limit=20"
  "search|fixed.lua|/api/tickets/?search=password&limit=20"
  "rare|fixed.lua|/api/tickets/?status=open&search=zeppelin&limit=20"
  "pages|pages.lua|/api/tickets/?limit=20&walk=1"
  "get|get_by_id.lua|/api/tickets/1/"
  "classify|classify.lua|/api/tickets/classify/"
  "create|create.lua|/api/tickets/"
  "patch|patch_status.lua|/api/tickets/1/"
)
read -ra WANTED <<<"${ROWS:-stats list filter search rare pages get classify create patch}"

WORK=$(mktemp -d /tmp/helpdesk-ab.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[$(date +%T)] $*" >&2; }

mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres: "$WORK/pg"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w start -o \
  "-c listen_addresses='' -c unix_socket_directories=$WORK/pg -c fsync=on -c synchronous_commit=on \
   -c shared_buffers=256MB -c max_wal_size=2GB" >/dev/null
URL="postgresql:///postgres?host=$WORK/pg&user=postgres"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

serve() {
  env -u OPENAI_API_KEY -u OPENAI_BASE_URL HOST=127.0.0.1 PORT="$PORT" DATABASE_URL="$URL" \
    CLASSIFY_RATE_PER_MINUTE=100000000 CLASSIFY_BURST=100000000 RUST_LOG=warn "$1" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/server.log" >&2
  exit 1
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; }

log "seeding $N tickets with $(basename "$BEFORE")'s schema"
serve "$BEFORE" && stop
python3 "$BENCH_DIR/seed.py" postgres-sql "$N" >"$WORK/seed.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$URL" -f "$WORK/seed.sql" >/dev/null
psql -X -q -d "$URL" -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
BENCH_TOKEN=$(DATABASE_URL="$URL" RUST_LOG=error "$BEFORE" tokens create --name ab --role admin)
export BENCH_TOKEN

for round in $(seq "$ROUNDS"); do
  for bin in "$BEFORE" "$AFTER"; do
    serve "$bin"
    for row in "${ALL_ROWS[@]}"; do
      IFS='|' read -r name script path <<<"$row"
      [[ " ${WANTED[*]} " == *" $name "* ]] || continue
      log "round $round, $(basename "$bin"), $name"
      url="http://127.0.0.1:$PORT$path"
      wrk -t2 -c32 -d1s -s "$BENCH_DIR/wrk/$script" "$url" -- "$N" 99 >/dev/null 2>&1
      out=$(wrk -t2 -c32 -d"${DURATION}s" -s "$BENCH_DIR/wrk/$script" "$url" -- "$N" "$round")
      echo "$round ${bin} $name $(awk '/Requests\/sec/ {print $2}' <<<"$out") $(grep -c 'Non-2xx' <<<"$out" || true)"
    done
    stop
  done
done >"$WORK/runs.txt"

python3 - "$WORK/runs.txt" "$BEFORE" "$AFTER" "$N" "$ROUNDS" <<'EOF'
import statistics, sys
from collections import defaultdict
runs, before, after, n, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
rps, failed, order = defaultdict(dict), set(), []
for line in open(runs):
    round_, binary, name, value, non_2xx = line.split()
    rps[(name, binary)][int(round_)] = float(value)
    if non_2xx != "0":
        failed.add(name)
    if name not in order:
        order.append(name)
print(f"Before: `{before}`; after: `{after}`; {n:,} tickets on a durable PostgreSQL, 32 connections, "
      f"{rounds} rounds in turn.\n")
print("| endpoint | before req/s (median) | after req/s (median) | change (median of paired rounds) | each round |")
print("|---|--:|--:|--:|---|")
for name in order:
    a, b = rps[(name, before)], rps[(name, after)]
    changes = [b[r] / a[r] - 1 for r in sorted(a) if r in b]
    flag = " (errors)" if name in failed else ""
    print(f"| {name}{flag} | {statistics.median(a.values()):,.0f} | {statistics.median(b.values()):,.0f} "
          f"| {statistics.median(changes):+.1%} | {' '.join(f'{c:+.0%}' for c in changes)} |")
EOF
