/* yard-boot-support.h: what boots where — each loader's verdict on an entry, its CPU, and
 * whether it boots with Secure Boot on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "yard-boot-menu.h"

G_BEGIN_DECLS

/* The loaders a client may run, as the API names them: "pxelinux" (BIOS), "syslinux"
 * (efi64/syslinux.efi), "grub" (shim + GRUB, UEFI) and "ipxe". */
typedef enum
{
  YARD_LOADER_PXELINUX,
  YARD_LOADER_SYSLINUX_EFI,
  YARD_LOADER_GRUB,
  YARD_LOADER_IPXE,
  YARD_N_LOADERS
} YardLoader;

const char *yard_loader_to_string               (YardLoader     loader);

/* Why @loader does not offer @entry (in words, one line), or NULL when it does. Each
 * writer's own rule: yard_pxelinux_efi_entry_unsupported(), yard_grub_entry_unsupported(). */
char       *yard_boot_entry_unsupported_by      (YardBootEntry *entry,
                                                 YardLoader     loader,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* Why @entry needs Secure Boot off (memdisk, iPXE, syslinux, an unsigned kernel), or NULL
 * when it boots with Secure Boot on through shim + GRUB (a signed kernel: shim trusts
 * Debian's and Microsoft's keys, and what the machine's owner enrolled). */
char       *yard_boot_entry_secure_boot_blocker (YardBootEntry *entry,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* {"arch": "x86-64" | "arm64" | "x86" | null, "secureBoot": bool, "secureBootReason": string
 *  or null, "loaders": {"pxelinux": null | why not, "syslinux": ..., "grub": ..., "ipxe": ...}}
 * — docs/api.md "support". */
JsonNode   *yard_boot_entry_support_to_json     (YardBootEntry *entry,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* Adds "support" to every entry object of a menu object made by yard_boot_menu_to_json()
 * from @menu, submenus included. */
void        yard_boot_menu_add_support_json     (YardBootMenu  *menu,
                                                 JsonObject    *menu_json,
                                                 const char    *root_dir);

G_END_DECLS
