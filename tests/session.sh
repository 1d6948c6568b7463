#!/usr/bin/env bash
# Runs a command in a private desktop session, inside the runtime: its own XDG folders
# (so the user's settings and keyring stay untouched), a D-Bus session bus, an unlocked
# keyring, accessibility switched on, and with --display an Xvfb screen.
#   tests/session.sh [--display] COMMAND [ARGS…]
set -euo pipefail

if [ "${1:-}" = --display ] && [ -z "${PADDOCK_SESSION_DISPLAY:-}" ]; then
  shift
  export PADDOCK_SESSION_DISPLAY=1
  # Xvfb has no GPU: GL through llvmpipe draws a popover's first frame black.
  export GSK_RENDERER=cairo
  exec xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24 -nolisten tcp" "$0" "$@"
fi
[ "${1:-}" = --display ] && shift

if [ -z "${PADDOCK_SESSION:-}" ]; then
  export PADDOCK_SESSION=$(mktemp -d /tmp/paddock-session.XXXXXX)
  trap 'rm -rf "$PADDOCK_SESSION"' EXIT
  export XDG_CONFIG_HOME=$PADDOCK_SESSION/config XDG_DATA_HOME=$PADDOCK_SESSION/data
  export XDG_CACHE_HOME=$PADDOCK_SESSION/cache XDG_RUNTIME_DIR=$PADDOCK_SESSION/runtime
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS
  # dbus-daemon logs every service it starts, and that it may not raise its file limit.
  dbus-run-session -- "$0" "$@" 2> >(grep -v '^dbus-daemon\[' >&2)
  exit $?
fi

# GTK 4 only talks to AT-SPI when this is on (dconf keeps it in $XDG_CONFIG_HOME).
gsettings set org.gnome.desktop.interface toolkit-accessibility true
# A throwaway login keyring, unlocked and the default, for API keys.
mkdir -p "$XDG_DATA_HOME/keyrings"
echo login >"$XDG_DATA_HOME/keyrings/default"
eval "$(printf 'paddock-test-session' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
