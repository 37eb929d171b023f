/* yard-boot-entry.h: one entry of a boot menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON names (docs/api.md): "localboot", "linux", "memdisk", "chain", "ipxe", "com32",
 * "submenu", "other". */
typedef enum
{
  YARD_BOOT_ENTRY_KIND_LOCAL,        /* LOCALBOOT: boot the local disk */
  YARD_BOOT_ENTRY_KIND_LINUX,        /* kernel + initrds + append */
  YARD_BOOT_ENTRY_KIND_MEMDISK,      /* memdisk with an image: iso / floppy / harddisk, raw */
  YARD_BOOT_ENTRY_KIND_CHAIN,        /* chain to an http(s) URL (iPXE) */
  YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT,  /* an iPXE script, text starting with #!ipxe */
  YARD_BOOT_ENTRY_KIND_COM32,        /* a COM32 module (kernel) with arguments (append) */
  YARD_BOOT_ENTRY_KIND_SUBMENU,      /* MENU BEGIN .. MENU END; see yard_boot_entry_get_submenu() */
  YARD_BOOT_ENTRY_KIND_OTHER,        /* a LABEL the model cannot describe: read-only, kept verbatim */
} YardBootEntryKind;

typedef enum
{
  YARD_MEMDISK_ISO,
  YARD_MEMDISK_FLOPPY,
  YARD_MEMDISK_HARDDISK,
} YardMemdiskType;

/* Ids are the pxelinux LABEL name: 1..64 characters of [A-Za-z0-9._-], not starting with
 * '-' or '.'. They never change once an entry is in a menu and are unique in the whole
 * menu tree. A LABEL read from a file that is not a valid id, or that repeats one, gets
 * a derived id ("MSDOS 6.22" -> "MSDOS-6.22", a second "help" -> "help-2"); its LABEL
 * line stays as it was. */
#define YARD_BOOT_ENTRY_ID_MAX 64

#define YARD_TYPE_BOOT_ENTRY (yard_boot_entry_get_type ())

G_DECLARE_FINAL_TYPE (YardBootEntry, yard_boot_entry, YARD, BOOT_ENTRY, GObject)

typedef struct _YardBootMenu YardBootMenu;
typedef struct _YardBootSupport YardBootSupport;

YardBootEntry      *yard_boot_entry_new             (YardBootEntryKind   kind,
                                                     const char         *id,
                                                     const char         *label);
YardBootEntry      *yard_boot_entry_new_local       (const char         *id,
                                                     const char         *label);
YardBootEntry      *yard_boot_entry_new_linux       (const char         *id,
                                                     const char         *label,
                                                     const char         *kernel,
                                                     const char * const *initrds,
                                                     const char         *append);
YardBootEntry      *yard_boot_entry_new_memdisk     (const char         *id,
                                                     const char         *label,
                                                     const char         *image,
                                                     YardMemdiskType     type,
                                                     gboolean            raw);
YardBootEntry      *yard_boot_entry_new_chain       (const char         *id,
                                                     const char         *label,
                                                     const char         *url);
YardBootEntry      *yard_boot_entry_new_ipxe_script (const char         *id,
                                                     const char         *label,
                                                     const char         *script);
YardBootEntry      *yard_boot_entry_new_com32       (const char         *id,
                                                     const char         *label,
                                                     const char         *module,
                                                     const char         *args);
YardBootEntry      *yard_boot_entry_copy            (YardBootEntry      *self);

/* id may be NULL until the entry is added to a menu (the menu makes one from the label).
 * Setting it fails once the entry belongs to a menu. */
const char         *yard_boot_entry_get_id          (YardBootEntry      *self);
gboolean            yard_boot_entry_set_id          (YardBootEntry      *self,
                                                     const char         *id,
                                                     GError            **error);
YardBootEntryKind   yard_boot_entry_get_kind        (YardBootEntry      *self);
void                yard_boot_entry_set_kind        (YardBootEntry      *self,
                                                     YardBootEntryKind   kind);
const char         *yard_boot_entry_get_label       (YardBootEntry      *self);
void                yard_boot_entry_set_label       (YardBootEntry      *self,
                                                     const char         *label);
gboolean            yard_boot_entry_get_hidden      (YardBootEntry      *self);
void                yard_boot_entry_set_hidden      (YardBootEntry      *self,
                                                     gboolean            hidden);
const char         *yard_boot_entry_get_help        (YardBootEntry      *self);
void                yard_boot_entry_set_help        (YardBootEntry      *self,
                                                     const char         *help);
/* LINUX: the kernel; COM32: the module; MEMDISK: the memdisk loader (default "memdisk") */
const char         *yard_boot_entry_get_kernel      (YardBootEntry      *self);
void                yard_boot_entry_set_kernel      (YardBootEntry      *self,
                                                     const char         *kernel);
const char * const *yard_boot_entry_get_initrds     (YardBootEntry      *self);
void                yard_boot_entry_set_initrds     (YardBootEntry      *self,
                                                     const char * const *initrds);
/* LINUX: kernel arguments; COM32: module arguments; MEMDISK: extra memdisk arguments */
const char         *yard_boot_entry_get_append      (YardBootEntry      *self);
void                yard_boot_entry_set_append      (YardBootEntry      *self,
                                                     const char         *append);
const char         *yard_boot_entry_get_image       (YardBootEntry      *self);
void                yard_boot_entry_set_image       (YardBootEntry      *self,
                                                     const char         *image);
YardMemdiskType     yard_boot_entry_get_image_type  (YardBootEntry      *self);
void                yard_boot_entry_set_image_type  (YardBootEntry      *self,
                                                     YardMemdiskType     type);
gboolean            yard_boot_entry_get_raw         (YardBootEntry      *self);
void                yard_boot_entry_set_raw         (YardBootEntry      *self,
                                                     gboolean            raw);
const char         *yard_boot_entry_get_url         (YardBootEntry      *self);
void                yard_boot_entry_set_url         (YardBootEntry      *self,
                                                     const char         *url);
const char         *yard_boot_entry_get_script      (YardBootEntry      *self);
void                yard_boot_entry_set_script      (YardBootEntry      *self,
                                                     const char         *script);
/* SUBMENU: the entries inside; NULL for other kinds (borrowed). */
YardBootMenu       *yard_boot_entry_get_submenu     (YardBootEntry      *self);
/* OTHER: the lines of the LABEL block as read (borrowed), else NULL. */
const char         *yard_boot_entry_get_directives  (YardBootEntry      *self);
/* TRUE for entries read from an INCLUDE'd file, submenus and OTHER entries: they are shown
 * but edits, moves and removal are refused (edit the file by hand). */
gboolean            yard_boot_entry_get_read_only   (YardBootEntry      *self);

/* Checks what the kind needs (a kernel for LINUX, an http(s) URL for CHAIN, #!ipxe for
 * IPXE_SCRIPT...), and that paths are relative without "..", text has no control
 * characters. On failure sets YARD_ERROR_INVALID_ARGUMENT and *field (JSON name). */
gboolean            yard_boot_entry_validate        (YardBootEntry      *self,
                                                     char              **field,
                                                     GError            **error);

/* JSON (docs/api.md "Entry object"). to_json returns a new object node. */
JsonNode           *yard_boot_entry_to_json         (YardBootEntry      *self);
/* Unknown members, wrong types and invalid values are errors: YARD_ERROR_INVALID_ARGUMENT,
 * *field = the member's name. "readOnly" is accepted and ignored. */
YardBootEntry      *yard_boot_entry_new_from_json   (JsonObject         *object,
                                                     char              **field,
                                                     GError            **error);
/* An answer: what yard_boot_entry_to_json() wrote, with the server's "support", read back as
 * it is: every kind (a submenu with its entries, an OTHER entry with its lines), its id and
 * read-only flag. Only types are checked (the server's model holds it already); a member that
 * does not read is YARD_ERROR_PROTOCOL. For clients of the API; requests are
 * yard_boot_entry_new_from_json(). */
YardBootEntry      *yard_boot_entry_decode_json     (JsonObject         *object,
                                                     GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* The server's verdicts of where a decoded entry boots (yard-boot-support.h), or NULL: an
 * entry that did not come from an answer, or a server older than "support". Borrowed. */
const YardBootSupport *yard_boot_entry_get_support  (YardBootEntry      *self);
/* PATCH: only the members given change, and only changed values are validated (an entry
 * read from a hand-written file keeps what it had); all or nothing. "id"/"kind" may be given only with
 * the entry's current values. Read-only entries refuse. */
gboolean            yard_boot_entry_update_from_json (YardBootEntry     *self,
                                                      JsonObject        *object,
                                                      char             **field,
                                                      GError           **error);

const char         *yard_boot_entry_kind_to_string  (YardBootEntryKind   kind);
gboolean            yard_boot_entry_kind_from_string (const char        *str,
                                                      YardBootEntryKind *kind);
const char         *yard_memdisk_type_to_string     (YardMemdiskType     type);
gboolean            yard_memdisk_type_from_string   (const char         *str,
                                                     YardMemdiskType    *type);
gboolean            yard_boot_entry_id_is_valid     (const char         *id);

G_END_DECLS
