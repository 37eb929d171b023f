/* yard-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-connection.h"

G_BEGIN_DECLS

#define YARD_TYPE_APPLICATION (yard_application_get_type ())
G_DECLARE_FINAL_TYPE (YardApplication, yard_application, YARD, APPLICATION, AdwApplication)

YardApplication *yard_application_new            (void);
YardConnection  *yard_application_get_connection (YardApplication *self);
GSettings       *yard_application_get_settings   (YardApplication *self);

G_END_DECLS
