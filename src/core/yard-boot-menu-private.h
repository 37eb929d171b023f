/* yard-boot-menu-private.h: what the pxelinux and iPXE writers need from the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-boot-menu.h"

G_BEGIN_DECLS

/* An entry read from a file remembers its block (owned by yard-pxelinux.c). */
void           _yard_boot_entry_set_origin      (YardBootEntry  *self,
                                                 gpointer        origin,
                                                 GDestroyNotify  destroy);
gpointer       _yard_boot_entry_get_origin      (YardBootEntry  *self);
void           _yard_boot_entry_set_read_only   (YardBootEntry  *self,
                                                 gboolean        read_only);
void           _yard_boot_entry_set_directives  (YardBootEntry  *self,
                                                 const char     *directives);
/* Makes a SUBMENU entry own menu (its parent becomes parent). */
void           _yard_boot_entry_set_submenu     (YardBootEntry  *self,
                                                 YardBootMenu   *submenu);
void           _yard_boot_entry_force_kind      (YardBootEntry  *self,
                                                 YardBootEntryKind kind);
void           _yard_boot_entry_force_id        (YardBootEntry  *self,
                                                 const char     *id);
/* Whether what boots differs (kind, kernel, initrds, append, image, type, raw, url, script). */
gboolean       _yard_boot_entry_boot_equal      (YardBootEntry  *a,
                                                 YardBootEntry  *b);
void           _yard_boot_entry_set_menu        (YardBootEntry  *self,
                                                 YardBootMenu   *menu);
YardBootMenu  *_yard_boot_entry_get_menu        (YardBootEntry  *self);

void           _yard_boot_menu_set_origin       (YardBootMenu   *self,
                                                 gpointer        origin,
                                                 GDestroyNotify  destroy);
gpointer       _yard_boot_menu_get_origin       (YardBootMenu   *self);
/* No validation, no signal: for parsers. */
void           _yard_boot_menu_append_parsed    (YardBootMenu   *self,
                                                 YardBootEntry  *entry);
void           _yard_boot_menu_set_timeout_tenths (YardBootMenu *self,
                                                   guint         tenths);
void           _yard_boot_menu_set_default_unchecked (YardBootMenu *self,
                                                      const char   *id);
void           _yard_boot_menu_set_serial_unchecked (YardBootMenu *self,
                                                     gboolean      enabled,
                                                     guint         port,
                                                     guint         baud);
YardBootMenu  *_yard_boot_menu_get_root         (YardBootMenu   *self);
/* base made into a valid id (room left for a "-N"), then "-2", "-3"... until unused in the
 * tree of root. */
char          *_yard_boot_menu_make_unique_id   (YardBootMenu   *root,
                                                 const char     *base);
/* Only the first step: base made into a valid id, for a parser that keeps its own ids. */
char          *_yard_boot_menu_id_from_text     (const char     *base);

G_END_DECLS
