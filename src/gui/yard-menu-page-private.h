/* yard-menu-page-private.h: the page's parts, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-entry-dialog.h"
#include "yard-menu-page.h"

G_BEGIN_DECLS

void             _yard_menu_page_move_entry (YardMenuPage *self,
                                             const char   *id,
                                             int           position);
YardEntryDialog *_yard_menu_page_get_dialog (YardMenuPage *self);
/* The bound menu once the server answered, else NULL */
YardBootMenu    *_yard_menu_page_get_menu   (YardMenuPage *self);
/* The server's loader setting for BIOS or UEFI hosts, or NULL */
const char      *_yard_menu_page_get_loader (YardMenuPage *self,
                                             gboolean      uefi);
GtkListBox      *_yard_menu_page_get_list   (YardMenuPage *self);
gboolean         _yard_menu_page_is_busy    (YardMenuPage *self);
AdwComboRow     *_yard_menu_page_get_loader_row (YardMenuPage *self);
AdwComboRow     *_yard_menu_page_get_uefi_loader_row (YardMenuPage *self);
void             _yard_menu_page_undo_delete (YardMenuPage *self);
AdwToast        *_yard_menu_page_get_undo_toast (YardMenuPage *self);

G_END_DECLS
