/* yard-hosts-page-private.h: the page's parts, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-host-dialog-private.h"
#include "yard-hosts-page.h"

G_BEGIN_DECLS

void            _yard_hosts_page_reload     (YardHostsPage *self);
YardHostDialog *_yard_hosts_page_get_dialog (YardHostsPage *self);
GPtrArray      *_yard_hosts_page_get_hosts  (YardHostsPage *self); /* YardHost */
GtkWidget      *_yard_hosts_page_get_add_button (YardHostsPage *self);
void            _yard_hosts_page_undo_forget (YardHostsPage *self);
AdwToast       *_yard_hosts_page_get_undo_toast (YardHostsPage *self);
const char     *_yard_hosts_page_get_wake_message (YardHostsPage *self);
const char     *_yard_hosts_page_get_subtitle (YardHostsPage *self,
                                               const char    *mac);
GtkListBox     *_yard_hosts_page_get_list   (YardHostsPage *self);

G_END_DECLS
