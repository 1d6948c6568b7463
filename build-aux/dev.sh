#!/usr/bin/env bash
# The one entry point behind every npm script: installs dependencies, makes sure the
# GNOME runtime exists (build-aux/runtime.sh), builds, then starts, tests or measures.
#
#   dev.sh start [ARGS…]   build and launch the app
#   dev.sh paddock ARGS…   run the freshly built app with ARGS (scripts, tests)
#   dev.sh test [unit|ui|lint|validate] [--filter TEXT]
#   dev.sh demo            simulator with models installed + the app pointed at it
#   dev.sh bench           benchmarks (see docs/benchmarks.md)
#   dev.sh build | lint
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$project"
runtime=build-aux/runtime.sh
build=${PADDOCK_BUILD_DIR:-_build}
prefix=$project/$build/prefix

deps() {
  # npm ci when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "dev: installing npm dependencies" >&2
    npm ci --no-audit --no-fund >&2
  fi
}

compile() {
  deps
  "$runtime" --ensure
  if [ ! -f "$build/meson/build.ninja" ]; then
    "$runtime" meson setup "$build/meson" --prefix="$prefix" >&2
  fi
  "$runtime" meson install -C "$build/meson" --quiet >&2
}

# The app as installed into the build prefix, with its schemas and data found.
# Without a display, windows go to a virtual X server (Xvfb) rather than nowhere.
display_wrap=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  display_wrap=(xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24")
fi

run_app() {
  export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
  local wrap=() window=0
  if [ "${1:-}" = --window ]; then
    shift
    window=1
    if [ ${#display_wrap[@]} -gt 0 ]; then
      echo "dev: no display here; running the window on a virtual X server (Xvfb)." >&2
      wrap=("${display_wrap[@]}")
    fi
  fi
  # The window needs a session bus (a desktop session always has one); commands do not.
  if [ ${#wrap[@]} -gt 0 ] || { [ "$window" = 1 ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; }; then
    wrap+=(dbus-run-session --)
  fi
  exec "$runtime" "${wrap[@]}" "$prefix/bin/paddock" "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  build) compile ;;
  start) compile; run_app --window "$@" ;;
  paddock) compile; run_app "$@" ;;
  lint) deps; exec "$runtime" tests/run-all.sh lint ;;
  test) compile; exec "$runtime" tests/run-all.sh "$@" ;;
  demo)
    compile
    "$runtime" node build-aux/bundle.mjs sim "$build/sim/ollama-sim.mjs"
    [ ${#display_wrap[@]} -eq 0 ] ||
      echo "dev: no display here; running the window on a virtual X server (Xvfb)." >&2
    exec "$runtime" "${display_wrap[@]}" build-aux/demo.sh "$prefix" ;;
  bench) compile; exec "$runtime" bench/run.sh "$@" ;;
  *)
    echo "usage: dev.sh start|paddock|test|demo|bench|build|lint [ARGS…]" >&2
    exit 2
    ;;
esac
