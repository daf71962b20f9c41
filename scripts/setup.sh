#!/usr/bin/env bash
# Installs what this project needs and is missing; each step checks first, so running it again
# takes seconds. `scripts/setup.sh` is enough to run the app; `scripts/setup.sh --tests` also
# installs Chromium, PostgreSQL and the end-to-end test packages.
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages.
packages=()
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if $for_tests; then
  command -v chromium >/dev/null || packages+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  command -v sqlite3 >/dev/null || packages+=(sqlite3)
  # The paper form's test reads the PDF Chromium prints.
  command -v pdftotext >/dev/null || packages+=(poppler-utils)
  # GNU PSPP runs the SPSS syntax the responses download comes with.
  command -v pspp >/dev/null || packages+=(pspp)
  # Three instances behind nginx, as a council runs several (tests/it/instances.rs).
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
  # The W3C's Nu Html Checker (npm vnu-jar) runs on Java.
  command -v java >/dev/null || packages+=(default-jre-headless)
  # R and its survey package are the golden reference for the results' statistics.
  Rscript -e 'quit(status = !requireNamespace("survey", quietly = TRUE))' >/dev/null 2>&1 ||
    packages+=(r-base-core r-cran-survey)
  # The PyPI judges go in a virtual environment: Debian refuses pip in the system Python.
  python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "Installing ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi

# Rust tools for building the app (cargo-leptos uses what it finds on PATH; it must not download).
rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  say "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
}
cargo leptos --version 2>/dev/null | grep -qx "cargo-leptos 0.3.10" || {
  say "Installing cargo-leptos 0.3.10 (about 15 minutes, once)"
  cargo install cargo-leptos --version 0.3.10 --locked
}
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly; cargo-leptos does not check.
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg" || {
  say "Installing wasm-bindgen-cli $wbg (about 4 minutes, once)"
  cargo install wasm-bindgen-cli --version "$wbg" --force
}

if $for_tests; then
  # The tests check the formatting: rustfmt for code, leptosfmt for view! blocks.
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  leptosfmt --version 2>/dev/null | grep -qx "leptosfmt 0.1.33" || {
    say "Installing leptosfmt 0.1.33 (about 3 minutes, once)"
    cargo install leptosfmt --version 0.1.33 --locked
  }
  # The field's own tools judge our files (PyPI): pyxform our XLSForms, frictionless our data
  # packages. In a virtual environment under the cache; scripts/test.sh puts its bin on PATH.
  venv=$HOME/.cache/inclusion-survey/venv
  python_tools=(pyxform==4.1.0 frictionless==5.18.1)
  if [ ! -f "$venv/installed" ] || [ "$(cat "$venv/installed")" != "${python_tools[*]}" ]; then
    say "Installing ${python_tools[*]} (PyPI) in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "${python_tools[@]}"
    echo "${python_tools[*]}" > "$venv/installed"
  fi
  # npm ci only when the lock file changed since the last install.
  if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing end-to-end test packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
fi
