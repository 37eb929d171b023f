/* yard-pxelinux.h: read and write pxelinux.cfg files without losing a byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-boot-menu.h"

G_BEGIN_DECLS

/* Parses a pxelinux configuration into a menu that remembers the file: writing it back
 * unchanged gives the same bytes, and an edit rewrites only the lines of what changed.
 * INCLUDE / MENU INCLUDE names resolve against base_dir (the TFTP root, as pxelinux does);
 * a missing included file is skipped, as pxelinux skips it. Entries from included files are
 * read-only in the model (included files are never written). Errors are
 * YARD_ERROR_INVALID_CONFIG with "FILE:LINE: what is wrong". MENU INCLUDE is read as
 * INCLUDE (its optional tag is ignored).
 * display_name is the name used in messages (e.g. "pxelinux.cfg/default").
 * Kinds pxelinux cannot run are still kept in the file, which is the source of truth:
 * CHAIN as "KERNEL ipxe.lkrn" + "APPEND dhcp && chain URL" (bootable when the root has
 * /usr/lib/ipxe/ipxe.lkrn), IPXE_SCRIPT as "MENU DISABLE" + "# bootyard-ipxe: LINE" comments. */
YardBootMenu *yard_pxelinux_parse        (const char    *base_dir,
                                          const char    *display_name,
                                          const char    *data,
                                          gssize         length,
                                          GError       **error);
/* path is used as is; display_name in messages is path relative to base_dir if inside. */
YardBootMenu *yard_pxelinux_load_file    (const char    *base_dir,
                                          const char    *path,
                                          GError       **error);

/* The BIOS file: lossless for a parsed menu, a fresh file for a new one. Without a root to
 * look at, no entry is marked unbootable (a parsed file's marks are dropped). */
char         *yard_pxelinux_to_data      (YardBootMenu  *menu);
/* The same, with every entry that cannot boot on BIOS from root_dir now (a file it names is
 * missing, an ARM64 or UEFI-only kernel: yard_boot_entry_unsupported_by (PXELINUX)) kept but
 * greyed out: "# bootyard-disabled: REASON", "MENU LABEL LABEL (file missing)" or "(not for
 * BIOS)" and "MENU DISABLE" at the end of its block (top-level entries of the main file, and
 * new ones). Those lines are derived: the parser skips them, and each write drops them and
 * writes them again only while the reason holds, so an unchanged file whose marks still hold
 * writes back byte for byte. root_dir NULL: yard_pxelinux_to_data(). */
char         *yard_pxelinux_to_root_data (YardBootMenu  *menu,
                                          const char    *root_dir);
/* The UEFI file for efi64/pxelinux.cfg/default (syslinux.efi resolves paths from efi64/,
 * where efi64/images -> ../images): a fresh file from the model, without MEMDISK entries
 * (memdisk is BIOS only), CHAIN and IPXE_SCRIPT entries (ipxe.lkrn is BIOS only), entries
 * whose paths are absolute or contain "..", and, when root_dir is given, entries whose
 * files do not exist under ROOT/efi64/ (so a BIOS-only memtest86+x64.bin at the root stays
 * out of the UEFI menu). */
char         *yard_pxelinux_to_efi_data  (YardBootMenu  *menu,
                                          const char    *root_dir);
/* Why the UEFI file leaves @entry out (syslinux.efi cannot boot it), in words; NULL when it
 * is in. With root_dir, a LINUX entry's kernel for another CPU than x86-64 is left out too. */
char         *yard_pxelinux_efi_entry_unsupported (YardBootEntry *entry,
                                                   const char    *root_dir);

/* Writes atomically (temporary file + rename), marked against base_dir (to_root_data). Refuses (YARD_ERROR_INVALID_CONFIG, naming
 * file and line) when the file at path exists and does not parse: a broken file is
 * never overwritten. */
gboolean      yard_pxelinux_save_file    (YardBootMenu  *menu,
                                          const char    *base_dir,
                                          const char    *path,
                                          GError       **error);

/* ROOT/pxelinux.cfg/default: the server's source of truth. A missing file is
 * YARD_ERROR_NOT_FOUND (make one with yard_boot_menu_new_starter()). */
YardBootMenu *yard_pxelinux_load_root    (const char    *root_dir,
                                          GError       **error);
/* Writes ROOT/pxelinux.cfg/default (to_data) and ROOT/efi64/pxelinux.cfg/default
 * (to_efi_data with root_dir), creating the directories. */
gboolean      yard_pxelinux_save_root    (YardBootMenu  *menu,
                                          const char    *root_dir,
                                          GError       **error);
/* ROOT/pxelinux.cfg/default read again from disk (so hand edits stay) and written back when
 * its marks (to_root_data) no longer say what the root's files do: after images come or go,
 * and at start. *changed says whether it was written. A missing file, or one that does not
 * parse, is left alone (TRUE). */
gboolean      yard_pxelinux_refresh_root_marks (const char *root_dir,
                                                gboolean   *changed,
                                                GError    **error);
/* Only ROOT/efi64/pxelinux.cfg/default, which nobody edits: what a start writes again. */
gboolean      yard_pxelinux_save_efi_root (YardBootMenu *menu,
                                           const char   *root_dir,
                                           GError      **error);

G_END_DECLS
