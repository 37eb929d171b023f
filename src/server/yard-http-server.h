/* yard-http-server.h: boot files, per-host iPXE scripts and the API over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "yard-server.h"

G_BEGIN_DECLS

#define YARD_TYPE_HTTP_SERVER (yard_http_server_get_type ())
G_DECLARE_FINAL_TYPE (YardHttpServer, yard_http_server, YARD, HTTP_SERVER, GObject)

/* @server owns the HTTP server and outlives it (not referenced). */
YardHttpServer *yard_http_server_new             (YardServer      *server);
/* Binds @address (NULL: every address) and @port (0: a free one); the API is up from here on.
 * Bind failures read as yard_socket_explain_bind_error() says. */
gboolean        yard_http_server_listen          (YardHttpServer  *self,
                                                  const char      *address,
                                                  guint16          port,
                                                  GError         **error);
void            yard_http_server_shutdown        (YardHttpServer  *self);
/* The bound port, 0 when not listening. */
guint16         yard_http_server_get_port        (YardHttpServer  *self);
/* /boot/ (files and per-host scripts): the "http" boot service. Off: 503. */
void            yard_http_server_set_serve_boot  (YardHttpServer  *self,
                                                  gboolean         serve);
gboolean        yard_http_server_get_serve_boot  (YardHttpServer  *self);

G_END_DECLS
