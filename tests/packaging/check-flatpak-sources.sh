#!/usr/bin/env bash
# The npm sources of the Flatpak build match package-lock.json: regenerates them and compares.
# Run inside the runtime: build-aux/runtime.sh tests/packaging/check-flatpak-sources.sh
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$project"
committed=build-aux/flatpak/generated-sources.json
work=$(mktemp -d /tmp/paddock-flatpak-sources.XXXXXX)
trap 'rm -rf "$work"' EXIT

node build-aux/flatpak-sources.mjs "$work/generated-sources.json"
if ! diff -u --label "$committed" --label "regenerated from package-lock.json" \
  "$committed" "$work/generated-sources.json" >&2; then
  echo "check-flatpak-sources: $committed is out of date," \
    "run: node build-aux/flatpak-sources.mjs" >&2
  exit 1
fi
echo "check-flatpak-sources: ok"
