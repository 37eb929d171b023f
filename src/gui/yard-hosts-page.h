/* yard-hosts-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-connection.h"

G_BEGIN_DECLS

#define YARD_TYPE_HOSTS_PAGE (yard_hosts_page_get_type ())
G_DECLARE_FINAL_TYPE (YardHostsPage, yard_hosts_page, YARD, HOSTS_PAGE, AdwBin)

void yard_hosts_page_set_connection (YardHostsPage *self,
                                     YardConnection *connection);

G_END_DECLS
