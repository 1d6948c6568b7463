#!/usr/bin/env bash
# Builds the .pot as a release would (meson's io.github.paddock.Paddock-pot target, in a
# throwaway copy of the project so po/ stays untouched), checks that it holds every string
# the TypeScript sources mark, then merges each translation of po/LINGUAS with it: a
# message that is untranslated or fuzzy after the merge fails the check, so a new or
# changed string needs its translations updated. Runs inside the runtime (re-enters it
# when started outside).
#   tests/i18n/check-translations.sh
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -z "${PADDOCK_IN_RUNTIME:-}" ]; then
  exec "$project/build-aux/runtime.sh" "$project/tests/i18n/check-translations.sh" "$@"
fi
domain=io.github.paddock.Paddock

work=$(mktemp -d /tmp/paddock-i18n.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The project without dependencies, builds and any .pot lying around.
tar -C "$project" -cf - \
  --exclude=./node_modules --exclude='./_build*' --exclude=./.git \
  --exclude=./.flatpak-builder --exclude="./po/$domain.pot" . | tar -C "$work" -xf -
meson setup "$work/build" "$work" >"$work/setup.log" 2>&1 || {
  cat "$work/setup.log" >&2
  exit 1
}
meson compile -C "$work/build" "$domain-pot" >"$work/pot.log" 2>&1 || {
  cat "$work/pot.log" >&2
  exit 1
}
pot=$work/po/$domain.pot
echo "built $(grep -c '^msgid ' "$pot") messages into the .pot"

# The extraction really reads the TypeScript sources: every marked string is in the .pot.
node "$project/tests/i18n/check-marked-strings.mjs" --pot "$pot"

status=0
mapfile -t languages < <(sed -e 's/#.*//' "$project/po/LINGUAS" | tr -s '[:space:]' '\n' | grep -v '^$')
for language in "${languages[@]}"; do
  po=$project/po/$language.po
  if [ ! -f "$po" ]; then
    echo "po/LINGUAS lists $language, but po/$language.po does not exist"
    status=1
    continue
  fi
  msgfmt --check --output-file=/dev/null "$po"
  merged=$work/$language.po
  msgmerge --quiet --previous --output-file="$merged" "$po" "$pot"
  msgfmt --check --output-file=/dev/null "$merged"
  # "N translated messages, N fuzzy translations, N untranslated messages."
  statistics=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$merged" 2>&1)
  fuzzy=$(sed -nE 's/.* ([0-9]+) fuzzy translations?.*/\1/p' <<<"$statistics")
  untranslated=$(sed -nE 's/.* ([0-9]+) untranslated messages?.*/\1/p' <<<"$statistics")
  fuzzy=${fuzzy:-0} untranslated=${untranslated:-0}
  obsolete=$(grep -c '^#~ msgid ' "$merged" || true)
  echo "po/$language.po against the sources: $statistics"
  if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    status=1
    echo "po/$language.po needs updating: $untranslated untranslated, $fuzzy fuzzy against the sources:"
    msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep '^msgid "..*"$' |
      sed 's/^/  untranslated: /' || true
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | grep '^msgid "..*"$' |
      sed 's/^/  fuzzy: /' || true
    echo "  update it with: meson compile -C <build dir> $domain-update-po, then translate"
  fi
  [ "$obsolete" -eq 0 ] || echo "note: po/$language.po keeps $obsolete messages the sources no longer have"
done
exit $status
