#!/usr/bin/env bash
# bench: `likeness subject import` of N lfw-dev people (first photo of each, consent to training), from a fresh
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
{
  echo "id,name,photos,purposes,from,basis"
  ls "$IMAGES" | head -n "$N" | while read -r person; do
    first="$(ls "$IMAGES/$person" | head -n 1)"
    echo "${person,,},${person//_/ },$IMAGES/$person/$first,training,2026-01-01,GDPR Art. 9(2)(a) explicit consent"
  done
} > "$WORK/people.csv"
"$ROOT/likeness" registry init >/dev/null
start=$(date +%s.%N)
"$ROOT/likeness" subject import "$WORK/people.csv" | tail -n 1
end=$(date +%s.%N)
echo "subject import of $N lfw-dev subjects: $(echo "$end - $start" | bc) s wall ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
