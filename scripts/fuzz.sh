#!/usr/bin/env bash
# The fuzz run: installs what is missing (protoc for the seed requests and
# the compile check), builds the harness in release mode and runs it.
# Default: the long run, 1,000,000 inputs with 200 sampled outputs compiled.
# `--quick` is CI's bounded run: 20,000 inputs, 16 sampled outputs. Other
# arguments go to `fuzz run` (e.g. `--seed 7 --inputs 50000`; see
# tests/fuzz/src/main.rs). Exits non-zero on any finding, which it writes
# under target/fuzz/seed-<seed>/findings with a replay command each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
args=(--inputs 1000000 --samples 200 --batch 25)
rest=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then
    args=(--inputs 20000 --samples 16 --batch 16)
  else
    rest+=("$arg")
  fi
done
cargo build --locked --release -p fuzz
# The first occurrence of an option wins: yours, then these defaults.
exec "${CARGO_TARGET_DIR:-$root/target}/release/fuzz" run "${rest[@]}" "${args[@]}"
