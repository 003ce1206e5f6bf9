#!/usr/bin/env bash
# `make run`: build the web app and the server, then start the platform on SQLite with demo data.
# The first build compiles ~700 crates: several minutes on a 2-core machine (later runs take seconds).
# It builds the development profile, the one `make test` builds too, so trying the platform and testing it
# compile the tree once (docs/decisions/0024-one-build-profile.md); production builds `--release` (README).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "需要 Rust 工具链 (https://rustup.rs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "需要 Node.js 20+ 与 npm" >&2; exit 1; }

echo "==> 构建前端 (web/)"
(cd web && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build)

echo "==> 构建服务端 (首次约需数分钟)"
cargo build --locked --bin shuzhuan

bin=target/debug/shuzhuan
export SHUZHUAN_LISTEN="${SHUZHUAN_LISTEN:-127.0.0.1:8080}"
"$bin" migrate
"$bin" seed-demo
echo
echo "==> 启动平台：浏览器打开 http://${SHUZHUAN_LISTEN}（Ctrl+C 停止）"
exec "$bin" serve
