#!/usr/bin/env bash
# Batch Emacs end-to-end test of editors/emacs/capture-mode.el + eglot against the server.
#   CAPTURE_LSP=/path/to/capture-lsp editors/emacs/test/run.sh
# Fails (exit 1) when emacs or eglot is missing, or when the server is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors="$(dirname "$(dirname "$here")")"
repo="$(dirname "$editors")"

server="${CAPTURE_LSP:-$repo/target/debug/capture-lsp}"
seed="${CAPTURE_SEED:-$(dirname "$repo")/shared/seed/bbc_65032731.capture.txt}"
emacs="${EMACS:-emacs}"

if ! command -v "$emacs" >/dev/null 2>&1; then
  echo "FAIL: emacs not found (apt-get install -y emacs-nox elpa-eglot)" >&2
  exit 1
fi
if ! "$emacs" --batch -Q --eval '(progn (dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*")) (add-to-list (quote load-path) d)) (require (quote eglot)))' >/dev/null 2>&1; then
  echo "FAIL: eglot not loadable in $("$emacs" --version | head -1) (apt-get install -y elpa-eglot, or Emacs 29+)" >&2
  exit 1
fi
if [[ ! -x "$server" ]]; then
  echo "FAIL: capture-lsp binary not found at $server (cargo build, or set CAPTURE_LSP)" >&2
  exit 1
fi
server="$(cd "$(dirname "$server")" && pwd)/$(basename "$server")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home"   # no user init, no ~/.emacs.d state
mkdir -p "$HOME"
export CAPTURE_LSP="$server" CAPTURE_SEED="$seed" CAPTURE_TMP="$tmp/work" CAPTURE_SAMPLES="$editors/test-data/detect-samples.json"

timeout "${CAPTURE_EMACS_TIMEOUT:-300}" "$emacs" --batch -Q -l "$here/capture-test.el" </dev/null
