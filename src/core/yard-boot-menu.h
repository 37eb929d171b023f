/* yard-boot-menu.h: a boot menu: title, timeout, default, serial console, ordered entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-boot-entry.h"

G_BEGIN_DECLS

#define YARD_TYPE_BOOT_MENU (yard_boot_menu_get_type ())

/* A YardBootMenu is a GListModel of its YardBootEntry items (top level only; a SUBMENU
 * entry holds its own YardBootMenu). The top-level menu emits "changed" after every
 * modification made through this API (menu setters, add/remove/move, *_from_json); the
 * entry setters only notify their own properties, so call them before adding the entry or
 * use yard_boot_menu_update_entry_from_json(). */
G_DECLARE_FINAL_TYPE (YardBootMenu, yard_boot_menu, YARD, BOOT_MENU, GObject)

YardBootMenu  *yard_boot_menu_new                (void);
/* A menu for a fresh boot root: "Boot from local disk" (id "local", the default), and when
 * memtest_path (relative to the root, e.g. "memtest86+x64.bin") is given a LINUX entry
 * "memtest" for it. Title "Bootyard", timeout 5 s. */
YardBootMenu  *yard_boot_menu_new_starter        (const char     *memtest_path);

const char    *yard_boot_menu_get_title          (YardBootMenu   *self);
void           yard_boot_menu_set_title          (YardBootMenu   *self,
                                                  const char     *title);
/* Seconds; 0 = wait for the user. pxelinux counts tenths: a file's TIMEOUT 25 reads as 3 s
 * (rounded up) and is written back unchanged unless the timeout is set. */
guint          yard_boot_menu_get_timeout        (YardBootMenu   *self);
void           yard_boot_menu_set_timeout        (YardBootMenu   *self,
                                                  guint           seconds);
guint          yard_boot_menu_get_timeout_tenths (YardBootMenu   *self);
/* The id of the default entry of this menu (level), or NULL. */
const char    *yard_boot_menu_get_default_id     (YardBootMenu   *self);
gboolean       yard_boot_menu_set_default_id     (YardBootMenu   *self,
                                                  const char     *id,
                                                  GError        **error);
/* Serial console: port 0..3, baud a divisor of 115200 (e.g. 9600, 38400, 115200). */
gboolean       yard_boot_menu_get_serial         (YardBootMenu   *self,
                                                  guint          *port,
                                                  guint          *baud);
gboolean       yard_boot_menu_set_serial         (YardBootMenu   *self,
                                                  guint           port,
                                                  guint           baud,
                                                  GError        **error);
void           yard_boot_menu_clear_serial       (YardBootMenu   *self);

guint          yard_boot_menu_get_n_entries      (YardBootMenu   *self);
/* Borrowed; NULL past the end. */
YardBootEntry *yard_boot_menu_get_entry          (YardBootMenu   *self,
                                                  guint           position);
/* Searches submenus too. Borrowed, or NULL. */
YardBootEntry *yard_boot_menu_find_entry         (YardBootMenu   *self,
                                                  const char     *id);
/* The position of the entry with that id in this menu level, or -1. */
int            yard_boot_menu_get_position       (YardBootMenu   *self,
                                                  const char     *id);
/* The menu a submenu belongs to, or NULL for the top level (borrowed). */
YardBootMenu  *yard_boot_menu_get_parent         (YardBootMenu   *self);

/* Validates the entry, gives it an id from its label when it has none (unique in the whole
 * tree), and inserts it at position (-1 or past the end: append). An id already in use is
 * YARD_ERROR_EXISTS with *field = "id". The menu takes a reference. */
gboolean       yard_boot_menu_add_entry          (YardBootMenu   *self,
                                                  YardBootEntry  *entry,
                                                  int             position,
                                                  char          **field,
                                                  GError        **error);
/* Removes the entry with that id (in any submenu). Unknown id: YARD_ERROR_NOT_FOUND;
 * read-only entry: YARD_ERROR_INVALID_ARGUMENT. Clears the default if it was the default. */
gboolean       yard_boot_menu_remove_entry       (YardBootMenu   *self,
                                                  const char     *id,
                                                  GError        **error);
/* Moves the entry to position in its own menu level (clamped to the end). */
gboolean       yard_boot_menu_move_entry         (YardBootMenu   *self,
                                                  const char     *id,
                                                  guint           position,
                                                  GError        **error);
/* PATCH /menu/entries/{id}: yard_boot_entry_update_from_json() on the entry, then "changed". */
gboolean       yard_boot_menu_update_entry_from_json (YardBootMenu *self,
                                                      const char   *id,
                                                      JsonObject   *object,
                                                      char        **field,
                                                      GError      **error);

/* JSON (docs/api.md "Menu object"). */
JsonNode      *yard_boot_menu_to_json            (YardBootMenu   *self);
YardBootMenu  *yard_boot_menu_new_from_json      (JsonObject     *object,
                                                  char          **field,
                                                  GError        **error);
/* PATCH /menu: any of title, timeout, default (null = none), serial (null = none).
 * All or nothing; "entries" is refused. */
gboolean       yard_boot_menu_update_from_json   (YardBootMenu   *self,
                                                  JsonObject     *object,
                                                  char          **field,
                                                  GError        **error);
/* PUT /menu: the whole menu. Entries whose id exists are updated in place (so their
 * unmodelled pxelinux lines stay), entries without id are new, entries not named are
 * removed (read-only ones cannot be removed: they must be listed). All or nothing. */
gboolean       yard_boot_menu_replace_from_json  (YardBootMenu   *self,
                                                  JsonObject     *object,
                                                  char          **field,
                                                  GError        **error);

/* An answer (GET /menu): what yard_boot_menu_to_json() wrote, its entries read with
 * yard_boot_entry_decode_json(). Members beside the model (the server's loader settings) are
 * the caller's. YARD_ERROR_PROTOCOL when it does not read. For clients of the API. */
YardBootMenu  *yard_boot_menu_decode_json        (JsonObject     *object,
                                                  GError        **error) G_GNUC_WARN_UNUSED_RESULT;
/* Makes self hold what other holds (title, timeout, default, serial, entries: copies), keeping
 * the entry objects at the start and the end that are the same in both, so a list bound to
 * self changes only where the menu did: one "items-changed" over the entries in between. */
void           yard_boot_menu_assign             (YardBootMenu   *self,
                                                  YardBootMenu   *other);

G_END_DECLS
