#!/usr/bin/env bash
# The demo: installs what is missing, then runs a Rust worker and the
# generated client against an embedded Temporal dev server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run -q -p e2e --example demo
