/* yard-boot-support.h: what boots where — each loader's verdict on an entry, its CPU, and
 * whether it boots with Secure Boot on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "yard-arch.h"
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

/* The rules more than one loader shares, in the words each one says. Why a UEFI loader does
 * not run @entry's program whatever its files (memdisk, memtest86+'s .bin: BIOS programs), or
 * NULL; the name is enough (memtest86+'s UEFI build ends in .efi), so it holds before the
 * file is there. */
char       *yard_boot_entry_bios_only_reason    (YardBootEntry *entry) G_GNUC_WARN_UNUSED_RESULT;
/* Why only syslinux runs @entry (a COM32 module; a hand-written entry, whose meaning Bootyard
 * cannot tell), or NULL. */
char       *yard_boot_entry_syslinux_only_reason (YardBootEntry *entry) G_GNUC_WARN_UNUSED_RESULT;

/* The CPU a LINUX entry's kernel in @root_dir is built for (yard-arch.h); YARD_CPU_UNKNOWN
 * for other kinds, without @root_dir and when the kernel cannot be read. */
YardCpu     yard_boot_entry_get_cpu             (YardBootEntry *entry,
                                                 const char    *root_dir);

/* Why @entry needs Secure Boot off (memdisk, iPXE, syslinux, an unsigned kernel), or NULL
 * when it boots with Secure Boot on through shim + GRUB (a signed kernel: shim trusts
 * Debian's and Microsoft's keys, and what the machine's owner enrolled). */
char       *yard_boot_entry_secure_boot_blocker (YardBootEntry *entry,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* The files a LINUX (kernel, initrds) or MEMDISK (image) entry names that are not regular
 * files in @root_dir: an empty array when all are there (or @root_dir is NULL). The GRUB and
 * efi64 menus leave such an entry out (their writers' own rules say so, in these words). */
GStrv       yard_boot_entry_dup_missing_files   (YardBootEntry *entry,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* Why @entry does not boot on BIOS (@uefi FALSE) or UEFI x86-64 clients through any loader
 * they can run (BIOS: pxelinux, and iPXE from it; UEFI: syslinux.efi, shim + GRUB, iPXE's
 * EFI build), or NULL when it does: memdisk on UEFI, a kernel without the EFI stub on UEFI,
 * a UEFI-only program on BIOS. Secure Boot: yard_boot_entry_secure_boot_blocker(). */
char       *yard_boot_entry_firmware_unsupported (YardBootEntry *entry,
                                                  gboolean       uefi,
                                                  const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* What a client must hold in RAM beside its own use for an entry that loads a whole image
 * into memory (docs/api.md "memoryNeeded"): memdisk's image + YARD_MEMDISK_MEMORY_MARGIN;
 * a Linux entry whose initramfs downloads its root file system from this server (fetch=,
 * url=, root=live:, inst.stage2=, archiso_http_srv=): that file + the kernel + initrds +
 * YARD_LINUX_MEMORY_MARGIN. 0 for other entries (iPXE's sanboot over HTTP reads the image
 * block by block with Range requests and holds none of it) and when the files are not in
 * the root. */
guint64     yard_boot_entry_memory_needed       (YardBootEntry *entry,
                                                 const char    *root_dir);

/* memdisk copies the image above 1 MiB and keeps the first MiB (its own code, and the
 * conventional memory a DOS runs in), so a client needs the image and that MiB. */
#define YARD_MEMDISK_MEMORY_MARGIN (G_GUINT64_CONSTANT (1) << 20)
/* The running system beside its root file system in RAM: the recommended RAM for a system
 * without a desktop in Debian 11's installation guide, 512 MiB (section 3.4, Table 3.2:
 * "No desktop", 256 MiB minimum, 512 MiB recommended; e.g.
 * www.debian.org/releases/bullseye/s390x/ch03s04.html). A desktop live system needs more;
 * this is the floor, not a promise. */
#define YARD_LINUX_MEMORY_MARGIN (G_GUINT64_CONSTANT (512) << 20)

/* What boots an entry where, as one value: the server computes it from its boot root
 * (yard_boot_support_new_for_entry), sends it as the entry's "support", and a client reads it
 * back (yard_boot_support_new_from_json; yard_boot_entry_get_support of a decoded entry). */
struct _YardBootSupport
{
  char     *arch;                    /* "x86-64", "arm64", "x86", or NULL (not a kernel) */
  gboolean  secure_boot;             /* boots with Secure Boot on */
  char     *secure_boot_reason;      /* why not, or NULL */
  char     *loaders[YARD_N_LOADERS]; /* per loader: NULL when it offers the entry, else why not */
  char     *firmware_bios;           /* NULL when BIOS clients boot it, else why not */
  char     *firmware_uefi;           /* the same for UEFI x86-64 clients */
  guint64   memory_needed;           /* bytes; 0 = none (yard_boot_entry_memory_needed) */
  GStrv     missing;                 /* never NULL */
};

#define YARD_TYPE_BOOT_SUPPORT (yard_boot_support_get_type ())
GType            yard_boot_support_get_type      (void) G_GNUC_CONST;
YardBootSupport *yard_boot_support_new_for_entry (YardBootEntry         *entry,
                                                  const char            *root_dir) G_GNUC_WARN_UNUSED_RESULT;
YardBootSupport *yard_boot_support_copy          (const YardBootSupport *support);
void             yard_boot_support_free          (YardBootSupport       *support);
/* {"arch": "x86-64" | "arm64" | "x86" | null, "secureBoot": bool, "secureBootReason": string
 *  or null, "loaders": {"pxelinux": null | why not, "syslinux": ..., "grub": ..., "ipxe": ...},
 *  "firmware": {"bios": null | why not, "uefi": ...}, "memoryNeeded": bytes or null,
 *  "missing": [paths relative to the root]}
 * — docs/api.md "support". */
JsonNode        *yard_boot_support_to_json       (const YardBootSupport *support) G_GNUC_WARN_UNUSED_RESULT;
/* What yard_boot_support_to_json wrote; a member of the wrong type is YARD_ERROR_PROTOCOL
 * naming it, a missing one reads as "boots" (an older server said less). */
YardBootSupport *yard_boot_support_new_from_json (JsonObject            *object,
                                                  GError               **error) G_GNUC_WARN_UNUSED_RESULT;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardBootSupport, yard_boot_support_free)

/* yard_boot_support_new_for_entry() as JSON */
JsonNode   *yard_boot_entry_support_to_json     (YardBootEntry *entry,
                                                 const char    *root_dir) G_GNUC_WARN_UNUSED_RESULT;

/* Adds "support" to every entry object of a menu object made by yard_boot_menu_to_json()
 * from @menu, submenus included. */
void        yard_boot_menu_add_support_json     (YardBootMenu  *menu,
                                                 JsonObject    *menu_json,
                                                 const char    *root_dir);

G_END_DECLS
