#!/usr/bin/env bash
# Reproduces the README's smoke-test table. Usage: run-smoke.sh MODELS_DIR LFW_DEV_DIR WORK_DIR
# (slow on the pure-JS CPU backend: ~15 min on a loaded 2-core machine)
set -euo pipefail
models=$1; lfw=$2; work=$3; here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
python3 "$here/make_pairs.py" "$lfw" "$work"
prep() { java "$here/CropToF32.java" "$work/lfw$1-$2-$3.f32" "$1" "$2" "$3" "$work/files.txt"; }
run() { # model size fraction mode
  prep "$2" "$3" "$4"
  node "$here/../run.mjs" "$models/$1.json" "$work/lfw$2-$3-$4.f32" 60 "$2" "$2" 3 "$work/out-$1-$3-$4" >/dev/null
  python3 "$here/pair_similarity.py" "$work/labels.txt" "$work/out-$1-$3-$4"
}
run faceres 224 0.56 rgb255
run faceres 224 0.56 bgrvgg
run faceres-deep 224 0.56 rgb255
run faceres-deep 224 0.56 bgrvgg
run mobileface 112 0.56 rgb255
run mobileface 112 0.56 bgr255
run mobileface 112 0.56 rgb01
run mobileface 112 0.42 rgb255
run mobilefacenet 112 0.56 rgb01
run mobilefacenet 112 0.56 rgb255
run mobilefacenet 112 0.56 pm1
run mobilefacenet 112 0.42 pm1
