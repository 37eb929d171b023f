/* yard-system-service.h: the bootyard-server systemd unit, asked for over the system bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the window's "Run as System Service": whether the unit is installed, and starting it
 * (polkit asks for the password). Errors are YARD_ERROR GErrors in words, never D-Bus names.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YARD_SYSTEM_SERVICE_UNIT "bootyard-server.service"

/* The unit is installed when systemd loads it (LoadUnit, LoadState "loaded"): TRUE, or FALSE
 * with an error that says why not (no systemd, no unit). */
void     yard_system_service_query_async  (GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean yard_system_service_query_finish (GAsyncResult        *result,
                                           GError             **error);

/* StartUnit, then waits for its job: TRUE once systemd says "done" (for a Type=notify unit:
 * the server said it is ready). */
void     yard_system_service_start_async  (GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean yard_system_service_start_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
