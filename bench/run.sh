#!/usr/bin/env bash
# Load benchmark of the helpdesk release server, on PostgreSQL then on SQLite (bench/README.md).
#
#   bench/run.sh BIN          BIN = the release binary (make bench passes target/release/helpdesk)
#
# Knobs (environment): N (tickets seeded, 1000000), DURATION (seconds per measured run, 10),
# CONNECTIONS (32), THREADS (wrk threads and pgbench jobs, 2), WARMUP (seconds, 2),
# DATABASES ("postgres sqlite"), DATABASE_POOL_SIZE (8), HTTP_WORKERS (server default: cores),
# TELEMETRY (1: measure the cost of the request log and metrics on PostgreSQL; 0: skip),
# TELEMETRY_ROUNDS (5: rounds of that measurement, the median counts),
# TRANSFER (1: time `export` of each store and `copy` from SQLite to PostgreSQL after its runs;
# 0: skip), BENCH_COMMIT (instead of `git rev-parse --short HEAD`); the search matrix:
# SEARCH_MATRIX (1; 0 skips it), SEARCH_DURATION (3), SEARCH_WARMUP (1), SEARCH_DEPTH (pages
# followed to the deep page, 10), SEARCH_LIMITS ("20 100").
#
# Everything lives in a temporary directory removed on exit (server and PostgreSQL stopped too);
# the report goes to stdout and bench/results/latest.md, progress to stderr.
set -euo pipefail
exec 3>&2

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")

N=${N:-1000000}
DURATION=${DURATION:-10}
DURATION=${DURATION%s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2}
WARMUP=${WARMUP%s}
DATABASES=${DATABASES:-postgres sqlite}
POOL_SIZE=${DATABASE_POOL_SIZE:-8}
TRANSFER=${TRANSFER:-1}
TELEMETRY=${TELEMETRY:-1}
TELEMETRY_ROUNDS=${TELEMETRY_ROUNDS:-5}
WRK_TIMEOUT=10s # a request slower than this counts as a (timeout) error
SEARCH_MATRIX=${SEARCH_MATRIX:-1}
SEARCH_DURATION=${SEARCH_DURATION:-3}
SEARCH_DURATION=${SEARCH_DURATION%s}
SEARCH_WARMUP=${SEARCH_WARMUP:-1}
SEARCH_WARMUP=${SEARCH_WARMUP%s}
SEARCH_DEPTH=${SEARCH_DEPTH:-10}
SEARCH_LIMITS=${SEARCH_LIMITS:-20 100}

# What each run sends, in the order they run (reads first, so they all see the seeded data).
#   name | label in the table | wrk script (bench/wrk/) | path | pgbench script (bench/pgbench/)
ENDPOINTS=(
  "stats|stats|fixed.lua|/api/tickets/stats/|stats.sql"
  "list|first page, unfiltered|fixed.lua|/api/tickets/?limit=20|list.sql"
  "filter|filter category+priority+status|fixed.lua|/api/tickets/?category=technical&priority=high&status=open&limit=20|filter.sql"
  "search|search common word|fixed.lua|/api/tickets/?search=password&limit=20|"
  "rare|search rare word + status|fixed.lua|/api/tickets/?status=open&search=zeppelin&limit=20|"
  "pages|walk 10 pages via Link|pages.lua|/api/tickets/?limit=20&walk=1|pages.sql"
  "get|get by id|get_by_id.lua|/api/tickets/1/|get.sql"
  "create|create (POST)|create.lua|/api/tickets/|"
  "conditional|conditional update (PATCH If-Match)|patch_conditional.lua|/api/tickets/1/|"
  "patch|status update (PATCH)|patch_status.lua|/api/tickets/1/|"
  "classify|classify (offline)|classify.lua|/api/tickets/classify/|"
)

WORK=""
RAW=""
PG_DIR=""
SERVER_PID=""
SERVER_LOG=""
SERVER_ENV=(RUST_LOG=warn) # settings of the next start_server beyond the common ones
CHILD="" # the bounded command running now
PORT=""

# Progress to the script's own stderr (fd 3), even from inside a redirected command.
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&3; }
die() {
  log "error: $*"
  exit 1
}
# Runs "$@" under `timeout SECONDS`, in the background while this shell waits, so that a signal to
# the script is handled at once (the EXIT trap then stops the command too).
bounded() {
  local seconds=$1 status=0
  shift
  timeout "$seconds" "$@" &
  CHILD=$!
  wait "$CHILD" || status=$?
  CHILD=""
  return "$status"
}

# One key=value line of DB's facts for the report.
meta() { printf '%s=%s\n' "$2" "$3" >>"$RAW/$1.meta.txt"; }
seconds_since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

# --- tools -------------------------------------------------------------------------------------

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

need_tools() {
  [ -x "$BIN" ] || die "no executable server at '$BIN' (build it with make release)"
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    if [ "$(id -u)" = 0 ]; then
      timeout 300 apt-get install -y wrk >/dev/null 2>&1 ||
        { timeout 300 apt-get update >/dev/null 2>&1 && timeout 300 apt-get install -y wrk >/dev/null 2>&1; } ||
        die "could not install wrk (apt-get install -y wrk)"
    else
      die "wrk is missing: apt-get install -y wrk"
    fi
  fi
  for tool in curl python3 timeout; do
    command -v "$tool" >/dev/null || die "$tool is missing"
  done
  if [[ " $DATABASES " == *" postgres "* ]]; then
    PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
    [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server binaries (apt-get install postgresql-15), or set PG_BIN"
    for tool in psql pgbench; do
      command -v "$tool" >/dev/null || [ -x "$PG_BIN/$tool" ] || die "$tool is missing"
    done
    PATH="$PG_BIN:$PATH"
  fi
}

# --- PostgreSQL: a throwaway cluster with durable commits ----------------------------------------

start_postgres() {
  PG_DIR=$WORK/pg
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
  as_postgres timeout 120 "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # Durable: fsync, synchronous_commit and full_page_writes stay on (unlike scripts/pg-cluster.sh).
  as_postgres timeout 90 "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
    "-c listen_addresses='' -c unix_socket_directories=$PG_DIR -c fsync=on -c synchronous_commit=on \
     -c full_page_writes=on -c shared_buffers=256MB -c max_connections=100 -c max_wal_size=2GB" \
    >/dev/null || { cat "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  PG_URL="postgresql:///postgres?host=$PG_DIR&user=postgres"
}

stop_postgres() {
  [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/PG_VERSION" ] || return 0
  as_postgres timeout 60 "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  PG_DIR=""
}

psql_run() { bounded "${PSQL_TIMEOUT:-120}" psql -X -q -v ON_ERROR_STOP=1 "$@" -d "$PG_URL"; }
psql_value() { psql_run -At -c "$1"; }

# --- the server ---------------------------------------------------------------------------------

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts BIN on DATABASE_URL $1 and waits until /readyz answers (migrations have run by then).
start_server() {
  PORT=$(free_port)
  SERVER_LOG=$WORK/server.$2.log
  env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u OPENAI_MODEL \
    HOST=127.0.0.1 PORT="$PORT" DATABASE_URL="$1" DATABASE_POOL_SIZE="$POOL_SIZE" \
    CLASSIFY_RATE_PER_MINUTE=100000000 CLASSIFY_BURST=100000000 LOG_FORMAT=text "${SERVER_ENV[@]}" \
    ${HTTP_WORKERS:+HTTP_WORKERS="$HTTP_WORKERS"} "$BIN" >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local _
  for _ in $(seq 600); do
    curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/readyz" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server exited at start"; }
    sleep 0.1
  done
  die "the server was not ready within 60 s"
}

# An admin token on the store at DATABASE_URL $1, for every request of the runs.
make_token() {
  BENCH_TOKEN=$(env DATABASE_URL="$1" RUST_LOG=error "$BIN" tokens create --name bench --role admin) ||
    die "could not create a token with $BIN tokens create"
  export BENCH_TOKEN
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local _
  for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The peak, and how much of the resident memory now is the process's own (anonymous) rather than
# pages of a file it maps (SQLite maps its database file: the kernel's page cache holds those).
peak_rss() {
  local hwm anon
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
  anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || true)
  if [ -n "$hwm" ]; then echo "$((hwm / 1024)) MiB (of the resident memory now, $((${anon:-0} / 1024)) MiB is the process's own, the rest mapped file pages)"; else echo "unknown"; fi
}

# One request per endpoint before measuring: a failing endpoint shows up here with its answer.
smoke_check() {
  local db=$1 entry name label script path pgbench code
  for entry in "${ENDPOINTS[@]:0:7}"; do
    IFS='|' read -r name label script path pgbench <<<"$entry"
    code=$(curl -s --max-time 30 -H "Authorization: Bearer $BENCH_TOKEN" -o "$WORK/smoke.body" -w '%{http_code}' \
      "http://127.0.0.1:$PORT$path" || true)
    if [ "$code" != 200 ]; then
      log "WARNING: GET $path answered $code: $(head -c 300 "$WORK/smoke.body")"
      meta "$db" "note_smoke_$name" "GET $path answered $code before the run"
    fi
  done
  curl -s --max-time 30 -H "Authorization: Bearer $BENCH_TOKEN" -D "$WORK/smoke.headers" -o /dev/null \
    "http://127.0.0.1:$PORT/api/tickets/?limit=20" || true
  grep -qi '^link:.*rel="next"' "$WORK/smoke.headers" || meta "$db" note_link "the first page had no Link header"
  local source
  source=$(curl -s --max-time 30 -H 'Content-Type: application/json' -d '{"description":"I was charged twice"}' \
    "http://127.0.0.1:$PORT/api/tickets/classify/" || true)
  [[ $source == *'"offline"'* ]] || meta "$db" note_classify "classify did not answer from the offline classifier: ${source:0:200}"
}

# --- load ---------------------------------------------------------------------------------------

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0; }

active_queries() {
  if [ "$1" = postgres ]; then
    psql_value "SELECT count(*) FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()"
  else
    echo 0 # SQLite runs inside the server: its CPU time tells
  fi
}

# Waits until the server (and PostgreSQL) is idle: requests wrk gave up on may still be running
# or queued for a connection, and would slow the next run down.
settle() {
  local db=$1 name=$2 waited=0 before after
  while [ "$waited" -lt 120 ]; do
    before=$(server_cpu_ticks)
    sleep 0.5
    after=$(server_cpu_ticks)
    if [ $((after - before)) -le 1 ] && [ "$(active_queries "$db")" = 0 ]; then break; fi
    waited=$((waited + 1))
  done
  if [ "$waited" -ge 4 ]; then
    log "$db: the server was busy for $((waited / 2)) s after the $name run"
    meta "$db" "note_settle_$name" "$name: the server was still busy for $((waited / 2)) s after the run (a backlog of requests wrk had given up on)"
  fi
}

# wrk on one path: a warm-up run thrown away, then the measured run into RAW/DB.NAME.wrk. The
# search matrix passes its own (shorter) durations as $5 and $6.
run_wrk() {
  local db=$1 name=$2 script=$3 path=$4 duration=${5:-$DURATION} warmup=${6:-$WARMUP}
  local url="http://127.0.0.1:$PORT$path" wrk_script="$BENCH_DIR/wrk/$script"
  local common=(-t"$THREADS" -c"$CONNECTIONS" --timeout "$WRK_TIMEOUT" -s "$wrk_script")
  log "$db: wrk $name ($warmup s warm-up + $duration s)"
  if [ "$warmup" -gt 0 ]; then
    bounded $((warmup + 60)) wrk "${common[@]}" -d"${warmup}s" "$url" -- "$N" 1 >/dev/null 2>&1 ||
      log "WARNING: the warm-up of $name failed"
  fi
  bounded $((duration + 60)) wrk "${common[@]}" -d"${duration}s" --latency "$url" -- "$N" 2 \
    >"$RAW/$db.$name.wrk" 2>&1 || log "WARNING: wrk $name failed: $(tail -n 3 "$RAW/$db.$name.wrk")"
  settle "$db" "$name"
}

# --- the search matrix (bench/search_matrix.py) ---------------------------------------------------

# The page SEARCH_DEPTH pages after the first of PATH, found by following the Link headers as a
# client does, or the last page when the walk ends sooner: prints "PAGE_NUMBER PATH".
deep_page() {
  local path=$1 page=1 next k
  for ((k = 0; k < SEARCH_DEPTH; k++)); do
    next=$(curl -s --max-time 30 -H "Authorization: Bearer $BENCH_TOKEN" -o /dev/null -D - \
      "http://127.0.0.1:$PORT$path" | tr -d '\r' |
      sed -n 's|^[Ll]ink: *<[a-z]*://[^/]*\(/[^>]*\)>; *rel="next".*|\1|p' || true)
    [ -n "$next" ] || break
    path=$next
    page=$((page + 1))
  done
  echo "$page $path"
}

# Every row of the matrix, first page then deep page, each a short wrk run of its own; what each
# row was goes to RAW/DB.search.tsv for the report.
run_search_matrix() {
  local db=$1 name term label limit path page deep
  [ "$SEARCH_MATRIX" = 1 ] || return 0
  : >"$RAW/$db.search.tsv"
  while IFS='|' read -r name term label limit path <&4; do
    run_wrk "$db" "search.$name.first" fixed.lua "$path" "$SEARCH_DURATION" "$SEARCH_WARMUP"
    read -r page deep < <(deep_page "$path")
    echo "$deep" >"$RAW/$db.search.$name.deep.path"
    run_wrk "$db" "search.$name.deep" fixed.lua "$deep" "$SEARCH_DURATION" "$SEARCH_WARMUP"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$term" "$label" "$limit" "$page" "$path" >>"$RAW/$db.search.tsv"
  done 4<"$RAW/search_rows.txt"
}

# EXPLAIN (ANALYZE, BUFFERS) of every statement the server sends for the matrix's slowest row
# (by p99), caught by auto_explain on fresh connections of the server, into RAW/postgres.explain.txt.
explain_slowest() {
  [ "$SEARCH_MATRIX" = 1 ] || return 0
  local slowest name path
  slowest=$(python3 "$BENCH_DIR/report.py" --slowest "$RAW" postgres) || return 0
  [ -n "$slowest" ] || return 0
  read -r name path <<<"$slowest"
  log "postgres: EXPLAIN of the slowest search ($name)"
  psql_run -c "ALTER DATABASE postgres SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER DATABASE postgres SET auto_explain.log_min_duration = 0" \
    -c "ALTER DATABASE postgres SET auto_explain.log_analyze = on" \
    -c "ALTER DATABASE postgres SET auto_explain.log_buffers = on" \
    -c "ALTER DATABASE postgres SET auto_explain.log_nested_statements = on"
  stop_server
  start_server "$PG_URL" postgres
  local before
  before=$(wc -l <"$PG_DIR/server.log")
  curl -s --max-time 30 -H "Authorization: Bearer $BENCH_TOKEN" -o /dev/null "http://127.0.0.1:$PORT$path" || true
  sleep 0.5
  {
    echo "-- GET $path (matrix row $name, the slowest by p99), every statement the server sent:"
    tail -n +"$((before + 1))" "$PG_DIR/server.log" | grep -v -e 'readyz' -e 'SELECT 1$'
  } >"$RAW/postgres.explain.txt"
  psql_run -c "ALTER DATABASE postgres RESET ALL"
  stop_server
  start_server "$PG_URL" postgres
}


# The keyset cursors of pages 2..10 of the unfiltered list (limit=20), as pgbench -D definitions.
page_cursors() {
  local top
  top=$(psql_value "SELECT (extract(epoch FROM max(created_at)) * 1000000)::bigint + 1 FROM tickets")
  echo "-D us0=$top -D id0=9223372036854775807"
  psql_value "
    SELECT string_agg(format('-D us%s=%s -D id%s=%s', r / 20, us, r / 20, id), ' ' ORDER BY r)
    FROM (SELECT (extract(epoch FROM created_at) * 1000000)::bigint AS us, id,
                 row_number() OVER (ORDER BY created_at DESC, id DESC) AS r
          FROM tickets ORDER BY created_at DESC, id DESC LIMIT 180) AS firsts
    WHERE r % 20 = 0"
}

run_pgbench() {
  local name=$1 script=$2
  local defines=(-D "n=$N")
  # shellcheck disable=SC2207 # the words are -D name=number pairs
  [ "$name" = pages ] && defines+=($(page_cursors))
  log "postgres: pgbench $name ($DURATION s)"
  bounded $((DURATION + 60)) pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
    "${defines[@]}" -f "$BENCH_DIR/pgbench/$script" "$PG_URL" >"$RAW/postgres.$name.pgbench" 2>&1 ||
    log "WARNING: pgbench $name failed: $(tail -n 3 "$RAW/postgres.$name.pgbench")"
}

# The reads, then the search matrix, then the writes (so every read sees the seeded data).
run_endpoints() {
  local db=$1 entry name label script path pgbench
  for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name label script path pgbench <<<"$entry"
    if [ "$name" = create ]; then
      run_search_matrix "$db"
      [ "$db" != postgres ] || explain_slowest
    fi
    run_wrk "$db" "$name" "$script" "$path"
    if [ "$db" = postgres ] && [ -n "$pgbench" ]; then run_pgbench "$name" "$pgbench"; fi
  done
}

# What the request log and the metrics cost: two reads served with neither, with metrics only and
# with both (the request log at RUST_LOG=info, written to a file), TELEMETRY_ROUNDS rounds in turn,
# each starting with the next mode; the report takes each mode's median round (one run's noise on a
# shared machine is ±10%).
TELEMETRY_MODES=(
  "none|RUST_LOG=warn METRICS=false"
  "metrics|RUST_LOG=warn METRICS=true"
  "both|RUST_LOG=info METRICS=true"
)
TELEMETRY_ROWS=("get|get_by_id.lua|/api/tickets/1/" "list|fixed.lua|/api/tickets/?limit=20")

run_telemetry_cost() {
  local db=$1 url=$2 round entry mode settings row name script path
  local turn count=${#TELEMETRY_MODES[@]}
  for round in $(seq "$TELEMETRY_ROUNDS"); do
    # Each round starts with another mode, so a store that slows down during a round (autovacuum
    # after the write runs) does not always fall on the same one.
    for turn in $(seq 0 $((count - 1))); do
      entry=${TELEMETRY_MODES[$(((round + turn - 1) % count))]}
      IFS='|' read -r mode settings <<<"$entry"
      read -ra SERVER_ENV <<<"$settings"
      start_server "$url" "$db.telemetry-$mode"
      for row in "${TELEMETRY_ROWS[@]}"; do
        IFS='|' read -r name script path <<<"$row"
        run_wrk "$db" "telemetry.$mode.$name.$round" "$script" "$path"
      done
      stop_server
    done
  done
  SERVER_ENV=(RUST_LOG=warn)
}

# What the server said while it ran (RUST_LOG=warn: every line is a warning or an error).
record_server() {
  local db=$1 lines
  meta "$db" peak_rss "$(peak_rss)"
  lines=$(grep -c . "$SERVER_LOG" || true)
  meta "$db" log_lines "$lines"
  if [ "$lines" -gt 0 ]; then # the most frequent messages, without colours and timestamps (awk
    # reads to the end: `head` would leave `sort` to die of SIGPIPE under pipefail)
    sed 's/\x1b\[[0-9;]*m//g' "$SERVER_LOG" | cut -d' ' -f2- | cut -c1-200 | sort | uniq -c | sort -rn | awk 'NR <= 3' |
      while read -r count message; do
        meta "$db" "note_log_${#count}_$count" "server log, $count times: $message"
      done
  fi
}

# --- moving data ---------------------------------------------------------------------------------

# The rate a summary line of BIN states ("… (81,234 tickets/s)"), and that line.
stated_rate() { grep -o '[0-9,]* tickets/s' <<<"$1" | tail -n 1; }

# Times `BIN export` of the whole store at DATABASE_URL $2 into a file, for the report.
time_export() {
  local db=$1 url=$2 out=$WORK/export.jsonl summary
  log "$db: export"
  if ! summary=$(bounded 1800 env DATABASE_URL="$url" RUST_LOG=error "$BIN" export --output "$out" 2>&1 >/dev/null); then
    log "WARNING: export failed: $summary"
    meta "$db" note_export "export failed: ${summary:0:200}"
    return 0
  fi
  summary=$(tail -n 1 <<<"$summary")
  meta "$db" export "$(stated_rate "$summary") — $summary File of $(du -h "$out" | cut -f1)."
  rm -f "$out"
}

# Times `BIN copy` of the SQLite store at DATABASE_URL $1 into an empty database of a fresh durable
# PostgreSQL cluster (the PostgreSQL run's cluster is gone by then), verification included.
time_copy() {
  local source=$1 target output status=0
  rm -rf "$WORK/pg"
  log "sqlite: copy to PostgreSQL"
  start_postgres
  psql_run -c "CREATE DATABASE copy_target"
  target="postgresql:///copy_target?host=$PG_DIR&user=postgres"
  output=$(bounded 3600 env DATABASE_URL="$source" RUST_LOG=error "$BIN" copy --to "$target" 2>&1) || status=$?
  stop_postgres
  if [ "$status" != 0 ]; then
    log "WARNING: copy failed: $(tail -n 3 <<<"$output")"
    meta sqlite note_copy "copy to PostgreSQL failed: $(tail -n 1 <<<"$output" | cut -c1-200)"
    return 0
  fi
  local copied verified
  copied=$(grep -E '^  .* tickets? and .* in [0-9.]+ s' <<<"$output" | sed 's/^ *//')
  verified=$(grep -E '^Verified in' <<<"$output" | tr -d ':')
  meta sqlite copy "$(stated_rate "$copied") — into an empty PostgreSQL database (durable settings, as above): $copied; $verified, $(tail -n 1 <<<"$output")"
}

# --- the two stores -----------------------------------------------------------------------------

# Seeds N tickets with plain INSERTs (batches of seed.py), so the triggers on tickets run for
# every row; the secondary indexes are dropped first and rebuilt after from their own definitions,
# in parallel, which is faster than keeping them up to date row by row. Then VACUUM ANALYZE and a
# CHECKPOINT, so that the runs start from a settled store.
seed_postgres() {
  local secondary="FROM pg_index i WHERE i.indrelid = 'tickets'::regclass
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
  local definitions names start insert_s index_s definition pids=() pid
  definitions=$(psql_value "SELECT pg_get_indexdef(i.indexrelid) $secondary")
  names=$(psql_value "SELECT string_agg(i.indexrelid::regclass::text, ', ') $secondary")
  log "postgres: seeding $N tickets"
  start=$(date +%s.%N)
  [ -z "$names" ] || psql_run -c "DROP INDEX $names"
  python3 "$BENCH_DIR/seed.py" postgres-sql "$N" >"$WORK/seed.sql"
  PSQL_TIMEOUT=1800 psql_run -f "$WORK/seed.sql" >/dev/null
  insert_s=$(seconds_since "$start")
  log "postgres: rebuilding the indexes"
  while IFS= read -r definition; do
    [ -n "$definition" ] || continue
    PSQL_TIMEOUT=1800 psql_run -c "SET maintenance_work_mem = '256MB'" -c "$definition" &
    pids+=($!)
  done <<<"$definitions"
  for pid in "${pids[@]}"; do
    wait "$pid" || die "rebuilding an index failed"
  done
  index_s=$(seconds_since "$start")
  PSQL_TIMEOUT=1800 psql_run -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
  meta postgres seed "$(seconds_since "$start") s (INSERTs $insert_s s, indexes rebuilt by $index_s s, then VACUUM ANALYZE and CHECKPOINT)"
  [ "$(psql_value 'SELECT count(*) FROM tickets')" -ge "$N" ] || die "seeding left fewer than $N tickets"
}

# Counts for the report: how many tickets the two searches can find.
search_hits_sql() {
  local common=$1 rare=$2
  echo "SELECT count(*), count(*) FILTER (WHERE search_title LIKE '%$common%' OR search_description LIKE '%$common%'),
          count(*) FILTER (WHERE search_title LIKE '%$rare%' OR search_description LIKE '%$rare%'),
          count(*) FILTER (WHERE status = 'open' AND (search_title LIKE '%$rare%' OR search_description LIKE '%$rare%'))
   FROM tickets"
}

describe_hits() { # total common rare rare_open
  python3 -c 'import sys; t, c, r, o = map(int, sys.argv[1:5]); print(f"\"{sys.argv[5]}\" is in {c / t:.0%} of the tickets, \"{sys.argv[6]}\" in {r:,} ({o:,} open).")' \
    "$@" "$COMMON_WORD" "$RARE_WORD"
}

# Whether pgbench/stats.sql is still the server's stats query.
check_stats_sql() {
  python3 - "$REPO_DIR/adapters-sql/src/rows.rs" "$BENCH_DIR/pgbench/stats.sql" <<'EOF' || true
import re, sys
rust, script = (open(p).read() for p in sys.argv[1:3])
found = re.search(r'STATS_SQL: &str = "(.*?)";', rust, re.S)
norm = lambda sql: " ".join(sql.replace(";", " ").split())
ours = "\n".join(l for l in script.splitlines() if not l.lstrip().startswith("--"))
if not found or norm(found.group(1)) != norm(ours):
    print("pgbench/stats.sql is not STATS_SQL of adapters-sql/src/rows.rs: the stats ceiling may not be the server's query")
EOF
}

bench_postgres() {
  log "postgres: starting a durable cluster"
  start_postgres
  meta postgres store "$(psql_value "SELECT format('PostgreSQL %s, fsync=%s, synchronous_commit=%s, full_page_writes=%s, shared_buffers=%s',
    split_part(current_setting('server_version'), ' ', 1), current_setting('fsync'), current_setting('synchronous_commit'),
    current_setting('full_page_writes'), current_setting('shared_buffers'))")"
  start_server "$PG_URL" postgres && stop_server # creates the schema
  make_token "$PG_URL"
  seed_postgres
  meta postgres size "table and indexes $(psql_value "SELECT pg_size_pretty(pg_total_relation_size('tickets'))")"
  # shellcheck disable=SC2046 # four counts
  meta postgres hits "$(describe_hits $(psql_value "$(search_hits_sql "$COMMON_WORD" "$RARE_WORD")" | tr '|' ' '))"
  if [ "$SEARCH_MATRIX" = 1 ]; then
    PSQL_TIMEOUT=600 psql_value "$(python3 "$BENCH_DIR/search_matrix.py" hits-sql)" | tr '|' ' ' >"$RAW/postgres.search_hits.txt"
  fi
  local stats_note
  stats_note=$(check_stats_sql)
  [ -z "$stats_note" ] || meta postgres note_stats_sql "$stats_note"
  start_server "$PG_URL" postgres
  smoke_check postgres
  run_endpoints postgres
  record_server postgres
  stop_server
  [ "$TELEMETRY" = 0 ] || run_telemetry_cost postgres "$PG_URL"
  [ "$TRANSFER" = 0 ] || time_export postgres "$PG_URL"
  stop_postgres
}

bench_sqlite() {
  local dir=$WORK/sqlite
  mkdir -p "$dir"
  local file=$dir/helpdesk.sqlite3
  meta sqlite store "the server's bundled SQLite with its own settings (WAL, synchronous=NORMAL)"
  start_server "sqlite:$file" sqlite && stop_server # creates the schema
  make_token "sqlite:$file"
  log "sqlite: seeding $N tickets"
  local start
  start=$(date +%s.%N)
  bounded 1800 python3 "$BENCH_DIR/seed.py" sqlite "$file" "$N"
  meta sqlite seed "$(seconds_since "$start") s (one transaction with synchronous=OFF; indexes and full-text index rebuilt in it; then ANALYZE)"
  meta sqlite size "file $(du -sh "$file" | cut -f1)"
  # shellcheck disable=SC2046 # four counts
  meta sqlite hits "$(describe_hits $(timeout 300 python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())' \
    "$file" "$(search_hits_sql "$COMMON_WORD" "$RARE_WORD")"))"
  if [ "$SEARCH_MATRIX" = 1 ]; then
    timeout 600 python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())' \
      "$file" "$(python3 "$BENCH_DIR/search_matrix.py" hits-sql)" >"$RAW/sqlite.search_hits.txt"
  fi
  start_server "sqlite:$file" sqlite
  smoke_check sqlite
  run_endpoints sqlite
  record_server sqlite
  stop_server
  if [ "$TRANSFER" != 0 ]; then
    time_export sqlite "sqlite:$file"
    if [[ " $DATABASES " == *" postgres "* ]]; then time_copy "sqlite:$file"; fi
  fi
}

# --- main ---------------------------------------------------------------------------------------

cleanup() {
  [ -z "$CHILD" ] || kill -TERM "$CHILD" 2>/dev/null || true
  stop_server
  stop_postgres
  [ -z "$WORK" ] || rm -rf "$WORK"
}

write_meta() {
  local entry name label script path pgbench
  {
    echo "commit=${BENCH_COMMIT:-$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpus=$(nproc)"
    echo "n=$N"
    echo "connections=$CONNECTIONS"
    echo "threads=$THREADS"
    echo "duration=$DURATION"
    echo "warmup=$WARMUP"
    echo "pool_size=$POOL_SIZE"
    echo "http_workers=${HTTP_WORKERS:-default (cores)}"
    echo "common_word=$COMMON_WORD"
    echo "rare_word=$RARE_WORD"
    echo "search_matrix=$SEARCH_MATRIX"
    echo "search_duration=$SEARCH_DURATION"
    echo "search_warmup=$SEARCH_WARMUP"
    echo "search_depth=$SEARCH_DEPTH"
    echo "search_limits=$SEARCH_LIMITS"
  } >"$RAW/meta.txt"
  (cd "$BENCH_DIR" && python3 search_matrix.py rows "$SEARCH_LIMITS") >"$RAW/search_rows.txt"
  (cd "$BENCH_DIR" && python3 search_matrix.py combos) >"$RAW/search_combos.txt"
  for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r name label script path pgbench <<<"$entry"
    printf '%s\t%s\t%s\n' "$name" "$label" "$pgbench"
  done >"$RAW/endpoints.tsv"
}

main() {
  [ $# = 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
  BIN=$(realpath "$1")
  [[ $N =~ ^[0-9]+$ ]] && [ "$N" -ge 1000 ] || die "N must be a whole number from 1000 up"
  [[ $DURATION =~ ^[0-9]+$ && $WARMUP =~ ^[0-9]+$ ]] || die "DURATION and WARMUP are whole seconds"
  [[ $SEARCH_DURATION =~ ^[1-9][0-9]*$ && $SEARCH_WARMUP =~ ^[0-9]+$ && $SEARCH_DEPTH =~ ^[0-9]+$ ]] ||
    die "SEARCH_DURATION, SEARCH_WARMUP and SEARCH_DEPTH are whole numbers (SEARCH_DURATION from 1)"
  [ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS must be at least THREADS"
  need_tools
  read -r COMMON_WORD RARE_WORD < <(cd "$BENCH_DIR" && python3 -c 'import seed; print(seed.COMMON_WORD, seed.RARE_WORD)')
  local started
  started=$(date +%s.%N)
  WORK=$(mktemp -d /tmp/helpdesk-bench.XXXXXX)
  chmod 755 "$WORK"
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT TERM
  RAW=$WORK/raw
  mkdir -p "$RAW" "$BENCH_DIR/results"
  write_meta
  local db
  for db in $DATABASES; do
    case $db in
      postgres) bench_postgres ;;
      sqlite) bench_sqlite ;;
      *) die "unknown database '$db' in DATABASES (postgres, sqlite)" ;;
    esac
  done
  echo "wall=$(seconds_since "$started")" >>"$RAW/meta.txt"
  python3 "$BENCH_DIR/report.py" "$RAW" | tee "$BENCH_DIR/results/latest.md"
  if [ -f "$RAW/postgres.explain.txt" ]; then
    cp "$RAW/postgres.explain.txt" "$BENCH_DIR/results/latest-explain.txt"
  else
    rm -f "$BENCH_DIR/results/latest-explain.txt"
  fi
}

main "$@"
