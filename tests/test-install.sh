#!/usr/bin/env bash
# meson install puts everything issue 9 lists where a desktop and systemd look for it, and the
# installed programs run from there.
# Usage: test-install.sh BUILD-DIR GUI(true|false)
set -u
. "$(dirname "$0")/lib.sh"
build=$1
gui=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

prefix=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
  'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
check "meson install into a DESTDIR" meson install -C "$build" --destdir "$tmp" --no-rebuild --quiet
root=$tmp$prefix

check "bootyard-server installed" [ -x "$root/bin/bootyard-server" ]
check "bootyardctl installed" [ -x "$root/bin/bootyardctl" ]
check "installed bootyard-server runs" "$root/bin/bootyard-server" --version
check "installed bootyardctl runs" "$root/bin/bootyardctl" --version
check "man page bootyard-server(8)" [ -f "$root/share/man/man8/bootyard-server.8" ]
check "man page bootyardctl(1)" [ -f "$root/share/man/man1/bootyardctl.1" ]
check "systemd unit" bash -c "find '$tmp' -name bootyard-server.service | grep -q ."
check "unit runs the installed program" \
  bash -c "grep -q '^ExecStart=$prefix/bin/bootyard-server' \$(find '$tmp' -name bootyard-server.service)"
for lang in de fr; do
  check "$lang translation" [ -f "$root/share/locale/$lang/LC_MESSAGES/bootyard.mo" ]
done

if [ "$gui" = true ]; then
  check "bootyard installed" [ -x "$root/bin/bootyard" ]
  check "installed bootyard runs" "$root/bin/bootyard" --version
  check "man page bootyard(1)" [ -f "$root/share/man/man1/bootyard.1" ]
  check "desktop file" [ -f "$root/share/applications/io.github.bootyard.Bootyard.desktop" ]
  check "metainfo" [ -f "$root/share/metainfo/io.github.bootyard.Bootyard.metainfo.xml" ]
  check "GSettings schema" [ -f "$root/share/glib-2.0/schemas/io.github.bootyard.Bootyard.gschema.xml" ]
  check "scalable app icon" [ -f "$root/share/icons/hicolor/scalable/apps/io.github.bootyard.Bootyard.svg" ]
  check "symbolic app icon" [ -f "$root/share/icons/hicolor/symbolic/apps/io.github.bootyard.Bootyard-symbolic.svg" ]
fi

finish
