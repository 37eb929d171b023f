#!/usr/bin/env bash
# e2e: a real image from Debian's packages dropped in as a user does (`bootyardctl image add
# FILE`, then `bootyardctl menu add --image NAME`: the entry the server suggests), booted over
# the network by real firmware; its own program starts. Arguments: IMAGE FIRMWARE.
#   memtest      /usr/lib/memtest86+/memtest86+x64.iso (memtest86+): its header on the screen
#                (it prints nothing on the serial port when started from the ISO's floppy image)
#   grub-rescue  /usr/lib/grub-rescue/grub-rescue-cdrom.iso (grub-rescue-pc): GRUB's banner
# FIRMWARE: bios or uefi-native (lab_qemu). (iPXE's ISO is test-memdisk.sh's.) On UEFI only the
# serial log can show it: the screen is a framebuffer there, not VGA text, so memtest's entry
# gets its serial console there. grub-rescue-pc's ISO is BIOS only.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 260 "$0" "$@"
lab_require

image=${1:?IMAGE}
firmware=${2:?FIRMWARE}
case $image in
  memtest) file=/usr/lib/memtest86+/memtest86+x64.iso mark='Memtest86\+ v[0-9]' ;;
  grub-rescue) file=/usr/lib/grub-rescue/grub-rescue-cdrom.iso mark='GNU GRUB' ;;
  *) echo "Bail out! test-images.sh: memtest or grub-rescue, not $image"; exit 1 ;;
esac
[ -f "$file" ] || { echo "Bail out! $file is missing: run build-aux/dev test"; exit 1; }
case $firmware in
  bios) mac=52:54:00:e2:e1:01 ;;
  uefi-native) mac=52:54:00:e2:e1:02 ;;
  *) echo "Bail out! test-images.sh: bios or uefi-native, not $firmware"; exit 1 ;;
esac
fail_out () { not_ok "$1"; lab_tails c1; lab_screen_text c1 2>/dev/null | sed 's/^/# screen: /'; finish; }

e2e_bootyard "img-$image" || fail_out "lab with bootyard-server and its menu set up"
out=$(lab_ctl image add "$file") || fail_out "bootyardctl image add $file: $out"
sed 's/^/# image add: /' <<<"$out"
# the name image add gave it (the lab already has iPXE's ISO: its label is ISOIMAGE too)
name=$(lab_ctl --json image list | e2e_json '[i["name"] for i in (j["images"] if isinstance(j, dict) else j)
                                               if i["name"] == "'"${file##*/}"'"][0]') ||
  fail_out "${file##*/} in bootyardctl image list"
out=$(lab_ctl --json menu add --image "$name") || fail_out "bootyardctl menu add --image $name: $out"
entry=$(e2e_json 'j["id"]' <<<"$out") || fail_out "the new entry's id"
lab_ctl --json menu show | e2e_json '[e for e in j["entries"] if e["id"] == "'"$entry"'"][0]' |
  sed 's/^/# entry: /'
e2e_default "$entry" || fail_out "the image's entry made the default"
# On UEFI memtest draws on a framebuffer, which the test cannot read: its serial console
# (memtest86+'s console= option) shows the same header.
if [ "$image" = memtest ] && [ "$firmware" != bios ]; then
  lab_in_server curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $(cat "$LAB_STATE/api-token")" \
    -d '{"append": "console=ttyS0,115200"}' \
    "http://$LAB_SERVER:$LAB_HTTP_PORT/api/v1/menu/entries/$entry" ||
    fail_out "memtest's serial console turned on (PATCH the entry's append)"
fi
ok "lab set up, $name added with bootyardctl and its entry the default"

LAB_MONITOR=1 lab_qemu "$firmware" c1 "$mac"
lab_wait c1 "$E2E_TITLE" 150 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
# the serial log or the VGA text screen, whichever shows it first
where=""
end=$((SECONDS + 150))
while ((SECONDS < end)); do
  if lab_serial_text c1 | sed -n "/$E2E_TITLE/,\$p" | grep -Eq -- "$mark"; then where="serial log"; break; fi
  if lab_screen_text c1 2>/dev/null | grep -Eq -- "$mark"; then where=screen; break; fi
  kill -0 "${lab_qemu_pid[c1]}" 2>/dev/null || break
  sleep 2
done
[ -n "$where" ] || fail_out "$image starts: /$mark/ on the serial log or the screen"
ok "$image starts: /$mark/ on the $where ($(lab_elapsed c1) s)"
lab_screen_text c1 | grep -v '^$' | sed 's/^/# screen: /'
lab_stop_qemu c1
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
finish
