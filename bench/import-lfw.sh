#!/usr/bin/env bash
# bench: `likeness subject import` of N lfw-dev people (one photo each, consent to training), from a fresh
# registry under a temporary LIKENESS_HOME. Prints the wall time of the import command alone (JVM start included).
#   bench/import-lfw.sh [N=1000] [SHARED=../shared]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"
SHARED="$(cd "${2:-$ROOT/../shared}" && pwd)"
IMAGES="$SHARED/data/lfw-dev/images"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export LIKENESS_HOME="$WORK/home"
# the models are not part of what is measured: reuse the fetched ones
mkdir -p "$LIKENESS_HOME" && ln -s "${HOME}/.cache/likeness/models" "$LIKENESS_HOME/models"
# Enrolment refuses a photo with several faces (as `subject add` does), and many LFW photos show two people: pick, not
# timed, the first N people whose first photo has exactly one face, by a scan of the first photos of 1.4 N people.
ls "$IMAGES" | head -n "$((N * 14 / 10))" | while read -r person; do
  echo "$IMAGES/$person/$(ls "$IMAGES/$person" | head -n 1)"
done > "$WORK/first-photos.txt"
"$ROOT/likeness" scan --list "$WORK/first-photos.txt" -o "$WORK/first.jsonl" 2>/dev/null || true
python3 - "$WORK/first.jsonl" "$N" > "$WORK/people.csv" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])][1:]
single = [r["path"] for r in rows if r.get("error") is None and len(r["faces"]) == 1][: int(sys.argv[2])]
print("id,name,photos,purposes,from,basis")
for p in single:
    person = os.path.basename(os.path.dirname(p))
    print(f"{person.lower()},{person.replace('_', ' ')},{p},training,2026-01-01,GDPR Art. 9(2)(a) explicit consent")
PY
"$ROOT/likeness" registry init >/dev/null
start=$(date +%s.%N)
"$ROOT/likeness" subject import "$WORK/people.csv" | tail -n 1 || true
end=$(date +%s.%N)
echo "subject import of $N lfw-dev subjects: $(echo "$end - $start" | bc) s wall ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
