/* yard-client.h: the one client of bootyard-server's HTTP JSON API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YARD_TYPE_CLIENT (yard_client_get_type ())
G_DECLARE_FINAL_TYPE (YardClient, yard_client, YARD, CLIENT, GObject)

YardClient *yard_client_new             (const char          *base_url,
                                         const char          *token);
YardClient *yard_client_new_from_files  (const char          *base_url,
                                         const char          *token_file,
                                         GError             **error);
const char *yard_client_get_base_url    (YardClient          *self);
void        yard_client_request_async   (YardClient          *self,
                                         const char          *method,
                                         const char          *path,
                                         JsonNode            *body,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
JsonNode   *yard_client_request_finish  (YardClient          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
JsonNode   *yard_client_request_sync    (YardClient          *self,
                                         const char          *method,
                                         const char          *path,
                                         JsonNode            *body,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_END_DECLS
