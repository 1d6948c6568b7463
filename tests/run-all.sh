#!/usr/bin/env bash
# Every check of `npm test`, inside the runtime (see build-aux/runtime.sh). Each check
# or spec counts once; the last line is the total: "N passed, N failed, N skipped".
#   tests/run-all.sh [lint|validate|unit|ui]… [--filter TEXT]
set -uo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$project"
build=${PADDOCK_BUILD_DIR:-_build}
# Relative to the checkout, or absolute (`meson test` passes its own build folder).
[[ $build = /* ]] || build=$project/$build
prefix=$build/prefix

passed=0 failed=0 skipped=0
failures=()
filter=()
stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter=(--filter "$2"); shift 2 ;;
    *) stages+=("$1"); shift ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=(lint validate unit ui)

# One check: a command that passes or fails as a whole.
check() {
  local name=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAIL $name"
    printf '%s\n' "$output" | sed 's/^/     /'
  fi
}

# A suite: a runner whose last count line is added to the totals.
suite() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local counts
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$counts" ]; then
    failed=$((failed + 1))
    failures+=("$name (the runner ended without a count, status $status)")
    return
  fi
  local p f s
  read -r p f s < <(echo "$counts" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/')
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
  if [ "$f" != 0 ] || [ "$status" != 0 ]; then failures+=("$name"); fi
  if [ "$f" = 0 ] && [ "$status" != 0 ]; then
    failed=$((failed + 1))
  fi
}

lint() {
  echo "== lint"
  check "tsc (app)" tsc -p tsconfig.json
  check "tsc (unit specs)" tsc -p tests/tsconfig.json
  check "tsc (simulator)" tsc -p tests/sim/tsconfig.json
  check "tsc (benchmarks)" tsc -p bench/tsconfig.json
  check "eslint" eslint --max-warnings 0 .
  check "prettier" prettier --check .
  check "i18n: user-visible strings are marked" node tests/i18n/check-marked-strings.mjs
  check "i18n: translations are complete" tests/i18n/check-translations.sh
}

# meson install into a throwaway prefix must give a paddock that starts.
installed_app_starts() {
  local dir status=0
  dir=$(mktemp -d /tmp/paddock-install.XXXXXX)
  meson setup "$dir/build" --prefix="$dir/prefix" >/dev/null &&
    meson install -C "$dir/build" --quiet >/dev/null &&
    XDG_DATA_DIRS="$dir/prefix/share:/usr/share" \
      GSETTINGS_SCHEMA_DIR="$dir/prefix/share/glib-2.0/schemas" \
      "$dir/prefix/bin/paddock" --version | grep -q '^Paddock [0-9]' || status=1
  rm -rf "$dir"
  return $status
}

# AppStream must validate with neither errors nor warnings (GNOME Software shows both).
appstream_clean() {
  local output
  output=$(appstreamcli validate --no-net --explain "$1") || { echo "$output"; return 1; }
  if grep -qE '^[EW]:' <<<"$output"; then
    echo "$output"
    return 1
  fi
}

validate() {
  echo "== validate"
  local share=$prefix/share app=io.github.paddock.Paddock
  check "desktop-file-validate" desktop-file-validate "$share/applications/$app.desktop"
  check "appstreamcli validate, no warnings" appstream_clean "$share/metainfo/$app.metainfo.xml"
  check "glib-compile-schemas --strict" glib-compile-schemas --strict --dry-run "$share/glib-2.0/schemas"
  check "meson install into a temporary prefix gives a paddock that starts" installed_app_starts
  check "bundle: chunks all in the GResource, each start loads only what it needs" node tests/packaging/check-bundle-split.mjs
  check "flatpak: npm sources match package-lock.json" tests/packaging/check-flatpak-sources.sh
  check "flatpak: the manifest parses and asks for nothing more" tests/packaging/check-flatpak-manifest.sh
  check "flatpak: the manifest's meson build installs a paddock that starts" tests/packaging/check-flatpak-install.sh
}

unit() {
  echo "== unit"
  rm -rf "$build/tests"
  if ! node build-aux/bundle.mjs sim "$build/sim/ollama-sim.mjs"; then
    failed=$((failed + 1))
    failures+=("bundling the simulator")
    return
  fi
  if ! node build-aux/bundle.mjs tests "$build/tests/unit"; then
    failed=$((failed + 1))
    failures+=("bundling the unit specs")
    return
  fi
  # The simulator's own specs check the test tool, not Paddock: counted apart.
  mapfile -t specs < <(find "$build/tests/unit" -name '*-spec.js' -not -path '*/unit/sim/*' | sort)
  mapfile -t sim_specs < <(find "$build/tests/unit/sim" -name '*-spec.js' | sort)
  suite "unit specs" env PADDOCK_SIMULATOR="$build/sim/ollama-sim.mjs" \
    tests/session.sh gjs -m tests/jasmine/runner.js "${filter[@]}" "${specs[@]}"
  suite "simulator specs" env PADDOCK_SIMULATOR="$build/sim/ollama-sim.mjs" \
    tests/session.sh gjs -m tests/jasmine/runner.js "${filter[@]}" "${sim_specs[@]}"
}

ui() {
  echo "== ui"
  suite "ui specs" tests/ui/run.sh "${filter[@]}"
}

for stage in "${stages[@]}"; do
  case "$stage" in
    lint | validate | unit | ui) "$stage" ;;
    *) echo "unknown stage: $stage" >&2; exit 2 ;;
  esac
done

echo
for name in "${failures[@]}"; do echo "failed: $name"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
