#!/usr/bin/env bash
# `npm run demo` (inside the runtime): the Ollama simulator with a few models installed,
# and the app pointed at it, with throwaway settings so your own stay untouched.
#   build-aux/demo.sh PREFIX
set -euo pipefail
project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=$1
shift
build=${PADDOCK_BUILD_DIR:-_build}

home=$(mktemp -d /tmp/paddock-demo.XXXXXX)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$home"' EXIT
mkdir -p "$home/config" "$home/data" "$home/cache"

# The simulator prints its address on its first line and stops when its stdin closes.
exec {sim_in}< <(sleep infinity)
coproc SIM { node "$project/$build/sim/ollama-sim.mjs" --demo --port 0 <&"$sim_in"; }
sim_pid=$SIM_PID
read -r line <&"${SIM[0]}"
url=${line#listening on }
echo "demo: Ollama simulator at $url"

export OLLAMA_HOST=$url
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_DATA_DIRS="$prefix/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR="$prefix/share/glib-2.0/schemas"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  dbus-run-session -- "$prefix/bin/paddock" "$@"
else
  "$prefix/bin/paddock" "$@"
fi
