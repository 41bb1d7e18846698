#!/usr/bin/env bash
# Build the fuzz seed corpora (fuzz/corpus/<target>/) from the generator and hand-written
# header variants. Usage: bash fuzz/seed.sh   (from the repository root)
set -euo pipefail
tmp=$(mktemp -d)
rustc -O --edition 2024 -o "$tmp/seeds" fuzz/seeds.rs
"$tmp/seeds" fuzz/corpus
rm -rf "$tmp"
