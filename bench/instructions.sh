#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: repeatable for
# the same binary and inputs whatever else the machine is doing, so two
# builds compare on a loaded machine where wrk's figures swing by 30%.
#
#   BENCH_BIN=path/to/kangzhan bash bench/instructions.sh        # one build
#   bash bench/instructions.sh old/kangzhan new/kangzhan          # side by side
#
# Per binary, backend (SQLite, PostgreSQL on 127.0.0.1:5432) and query
# (bench/queries/{node,deep}.graphql): the server starts under callgrind,
# warms up, the counters are zeroed, N requests run one after another on
# one keep-alive connection, and the count is dumped. PostgreSQL's own work
# is not counted (another process); the statements per request are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
BINS=("$@")
[ ${#BINS[@]} -eq 0 ] && BINS=("${BENCH_BIN:-target/release/kangzhan}")
PG_ADMIN=${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS kz_instr WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
declare -A REQUESTS=([node]=${BENCH_NODE_REQUESTS:-1000} [deep]=${BENCH_DEEP_REQUESTS:-100})

send() { # port query_file count: prints the statements the server ran
  python3 - "$@" <<'PY'
import http.client, json, sys
port, query_file, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
body = json.dumps({"query": open(query_file).read()})
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
for _ in range(count):
    conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
    answer = conn.getresponse().read()
    assert b'"errors"' not in answer, answer[:300]
PY
}

echo "| binary | backend | query | requests | instructions per request |"
echo "| --- | --- | --- | --- | --- |"
for bin in "${BINS[@]}"; do
  for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then
      url="sqlite://$WORK/kz.db?mode=rwc"; rm -f "$WORK"/kz.db*
    else
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS kz_instr WITH (FORCE)" >/dev/null
      psql "$PG_ADMIN" -qc "CREATE DATABASE kz_instr" >/dev/null
      url="${PG_ADMIN%/*}/kz_instr?sslmode=disable"
    fi
    DATABASE_URL=$url "$bin" migrate 2>/dev/null
    for query in node deep; do
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      out="$WORK/callgrind.out"
      DATABASE_URL=$url RUST_LOG=warn valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$bin" serve --listen "127.0.0.1:$port" 2>"$WORK/valgrind.log" &
      pid=$!
      for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
      send "$port" "bench/queries/$query.graphql" 20
      callgrind_control -z "$pid" >/dev/null 2>&1
      n=${REQUESTS[$query]}
      send "$port" "bench/queries/$query.graphql" "$n"
      callgrind_control -d "$pid" >/dev/null 2>&1
      sleep 1
      total=$(cat "$out".* 2>/dev/null | awk '/^summary:/ { s += $2 } END { print s + 0 }')
      echo "| $bin | $backend | $query | $n | $((total / n)) |"
      kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
      rm -f "$out" "$out".*
    done
  done
done
