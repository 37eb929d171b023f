/* yard-entry-dialog-private.h: the dialog's fields, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-entry-dialog.h"

G_BEGIN_DECLS

/* "label", "kernel", "initrds", "append", "image", "url": a GtkEditable; "script": a
 * GtkTextView; "problem": the GtkLabel that says what is wrong. */
GtkWidget *_yard_entry_dialog_get_field (YardEntryDialog *self,
                                         const char      *field);

void       _yard_entry_dialog_take_files (YardEntryDialog *self,
                                          const char      *field,
                                          GList           *files);
gboolean   _yard_entry_dialog_knows_root (YardEntryDialog *self);

G_END_DECLS
