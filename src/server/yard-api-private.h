/* yard-api-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the API (yard-api.c: token, answers, bodies, routing; yard-api-menu.c,
 * -images.c, -hosts.c, -doctor.c, -events.c: one resource each) share.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "yard-api.h"
#include "yard-server.h"

G_BEGIN_DECLS

/* libsoup interns method names but has no macro for PATCH. */
#define METHOD_PATCH      (g_intern_static_string ("PATCH"))
#define API_PREFIX        "/api/v1"
#define JSON_BODY_MAX     (1024 * 1024)
#define KEEP_ALIVE_SECS   15
/* What one event-stream client may have waiting in libsoup (beyond what its socket holds):
 * past it the client is disconnected; the client library reconnects with back-off. */
#define STREAM_QUEUE_MAX  (1024 * 1024)
#define UNAUTHORIZED_MESSAGE \
  "Missing or wrong API token: send “Authorization: Bearer TOKEN” with the token from the " \
  "server's STATE-DIR/api-token"

typedef struct
{
  int       fd;          /* -1 when closed */
  char     *name;        /* final name in ROOT/images */
  char     *tmp_path;    /* NULL once renamed or removed */
  char     *error;       /* first write error */
  guint64   bytes;
  gboolean  exists;      /* NAME is there and replace was not asked: the body is dropped */
  char     *target;      /* PUT /files/PATH: ROOT/files/PATH */
  char     *relative;    /* PUT /files/PATH: "files/PATH", as entries name it */
  GError   *refused;     /* PUT /files/PATH: a path that core refused; the body is dropped */
} Upload;

typedef struct
{
  GByteArray *body;      /* JSON body, at most JSON_BODY_MAX */
  gboolean    too_large;
  gboolean    finished;  /* the message is done: never touch its I/O again */
  Upload     *upload;    /* PUT /images/{name} */
} RequestData;

struct _YardApi
{
  GObject     parent_instance;
  YardServer *server;    /* not referenced */
  char       *token;
  GPtrArray  *streams;   /* SoupServerMessage* of open event streams (referenced) */
  gulong      event_id;
  guint       keep_alive_id;
};

void          _yard_api_handle_doctor (YardApi           *self,
                                       SoupServerMessage *msg,
                                       char             **parts,
                                       guint              n_parts);
void          _yard_api_handle_activity (YardApi           *self,
                                         SoupServerMessage *msg,
                                         char             **parts,
                                         guint              n_parts);
void          _yard_api_server_event_cb (YardServer *server,
                                         const char *kind,
                                         JsonObject *payload,
                                         YardApi    *self);
gboolean      _yard_api_keep_alive_cb (gpointer user_data);
void          _yard_api_handle_events (YardApi           *self,
                                       SoupServerMessage *msg);
void          _yard_api_handle_hosts (YardApi           *self,
                                      SoupServerMessage *msg,
                                      char             **parts,
                                      guint              n_parts);
void          _yard_api_handle_file_put (YardApi           *self,
                                         SoupServerMessage *msg);
void          _yard_api_handle_images (YardApi           *self,
                                       SoupServerMessage *msg,
                                       char             **parts,
                                       guint              n_parts);
gboolean      _yard_api_save_menu (YardApi           *self,
                                   SoupServerMessage *msg,
                                   YardBootMenu      *menu);
void          _yard_api_handle_menu (YardApi           *self,
                                     SoupServerMessage *msg);
void          _yard_api_handle_menu_entries (YardApi           *self,
                                             SoupServerMessage *msg,
                                             char             **parts,
                                             guint              n_parts);
gboolean      _yard_api_is_authorized (YardApi           *self,
                                       SoupServerMessage *msg);
void          _yard_api_send_json (SoupServerMessage *msg,
                                   guint              status,
                                   JsonNode          *node);
void          _yard_api_send_object (SoupServerMessage *msg,
                                     guint              status,
                                     JsonObject        *object);
void          _yard_api_send_error (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *field,
                                    const char        *message);
void          _yard_api_send_gerror (SoupServerMessage *msg,
                                     const char        *field,
                                     const GError      *error);
gboolean      _yard_api_query_flag (SoupServerMessage *msg,
                                    const char        *name);
void          _yard_api_send_method_not_allowed (SoupServerMessage *msg,
                                                 const char        *allow);
RequestData * _yard_api_request_data (SoupServerMessage *msg);
void          _yard_api_upload_close (Upload *upload);
void          _yard_api_upload_discard (Upload *upload);
char *        _yard_api_images_dir (YardApi *self);
JsonObject *  _yard_api_body_object (SoupServerMessage *msg,
                                     gboolean           empty_ok);
void          _yard_api_upload_start (YardApi           *self,
                                      SoupServerMessage *msg,
                                      const char        *path,
                                      RequestData       *data);

G_END_DECLS
