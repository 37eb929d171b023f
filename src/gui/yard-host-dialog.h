/* yard-host-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "yard-client.h"

G_BEGIN_DECLS

#define YARD_TYPE_HOST_DIALOG (yard_host_dialog_get_type ())
G_DECLARE_FINAL_TYPE (YardHostDialog, yard_host_dialog, YARD, HOST_DIALOG, AdwWindow)

/* host (copied) NULL: a new host, by MAC. Emits "saved" (YardHost *host) or "forgotten" (const char
 * *mac) and closes once the server took it. */
YardHostDialog *yard_host_dialog_new (YardClient     *client,
                                      const YardHost *host);

G_END_DECLS
