/* yard-pxelinux-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the pxelinux reader/writer (yard-pxelinux.c: parsing; -write.c: writing;
 * -efi.c: the UEFI tree) share: the document a parsed menu keeps, and their helpers.
 */

#pragma once

#include "yard-boot-menu.h"

G_BEGIN_DECLS

/*
 * How losslessness works
 *
 * A parsed menu keeps a PxeDoc: every file read (the main file and INCLUDE'd ones) as its
 * lines, byte for byte with their line endings. Each LABEL block (from LABEL to its last
 * label directive) and each MENU BEGIN..MENU END region of the main file's top level is a
 * slot. Writing walks the main file's lines: text between slots is copied (after edits of
 * the global lines we model: MENU TITLE, TIMEOUT, SERIAL, DEFAULT, UI), and each slot gets
 * the next editable top-level entry of the model, in model order. An entry equal to what was
 * parsed is copied verbatim; a changed one gets only its changed directive lines rewritten
 * (unknown lines, comments and indentation kept). New entries go after the last line.
 * Entries from included files and submenus are read-only: included files are never written.
 *
 * Kinds written for entries pxelinux cannot run itself:
 *   CHAIN:        KERNEL ipxe.lkrn / APPEND dhcp && chain URL   (iPXE's lkrn runs its
 *                 command line as a script; the boot root needs ipxe.lkrn)
 *   IPXE_SCRIPT:  MENU DISABLE and the script as "# bootyard-ipxe: " comment lines, so the
 *                 file keeps it (the source of truth) while pxelinux shows it greyed out.
 *
 * Derived lines: an entry that cannot boot on BIOS now (a file it names is missing from the
 * root, an ARM64 or UEFI-only kernel: yard_boot_entry_unsupported_by (PXELINUX)) stays in
 * the file, greyed out, with "# bootyard-disabled: REASON" followed by "MENU LABEL ..." (its
 * label with a suffix) and "MENU DISABLE" at the end of its block. They are state, not the
 * user's: the parser skips them (neither label nor directives), and each write against the
 * root drops them and writes them again only while the reason holds.
 */

#define IPXE_COMMENT "# bootyard-ipxe:"
#define DISABLED_COMMENT "# bootyard-disabled:"

typedef struct _PxeDoc PxeDoc;

typedef struct
{
  char      *name;   /* for messages and as the INCLUDE key */
  GPtrArray *lines;  /* char *, each with its line ending */
} PxeFile;

typedef struct
{
  PxeDoc        *doc;
  PxeFile       *file;
  guint          start;        /* first line (LABEL or MENU BEGIN) */
  guint          end;          /* one past the last line */
  YardBootEntry *entry;        /* weak */
  YardBootEntry *parsed;       /* what it was when read */
  char          *label_name;   /* the LABEL argument as written */
  gboolean       has_menu_default; /* a MENU DEFAULT line in the block */
  gboolean       initrd_directive;
  gboolean       region;       /* a MENU BEGIN..END region: always verbatim */
} PxeBlock;

typedef struct
{
  int      line;       /* in the main file, -1 = not there */
  gboolean elsewhere;  /* set in an included file */
} GlobalLoc;

struct _PxeDoc
{
  GPtrArray *files;     /* PxeFile*, [0] is the main file */
  GPtrArray *blocks;    /* PxeBlock*, all of them */
  GPtrArray *slots;     /* PxeBlock*, the main file's top level, in order */
  char      *eol;

  GlobalLoc  title, timeout, serial, deflt, ui, ontimeout;
  char      *parsed_title;
  guint      parsed_timeout;
  gboolean   parsed_serial;
  guint      parsed_port, parsed_baud;
  char      *parsed_default;
  char      *default_value;     /* DEFAULT's argument */
  char      *ontimeout_value;
  gboolean   menu_default_style; /* the default comes from MENU DEFAULT lines */
};

/* A parsed directive: keyword (lowercase; "menu x" for MENU lines), argument (trimmed),
 * and the offset in the body where the argument starts (to keep the prefix on rewrite). */
typedef struct
{
  char *keyword;
  char *arg;
  gsize arg_offset;
  char *indent;
} Directive;

void            _yard_pxelinux_directive_clear (Directive *d);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Directive, _yard_pxelinux_directive_clear)

/* yard-pxelinux.c: lines and directives */
char *          _yard_pxelinux_line_body (const char *line);
const char *    _yard_pxelinux_line_eol (const char *line);
const char *    _yard_pxelinux_skip_space (const char *p);
const char *    _yard_pxelinux_skip_word (const char *p);
void            _yard_pxelinux_parse_directive (const char *body,
                                                Directive  *d);
const char *    _yard_pxelinux_arg_separator (const char *body,
                                              gsize       arg_offset);
gboolean        _yard_pxelinux_is_kernel_keyword (const char *kw);
gboolean        _yard_pxelinux_is_boot_keyword (const char *kw);
gboolean        _yard_pxelinux_is_derived_line (const Directive *d,
                                                const char      *body,
                                                gboolean        *active);
gboolean        _yard_pxelinux_has_special_extension (const char *path);
PxeBlock *      _yard_pxelinux_find_label_block (PxeDoc     *doc,
                                                 const char *name);

/* yard-pxelinux-write.c */
void            _yard_pxelinux_write_fresh (GString      *out,
                                            YardBootMenu *menu,
                                            gboolean      efi,
                                            const char   *root_dir);

/* yard-pxelinux-efi.c */
gboolean        _yard_pxelinux_efi_can_boot (YardBootEntry *entry,
                                             const char    *root_dir);
YardBootEntry * _yard_pxelinux_efi_entry_with_root_paths (YardBootEntry *entry,
                                                          const char    *root_dir);

G_END_DECLS
