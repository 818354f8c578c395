#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine to run wasp and its tests:
#   - Deno 2.9.6 from the npm package when `deno` is missing or another version
#   - the C -> wasm32-wasi toolchain (clang, lld, wasi-libc, and the wasm32 compiler-rt
#     package of the same major version as clang: libclang-rt-N-dev-wasm32, else the
#     unversioned libclang-rt-dev-wasm32; Debian 12 and Ubuntu 22.04 have clang 14,
#     Ubuntu 24.04 clang 18, Debian 13 clang 19)
#   - Debian's Rust toolchain with the wasm32-wasi standard library (offline, no crates)
#   - shellcheck, which the tests run on the shell scripts
#   - the walled child's bundle (deno task bundle; esbuild comes from the npm registry)
# Idempotent: installs only what is missing. Needs root (or sudo) for apt-get.
# --print-packages prints the apt packages it would use, one a line, and changes nothing.
set -euo pipefail

DENO_VERSION="2.9.6"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
  exit 0
fi

# The major version of the clang that is installed, or else of the one apt would install.
clang_major() {
  local v=""
  if command -v clang >/dev/null; then
    v="$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n1)"
  fi
  if [[ -z "$v" ]] && command -v apt-cache >/dev/null; then
    # "Candidate: 1:14.0-55.7~deb12u1" -> 14
    v="$(apt-cache policy clang 2>/dev/null | sed -n 's/^ *Candidate: \([0-9]*:\)\{0,1\}\([0-9][0-9]*\).*/\2/p' | head -n1)"
  fi
  printf '%s' "$v"
}

# True when apt knows a package of that exact name.
apt_knows() { apt-cache show "$1" >/dev/null 2>&1; }

# The wasm32 compiler-rt package for clang major version $1.
rt_package() {
  local major="$1"
  if [[ -n "$major" ]] && apt_knows "libclang-rt-${major}-dev-wasm32"; then
    printf 'libclang-rt-%s-dev-wasm32' "$major"
  elif apt_knows libclang-rt-dev-wasm32; then
    printf 'libclang-rt-dev-wasm32'
  else
    return 1
  fi
}

no_rt() { die "no wasm32 compiler-rt package matches clang $(clang_major) (libclang-rt-N-dev-wasm32); install it by hand"; }

if [[ "${1:-}" == "--print-packages" ]]; then
  RT_PACKAGE="$(rt_package "$(clang_major)")" || no_rt
  printf '%s\n' clang lld wasi-libc "$RT_PACKAGE" rustc cargo libstd-rust-dev-wasm32 shellcheck
  exit 0
fi

# npm 11.16+ runs no install scripts unless allowed; deno's postinstall puts its binary in place
NPM_ALLOW=()
[[ "$(npm config get allow-scripts 2>/dev/null || true)" == "undefined" ]] || NPM_ALLOW=(--allow-scripts=deno)

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
  npm install --global --no-fund --no-audit "${NPM_ALLOW[@]}" "deno@${DENO_VERSION}" >&2 \
    || { [[ -n "$SUDO" ]] && $SUDO npm install --global --no-fund --no-audit "${NPM_ALLOW[@]}" "deno@${DENO_VERSION}" >&2; } \
    || die "npm could not install deno@${DENO_VERSION}"
  deno --version >/dev/null 2>&1 || die "deno was installed but does not run"
fi

# apt's package lists may be empty on a fresh machine: refresh them once if nothing matches
RT_PACKAGE="$(rt_package "$(clang_major)")" \
  || { command -v apt-get >/dev/null && $SUDO apt-get update -qq >&2 && RT_PACKAGE="$(rt_package "$(clang_major)")"; } \
  || no_rt
APT_PACKAGES=(clang lld wasi-libc "$RT_PACKAGE" rustc cargo libstd-rust-dev-wasm32 shellcheck)

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
say "bundling the walled child (src/wall/child_bundle.ts)"
(cd "$(dirname "${BASH_SOURCE[0]}")/.." && deno run --allow-read --allow-write --allow-run --allow-env scripts/bundle.ts) >&2 \
  || die "deno task bundle failed"
say "ready: deno $(deno --version | head -n1 | cut -d' ' -f2), $(clang --version | head -n1), $(/usr/bin/rustc --version)"
