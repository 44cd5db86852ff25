#!/usr/bin/env bash
# Run the face-api peer benchmark. Installs pinned deps from package-lock.json on first use.
#   bench/faceapi/run.sh --list FILE
#   bench/faceapi/run.sh --images DIR --limit N
# Relative paths in the arguments and inside a --list file are resolved against the
# directory you run this from (run from the repo root for lists made by bench/select-images.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
exec node "$here/bench.mjs" "$@"
