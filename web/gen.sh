#!/bin/sh
# Builds the verifier page's runtime into web/dist (run by "go generate
# ./web"): verifier.wasm, the js/wasm build of cmd/badge-wasm, and
# wasm_exec.js, copied from the Go toolchain that built it (they must
# match). Neither is checked in; binaries built afterwards embed them.
set -eu
cd "$(dirname "$0")"
mkdir -p dist
GOOS=js GOARCH=wasm CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o dist/verifier.wasm ../cmd/badge-wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" dist/wasm_exec.js
