#!/usr/bin/env bash
# Browser tests: the release server on a fresh database of the cluster at TEST_DATABASE_URL,
# driven through Debian's Chromium by web-ui/e2e/run.mjs.
set -euo pipefail
bin=$1
cd "$(dirname "$0")/.."

database=e2e_$$
psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $database" >/dev/null
export DATABASE_URL=${TEST_DATABASE_URL/\/postgres\?/\/$database?}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
PORT=$port CLASSIFY_BURST=1000 CLASSIFY_RATE_PER_MINUTE=6000 "$bin" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT

for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
# run.mjs reads the first-run setup address (…/setup?code=…) that the server prints in its log.
E2E_BASE_URL="http://127.0.0.1:$port" E2E_SERVER_LOG="$log" node web-ui/e2e/run.mjs || { echo "--- server log"; tail -50 "$log"; exit 1; }
