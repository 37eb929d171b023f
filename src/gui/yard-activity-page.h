/* yard-activity-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-connection.h"

G_BEGIN_DECLS

#define YARD_TYPE_ACTIVITY_PAGE (yard_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (YardActivityPage, yard_activity_page, YARD, ACTIVITY_PAGE, AdwBin)

void yard_activity_page_set_connection (YardActivityPage *self,
                                        YardConnection *connection);

G_END_DECLS
