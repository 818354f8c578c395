#!/usr/bin/env bash
# Builds task.c into task.wasm with clang and wasi-libc (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32; or the wasi-sdk).
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-all task.c -o "${1:-task.wasm}"
