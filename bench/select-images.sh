#!/usr/bin/env bash
# Write a deterministic list of the first N LFW images (byte-wise sorted path order,
# LC_ALL=C sort) so the Java scanner and the face-api peer benchmark see the same files.
#
#   bench/select-images.sh N OUT
#
# Images are read from $LIKENESS_SHARED/data/lfw-dev/images (LIKENESS_SHARED defaults to
# ../shared, resolved against the repository root). Paths in OUT are relative to the
# repository root when the images lie under it or beside it (e.g. ../shared/...),
# otherwise absolute. Run-location independent.
set -euo pipefail
export LC_ALL=C

if [ $# -ne 2 ]; then
  echo "usage: $0 N OUT" >&2
  exit 2
fi
n=$1
out=$2
case "$n" in ''|*[!0-9]*) echo "N must be a positive integer" >&2; exit 2;; esac
[ "$n" -gt 0 ] || { echo "N must be > 0" >&2; exit 2; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
shared=${LIKENESS_SHARED:-../shared}
case "$shared" in
  /*) shared_abs=$shared ;;
  *)  shared_abs=$repo_root/$shared ;;
esac
img_dir=$shared_abs/data/lfw-dev/images
if [ ! -d "$img_dir" ]; then
  echo "image dir not found: $img_dir (set LIKENESS_SHARED)" >&2
  exit 1
fi
img_dir=$(cd "$img_dir" && pwd -P)
root_real=$(cd "$repo_root" && pwd -P)

# Prefix used in the list: img_dir relative to the repo root when it lies inside the
# repo or inside the repo's parent directory (e.g. ../shared/...), else absolute.
parent_real=$(dirname "$root_real")
case "$img_dir" in
  "$root_real"/*)   prefix=${img_dir#"$root_real"/} ;;
  "$parent_real"/*) prefix=../${img_dir#"$parent_real"/} ;;
  *)                prefix=$img_dir ;;
esac

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# relative paths under img_dir, byte-wise sorted, first N
# (sort the whole list to a file first: with pipefail, head closing the pipe early
# would make sort die of SIGPIPE)
( cd "$img_dir" && find . -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -printf '%P\n' ) \
  | sort > "$tmp"
head -n "$n" "$tmp" | sed "s|^|$prefix/|" > "$tmp.sel" || true
mv "$tmp.sel" "$tmp"

got=$(wc -l < "$tmp")
if [ "$got" -lt "$n" ]; then
  echo "warning: only $got images available (asked for $n)" >&2
fi
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out"
trap - EXIT
echo "wrote $got paths to $out (relative to $repo_root unless absolute)" >&2
