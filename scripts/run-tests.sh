#!/usr/bin/env bash
# The whole test suite: lint, then every test on SQLite, then again on PostgreSQL.
# In CI (CI=true or PUX_FAIL_ON_SKIP=1) a skipped test or a missing PostgreSQL is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
strict=0
[[ "${CI:-}" == "true" || "${PUX_FAIL_ON_SKIP:-}" == "1" ]] && strict=1 && export PUX_FAIL_ON_SKIP=1

echo "== lint"
make --no-print-directory lint

mkdir -p test-artifacts
echo "== tests on SQLite"
PUX_TEST_DATABASE=sqlite "$BIN/pytest" -q -p no:cacheprovider --junitxml=test-artifacts/sqlite.xml "$@"

echo "== tests on PostgreSQL"
started_here=""
if [[ -z "${PUX_TEST_POSTGRES_URL:-}" ]]; then
  # shellcheck source=scripts/throwaway-postgres.sh
  if source scripts/throwaway-postgres.sh && start_postgres; then
    started_here="$PUX_PG_DIR"
    trap 'bash scripts/throwaway-postgres.sh stop "$started_here"' EXIT
  elif [[ $strict -eq 1 ]]; then
    echo "PostgreSQL is required in CI and could not be started." >&2
    exit 1
  else
    echo "PostgreSQL not available here: the PostgreSQL run is left out (CI runs it)." >&2
    exit 0
  fi
fi
PUX_TEST_DATABASE=postgresql PUX_TEST_DATABASE_URL="$PUX_TEST_POSTGRES_URL" \
  "$BIN/pytest" -q -p no:cacheprovider --junitxml=test-artifacts/postgresql.xml "$@"
