#!/usr/bin/env bash
# Soak test: build the release server and the load generator, start
# `kangzhan serve` on a free loopback port over a fresh SQLite file, send it
# a steady mixed load (bench/soak, default 200 requests/s for 600 s with at
# most 32 in flight), print the server's request counters, stop it with
# SIGTERM and check that it exits 0.
#
#   bash bench/soak.sh
#   SOAK_RATE=100 SOAK_DURATION=60 SOAK_CONCURRENCY=16 bash bench/soak.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kangzhan_soak bash bench/soak.sh
#
# Environment:
#   SOAK_RATE          requests a second (200)
#   SOAK_DURATION      seconds of load (600)
#   SOAK_CONCURRENCY   requests in flight at most (32)
#   DATABASE_URL       the database; unset: a new SQLite file in a temp dir.
#                      A PostgreSQL database must exist (the server migrates
#                      and seeds it).
#   CARGO_TARGET_DIR   used for both builds (default: target/ and
#                      bench/soak/target/)
#   SOAK_KEEP=1        keep the temp dir (server log, database) even on success
#
# Exit status: 0 when the soak saw no error and the server stopped cleanly.
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
rate=${SOAK_RATE:-200}
duration=${SOAK_DURATION:-600}
concurrency=${SOAK_CONCURRENCY:-32}

server_pid=""
workdir=""
keep=${SOAK_KEEP:-0}

cleanup() {
  local status=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n $workdir && -d $workdir ]]; then
    if [[ $status -ne 0 || $keep == 1 ]]; then
      echo "soak: kept $workdir (server.log, database)" >&2
    else
      rm -rf "$workdir"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Is a process gone (exited, or a zombie waiting to be reaped)?
gone() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
  [[ -z $state || $state == Z ]]
}

echo "== build the server (release)"
(cd "$repo" && cargo build --release --bin kangzhan)
server_bin="${CARGO_TARGET_DIR:-$repo/target}/release/kangzhan"

rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  rev="$rev + uncommitted changes in the work tree"
fi
echo "server built from $rev"

echo "== build the load generator (release)"
cargo build --release --manifest-path "$bench/soak/Cargo.toml"
soak_bin="${CARGO_TARGET_DIR:-$bench/soak/target}/release/kangzhan-soak"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/kangzhan-soak.XXXXXX")
export DATABASE_URL="${DATABASE_URL:-sqlite://$workdir/kangzhan.db?mode=rwc}"

# A free loopback port: one nothing answers on. (The server's bind is the
# real test; if another process takes the port meanwhile, /healthz waiting
# below notices the server has exited.)
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || { echo "soak: no free port found" >&2; exit 1; }
base="http://127.0.0.1:$port"

echo "== start the server on $base (database: ${DATABASE_URL%%\?*}; log: $workdir/server.log)"
(cd "$workdir" && export NO_COLOR=1 && exec "$server_bin" serve --listen "127.0.0.1:$port") >"$workdir/server.log" 2>&1 &
server_pid=$!

for i in $(seq 1 600); do
  if gone "$server_pid"; then
    echo "soak: the server exited during start-up; its log:" >&2
    tail -n 30 "$workdir/server.log" >&2
    exit 1
  fi
  if curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then
    break
  fi
  if [[ $i -eq 600 ]]; then
    echo "soak: /healthz did not answer within 60 s" >&2
    exit 1
  fi
  sleep 0.1
done
echo "server up: pid $server_pid"

echo "== soak: $rate requests/s for $duration s, at most $concurrency in flight"
soak_status=0
"$soak_bin" --url "$base" --rate "$rate" --duration "$duration" \
  --concurrency "$concurrency" --pid "$server_pid" || soak_status=$?

echo "== server metrics"
metrics=$(curl -fsS --max-time 10 "$base/metrics") || { echo "soak: GET /metrics failed" >&2; metrics=""; }
grep -E '^kangzhan_(requests_total|errors_total|request_duration_seconds_(count|sum)|sql_statements_total)' \
  <<<"$metrics" || true
echo "server log: $(wc -l <"$workdir/server.log") lines, $(grep -c ' ERROR ' "$workdir/server.log" || true) ERROR, $(grep -c ' WARN ' "$workdir/server.log" || true) WARN"

echo "== stop the server (SIGTERM)"
kill -TERM "$server_pid"
for _ in $(seq 1 300); do
  gone "$server_pid" && break
  sleep 0.1
done
if ! gone "$server_pid"; then
  echo "soak: the server did not stop within 30 s of SIGTERM" >&2
  exit 1
fi
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
echo "server exit status: $server_status"
tail -n 2 "$workdir/server.log"

if [[ $soak_status -ne 0 ]]; then
  echo "soak: FAILED (load generator exit status $soak_status)" >&2
  exit 1
fi
if [[ $server_status -ne 0 ]]; then
  echo "soak: FAILED (server exit status $server_status)" >&2
  exit 1
fi
echo "soak: PASSED"
