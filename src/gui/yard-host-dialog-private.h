/* yard-host-dialog-private.h: the dialog's fields, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-host-dialog.h"

G_BEGIN_DECLS

/* "mac", "name", "url" (GtkEditable), "script" (GtkTextView), "mode" (AdwComboRow),
 * "once" (GtkSwitch), "problem" (GtkLabel). */
GtkWidget *_yard_host_dialog_get_field (YardHostDialog *self,
                                        const char     *field);

G_END_DECLS
