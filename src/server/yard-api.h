/* yard-api.h: the JSON API under /api/v1 (docs/api.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "yard-server.h"

G_BEGIN_DECLS

#define YARD_TYPE_API (yard_api_get_type ())
G_DECLARE_FINAL_TYPE (YardApi, yard_api, YARD, API, GObject)

/* Reads STATE-DIR/api-token, or makes it (64 hex digits from the kernel's random source,
 * mode 0600) on the first start. */
char    *yard_api_ensure_token   (const char         *state_dir,
                                  GError            **error);

/* @server is not referenced: it owns the HTTP server that owns the API. */
YardApi *yard_api_new            (YardServer         *server,
                                  const char         *token);
/* Whether an Authorization header value carries the API token (compared in constant time);
 * the HTTP server asks before it hands a request to libsoup. */
gboolean    yard_api_authorization_is_valid (YardApi    *self,
                                             const char *authorization);
/* The body of a 401 answer, {"error", "field": null}, for the HTTP server's own. */
const char *yard_api_get_unauthorized_json  (YardApi    *self);
/* Hooked to SoupServer::request-started: streams uploads and bounds JSON bodies. */
void     yard_api_request_started (YardApi           *self,
                                   SoupServerMessage *msg);
/* The handler for /api/v1. */
void     yard_api_handle         (YardApi            *self,
                                  SoupServerMessage  *msg,
                                  const char         *path);
/* Ends every event stream (before the server shuts down). */
void     yard_api_close_streams  (YardApi            *self);

G_END_DECLS
