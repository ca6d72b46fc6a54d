#!/usr/bin/env bash
# The test command: installs what is missing (scripts/setup.sh), then runs
# formatting and lint checks and every test, including the end-to-end tests
# against a real Temporal dev server started by the tests themselves.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH:$root/.tools/go/bin"
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== go peer: gofmt, go vet, go test"
(
  cd tests/go-peer
  unformatted=$(gofmt -l .)
  if [ -n "$unformatted" ]; then
    echo "gofmt: not formatted: $unformatted" >&2
    exit 1
  fi
  go vet ./...
  go test ./...
)
echo "== cargo test"
cargo test --workspace --locked "$@"
