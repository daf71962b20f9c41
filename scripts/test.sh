#!/usr/bin/env bash
# Installs what is missing, then runs every test: unit and integration tests (on SQLite and on a
# throwaway PostgreSQL), then end-to-end tests in Chromium on a phone-sized screen, JavaScript off
# and on, with axe.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/setup.sh --tests
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/inclusion-survey/target}
# The PyPI tools the tests run (xls2xform, frictionless), installed by setup.sh.
export PATH=$HOME/.cache/inclusion-survey/venv/bin:$PATH

eval "$(scripts/postgres.sh)"
trap '"$root/scripts/postgres.sh" stop "$DIR"' EXIT
export TEST_POSTGRES_URL=$URL

echo "==> Formatting (rustfmt.toml, leptosfmt.toml)"
cargo fmt --check
leptosfmt --check --quiet src tests benches

echo "==> Unit and integration tests (SQLite and PostgreSQL)"
cargo test --locked

echo "==> Building the site"
cargo leptos build

echo "==> End-to-end tests in Chromium"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd end2end
E2E_PORT=$port INCLUSION_SURVEY_BIN="$CARGO_TARGET_DIR/debug/inclusion-survey" LEPTOS_SITE_ROOT=../target/site \
  npx playwright test

# A release build fails in ways a debug build does not (a page's view type too deep for the
# compiler's query limit): build one as a deployment would.
echo "==> The release build (scripts/release.sh)"
cd "$root"
scripts/release.sh
