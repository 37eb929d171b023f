/* yard-entry-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "yard-client.h"

G_BEGIN_DECLS

#define YARD_TYPE_ENTRY_DIALOG (yard_entry_dialog_get_type ())
G_DECLARE_FINAL_TYPE (YardEntryDialog, yard_entry_dialog, YARD, ENTRY_DIALOG, AdwWindow)

/* entry NULL: a new entry of kind; otherwise edits entry (its kind stays; the dialog keeps a
 * reference and never changes it). Emits "saved" (YardBootEntry *entry, as the server
 * answered) and closes once the server took it. */
YardEntryDialog *yard_entry_dialog_new        (YardClient      *client,
                                               YardBootEntry   *entry,
                                               const char      *kind);
JsonObject      *yard_entry_dialog_dup_fields (YardEntryDialog *self);

G_END_DECLS
