#!/usr/bin/env bash
# Installs what is missing, then builds and serves the app on SQLite at http://127.0.0.1:3000 with
# the built-in survey ready at /s/digital-inclusion. Settings: see README (environment variables).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/inclusion-survey/target}
exec cargo leptos serve
