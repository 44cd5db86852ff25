#!/usr/bin/env bash
# Scan throughput, side by side with the face-api peer, on the same N LFW photos (default 1000), one after the other
# on the same machine. Prints both result lines and the ratio. Run from anywhere; needs ../shared/data/lfw-dev.
#   bench/scan-vs-peer.sh [N] [extra likeness scan options…]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N=${1:-1000}
shift || true
mkdir -p bench/work
LIST=bench/work/lfw-$N.txt
bench/select-images.sh "$N" "$LIST"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ours=$(./likeness scan --list "$LIST" -o bench/work/scan-$N.jsonl.gz --no-progress "$@" 2>/dev/null | tail -1)
echo "likeness: $ours"
peer=$(bench/faceapi/run.sh --list "$LIST" 2>/dev/null | tail -1)
echo "face-api: $peer"
python3 - "$ours" "$peer" <<'PY'
import json, re, sys
ours = float(re.search(r"\(([\d.]+) images/s\)", sys.argv[1]).group(1))
peer = json.loads(sys.argv[2])
p = peer.get("photos_per_s_incl_decode", peer["photos_per_s"])
print(f"ratio: likeness {ours:.1f} images/s / face-api {p:.2f} photos/s (incl. decode) = {ours / p:.1f}x")
PY
