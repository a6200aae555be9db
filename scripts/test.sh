#!/usr/bin/env bash
# The whole test suite on a fresh machine that has only the Rust toolchain: installs what the
# tests need (Debian chromium and poppler-utils, npm axe-core / vnu-jar / playwright-core, PyPI
# frictionless, rdflib), then runs every test. Safe to run again: installed tools are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/territoires/target}"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installation Debian : ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d tests/browser/node_modules/axe-core ] || [ ! -d tests/browser/node_modules/vnu-jar ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "== installation npm (tests/browser)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v frictionless >/dev/null 2>&1; then
  echo "== installation PyPI : frictionless"
  python3 -m pip install --quiet --disable-pip-version-check 'frictionless==5.21.0'
fi

if ! python3 -c 'import rdflib' >/dev/null 2>&1; then
  echo "== installation PyPI : rdflib"
  python3 -m pip install --quiet --disable-pip-version-check 'rdflib==7.1.4'
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --release --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --release --all-targets
