/* yard-menu-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-connection.h"

G_BEGIN_DECLS

#define YARD_TYPE_MENU_PAGE (yard_menu_page_get_type ())
G_DECLARE_FINAL_TYPE (YardMenuPage, yard_menu_page, YARD, MENU_PAGE, AdwBin)

void yard_menu_page_set_connection (YardMenuPage *self,
                                    YardConnection *connection);

G_END_DECLS
