#!/usr/bin/env bash
# The benchmarks: installs what is missing, builds the suite and the plugin
# (release), and runs every benchmark against its reference in the same run.
# Prints the table and writes it as Markdown to target/bench/report.md (or
# --out FILE). `--quick` is a smoke run: a debug build and small sizes,
# whose figures mean nothing. `--only SECTION,...` picks sections.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH:$root/.tools/go/bin"
profile=release
dir=release
for arg in "$@"; do
  if [ "$arg" = --quick ]; then
    profile=dev
    dir=debug
  fi
done
cargo build --locked --profile "$profile" -p benchmarks -p protoc-gen-rust-temporal
exec "${CARGO_TARGET_DIR:-$root/target}/$dir/bench" "$@"
