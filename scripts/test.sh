#!/usr/bin/env bash
# Every test of the project: `make test` runs this.
#   1. Rust: the core crate, and the server through real HTTP on SQLite and on PostgreSQL (same suite),
#      with S3 storage against a real S3 server (moto).
#   2. The reference data check.
#   3. The web app: unit tests, type check and build.
#   4. Browser tests: playwright-core driving Debian's Chromium against the binary `make run` builds (the
#      development profile, which the Rust tests have just built too), serving the web app it embeds.
# PostgreSQL: TEST_DATABASE_URL if set, else a throw-away cluster from the local initdb/pg_ctl.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step says when it starts (seconds since the run began), so a slow run shows where its time went.
step() { printf '\n==> [%4ds] %s\n' "$SECONDS" "$*"; }

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  step "PostgreSQL"
  # shellcheck source=scripts/pg-throwaway.sh
  source scripts/pg-throwaway.sh
fi

if [ -z "${MOTO_SERVER:-}" ] && ! command -v moto_server >/dev/null 2>&1; then
  step "installing the S3 test server (moto, from PyPI)"
  python3 -m pip install --quiet 'moto[server]'
fi

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "Browser tests need Chromium at /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk)." >&2
  exit 1
fi

step "web app: install, unit tests, type check and build"
(cd web && npm ci --no-audit --no-fund && npm test && npm run build)

step "Rust tests (SQLite and PostgreSQL)"
cargo test --workspace --locked

step "reference data check"
node scripts/reference-data/check.mjs

step "browser tests (against the binary \`make run\` builds, with its web app)"
cargo build --locked --bin shuzhuan
(cd e2e && npm ci --no-audit --no-fund && npm test)
step "done"
