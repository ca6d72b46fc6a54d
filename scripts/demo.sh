#!/usr/bin/env bash
# The demo: installs what is missing, then runs the XNS example: a workflow
# in namespace ns-a creates, signals, queries, updates and awaits CreateFoo
# in namespace ns-b through the generated `xns` module, on an embedded
# Temporal dev server (or TEMPORAL_ADDRESS, which must have both namespaces).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH:$root/.tools/go/bin"
exec cargo run -q -p examples --bin xns-caller
