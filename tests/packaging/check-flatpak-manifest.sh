#!/usr/bin/env bash
# The Flatpak manifest parses (flatpak-builder --show-manifest) and keeps to the packaging
# policy: GNOME runtime and SDK, the Node SDK extension on the build's PATH, a meson app
# module built from this checkout plus the generated npm sources, and exactly the allowed
# finish-args. Run inside the runtime:
#   build-aux/runtime.sh tests/packaging/check-flatpak-manifest.sh
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$project"
manifest=build-aux/flatpak/io.github.paddock.Paddock.json

fail() {
  echo "check-flatpak-manifest: $*" >&2
  exit 1
}

command -v flatpak-builder >/dev/null ||
  fail "flatpak-builder is not installed (apt install flatpak-builder)"
work=$(mktemp -d /tmp/paddock-flatpak-manifest.XXXXXX)
trap 'rm -rf "$work"' EXIT

# From the work folder: flatpak-builder leaves its state folder (.flatpak-builder) in the cwd.
if ! (cd "$work" && flatpak-builder --show-manifest "$project/$manifest") >"$work/parsed.json" \
  2>"$work/errors"; then
  cat "$work/errors" >&2
  fail "flatpak-builder cannot parse $manifest"
fi
# flatpak-builder only warns about parts of the manifest it could not read.
if grep -q . "$work/errors"; then
  cat "$work/errors" >&2
  fail "flatpak-builder did not read all of $manifest"
fi
python3 tests/packaging/flatpak_manifest.py check "$manifest" "$work/parsed.json" ||
  fail "$manifest breaks the packaging policy (see above)"
echo "check-flatpak-manifest: ok"
