/* yard-grub.h: the boot menu as a grub.cfg for Debian's signed network GRUB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-boot-menu.h"

G_BEGIN_DECLS

typedef struct
{
  const char *root_dir;   /* the boot root, to read entries' kernels (yard-arch.h) and to see
                           * that their files exist; NULL: no file checks (all CPUs, no checks) */
  guint16     http_port;  /* kernels and initrds over (http,${net_default_server}:PORT)/boot/...;
                           * 0: over TFTP from the root ($root) */
} YardGrubOptions;

/* grub.cfg for ROOT/grub/grub.cfg from the model (a fresh file each time: pxelinux.cfg/default
 * stays the source of truth), for Debian 12's signed GRUB 2.06 (grubnetx64.efi.signed,
 * grubaa64.efi) loaded by shim, where only built-in modules exist.
 *
 * It sets bootyard_server, bootyard_http (only with an HTTP port: kernel arguments that name
 * YARD_IMAGE_HTTP_PLACEHOLDER get it from GRUB; over TFTP they reach the kernel as written)
 * and bootyard_files, all exported so that submenus see them; then the machine report (SMBIOS
 * type 1 maker, product, serial, UUID as a TFTP read of "/boot/MAC.machine/KEY=VALUE/...",
 * yard_machine_from_path; a value with a byte outside [-A-Za-z0-9 .,_()+:] is left out).
 * With an HTTP port,
 * bootyard_files is HTTP only when this GRUB has an http module, which Debian 12's signed
 * grubnetx64.efi has not: it tests for it, and falls back to TFTP from $root; a file name that
 * an HTTP request line cannot carry unencoded (a space, '%', '?', non-ASCII...) is always
 * fetched over TFTP. Then the serial console, the
 * timeout (the model's 0, "wait for the user", is GRUB's -1) and the default; then the
 * entries in menu order, submenus as submenus (one with nothing GRUB can boot is left out).
 * LINUX: linux + initrd, the kernel arguments split at spaces and tabs as pxelinux does, each
 * word single-quoted, initrd= words joining the initrds. LOCAL: exit (the firmware boots the
 * next device of its boot order). With options->root_dir, a kernel built for one CPU (x86-64,
 * ARM64, IA32) sits in `if [ "$grub_cpu" = ... ]`, and the default is written per CPU when
 * the default entry boots on one CPU only. Whatever GRUB cannot boot is left out with a
 * comment "# left out: ID: REASON", REASON being yard_grub_entry_unsupported()'s. Labels, ids,
 * paths and arguments are quoted so that nothing in them can become a GRUB command or option.
 * options may be NULL: no file checks, over HTTP on YARD_DEFAULT_HTTP_PORT (yard-paths.h). */
char *yard_grub_menu_config      (YardBootMenu          *menu,
                                  const YardGrubOptions *options) G_GNUC_WARN_UNUSED_RESULT;

/* Why this entry is not in the GRUB menu, in words a user reads (one line, translated), or
 * NULL when GRUB offers it. root_dir as in YardGrubOptions: with it, missing files count. */
char *yard_grub_entry_unsupported (YardBootEntry        *entry,
                                   const char           *root_dir) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
