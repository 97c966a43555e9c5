#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis (tests/fuzz/), against the
# server binary BIN on a fresh PostgreSQL database of the cluster at TEST_DATABASE_URL, then on a
# fresh SQLite file. Checks first that the document is valid OpenAPI 3.1.
#
#   scripts/fuzz-api.sh BIN VENV [schemathesis options...]
set -euo pipefail
bin=$(realpath "$1")
venv=$(realpath "$2")
shift 2
options=("$@")
cd "$(dirname "$0")/.."

work=$(mktemp -d)
server=
stop_server() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  server=
}
trap 'stop_server; rm -rf "$work"' EXIT

fuzz() { # fuzz NAME DATABASE_URL
  local name=$1 port log
  export DATABASE_URL=$2 HELPDESK_BIN=$bin
  port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log=$work/$name.log
  # Generous limits: the fuzzer is one fast client, and a 429 tells it nothing about the API.
  PORT=$port CLASSIFY_BURST=100000 CLASSIFY_RATE_PER_MINUTE=1000000 \
    PUBLIC_CREATE_BURST=100000 PUBLIC_CREATE_RATE_PER_MINUTE=1000000 "$bin" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
  done
  echo 'a long enough password' | "$bin" accounts create --email admin@fuzz.test --name Fuzz --role admin >/dev/null

  curl -fsS "http://127.0.0.1:$port/api/openapi.json" -o "$work/openapi.json"
  "$venv/bin/openapi-spec-validator" "$work/openapi.json"

  echo "--- schemathesis on $name"
  SCHEMATHESIS_HOOKS=hooks PYTHONPATH=tests/fuzz "$venv/bin/schemathesis" --config-file tests/fuzz/schemathesis.toml \
    run "http://127.0.0.1:$port/api/openapi.json" --checks all "${options[@]}" ||
    { echo "--- $name server log (last 40 lines)"; tail -n 40 "$log"; exit 1; }
  stop_server
}

database=fuzz_$$
psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $database" >/dev/null
fuzz postgres "${TEST_DATABASE_URL/\/postgres\?/\/$database?}"
fuzz sqlite "sqlite:$work/helpdesk.sqlite3"
