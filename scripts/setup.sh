#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine to run wasp and its tests:
#   - Deno 2.9.6 from the npm package when `deno` is missing or another version
#   - the C -> wasm32-wasi toolchain (clang, lld, wasi-libc, the wasm32 compiler-rt)
#   - Debian's Rust toolchain with the wasm32-wasi standard library (offline, no crates)
#   - shellcheck, which the tests run on the shell scripts
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail

DENO_VERSION="2.9.6"
APT_PACKAGES=(clang lld wasi-libc libclang-rt-14-dev-wasm32 rustc cargo libstd-rust-dev-wasm32
  shellcheck)

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  command -v sudo >/dev/null || die "run as root or install sudo"
  SUDO="sudo"
fi

if command -v deno >/dev/null && deno --version 2>/dev/null | grep -q "^deno ${DENO_VERSION} "; then
  say "deno ${DENO_VERSION} already installed"
else
  command -v npm >/dev/null || die "npm is needed to install Deno (install Node.js first)"
  say "installing deno@${DENO_VERSION} from npm"
  # npm's global prefix is often user-writable (nvm, setup-node); use sudo only when it is not
  npm install --global --no-fund --no-audit "deno@${DENO_VERSION}" >&2 \
    || { [[ -n "$SUDO" ]] && $SUDO npm install --global --no-fund --no-audit "deno@${DENO_VERSION}" >&2; } \
    || die "npm could not install deno@${DENO_VERSION}"
  deno --version >/dev/null 2>&1 || die "deno was installed but does not run"
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  say "installing ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2 \
    || die "apt-get could not install ${missing[*]}"
else
  say "C and Rust to wasm32-wasi toolchains already installed"
fi

printf 'int main(void){return 0;}\n' > /tmp/wasp-setup-check.c
clang --target=wasm32-wasi -O2 /tmp/wasp-setup-check.c -o /tmp/wasp-setup-check.wasm \
  || die "clang cannot build wasm32-wasi programs"
printf 'fn main() {}\n' > /tmp/wasp-setup-check.rs
# Debian's rustc by full path: a rustup toolchain earlier on PATH lacks the wasm32-wasi target
/usr/bin/rustc --target wasm32-wasi /tmp/wasp-setup-check.rs -o /tmp/wasp-setup-check.wasm \
  || die "/usr/bin/rustc cannot build wasm32-wasi programs (is libstd-rust-dev-wasm32 installed?)"
rm -f /tmp/wasp-setup-check.c /tmp/wasp-setup-check.rs /tmp/wasp-setup-check.wasm
say "ready: deno $(deno --version | head -n1 | cut -d' ' -f2), $(clang --version | head -n1), $(/usr/bin/rustc --version)"
