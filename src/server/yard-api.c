/* yard-api.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON API of docs/api.md. Every request is checked against the bearer token before
 * anything else happens; bad input answers 400 {"error", "field"} and changes nothing, which
 * the core's validators make easy: they say which field is wrong and change nothing on error.
 *
 * Request bodies never pile up in memory: JSON bodies are bounded (1 MiB), and an image upload
 * goes chunk by chunk into a temporary file beside its final name, renamed only once the body
 * is complete and removed when the client goes away (yard-api-images.c).
 *
 * This file holds what the resources share (yard-api-private.h): the token check, JSON
 * answers and error mapping, bounded request bodies, the upload's bookkeeping, routing, and
 * the two small resources GET /status and POST /services/{start,stop}. The others have a
 * file each: yard-api-menu.c, -images.c, -hosts.c, -doctor.c, -events.c.
 */

#define G_LOG_DOMAIN "yard-api"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "yard-api.h"
#include "yard-boot-support.h"
#include "yard-boot-menu.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-image.h"
#include "yard-image-file.h"
#include "yard-image-import.h"
#include "yard-json.h"
#include "yard-paths.h"
#include "yard-root-file.h"

#include "yard-api-private.h"

G_DEFINE_FINAL_TYPE (YardApi, yard_api, G_TYPE_OBJECT)

/* Token */

char *
yard_api_ensure_token (const char  *state_dir,
                       GError     **error)
{
  g_autofree char *path = g_build_filename (state_dir, YARD_API_TOKEN_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) hex = NULL;
  guint8 raw[32];
  gsize got = 0;

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_strstrip (contents);
      if (strlen (contents) >= 16)
        return g_steal_pointer (&contents);
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "The API token in “%s” is too short. Delete the file to make a new one",
                   path);
      return NULL;
    }
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                   "Cannot read the API token: %s", local_error->message);
      return NULL;
    }
  g_clear_error (&local_error);

  while (got < sizeof raw)
    {
      ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                       "Cannot get random bytes for the API token: %s", g_strerror (errno));
          return NULL;
        }
      got += n;
    }

  hex = g_string_sized_new (65);
  for (guint i = 0; i < sizeof raw; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  g_string_append_c (hex, '\n');

  if (!g_file_set_contents_full (path, hex->str, hex->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                   "Cannot write the API token: %s. Check the state directory (--state-dir)",
                   local_error->message);
      return NULL;
    }
  g_message ("Made a new API token in %s", path);
  g_string_truncate (hex, 64);
  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static gboolean
token_matches (const char *expected,
               const char *given)
{
  gsize len = strlen (expected);
  guint8 diff = 0;

  if (given == NULL || strlen (given) != len)
    return FALSE;
  /* Constant time: no early exit that would tell how much of the token was right. */
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (expected[i] ^ given[i]);
  return diff == 0;
}

gboolean
yard_api_authorization_is_valid (YardApi    *self,
                                 const char *authorization)
{
  const char *auth = authorization;

  g_return_val_if_fail (YARD_IS_API (self), FALSE);

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return FALSE;
  auth += 7;
  while (*auth == ' ')
    auth++;
  return token_matches (self->token, auth);
}

const char *
yard_api_get_unauthorized_json (YardApi *self)
{
  static char *json = NULL;

  g_return_val_if_fail (YARD_IS_API (self), NULL);

  if (g_once_init_enter (&json))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (object, "error", UNAUTHORIZED_MESSAGE);
      json_object_set_null_member (object, "field");
      node = json_node_init_object (json_node_alloc (), object);
      g_once_init_leave (&json, json_to_string (node, FALSE));
    }
  return json;
}

gboolean
_yard_api_is_authorized (YardApi           *self,
                         SoupServerMessage *msg)
{
  return yard_api_authorization_is_valid (
    self, soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization"));
}

/* Responses */

void
_yard_api_send_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

void
_yard_api_send_object (SoupServerMessage *msg,
                       guint              status,
                       JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  _yard_api_send_json (msg, status, node);
}

void
_yard_api_send_error (SoupServerMessage *msg,
                      guint              status,
                      const char        *field,
                      const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", message);
  if (field != NULL)
    json_object_set_string_member (object, "field", field);
  else
    json_object_set_null_member (object, "field");
  _yard_api_send_object (msg, status, object);
}

static guint
status_for_error (const GError *error)
{
  if (error->domain != YARD_ERROR)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;
  switch (error->code)
    {
    case YARD_ERROR_INVALID_ARGUMENT:
    case YARD_ERROR_UNSAFE_PATH:
    case YARD_ERROR_EXISTS:
      return SOUP_STATUS_BAD_REQUEST;
    case YARD_ERROR_NOT_FOUND:
      return SOUP_STATUS_NOT_FOUND;
    case YARD_ERROR_INVALID_CONFIG:
      return SOUP_STATUS_CONFLICT;
    case YARD_ERROR_UNAUTHORIZED:
      return SOUP_STATUS_UNAUTHORIZED;
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

void
_yard_api_send_gerror (SoupServerMessage *msg,
                       const char        *field,
                       const GError      *error)
{
  _yard_api_send_error (msg, status_for_error (error), field, error->message);
}

/* Whether the request's query has NAME=true (or NAME=1): the API's switches, such as
 * PUT /images/{name}?replace=true. */
gboolean
_yard_api_query_flag (SoupServerMessage *msg,
                      const char        *name)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  if (query == NULL)
    return FALSE;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || (value = g_hash_table_lookup (params, name)) == NULL)
    return FALSE;
  return g_str_equal (value, "true") || g_str_equal (value, "1");
}

void
_yard_api_send_method_not_allowed (SoupServerMessage *msg,
                                   const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  _yard_api_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
              "This method is not allowed here (see docs/api.md)");
}

/* Request bodies */

RequestData *
_yard_api_request_data (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "yard-api-request");
}

void
_yard_api_upload_close (Upload *upload)
{
  if (upload->fd >= 0)
    close (upload->fd);
  upload->fd = -1;
}

void
_yard_api_upload_discard (Upload *upload)
{
  _yard_api_upload_close (upload);
  if (upload->tmp_path != NULL)
    {
      g_unlink (upload->tmp_path);
      g_clear_pointer (&upload->tmp_path, g_free);
    }
}

static void
upload_free (Upload *upload)
{
  _yard_api_upload_discard (upload);
  g_free (upload->name);
  g_free (upload->error);
  g_free (upload->target);
  g_free (upload->relative);
  g_clear_error (&upload->refused);
  g_free (upload);
}

static void
request_data_free (RequestData *data)
{
  if (data->body != NULL)
    g_byte_array_unref (data->body);
  if (data->upload != NULL)
    upload_free (data->upload);
  g_free (data);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              RequestData       *data)
{
  gsize len;
  const guint8 *bytes = g_bytes_get_data (chunk, &len);

  if (data->upload != NULL)
    {
      Upload *upload = data->upload;

      while (upload->fd >= 0 && len > 0)
        {
          ssize_t n = write (upload->fd, bytes, len);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              upload->error = g_strdup_printf ("Cannot write the upload: %s",
                                               g_strerror (errno));
              _yard_api_upload_discard (upload);
              break;
            }
          bytes += n;
          len -= n;
          upload->bytes += n;
        }
      return;
    }

  if (data->too_large || data->body->len + len > JSON_BODY_MAX)
    {
      data->too_large = TRUE;
      return;
    }
  g_byte_array_append (data->body, bytes, len);
}

static void
request_finished_cb (SoupServerMessage *msg,
                     RequestData       *data)
{
  data->finished = TRUE;
  /* An upload that did not reach its rename (the client left, or an error): no half file. */
  if (data->upload != NULL)
    _yard_api_upload_discard (data->upload);
}

char *
_yard_api_images_dir (YardApi *self)
{
  return g_build_filename (yard_server_get_config (self->server)->root_dir, "images", NULL);
}

/* Parses the JSON body into an object. An empty body is an empty object when allowed. */
JsonObject *
_yard_api_body_object (SoupServerMessage *msg,
                       gboolean           empty_ok)
{
  RequestData *data = _yard_api_request_data (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (data == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "Request body missing");
      return NULL;
    }
  if (data->too_large)
    {
      _yard_api_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                  "The request body is larger than 1 MiB");
      return NULL;
    }
  if (data->body->len == 0)
    {
      if (empty_ok)
        return json_object_new ();
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "The body is empty: send a JSON object");
      return NULL;
    }
  /* yard_json_parse bounds the nesting before json-glib recurses: 100 000 levels crashed it. */
  if (!g_utf8_validate ((const char *) data->body->data, data->body->len, NULL) ||
      (root = yard_json_parse ((const char *) data->body->data, data->body->len,
                               YARD_JSON_MAX_DEPTH, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The body is not valid JSON: %s",
                                                  error ? error->message : "invalid UTF-8");
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "The body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Status and services */

static void
handle_status (YardApi           *self,
               SoupServerMessage *msg)
{
  g_autoptr(YardServerStatus) status = yard_server_dup_status (self->server);
  YardHostTable *hosts = yard_server_get_host_table (self->server);
  const GError *hosts_error = hosts != NULL ? yard_host_table_get_load_error (hosts) : NULL;
  g_autoptr(GError) menu_error = NULL;
  g_autoptr(JsonObject) object = NULL;

  /* Files the server could not use, each with what to do: a broken hosts.json leaves every
   * host on the menu, a broken pxelinux.cfg/default leaves the menu uneditable, which the log
   * alone would not tell. */
  if (hosts_error != NULL)
    yard_server_status_add_problem (status, yard_host_table_get_path (hosts),
                                    hosts_error->message);
  /* Read again when broken, so a fix by hand clears the problem at once. */
  if (yard_server_get_menu (self->server, &menu_error) == NULL)
    {
      g_autofree char *file = g_build_filename (status->root, "pxelinux.cfg", "default", NULL);
      g_autofree char *message =
        g_strdup_printf ("The boot menu does not load: %s. The menu cannot be edited until "
                         "it does: fix the file by hand or put a good copy back; the server "
                         "reads it again on the next request", menu_error->message);

      yard_server_status_add_problem (status, file, message);
    }
  object = yard_server_status_to_json (status);
  _yard_api_send_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_services (YardApi           *self,
                 SoupServerMessage *msg,
                 const char        *action)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      _yard_api_send_method_not_allowed (msg, "POST");
      return;
    }
  if ((body = _yard_api_body_object (msg, TRUE)) == NULL)
    return;
  if (json_object_get_size (body) > 0)
    {
      GList *members = json_object_get_members (body);
      g_autofree char *message = g_strdup_printf ("Unknown field “%s”",
                                                  (const char *) members->data);
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, members->data, message);
      g_list_free (members);
      return;
    }

  if (g_str_equal (action, "start"))
    {
      if (!yard_server_start_services (self->server, &error))
        {
          _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
          return;
        }
    }
  else if (g_str_equal (action, "stop"))
    yard_server_stop_services (self->server);
  else
    {
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "Use /services/start or /services/stop");
      return;
    }
  handle_status (self, msg);
}

static void
got_headers_cb (SoupServerMessage *msg,
                YardApi           *self)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  RequestData *data;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    return;

  data = g_new0 (RequestData, 1);
  data->body = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), "yard-api-request", data,
                          (GDestroyNotify) request_data_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), data);
  g_signal_connect (msg, "finished", G_CALLBACK (request_finished_cb), data);
  _yard_api_upload_start (self, msg, path, data);
}

void
yard_api_request_started (YardApi           *self,
                          SoupServerMessage *msg)
{
  g_return_if_fail (YARD_IS_API (self));
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
}

/* Routing */

void
yard_api_handle (YardApi           *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  guint n;

  g_return_if_fail (YARD_IS_API (self));

  if (!_yard_api_is_authorized (self, msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"bootyard\"");
      _yard_api_send_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, UNAUTHORIZED_MESSAGE);
      return;
    }

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }

  /* "/api/v1/hosts/52%3A54..." → {"hosts", "52:54..."}; a trailing slash is ignored. */
  raw = g_strsplit (path + strlen (API_PREFIX "/"), "/", -1);
  parts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; raw[i] != NULL; i++)
    {
      char *part = g_uri_unescape_string (raw[i], NULL);

      if (part == NULL)
        {
          _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Bad percent-encoding in the path");
          return;
        }
      if (*part == '\0' && raw[i + 1] == NULL && i > 0)
        {
          g_free (part);
          break;
        }
      g_ptr_array_add (parts, part);
    }
  n = parts->len;
  g_ptr_array_add (parts, NULL);

  if (n == 0)
    _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
  else if (n == 1 && g_str_equal (parts->pdata[0], "status"))
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
        _yard_api_send_method_not_allowed (msg, "GET");
      else
        handle_status (self, msg);
    }
  else if (n == 2 && g_str_equal (parts->pdata[0], "services"))
    handle_services (self, msg, parts->pdata[1]);
  else if (n == 1 && g_str_equal (parts->pdata[0], "menu"))
    _yard_api_handle_menu (self, msg);
  else if (n >= 2 && g_str_equal (parts->pdata[0], "menu") &&
           g_str_equal (parts->pdata[1], "entries"))
    _yard_api_handle_menu_entries (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "images"))
    _yard_api_handle_images (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "files"))
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_PUT)
        _yard_api_send_method_not_allowed (msg, "PUT");
      else
        _yard_api_handle_file_put (self, msg);
    }
  else if (g_str_equal (parts->pdata[0], "hosts"))
    _yard_api_handle_hosts (self, msg, (char **) parts->pdata, n);
  else if (n == 1 && g_str_equal (parts->pdata[0], "events"))
    _yard_api_handle_events (self, msg);
  else if (g_str_equal (parts->pdata[0], "activity"))
    _yard_api_handle_activity (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "doctor"))
    _yard_api_handle_doctor (self, msg, (char **) parts->pdata, n);
  else
    _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
}

static void
yard_api_dispose (GObject *object)
{
  YardApi *self = YARD_API (object);

  if (self->streams != NULL)
    yard_api_close_streams (self);
  g_clear_signal_handler (&self->event_id, self->server);
  g_clear_handle_id (&self->keep_alive_id, g_source_remove);

  G_OBJECT_CLASS (yard_api_parent_class)->dispose (object);
}

static void
yard_api_finalize (GObject *object)
{
  YardApi *self = YARD_API (object);

  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->streams, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_api_parent_class)->finalize (object);
}

static void
yard_api_class_init (YardApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_api_dispose;
  object_class->finalize = yard_api_finalize;
}

static void
yard_api_init (YardApi *self)
{
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
}

YardApi *
yard_api_new (YardServer *server,
              const char *token)
{
  YardApi *self;

  g_return_val_if_fail (YARD_IS_SERVER (server), NULL);
  g_return_val_if_fail (token != NULL && *token != '\0', NULL);

  self = g_object_new (YARD_TYPE_API, NULL);
  self->server = server;
  self->token = g_strdup (token);
  self->event_id = g_signal_connect (server, "event", G_CALLBACK (_yard_api_server_event_cb), self);
  self->keep_alive_id = g_timeout_add_seconds (KEEP_ALIVE_SECS, _yard_api_keep_alive_cb, self);
  return self;
}
