#!/usr/bin/env bash
# The German and French translations are complete against the sources as they are now, not
# against whatever template was last generated: the messages are extracted afresh from the
# files in po/POTFILES.in into a temporary template, each .po is merged with it (without fuzzy
# matching, so a new or changed string counts as untranslated), and the merge must have no
# untranslated or fuzzy message. Each .po also compiles cleanly (msgfmt -c) as committed.
# Fix a failure with `ninja -C build bootyard-update-po`, then translate the new messages.
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
po=$top/po

command -v xgettext >/dev/null && command -v msgmerge >/dev/null || skip "gettext tools missing"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The same keywords and flags as po/meson.build's `preset: 'glib'` (meson's i18n module), so
# the temporary template holds what `ninja -C build bootyard-pot` would.
xgettext_args=(--package-name=bootyard --from-code=UTF-8 --add-comments
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format --flag=g_print:1:c-format
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format)
out=$(cd "$top" && LC_ALL=C xgettext "${xgettext_args[@]}" -f po/POTFILES.in \
        -o "$tmp/bootyard.pot" 2>&1); rc=$?
check "xgettext extracts the messages of po/POTFILES.in${out:+ ($out)}" [ "$rc" -eq 0 ]
n=$(grep -c '^msgid ' "$tmp/bootyard.pot" 2>/dev/null || echo 0)
check "the template from the sources has messages ($n)" [ "$n" -gt 100 ]

# A file that marks strings for translation but is missing from POTFILES.in would never reach
# the template; list them so the check above cannot miss a whole file.
missing=$(cd "$top" && {
    grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_) ?\("' src --include='*.c' --include='*.h'
    grep -rl 'translatable="yes"' ui --include='*.ui'
  } | sort | comm -23 - <(grep -v '^#' po/POTFILES.in | sort) | paste -sd ' ')
check "POTFILES.in lists every file with translatable strings${missing:+ (missing: $missing)}" \
  [ -z "$missing" ]

for lang in $(grep -v '^#' "$po/LINGUAS"); do
  stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$po/$lang.po" 2>&1); rc=$?
  check "$lang.po compiles cleanly ($stats)" [ "$rc" -eq 0 ]

  LC_ALL=C msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po/$lang.po" \
    "$tmp/bootyard.pot" 2>"$tmp/$lang.err"; rc=$?
  err=$(cat "$tmp/$lang.err")
  check "$lang.po merges with the sources' template${err:+ ($err)}" [ "$rc" -eq 0 ]
  merged=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  check "$lang.po translates every message in the sources ($merged)" \
    bash -c "! grep -qE 'untranslated|fuzzy' <<<'$merged'"
  # name what is left, so the failure says which strings to translate
  if grep -qE 'untranslated|fuzzy' <<<"$merged"; then
    for kind in untranslated only-fuzzy; do
      msgattrib --$kind --no-obsolete --no-wrap "$tmp/$lang.po" 2>/dev/null |
        grep -v '^msgid ""$' | grep '^msgid ' | head -10 | sed "s/^/  $lang ${kind#only-}: /"
    done
  fi
done
check "LINGUAS has de and fr" bash -c "grep -qx de '$po/LINGUAS' && grep -qx fr '$po/LINGUAS'"

finish
