#!/usr/bin/env bash
# Paddock's benchmarks (see docs/benchmarks.md): runs them and prints Markdown tables.
#   bench/run.sh [--runs N] [NAME…]   NAME: a folder of bench/ with a main.mjs (default: all)
# Runs inside the runtime (build-aux/runtime.sh), entering it when started outside.
# Timings are printed, never judged: a benchmark fails only when a consumer fails.
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$project"
[ -n "${PADDOCK_IN_RUNTIME:-}" ] || exec build-aux/runtime.sh bench/run.sh "$@"
build=${PADDOCK_BUILD_DIR:-_build}
scripts=$build/bench

available=()
for main in bench/*/main.mjs; do
  name=${main#bench/}
  available+=("${name%/main.mjs}")
done

usage() {
  echo "usage: bench/run.sh [--runs N] [NAME…]   (NAME: ${available[*]})" >&2
  exit 2
}

runs=5
selected=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage
      runs=$2
      shift 2
      ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
      [ -f "bench/$1/main.mjs" ] || { echo "bench: no benchmark named '$1'" >&2; usage; }
      selected+=("$1")
      shift
      ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${available[@]}")

node bench/bundle.mjs "$scripts"

# A driver runs in the background so that an interrupt reaches it as SIGTERM; it then
# ends the processes it measures and its server before it exits.
driver=
# shellcheck disable=SC2317 # called by the traps
stop() {
  if [ -n "$driver" ]; then
    kill -TERM "$driver" 2>/dev/null || true
    wait "$driver" 2>/dev/null || true
  fi
  exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "# Paddock benchmarks"
echo
echo "${cpu:-unknown CPU}, $(nproc) cores, Linux $(uname -r), $(date -u +%Y-%m-%d)."
status=0
for name in "${selected[@]}"; do
  echo
  node "bench/$name/main.mjs" --scripts "$scripts/$name" --runs "$runs" &
  driver=$!
  wait "$driver" || status=$?
  driver=
done
exit "$status"
