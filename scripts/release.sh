#!/usr/bin/env bash
# Builds a release: the server binary and the site files it serves (see README, Deployment).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/inclusion-survey/target}

# cargo-leptos runs wasm-opt on the outreach island's WebAssembly in a release build, and downloads
# it when none is on PATH (which fails with no internet). Binaryen's wasm-opt from npm, pinned in
# tools/package.json, is put first on PATH instead. Never Debian's binaryen (v108): it is too old
# for the features the Rust compiler emits.
if [ ! -f tools/node_modules/.package-lock.json ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  printf '\033[1m==> %s\033[0m\n' "Installing wasm-opt (npm binaryen, pinned)"
  (cd tools && npm ci --no-audit --no-fund)
fi
export PATH=$PWD/tools/node_modules/.bin:$PATH

cargo leptos build --release
cat <<DONE

Built. To deploy, copy:
  $CARGO_TARGET_DIR/release/inclusion-survey   the server (migrations, words and the built-in survey are inside)
  target/site/                                  the site files; set LEPTOS_SITE_ROOT to where they go
DONE
