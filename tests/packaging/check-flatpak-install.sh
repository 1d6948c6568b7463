#!/usr/bin/env bash
# Builds the app as the Flatpak manifest says, without Flatpak (Flathub is out of reach):
# lays out the app module's sources as flatpak-builder would (this checkout less its skipped
# folders, plus the npm tarballs of generated-sources.json), runs meson with flatpak-builder's
# options and the manifest's config-opts into a temporary /app-like prefix, then starts the
# installed paddock: --version, then its window under Xvfb until it shows on the
# accessibility bus, and quits it.
# Run inside the runtime: build-aux/runtime.sh tests/packaging/check-flatpak-install.sh
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$project"
manifest=$project/build-aux/flatpak/io.github.paddock.Paddock.json
helper=$project/tests/packaging/flatpak_manifest.py

fail() {
  echo "check-flatpak-install: $*" >&2
  exit 1
}

# Shows a step's log only when it fails.
step() {
  local what=$1 log=$2
  shift 2
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$what failed"
  fi
}

work=$(mktemp -d /tmp/paddock-flatpak-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
app=$work/app
source=$work/source

# From the work folder: flatpak-builder leaves its state folder (.flatpak-builder) in the cwd.
parse_manifest() (cd "$work" && flatpak-builder --show-manifest "$manifest" >parsed.json)
step "flatpak-builder --show-manifest" "$work/show-manifest.log" parse_manifest
step "laying out the app module's sources" "$work/stage.log" \
  python3 "$helper" stage "$manifest" "$work/parsed.json" "$source"
mapfile -t options < <(python3 "$helper" meson-args "$work/parsed.json" "$app")
[ ${#options[@]} -gt 0 ] || fail "no meson options from the manifest"

# flatpak-builder configures in _flatpak_build inside the module's sources.
step "meson setup ${options[*]}" "$work/setup.log" \
  meson setup "$source/_flatpak_build" "$source" "${options[@]}"
step "meson install" "$work/install.log" meson install -C "$source/_flatpak_build"

# Inside the Flatpak, XDG_DATA_DIRS puts /app/share first; schemas are compiled there.
version=$(XDG_DATA_DIRS="$app/share:/usr/share" "$app/bin/paddock" --version 2>&1) ||
  fail "the installed paddock --version failed: $version"
[[ $version =~ ^Paddock\ [0-9] ]] || fail "the installed paddock --version printed: $version"

step "the installed paddock's window" "$work/window.log" \
  tests/session.sh --display python3 tests/packaging/window_starts.py "$app"
echo "check-flatpak-install: ok ($version, installed from the manifest's meson build)"
