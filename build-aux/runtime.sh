#!/usr/bin/env bash
# Runs a command in a GNOME 47+ runtime: the host when it is new enough, else a
# Debian 13 sysroot built once with mmdebstrap and entered with bubblewrap.
#
#   build-aux/runtime.sh [--] COMMAND [ARGS…]   run COMMAND in the runtime
#   build-aux/runtime.sh --ensure               only make sure the runtime exists
#   build-aux/runtime.sh --which                print "host" or the sysroot path
#
# PADDOCK_RUNTIME=host|sysroot forces a choice; PADDOCK_RUNTIME_CACHE moves the cache.
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PADDOCK_RUNTIME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/paddock-runtime}
suite=trixie
# mmdebstrap's own default Debian mirror, unless one is named.
mirror=${PADDOCK_DEBIAN_MIRROR:-}

# What the app, its build and its tests need inside the sysroot. Changing this list
# changes the sysroot's name, so the next run builds a fresh one.
packages=(
  gjs gir1.2-adw-1 gir1.2-gtk-4.0 gir1.2-soup-3.0 gir1.2-json-1.0 gir1.2-secret-1
  libglib2.0-bin libglib2.0-dev-bin blueprint-compiler meson ninja-build gettext
  desktop-file-utils appstream xvfb xauth dbus dbus-x11 at-spi2-core
  fonts-cantarell fonts-dejavu-core adwaita-icon-theme imagemagick python3-dogtail
  gnome-keyring libsecret-tools nodejs curl locales ca-certificates librsvg2-common
  python3-dbus xdotool libxml2-utils flatpak-builder
)

die() {
  printf 'runtime: %s\n' "$*" >&2
  exit 1
}

version_at_least() { # have want → true when have ≥ want (dotted numbers)
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

host_is_new_enough() {
  command -v gjs >/dev/null 2>&1 || return 1
  local gjs_version
  gjs_version=$(gjs --version 2>/dev/null | awk '{print $2}')
  version_at_least "${gjs_version:-0}" 1.80.0 || return 1
  gjs -c '
    imports.gi.versions.Gtk = "4.0"; imports.gi.versions.Adw = "1";
    imports.gi.versions.Soup = "3.0";
    const {Gtk, Adw, Soup} = imports.gi;
    const ok = Gtk.get_minor_version() >= 14 &&
      Adw.get_major_version() * 100 + Adw.get_minor_version() >= 106;
    imports.system.exit(ok ? 0 : 1);' >/dev/null 2>&1
}

sysroot_path() {
  local hash
  hash=$(printf '%s\n' "$suite" "${packages[@]}" | sha256sum | cut -c1-12)
  printf '%s/%s-%s\n' "$cache" "$suite" "$hash"
}

build_sysroot() {
  local root=$1
  [ "$(id -u)" = 0 ] || die "no GNOME 47+ runtime on this host, and building one needs root.
  Either install GJS ≥ 1.80, GTK ≥ 4.14 and libadwaita ≥ 1.6 (GNOME 47 or newer),
  or run this once as root on a Debian/Ubuntu host to build a Debian 13 sysroot."
  command -v apt-get >/dev/null 2>&1 || die "no GNOME 47+ runtime on this host and no apt-get to build one.
  Install GJS ≥ 1.80, GTK ≥ 4.14 and libadwaita ≥ 1.6 (GNOME 47 or newer)."
  if ! command -v mmdebstrap >/dev/null 2>&1 || ! command -v bwrap >/dev/null 2>&1; then
    echo "runtime: installing mmdebstrap and bubblewrap with apt" >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap bubblewrap >&2; then
      apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap bubblewrap >&2
    fi
  fi
  echo "runtime: building a Debian 13 sysroot in $root (once; about a minute)" >&2
  mkdir -p "$cache"
  local partial="$root.partial"
  rm -rf "$partial"
  local include
  include=$(IFS=,; echo "${packages[*]}")
  mmdebstrap --variant=apt --quiet --include="$include" \
    --customize-hook='echo "en_US.UTF-8 UTF-8" >> "$1/etc/locale.gen"' \
    --customize-hook='echo "de_DE.UTF-8 UTF-8" >> "$1/etc/locale.gen"' \
    --customize-hook='chroot "$1" locale-gen >/dev/null' \
    "$suite" "$partial" ${mirror:+"$mirror"} </dev/null >&2 ||
    { rm -rf "$partial"; die "mmdebstrap failed (see above)"; }
  # mmdebstrap can leave a busy mount behind; never carry it into the sysroot.
  local mount
  for mount in sys proc dev/pts dev; do
    if mountpoint -q "$partial/$mount" 2>/dev/null; then umount -l "$partial/$mount"; fi
  done
  mv "$partial" "$root"
  # Older sysroots are dead weight once the package list changed.
  find "$cache" -maxdepth 1 -name "$suite-*" ! -name "$(basename "$root")" \
    -exec rm -rf {} + 2>/dev/null || true
}

dbus_machine_id() {
  if [ -s /etc/machine-id ]; then cat /etc/machine-id; else od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; echo; fi
}

choose() {
  case "${PADDOCK_RUNTIME:-auto}" in
    host) echo host ;;
    sysroot) sysroot_path ;;
    auto) if host_is_new_enough; then echo host; else sysroot_path; fi ;;
    *) die "PADDOCK_RUNTIME must be host, sysroot or unset" ;;
  esac
}

ensure() {
  local where
  where=$(choose)
  if [ "$where" != host ] && [ ! -x "$where/usr/bin/gjs" ]; then
    mkdir -p "$cache"
    # One build at a time; whoever waited finds it done.
    exec {lock}>"$cache/build.lock"
    flock "$lock"
    [ -x "$where/usr/bin/gjs" ] || build_sysroot "$where"
    exec {lock}>&-
  fi
  echo "$where"
}

run_in_sysroot() {
  local root=$1
  shift
  local args=(
    --ro-bind "$root" / --dev /dev --proc /proc --tmpfs /run --tmpfs /var/tmp
    --bind /tmp /tmp --ro-bind-try /etc/resolv.conf /etc/resolv.conf
    --ro-bind-try /etc/hosts /etc/hosts --die-with-parent
  )
  # D-Bus needs a machine ID; the sysroot ships none, so it keeps one of its own.
  [ -s "$cache/machine-id" ] || dbus_machine_id >"$cache/machine-id"
  [ -e "$root/etc/machine-id" ] || touch "$root/etc/machine-id"
  args+=(--ro-bind "$cache/machine-id" /etc/machine-id)
  [ -d "$HOME" ] && args+=(--bind "$HOME" "$HOME")
  [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] &&
    args+=(--bind "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR")
  # The checkout (and a caller's working folder) at the same paths as outside.
  args+=(--bind "$project" "$project")
  case "$PWD" in "$project"*|/tmp*) ;; *) args+=(--bind "$PWD" "$PWD") ;; esac
  # bwrap cannot create mount points on the read-only root: make them beforehand.
  local arg
  for arg in "$project" "$PWD" "$HOME" "${XDG_RUNTIME_DIR:-}"; do
    [ -n "$arg" ] && [ ! -e "$root$arg" ] && mkdir -p "$root$arg" 2>/dev/null || true
  done
  args+=(--chdir "$PWD" --setenv HOME "$HOME" --setenv PADDOCK_IN_RUNTIME "$root")
  args+=(--setenv PATH "$project/node_modules/.bin:/usr/local/bin:/usr/bin:/bin")
  [ -n "${LANG:-}" ] || args+=(--setenv LANG C.UTF-8)
  exec bwrap "${args[@]}" "$@"
}

case "${1:-}" in
  --ensure) ensure >/dev/null; exit 0 ;;
  --which) ensure; exit 0 ;;
  --) shift ;;
esac
[ $# -gt 0 ] || die "usage: runtime.sh [--ensure|--which] [--] COMMAND [ARGS…]"

if [ -n "${PADDOCK_IN_RUNTIME:-}" ]; then exec "$@"; fi
where=$(ensure)
if [ "$where" = host ]; then
  export PADDOCK_IN_RUNTIME=host
  exec "$@"
fi
run_in_sysroot "$where" "$@"
