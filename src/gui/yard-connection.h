/* yard-connection.h: the app's link to one bootyard-server, local (started on demand) or remote
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-client.h"

G_BEGIN_DECLS

typedef enum
{
  YARD_CONNECTION_DISCONNECTED,
  YARD_CONNECTION_CONNECTING,   /* asking the server, or waiting for the one we started */
  YARD_CONNECTION_CONNECTED,
  YARD_CONNECTION_FAILED,       /* unreachable: error-message says why and what to do */
} YardConnectionState;

/* Why the connection failed, for a title and an action of its own. */
typedef enum
{
  YARD_CONNECTION_PROBLEM_NONE,
  YARD_CONNECTION_PROBLEM_UNREACHABLE,    /* nothing answers at the URL */
  YARD_CONNECTION_PROBLEM_TOKEN_REFUSED,  /* it answers, but not to our token (or none) */
  YARD_CONNECTION_PROBLEM_SERVER_STOPPED, /* the server we started exited */
  YARD_CONNECTION_PROBLEM_START_FAILED,   /* the server we tried to start did not come up */
} YardConnectionProblem;

#define YARD_TYPE_CONNECTION (yard_connection_get_type ())
G_DECLARE_FINAL_TYPE (YardConnection, yard_connection, YARD, CONNECTION, GObject)

YardConnection      *yard_connection_new                (void);
void                 yard_connection_set_target         (YardConnection *self,
                                                         const char     *server_url,
                                                         const char     *token_file);
void                 yard_connection_set_local_options  (YardConnection *self,
                                                         guint16         http_port,
                                                         guint16         tftp_port,
                                                         const char     *interface);
void                 yard_connection_connect            (YardConnection *self);
void                 yard_connection_disconnect         (YardConnection *self);
YardConnectionState  yard_connection_get_state          (YardConnection *self);
const char          *yard_connection_get_error_message  (YardConnection *self);
YardConnectionProblem yard_connection_get_problem       (YardConnection *self);
YardClient          *yard_connection_get_client         (YardConnection *self);
const YardServerStatus *yard_connection_get_status      (YardConnection *self);
gboolean             yard_connection_get_is_local       (YardConnection *self);
gboolean             yard_connection_get_started_server (YardConnection *self);
gboolean             yard_connection_detach_server      (YardConnection *self);
void                 yard_connection_refresh_status     (YardConnection *self);
char                *yard_connection_dup_server_program (void);

G_END_DECLS
