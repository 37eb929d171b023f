#!/usr/bin/env bash
# The German and French translations are complete: each .po compiles cleanly (msgfmt -c) and
# has no untranslated or fuzzy message. Run `ninja -C build bootyard-update-po` after adding
# strings, then translate them.
set -u
. "$(dirname "$0")/lib.sh"
po=$(cd "$(dirname "$0")/../po" && pwd)

for lang in $(grep -v '^#' "$po/LINGUAS"); do
  stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$po/$lang.po" 2>&1); rc=$?
  check "$lang.po compiles cleanly ($stats)" [ "$rc" -eq 0 ]
  check "$lang.po has no untranslated message" bash -c "! grep -q untranslated <<<'$stats'"
  check "$lang.po has no fuzzy message" bash -c "! grep -q fuzzy <<<'$stats'"
done
check "LINGUAS has de and fr" bash -c "grep -qx de '$po/LINGUAS' && grep -qx fr '$po/LINGUAS'"

finish
