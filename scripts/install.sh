#!/usr/bin/env bash
# Installs the `wasp` command from this checkout.
#
# Usage: scripts/install.sh [--binary] [--root DIR] [--help]
#
#   (default)   `deno install` a `wasp` command that runs main.ts from this checkout with
#               exactly the permissions the wasp parent process needs (listed below).
#   --binary    compile a standalone binary with `deno compile` instead (needs to download
#               Deno's runtime for compiling, so it fails on machines without that access).
#   --root DIR  install under DIR/bin instead of Deno's default (~/.deno/bin).
#
# Deno is installed first when missing: with the official installer when it is reachable,
# otherwise from the npm package deno@2.9.6. Running it again reinstalls in place.
#
# The default command runs main.ts from this clone: keep the clone where it is (after moving
# it, run this script again). When the install directory is not on PATH, the script prints
# the line that puts it there; it never edits your shell profile itself.
#
# Permissions of the installed command (the walled child it spawns gets far less):
#   --allow-read    modules, granted directories (to resolve them), --stdin files, Deno's cache
#   --allow-write   symlinks created for guests (Deno's symlink needs unscoped read and write),
#                   `sample build` output, temporary files for samples
#   --allow-run=D   only Deno's own executable D, to spawn the walled child
#   --allow-env=... only DENO_DIR, HOME, XDG_CACHE_HOME, LOCALAPPDATA (to hand Deno's cache
#                   location to the child) and WASP_WALL (to select the worker wall)
set -euo pipefail

DENO_VERSION="2.9.6"
ENV_VARS="DENO_DIR,HOME,XDG_CACHE_HOME,LOCALAPPDATA,WASP_WALL"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARY=0
ROOT=""

say() { printf 'install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}
# the help is the comment block at the top of this file, and nothing after it
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"; }

while (($# > 0)); do
  case "$1" in
    --binary) BINARY=1 ;;
    --root)
      (($# >= 2)) || die "--root needs a directory"
      ROOT="$2"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

install_deno() {
  if command -v curl >/dev/null && curl -fsS --max-time 10 -o /dev/null https://deno.land/install.sh 2>/dev/null; then
    say "installing Deno with the official installer"
    curl -fsSL https://deno.land/install.sh | sh -s -- -y "v${DENO_VERSION}" >&2 \
      && export PATH="${DENO_INSTALL:-$HOME/.deno}/bin:$PATH" && return 0
    say "the official installer failed; trying npm"
  fi
  command -v npm >/dev/null || die "Deno is missing and neither its installer nor npm is available"
  say "installing deno@${DENO_VERSION} from npm"
  local sudo=""
  if [[ "$(id -u)" != "0" ]] && command -v sudo >/dev/null; then sudo="sudo"; fi
  # npm 11.16+ runs no install scripts unless allowed; deno's postinstall puts its binary in place
  local allow=()
  [[ "$(npm config get allow-scripts 2>/dev/null || true)" == "undefined" ]] || allow=(--allow-scripts=deno)
  # npm's global prefix is often user-writable (nvm, setup-node); use sudo only when it is not
  npm install --global --no-fund --no-audit "${allow[@]}" "deno@${DENO_VERSION}" >&2 \
    || { [[ -n "$sudo" ]] && $sudo npm install --global --no-fund --no-audit "${allow[@]}" "deno@${DENO_VERSION}" >&2; } \
    || die "npm could not install deno@${DENO_VERSION}"
}

command -v deno >/dev/null || install_deno
command -v deno >/dev/null || die "deno is still not on PATH after installing it"
DENO_EXEC="$(deno eval 'console.log(Deno.execPath())')"
[[ "$DENO_EXEC" != *,* ]] || die "Deno's path contains a comma, which permission flags cannot express"

PERMS=(--allow-read --allow-write "--allow-run=${DENO_EXEC}" "--allow-env=${ENV_VARS}")
ROOT_ARGS=()
if [[ -n "$ROOT" ]]; then
  mkdir -p "$ROOT/bin" || die "cannot create $ROOT/bin"
  ROOT="$(cd "$ROOT" && pwd)"
  ROOT_ARGS=(--root "$ROOT")
fi

if ((BINARY)); then
  out="${ROOT:-${DENO_INSTALL:-$HOME/.deno}}/bin/wasp"
  mkdir -p "$(dirname "$out")"
  say "compiling a standalone binary to $out"
  (cd "$REPO" && deno compile --no-prompt --unstable-worker-options --allow-read --allow-write \
    --allow-run --allow-env --include src/wall/child_main.ts --include src/wall/worker_host.ts \
    --include samples --output "$out" main.ts) >&2 \
    || die "deno compile failed (it downloads Deno's runtime for compiling; install without --binary instead)"
else
  # the walled child as one file, which starts faster (src/wall/child_bundle.ts); without it
  # wasp runs the child from its sources, so a failure here costs speed only
  say "bundling the walled child"
  (cd "$REPO" && deno run --allow-read --allow-write --allow-run --allow-env scripts/bundle.ts) >&2 \
    || say "bundling failed; wasp will run its child from the sources (a little slower to start)"
  say "installing the wasp command (deno install) from $REPO"
  deno install --global --force --quiet --name wasp "${ROOT_ARGS[@]}" --config "$REPO/deno.json" \
    --no-prompt "${PERMS[@]}" "$REPO/main.ts" >&2 || die "deno install failed"
fi

bin="${ROOT:-${DENO_INSTALL:-$HOME/.deno}}/bin"
say "done: $bin/wasp"
if ((!BINARY)); then
  say "the wasp command runs $REPO/main.ts: keep this clone there (if you move it, install again)"
fi
case ":$PATH:" in
  *":$bin:"*) ;;
  *)
    say "$bin is not on your PATH; to call wasp by name, run (and add to ~/.bashrc or ~/.profile):"
    say "  export PATH=\"$bin:\$PATH\""
    ;;
esac
