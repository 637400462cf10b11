#!/usr/bin/env bash
# Benchmarks the release server on loopback with wrk, and prints one table.
#
#   bash bench/run.sh                 # everything: SQLite and PostgreSQL, 1x and 1000x
#   BENCH_SECONDS=5 bash bench/run.sh # shorter runs
#   BENCH_BACKENDS=sqlite BENCH_SCALES=1 bash bench/run.sh
#
# The server (and PostgreSQL, while the run lasts) is pinned to core 0 and
# wrk to core 1 (taskset), so they do not compete for a core. Needs wrk
# (apt-get install wrk), taskset, PostgreSQL on 127.0.0.1:5432 for the
# PostgreSQL rows. With bench/postgraphile installed (see its README) the
# same run measures PostGraphile 5 on the same tables.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
SCALES=${BENCH_SCALES:-"1 1000"}
QUERIES=${BENCH_QUERIES:-"typename node page deep deep_35 search active_on"}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 32"}
PG_ADMIN=${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
PG_BASE=${PG_ADMIN%/*}
WORK=$(mktemp -d)
OUT=${BENCH_OUT:-bench/results/$(date -u +%Y-%m-%d-%H%M).md}
SERVER_PID=""
PG_PIDFILE=$(ls /var/lib/postgresql/*/main/postmaster.pid 2>/dev/null | head -1 || true)

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  # Give PostgreSQL its cores back.
  if [ -n "$PG_PIDFILE" ]; then taskset -a -cp 0-"$(($(nproc) - 1))" "$(head -1 "$PG_PIDFILE")" >/dev/null 2>&1 || true; fi
  for db in kz_bench_1 kz_bench_1000; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
# BENCH_BIN: a server binary built elsewhere (another commit, side by side).
if [ -n "${BENCH_BIN:-}" ]; then
  BIN=$BENCH_BIN
else
  cargo build --release --quiet
  BIN=target/release/kangzhan
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A wrk script that POSTs one query and prints: rps p50_ms p99_ms errors requests.
lua_for() {
  local query_file=$1 lua=$WORK/$(basename "$1" .graphql).lua
  python3 - "$query_file" "$lua" <<'PY'
import json, sys
query = open(sys.argv[1]).read().strip()
body = json.dumps({"query": query})
open(sys.argv[2], "w").write(f'''
wrk.method = "POST"
wrk.body = {json.dumps(body)}
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
end
''')
PY
  echo "$lua"
}

database_url() { # backend scale
  # Plain TCP on loopback for both servers: sqlx would otherwise negotiate
  # TLS (sslmode=prefer) where node-postgres does not.
  if [ "$1" = sqlite ]; then echo "sqlite://$WORK/kz_$2.db?mode=rwc"; else echo "$PG_BASE/kz_bench_$2?sslmode=disable"; fi
}

prepare() { # backend scale
  local url; url=$(database_url "$1" "$2")
  if [ "$1" = postgres ]; then
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS kz_bench_$2 WITH (FORCE)" >/dev/null
    psql "$PG_ADMIN" -qc "CREATE DATABASE kz_bench_$2" >/dev/null
  fi
  if [ "$2" = 1 ]; then DATABASE_URL=$url $BIN migrate 2>/dev/null; else DATABASE_URL=$url $BIN generate --scale "$2" 2>/dev/null; fi
}

start_server() { # backend scale -> sets PORT, SERVER_PID
  PORT=$(free_port)
  DATABASE_URL=$(database_url "$1" "$2") RUST_LOG=warn taskset -c 0 $BIN serve --listen 127.0.0.1:$PORT 2>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

stop_server() {
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

check_answer() { # port query_file: the query must answer without errors
  local body; body=$(python3 -c 'import json,sys; print(json.dumps({"query": open(sys.argv[1]).read()}))' "$2")
  local answer; answer=$(curl -s "http://127.0.0.1:$1/graphql" -H 'content-type: application/json' -d "$body")
  if echo "$answer" | grep -q '"errors"'; then echo "$2 fails: $answer" >&2; exit 1; fi
  echo ${#answer}
}

peak_rss_mib() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Loads the server on $PORT with one query at each connection count and
# appends a row per count: measure SERVER BACKEND SCALE NAME QUERY_FILE.
measure() {
  local bytes lua
  bytes=$(check_answer "$PORT" "$5")
  lua=$(lua_for "$5")
  for conns in $CONNECTIONS; do
    read -r rps p50 p99 errors _ < <(taskset -c 1 wrk -t1 -c"$conns" -d"${SECONDS_PER_RUN}s" -s "$lua" "http://127.0.0.1:$PORT/graphql" | awk '/^RESULT/ { print $2, $3, $4, $5, $6 }')
    echo "| $1 | $2 | ${3}x | $4 | $bytes | $conns | $rps | $p50 | $p99 | $errors | $(peak_rss_mib "$SERVER_PID") |" | tee -a "$WORK/table.md"
  done
}

# PostGraphile 5 on the same tables, with the queries that return the same
# objects as ours (bench/postgraphile/queries/README.md maps them).
bench_postgraphile() { # scale
  PORT=$(free_port)
  taskset -c 0 bash bench/postgraphile/start.sh "$PORT" "$(database_url postgres "$1")" >"$WORK/peer.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' -d '{"query":"{ __typename }"}' >/dev/null && break
    sleep 0.1
  done
  for pair in deep:deep_traversal node:node page:battles_page; do
    local ours=${pair%%:*}
    case " $QUERIES " in *" $ours "*) ;; *) continue ;; esac
    measure "postgraphile 5" postgres "$1" "$ours" "bench/postgraphile/queries/${pair#*:}.graphql"
  done
  stop_server
}

{
  echo "# Kangzhan benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo "Server (and PostgreSQL) pinned to core 0, wrk -t1 pinned to core 1; ${SECONDS_PER_RUN} s per run; release build; no response cache."
  echo
  echo "| server | backend | scale | query | bytes | conns | req/s | p50 ms | p99 ms | errors | peak RSS MiB |"
  echo "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} | tee "$WORK/table.md"

for backend in $BACKENDS; do
  for scale in $SCALES; do
    prepare "$backend" "$scale"
    if [ "$backend" = postgres ] && [ -n "$PG_PIDFILE" ]; then taskset -a -cp 0 "$(head -1 "$PG_PIDFILE")" >/dev/null; fi
    start_server "$backend" "$scale"
    for query in $QUERIES; do
      measure kangzhan "$backend" "$scale" "$query" "bench/queries/$query.graphql"
    done
    stop_server
    if [ "$backend" = postgres ] && [ -d bench/postgraphile/node_modules ]; then
      bench_postgraphile "$scale"
    fi
    if [ -n "$PG_PIDFILE" ]; then taskset -a -cp 0-"$(($(nproc) - 1))" "$(head -1 "$PG_PIDFILE")" >/dev/null; fi
  done
done

mkdir -p "$(dirname "$OUT")"
cp "$WORK/table.md" "$OUT"
echo
echo "written to $OUT"
