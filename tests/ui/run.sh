#!/usr/bin/env bash
# UI specs: the real app under Xvfb, on a private D-Bus session with the
# accessibility bus and a keyring, driven through AT-SPI by dogtail.
#   tests/ui/run.sh [--filter TEXT]   (inside the runtime; see build-aux/runtime.sh)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ -z "${PADDOCK_UI_SESSION:-}" ]; then
  export PADDOCK_UI_SESSION=1
  exec xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$@"
fi

# GTK 4 only talks to AT-SPI when accessibility is switched on.
gsettings set org.gnome.desktop.interface toolkit-accessibility true
# An unlocked keyring with an empty password, for API keys.
eval "$(printf '' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export NO_AT_BRIDGE=0 GTK_A11Y=atspi
exec python3 "$here/runner.py" "$@"
