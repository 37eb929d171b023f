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
 * is complete and removed when the client goes away. The event stream is server-sent events
 * fed by YardServer's "event" signal.
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

static gboolean
is_authorized (YardApi           *self,
               SoupServerMessage *msg)
{
  return yard_api_authorization_is_valid (
    self, soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization"));
}

/* Responses */

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
send_object (SoupServerMessage *msg,
             guint              status,
             JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  send_json (msg, status, node);
}

static void
send_error (SoupServerMessage *msg,
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
  send_object (msg, status, object);
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

static void
send_gerror (SoupServerMessage *msg,
             const char        *field,
             const GError      *error)
{
  send_error (msg, status_for_error (error), field, error->message);
}

/* Whether the request's query has NAME=true (or NAME=1): the API's switches, such as
 * PUT /images/{name}?replace=true. */
static gboolean
query_flag (SoupServerMessage *msg,
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

static void
send_method_not_allowed (SoupServerMessage *msg,
                         const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL,
              "This method is not allowed here (see docs/api.md)");
}

/* Request bodies */

static RequestData *
request_data (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "yard-api-request");
}

static void
upload_close (Upload *upload)
{
  if (upload->fd >= 0)
    close (upload->fd);
  upload->fd = -1;
}

static void
upload_discard (Upload *upload)
{
  upload_close (upload);
  if (upload->tmp_path != NULL)
    {
      g_unlink (upload->tmp_path);
      g_clear_pointer (&upload->tmp_path, g_free);
    }
}

static void
upload_free (Upload *upload)
{
  upload_discard (upload);
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
              upload_discard (upload);
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
    upload_discard (data->upload);
}

static char *
images_dir (YardApi *self)
{
  return g_build_filename (yard_server_get_config (self->server)->root_dir, "images", NULL);
}

/* Parses the JSON body into an object. An empty body is an empty object when allowed. */
static JsonObject *
body_object (SoupServerMessage *msg,
             gboolean           empty_ok)
{
  RequestData *data = request_data (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (data == NULL)
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "Request body missing");
      return NULL;
    }
  if (data->too_large)
    {
      send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL,
                  "The request body is larger than 1 MiB");
      return NULL;
    }
  if (data->body->len == 0)
    {
      if (empty_ok)
        return json_object_new ();
      send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "The body is empty: send a JSON object");
      return NULL;
    }
  /* yard_json_parse bounds the nesting before json-glib recurses: 100 000 levels crashed it. */
  if (!g_utf8_validate ((const char *) data->body->data, data->body->len, NULL) ||
      (root = yard_json_parse ((const char *) data->body->data, data->body->len,
                               YARD_JSON_MAX_DEPTH, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The body is not valid JSON: %s",
                                                  error ? error->message : "invalid UTF-8");
      send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "The body must be a JSON object");
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
  send_object (msg, SOUP_STATUS_OK, object);
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
      send_method_not_allowed (msg, "POST");
      return;
    }
  if ((body = body_object (msg, TRUE)) == NULL)
    return;
  if (json_object_get_size (body) > 0)
    {
      GList *members = json_object_get_members (body);
      g_autofree char *message = g_strdup_printf ("Unknown field “%s”",
                                                  (const char *) members->data);
      send_error (msg, SOUP_STATUS_BAD_REQUEST, members->data, message);
      g_list_free (members);
      return;
    }

  if (g_str_equal (action, "start"))
    {
      if (!yard_server_start_services (self->server, &error))
        {
          send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
          return;
        }
    }
  else if (g_str_equal (action, "stop"))
    yard_server_stop_services (self->server);
  else
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "Use /services/start or /services/stop");
      return;
    }
  handle_status (self, msg);
}

/* Menu */

/* The menu object: the model's fields, and the server's loader settings beside them. */
static JsonNode *
menu_to_json (YardApi      *self,
              YardBootMenu *menu)
{
  JsonNode *node = yard_boot_menu_to_json (menu);

  yard_boot_menu_add_support_json (menu, json_node_get_object (node),
                                   yard_server_get_config (self->server)->root_dir);
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    json_object_set_string_member (json_node_get_object (node),
                                   yard_loader_setting_to_string (i),
                                   yard_server_get_loader (self->server, i));
  return node;
}

static void
menu_changed (YardApi      *self,
              YardBootMenu *menu)
{
  g_autoptr(JsonNode) node = menu_to_json (self, menu);
  yard_server_emit_event (self->server, "menu-changed", json_node_get_object (node));
}

/* Saves the menu after a change; on failure the server reloads it from disk, so memory never
 * says what the files do not. */
static gboolean
save_menu (YardApi           *self,
           SoupServerMessage *msg,
           YardBootMenu      *menu)
{
  g_autoptr(GError) error = NULL;

  if (!yard_server_save_menu (self->server, &error))
    {
      send_gerror (msg, NULL, error);
      return FALSE;
    }
  menu_changed (self, menu);
  return TRUE;
}

static void
send_menu (YardApi           *self,
           SoupServerMessage *msg,
           YardBootMenu      *menu)
{
  g_autoptr(JsonNode) node = menu_to_json (self, menu);
  send_json (msg, SOUP_STATUS_OK, node);
}

/* Takes the loader settings out of a PUT or PATCH body into @loaders (NULL when absent);
 * FALSE (400 sent) when one is not a string. The server checks the value. */
static gboolean
take_loaders (SoupServerMessage  *msg,
              JsonObject         *body,
              char              **loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      const char *member = yard_loader_setting_to_string (i);
      JsonNode *node = json_object_get_member (body, member);

      loaders[i] = NULL;
      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *message = g_strdup_printf ("“%s” must be a string", member);

          send_error (msg, SOUP_STATUS_BAD_REQUEST, member, message);
          return FALSE;
        }
      loaders[i] = g_strdup (json_node_get_string (node));
      json_object_remove_member (body, member);
    }
  return TRUE;
}

/* Puts the loaders back after the rest of a PUT or PATCH failed (NULL: untouched). */
static void
restore_loaders (YardApi     *self,
                 char *const *old_loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      g_autoptr(GError) error = NULL;

      if (old_loaders[i] != NULL &&
          !yard_server_set_loader (self->server, i, old_loaders[i], &error))
        g_warning ("Could not put the menu's %s back to %s: %s",
                   yard_loader_setting_to_string (i), old_loaders[i], error->message);
    }
}

static void
clear_loaders (char **loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    g_clear_pointer (&loaders[i], g_free);
}

static void
handle_menu (YardApi           *self,
             SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *field = NULL;
  char *loaders[YARD_N_LOADER_SETTINGS] = { NULL, };
  char *old_loaders[YARD_N_LOADER_SETTINGS] = { NULL, };
  gboolean any_loader = FALSE;
  YardBootMenu *menu;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_PUT && method != METHOD_PATCH)
    {
      send_method_not_allowed (msg, "GET, PUT, PATCH");
      return;
    }

  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      send_gerror (msg, NULL, error);
      return;
    }

  if (method == SOUP_METHOD_GET)
    {
      send_menu (self, msg, menu);
      return;
    }

  if ((body = body_object (msg, FALSE)) == NULL)
    return;

  /* The loaders are the server's settings (settings.json), not lines of pxelinux.cfg: stored
   * first, and put back when the menu's own fields are refused, so a 400 changes nothing. A
   * PUT without them keeps the current ones. */
  if (!take_loaders (msg, body, loaders))
    {
      clear_loaders (loaders);
      return;
    }
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      g_autofree char *old = NULL;

      if (loaders[i] == NULL)
        continue;
      old = g_strdup (yard_server_get_loader (self->server, i));
      any_loader = TRUE;
      if (!yard_server_set_loader (self->server, i, loaders[i], &error))
        {
          /* those set before this one go back */
          restore_loaders (self, old_loaders);
          send_gerror (msg, yard_loader_setting_to_string (i), error);
          clear_loaders (loaders);
          clear_loaders (old_loaders);
          return;
        }
      old_loaders[i] = g_steal_pointer (&old);
    }
  clear_loaders (loaders);

  if (any_loader && method == METHOD_PATCH && json_object_get_size (body) == 0)
    {
      menu_changed (self, menu);
      send_menu (self, msg, menu);
    }
  else if (method == SOUP_METHOD_PUT ? !yard_boot_menu_replace_from_json (menu, body, &field, &error)
                                     : !yard_boot_menu_update_from_json (menu, body, &field, &error))
    {
      restore_loaders (self, old_loaders);
      send_gerror (msg, field, error);
    }
  else if (save_menu (self, msg, menu))
    send_menu (self, msg, menu);
  else
    restore_loaders (self, old_loaders);
  clear_loaders (old_loaders);
}

/* The entry object, with what boots it where (docs/api.md "support") */
static void
send_entry (YardApi           *self,
            SoupServerMessage *msg,
            guint              status,
            YardBootEntry     *entry)
{
  g_autoptr(JsonNode) node = yard_boot_entry_to_json (entry);

  json_object_set_member (json_node_get_object (node), "support",
                          yard_boot_entry_support_to_json (
                            entry, yard_server_get_config (self->server)->root_dir));
  send_json (msg, status, node);
}

static void
handle_menu_entries (YardApi           *self,
                     SoupServerMessage *msg,
                     char             **parts,
                     guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *field = NULL;
  YardBootMenu *menu;

  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      send_gerror (msg, NULL, error);
      return;
    }

  /* POST /menu/entries */
  if (n_parts == 2)
    {
      g_autoptr(YardBootEntry) entry = NULL;
      g_autofree char *location = NULL;
      int position = -1;

      if (method != SOUP_METHOD_POST)
        {
          send_method_not_allowed (msg, "POST");
          return;
        }
      if ((body = body_object (msg, FALSE)) == NULL)
        return;
      if (json_object_has_member (body, "position"))
        {
          JsonNode *node = json_object_get_member (body, "position");

          if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0 ||
              json_node_get_int (node) > G_MAXINT)
            {
              send_error (msg, SOUP_STATUS_BAD_REQUEST, "position",
                          "“position” must be an integer ≥ 0");
              return;
            }
          position = (int) json_node_get_int (node);
          json_object_remove_member (body, "position");
        }
      entry = yard_boot_entry_new_from_json (body, &field, &error);
      if (entry == NULL ||
          !yard_boot_menu_add_entry (menu, entry, position, &field, &error))
        {
          send_gerror (msg, field, error);
          return;
        }
      if (!save_menu (self, msg, menu))
        return;
      location = g_strdup_printf (API_PREFIX "/menu/entries/%s", yard_boot_entry_get_id (entry));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    location);
      send_entry (self, msg, SOUP_STATUS_CREATED, entry);
      return;
    }

  /* /menu/entries/{id} */
  if (n_parts == 3)
    {
      const char *id = parts[2];

      if (yard_boot_menu_find_entry (menu, id) == NULL)
        {
          g_autofree char *message = g_strdup_printf ("No menu entry with id “%s”", id);
          send_error (msg, SOUP_STATUS_NOT_FOUND, "id", message);
          return;
        }

      if (method == SOUP_METHOD_GET)
        {
          send_entry (self, msg, SOUP_STATUS_OK, yard_boot_menu_find_entry (menu, id));
          return;
        }
      if (method == METHOD_PATCH)
        {
          if ((body = body_object (msg, FALSE)) == NULL)
            return;
          if (!yard_boot_menu_update_entry_from_json (menu, id, body, &field, &error))
            {
              send_gerror (msg, field, error);
              return;
            }
          if (save_menu (self, msg, menu))
            send_entry (self, msg, SOUP_STATUS_OK, yard_boot_menu_find_entry (menu, id));
          return;
        }
      if (method == SOUP_METHOD_DELETE)
        {
          if (!yard_boot_menu_remove_entry (menu, id, &error))
            {
              send_gerror (msg, "id", error);
              return;
            }
          if (save_menu (self, msg, menu))
            soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
          return;
        }
      send_method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }

  /* POST /menu/entries/{id}/move */
  if (n_parts == 4 && g_str_equal (parts[3], "move"))
    {
      JsonNode *node;

      if (method != SOUP_METHOD_POST)
        {
          send_method_not_allowed (msg, "POST");
          return;
        }
      if ((body = body_object (msg, FALSE)) == NULL)
        return;
      node = json_object_get_member (body, "position");
      if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0)
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "position",
                      "Give the new place as {\"position\": N}, an integer ≥ 0");
          return;
        }
      if (json_object_get_size (body) != 1)
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Only “position” is allowed here");
          return;
        }
      if (!yard_boot_menu_move_entry (menu, parts[2],
                                      (guint) MIN (json_node_get_int (node), G_MAXUINT),
                                      &error))
        {
          send_gerror (msg, "id", error);
          return;
        }
      if (save_menu (self, msg, menu))
        send_menu (self, msg, menu);
      return;
    }

  send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
}

/* Images */

static void
set_modified (JsonObject *object,
              gint64      mtime)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (mtime);
  g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (object, "modified", iso);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Whether text names the image as a URL does (".../images/ESCAPED" then the end, a space,
 * a quote or a line end): sanboot scripts, chain URLs and fetch=/url= arguments. */
static gboolean
text_names_image_url (const char *text,
                      const char *needle)
{
  gsize len = strlen (needle);

  for (const char *p = text ? strstr (text, needle) : NULL; p != NULL;
       p = strstr (p + 1, needle))
    if (p[len] == '\0' || strchr (" \t\r\n\"'", p[len]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
path_names_image (const char *path,
                  const char *file,
                  const char *dir)
{
  return path != NULL && (g_str_equal (path, file) || g_str_has_prefix (path, dir));
}

/* The menu entries (in submenus too) that boot from the image NAME: its file, what was
 * copied out of it (images/STEM/), or its URL. Adds borrowed entries to found. */
static void
collect_entries_using_image (YardBootMenu *menu,
                             const char   *file,
                             const char   *dir,
                             const char   *url,
                             GPtrArray    *found)
{
  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char * const *initrds = yard_boot_entry_get_initrds (entry);
      gboolean uses;

      if (yard_boot_entry_get_submenu (entry) != NULL)
        {
          collect_entries_using_image (yard_boot_entry_get_submenu (entry), file, dir, url,
                                       found);
          continue;
        }
      uses = path_names_image (yard_boot_entry_get_kernel (entry), file, dir) ||
             path_names_image (yard_boot_entry_get_image (entry), file, dir) ||
             text_names_image_url (yard_boot_entry_get_url (entry), url) ||
             text_names_image_url (yard_boot_entry_get_script (entry), url) ||
             text_names_image_url (yard_boot_entry_get_append (entry), url);
      for (guint j = 0; !uses && initrds != NULL && initrds[j] != NULL; j++)
        uses = path_names_image (initrds[j], file, dir);
      if (uses)
        g_ptr_array_add (found, entry);
    }
}

static GPtrArray *
entries_using_image (YardBootMenu *menu,
                     const char   *name)
{
  g_autofree char *stem = yard_image_stem_for_name (name);
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *file = g_strconcat ("images/", name, NULL);
  g_autofree char *dir = g_strconcat ("images/", stem, "/", NULL);
  g_autofree char *url = g_strconcat ("/images/", escaped, NULL);
  GPtrArray *found = g_ptr_array_new ();

  collect_entries_using_image (menu, file, dir, url, found);
  return found;
}

/* The menu entries that boot the image, so that a client can say "already in the menu" and
 * name what a deletion would take. */
static void
add_menu_entries (YardApi       *self,
                  YardImageFile *file)
{
  YardBootMenu *menu = yard_server_get_menu (self->server, NULL);
  g_autoptr(GPtrArray) using = NULL;

  using = menu != NULL ? entries_using_image (menu, file->name) : g_ptr_array_new ();
  for (guint i = 0; i < using->len; i++)
    yard_image_file_add_menu_entry (file, yard_boot_entry_get_id (using->pdata[i]),
                                    yard_boot_entry_get_label (using->pdata[i]));
}

/* "menuEntries" beside an image's inspection (yard-image-file.h writes it) */
static void
set_menu_entries (YardApi    *self,
                  JsonObject *object,
                  const char *name)
{
  g_autoptr(YardImageFile) file = yard_image_file_new (name);

  add_menu_entries (self, file);
  json_object_set_array_member (object, "menuEntries",
                                yard_image_file_menu_entries_to_json (file));
}

static void
handle_image_list (YardApi           *self,
                   SoupServerMessage *msg)
{
  g_autofree char *dir_path = images_dir (self);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *array = json_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autoptr(YardImageFile) file = NULL;
      GStatBuf st;

      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      file = yard_image_file_new (names->pdata[i]);
      file->size = st.st_size;
      file->modified = st.st_mtime;
      /* How it boots, as its inspection says (descriptors only: milliseconds), so that a
       * client shows it for images of earlier sessions too; null for no boot image. */
      {
        g_autoptr(YardImage) image = yard_image_inspect (path, names->pdata[i], NULL);

        if (image != NULL)
          file->image_class = g_strdup (yard_image_method_to_string (yard_image_get_method (image)));
      }
      add_menu_entries (self, file);
      json_array_add_object_element (array, yard_image_file_to_json (file));
    }
  json_object_set_array_member (object, "images", array);
  send_object (msg, SOUP_STATUS_OK, object);
}

/* An image as PUT and GET answer it: name, size, modified, and the inspection with the entry
 * the server suggests (null when there is none). */
static JsonObject *
image_object (YardImage     *image,
              YardBootEntry *entry,
              const char    *root,
              gint64         modified)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) inspection = yard_image_to_json (image);

  json_object_set_string_member (object, "name", yard_image_get_name (image));
  json_object_set_int_member (object, "size", (gint64) yard_image_get_size (image));
  set_modified (object, modified);
  if (JSON_NODE_HOLDS_OBJECT (inspection))
    {
      JsonObject *insp = json_node_get_object (inspection);

      if (entry != NULL)
        {
          JsonNode *entry_json = yard_boot_entry_to_json (entry);

          /* what each firmware makes of it, and the RAM it needs, as for menu entries */
          json_object_set_member (json_node_get_object (entry_json), "support",
                                  yard_boot_entry_support_to_json (entry, root));
          json_object_set_member (insp, "entry", entry_json);
        }
      else if (!json_object_has_member (insp, "entry"))
        json_object_set_null_member (insp, "entry");
    }
  json_object_set_member (object, "inspection", g_steal_pointer (&inspection));
  return object;
}

/* Whether the kernel and initrds a Linux image's entry names are in the root: the import
 * copied them out; a file put into ROOT/images/ by hand has none. */
static gboolean
linux_files_extracted (const char *root,
                       YardImage  *image)
{
  GPtrArray *initrds = yard_image_get_initrds (image);
  g_autofree char *kernel = g_build_filename (root, yard_image_get_kernel (image), NULL);
  gboolean extracted = g_file_test (kernel, G_FILE_TEST_IS_REGULAR);

  for (guint i = 0; extracted && initrds != NULL && i < initrds->len; i++)
    {
      g_autofree char *initrd = g_build_filename (root, initrds->pdata[i], NULL);
      extracted = g_file_test (initrd, G_FILE_TEST_IS_REGULAR);
    }
  return extracted;
}

/* A stored image inspected again (milliseconds: descriptors and directory only), with the
 * entry to suggest, as its upload was answered. A Linux image whose kernel and initrds were
 * never copied out (put into ROOT/images/ by hand) gets no entry and says why; a file that is
 * not a boot image gets "inspection": null and "error". NULL (and a 404 sent) when absent. */
static JsonObject *
stored_image_object (YardApi           *self,
                     SoupServerMessage *msg,
                     const char        *name)
{
  const char *root = yard_server_get_config (self->server)->root_dir;
  g_autofree char *path = g_build_filename (root, "images", name, NULL);
  g_autoptr(YardImage) image = NULL;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *reason = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *text = g_strdup_printf ("There is no image “%s”", name);
      send_error (msg, SOUP_STATUS_NOT_FOUND, "name", text);
      return NULL;
    }

  image = yard_image_inspect (path, name, &error);
  if (image == NULL)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "name", name);
      json_object_set_int_member (object, "size", st.st_size);
      set_modified (object, st.st_mtime);
      json_object_set_null_member (object, "inspection");
      json_object_set_string_member (object, "error", error->message);
      set_menu_entries (self, object, name);
      return object;
    }

  entry = yard_image_create_entry (image);
  if (yard_image_get_method (image) == YARD_IMAGE_METHOD_LINUX &&
      !linux_files_extracted (root, image))
    {
      g_clear_object (&entry);
      reason = "Its kernel and initrd were never copied out of it: it was not uploaded through "
               "Bootyard. Upload it again to add it to the menu";
    }
  object = image_object (image, entry, root, st.st_mtime);
  if (reason != NULL)
    json_object_set_string_member (json_object_get_object_member (object, "inspection"),
                                   "reason", reason);
  set_menu_entries (self, object, name);
  return object;
}

/* GET /images/{name} */
static void
handle_image_get (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *name)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  if (!yard_image_name_is_valid (name, &error))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return;
    }
  object = stored_image_object (self, msg, name);
  if (object != NULL)
    send_object (msg, SOUP_STATUS_OK, object);
}

/* What PUT /images/{name} refuses from its head alone: a bad name (400), and a name that is
 * @taken when replace was not asked (409, with what is there, for the client to replace it,
 * keep both under another name, or leave: no silent duplicates). got_headers_cb asks before
 * the body when the client waits for "100 Continue" (curl -T, libyard-client), so no byte of
 * the file is sent for nothing; handle_image_put once the body is read and dropped. TRUE when
 * it answered. */
static gboolean
image_put_refused (YardApi           *self,
                   SoupServerMessage *msg,
                   const char        *name,
                   gboolean           taken)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!yard_image_name_is_valid (name, &error))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return TRUE;
    }
  /* The router ignores a trailing slash, the upload (which streams to disk before this runs)
   * does not: it never started, so say why here instead of a 500. */
  if (g_str_has_suffix (g_uri_get_path (soup_server_message_get_uri (msg)), "/"))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "name",
                  "An image name is a file name: remove the “/” at the end of the URL");
      return TRUE;
    }
  if (!taken)
    return FALSE;

  existing = stored_image_object (self, msg, name);
  /* Removed since the headers came: the body was dropped, so it is uploaded again. */
  if (existing == NULL)
    {
      text = g_strdup_printf ("“%s” was removed during the upload: upload it again", name);
      send_error (msg, SOUP_STATUS_CONFLICT, "name", text);
      return TRUE;
    }
  object = json_object_new ();
  text = g_strdup_printf ("There is already an image “%s”: replace it, or upload it "
                          "under another name", name);
  json_object_set_string_member (object, "error", text);
  json_object_set_string_member (object, "field", "name");
  json_object_set_object_member (object, "image", g_steal_pointer (&existing));
  send_object (msg, SOUP_STATUS_CONFLICT, object);
  return TRUE;
}

/* Why an upload of @length bytes does not fit into @dir, or NULL when it does. */
static char *
upload_no_room (const char *dir,
                const char *name,
                goffset     length)
{
  g_autofree char *size = NULL;
  g_autofree char *room = NULL;
  struct statvfs st;
  guint64 available;

  if (length <= 0 || statvfs (dir, &st) != 0)
    return NULL;
  available = (guint64) st.f_bavail * st.f_frsize;
  if ((guint64) length <= available)
    return NULL;
  size = g_format_size (length);
  room = g_format_size (available);
  return g_strdup_printf ("“%s” is %s, and the server has %s free for images: make room on "
                          "the server (remove images it no longer needs) and upload it again",
                          name, size, room);
}

/* What PUT /files/{path} refuses from its head alone: a path that core refuses (400) and one
 * that is taken without ?replace=true (409). TRUE when it answered. */
static gboolean
file_put_refused (SoupServerMessage *msg,
                  Upload            *upload)
{
  if (upload->refused != NULL)
    {
      send_gerror (msg, "path", upload->refused);
      return TRUE;
    }
  if (upload->relative == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "path",
                  "Give the file's path in the boot root's files folder after /files/, "
                  "percent-encoded, e.g. /api/v1/files/debian/linux");
      return TRUE;
    }
  if (upload->exists)
    {
      g_autofree char *text = g_strdup_printf ("There is already a file “%s”: replace it "
                                               "(?replace=true), or upload it under another "
                                               "path", upload->relative);
      send_error (msg, SOUP_STATUS_CONFLICT, "path", text);
      return TRUE;
    }
  return FALSE;
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

  /* PUT /api/v1/files/PATH, from a client with the token: a path that core accepts streams to
   * a temporary file beside its target; the handler answers once the body is read. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_PUT &&
      g_str_has_prefix (path, API_PREFIX "/files/") && is_authorized (self, msg))
    {
      g_autofree char *name = g_uri_unescape_string (path + strlen (API_PREFIX "/files/"), NULL);
      const char *root = yard_server_get_config (self->server)->root_dir;
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      gboolean expect_continue =
        (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE) != 0;
      Upload *upload = g_new0 (Upload, 1);

      upload->fd = -1;
      data->upload = upload;
      if (name == NULL)
        return;
      upload->target = yard_root_prepare_upload (root, name, &upload->relative,
                                                 &upload->refused);
      if (upload->target != NULL && !query_flag (msg, "replace") &&
          g_file_test (upload->target, G_FILE_TEST_EXISTS))
        upload->exists = TRUE;
      /* A client that waits for "100 Continue" gets a refusal before it sends the file. */
      if (expect_continue && file_put_refused (msg, upload))
        return;
      if (upload->target == NULL || upload->exists)
        return;
      {
        g_autofree char *dir = g_path_get_dirname (upload->target);
        g_autofree char *tmpl = g_build_filename (dir, ".upload-XXXXXX", NULL);

        upload->fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
        if (upload->fd < 0)
          upload->error = g_strdup_printf ("Cannot create a file in “%s”: %s", dir,
                                           g_strerror (errno));
        else
          upload->tmp_path = g_steal_pointer (&tmpl);
      }
      return;
    }

  /* PUT /api/v1/images/NAME, from a client with the token and a valid name: stream to a
   * temporary file. Anything else is refused by the handler once the body is read. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_PUT &&
      g_str_has_prefix (path, API_PREFIX "/images/") && is_authorized (self, msg))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      gboolean expect_continue =
        (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE) != 0;
      g_autofree char *name = g_uri_unescape_string (path + strlen (API_PREFIX "/images/"), NULL);
      g_autofree char *dir = images_dir (self);
      g_autofree char *tmpl = NULL;
      g_autofree char *no_room = NULL;
      Upload *upload;
      int fd;

      if (name == NULL)
        return;
      /* A client that waits for "100 Continue" gets the answer to a bad name at once, and
       * sends no body (libsoup sends the 100 when no status is set here). */
      if (expect_continue && image_put_refused (self, msg, name, FALSE))
        return;
      if (!yard_image_name_is_valid (name, NULL))
        return;
      if (g_mkdir_with_parents (dir, 0755) != 0)
        return;

      /* A name already taken is refused (409) before the body when the client waits for
       * "100 Continue", else once the body is read, unless replace was asked: nothing of it
       * is written. */
      {
        g_autofree char *target = g_build_filename (dir, name, NULL);

        if (!query_flag (msg, "replace") && g_file_test (target, G_FILE_TEST_EXISTS))
          {
            if (expect_continue && image_put_refused (self, msg, name, TRUE))
              return;
            upload = g_new0 (Upload, 1);
            upload->fd = -1;
            upload->exists = TRUE;
            upload->name = g_steal_pointer (&name);
            data->upload = upload;
            return;
          }
      }

      /* A file larger than the room left is refused (413) from its Content-Length before the
       * body, when the client waits for "100 Continue": not after the disk is full. (Without
       * it the body is written until the disk is full, and the answer says so.) */
      if (expect_continue &&
          soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        no_room = upload_no_room (dir, name, soup_message_headers_get_content_length (headers));
      if (no_room != NULL)
        {
          send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, no_room);
          return;
        }

      tmpl = g_build_filename (dir, ".upload-XXXXXX", NULL);
      fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
      upload = g_new0 (Upload, 1);
      upload->fd = fd;
      upload->name = g_steal_pointer (&name);
      if (fd < 0)
        upload->error = g_strdup_printf ("Cannot create a file in “%s”: %s", dir,
                                         g_strerror (errno));
      else
        upload->tmp_path = g_steal_pointer (&tmpl);
      data->upload = upload;
    }
}

void
yard_api_request_started (YardApi           *self,
                          SoupServerMessage *msg)
{
  g_return_if_fail (YARD_IS_API (self));
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
}

typedef struct
{
  YardApi           *self; /* referenced */
  SoupServerMessage *msg;
  char              *tmp_path;
  YardServer        *server;   /* the boot root, and its menus to refresh */
} UploadReply;

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  UploadReply *reply = user_data;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autoptr(GError) error = NULL;
  RequestData *data = request_data (reply->msg);
  gboolean replaced = FALSE;

  image = yard_image_import_finish (result, &entry, &replaced, &error);
  /* The import renamed the upload into place, or failed: either way no temporary is left. */
  g_unlink (reply->tmp_path);

  if (data != NULL && !data->finished)
    {
      if (image == NULL)
        {
          if (g_error_matches (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE) ||
              g_error_matches (error, YARD_ERROR, YARD_ERROR_NOT_BOOTABLE))
            send_error (reply->msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
          else
            send_gerror (reply->msg, "name", error);
        }
      else
        {
          const char *root = yard_server_get_config (reply->server)->root_dir;
          g_autoptr(JsonObject) object = image_object (image, entry, root,
                                                       g_get_real_time () / G_USEC_PER_SEC);
          g_autoptr(GError) menus_error = NULL;

          /* entries left out for want of this image's files come back */
          if (!yard_server_refresh_menus (reply->server, &menus_error))
            g_warning ("%s", menus_error->message);
          set_menu_entries (reply->self, object, yard_image_get_name (image));
          send_object (reply->msg, replaced ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
          g_message ("Imported image %s", yard_image_get_name (image));
        }
      soup_server_message_unpause (reply->msg);
    }

  g_object_unref (reply->msg);
  g_object_unref (reply->self);
  g_free (reply->tmp_path);
  g_clear_object (&reply->server);
  g_free (reply);
}

static void
handle_image_put (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *name)
{
  RequestData *data = request_data (msg);
  Upload *upload = data ? data->upload : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  UploadReply *reply;

  if (image_put_refused (self, msg, name, upload != NULL && upload->exists))
    return;
  if (upload == NULL || upload->error != NULL || upload->fd < 0)
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                  upload && upload->error ? upload->error
                                          : "The upload could not be stored");
      return;
    }

  /* Data on disk before the name: a crash never leaves a short file under the real name. */
  if (fsync (upload->fd) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot write the image: %s",
                                                  g_strerror (errno));
      upload_discard (upload);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  upload_close (upload);

  /* The import inspects the complete upload, extracts what a Linux image needs, and renames
   * it to its name only when all of that worked. */
  reply = g_new0 (UploadReply, 1);
  reply->self = g_object_ref (self);
  reply->msg = g_object_ref (msg);
  reply->tmp_path = g_steal_pointer (&upload->tmp_path);
  reply->server = g_object_ref (self->server);
  file = g_file_new_for_path (reply->tmp_path);

  soup_server_message_pause (msg);
  yard_image_import_async (yard_server_get_config (self->server)->root_dir, file, NULL, 0, name,
                           YARD_IMAGE_IMPORT_REPLACE | YARD_IMAGE_IMPORT_MOVE_SOURCE, NULL,
                           NULL, NULL, NULL, import_done_cb, reply);
}

/* PUT /files/{path}: any file (a kernel, an initrd) into ROOT/files/, for menu entries to
 * name; 201 {"path": "files/PATH", "size"} (200 when it replaced one), 409 when the path is
 * taken and ?replace=true was not asked. */
static void
handle_file_put (YardApi           *self,
                 SoupServerMessage *msg)
{
  RequestData *data = request_data (msg);
  Upload *upload = data ? data->upload : NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean replaced;

  if (upload == NULL)
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "The upload could not be stored");
      return;
    }
  if (file_put_refused (msg, upload))
    return;
  if (upload->error != NULL || upload->fd < 0)
    {
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                  upload->error ? upload->error : "The upload could not be stored");
      return;
    }

  /* Data on disk before the name: a crash never leaves a short file under the real name. */
  if (fsync (upload->fd) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot write the upload: %s",
                                                  g_strerror (errno));
      upload_discard (upload);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  upload_close (upload);
  replaced = g_file_test (upload->target, G_FILE_TEST_EXISTS);
  if (g_rename (upload->tmp_path, upload->target) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot store “%s”: %s", upload->relative,
                                                  g_strerror (errno));
      upload_discard (upload);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  g_clear_pointer (&upload->tmp_path, g_free);
  g_debug ("Stored %s (%" G_GUINT64_FORMAT " bytes)", upload->relative, upload->bytes);

  /* Entries that named the file before it came are no longer left out of the menus. */
  {
    g_autoptr(GError) menus_error = NULL;

    if (!yard_server_refresh_menus (self->server, &menus_error))
      g_warning ("%s", menus_error->message);
  }
  object = json_object_new ();
  json_object_set_string_member (object, "path", upload->relative);
  json_object_set_int_member (object, "size", (gint64) upload->bytes);
  send_object (msg, replaced ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
}

/* DELETE /images/{name}: an image that menu entries boot is refused (409 naming them) unless
 * ?entries=true asks to remove them too; they go first, so no entry is left dangling. */
static void
handle_image_delete (YardApi           *self,
                     SoupServerMessage *msg,
                     const char        *name)
{
  const char *root = yard_server_get_config (self->server)->root_dir;
  g_autoptr(GPtrArray) using = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  YardBootMenu *menu;

  if (!yard_image_name_is_valid (name, &error))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return;
    }
  path = g_build_filename (root, "images", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = g_strdup_printf ("There is no image “%s”", name);
      send_error (msg, SOUP_STATUS_NOT_FOUND, "name", text);
      return;
    }
  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      send_gerror (msg, NULL, error);
      return;
    }

  using = entries_using_image (menu, name);
  if (using->len > 0 && !query_flag (msg, "entries"))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(GString) labels = g_string_new (NULL);
      JsonArray *entries = json_array_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; i < using->len; i++)
        {
          YardBootEntry *entry = using->pdata[i];

          g_string_append_printf (labels, "%s“%s”", i > 0 ? ", " : "",
                                  yard_boot_entry_get_label (entry));
          json_array_add_element (entries, yard_boot_entry_to_json (entry));
        }
      text = g_strdup_printf ("“%s” is booted by the menu entries %s: remove them with it, "
                              "or change them first", name, labels->str);
      json_object_set_string_member (object, "error", text);
      json_object_set_string_member (object, "field", "name");
      json_object_set_array_member (object, "entries", entries);
      send_object (msg, SOUP_STATUS_CONFLICT, object);
      return;
    }

  if (using->len > 0)
    {
      g_auto(GStrv) ids = g_new0 (char *, using->len + 1);

      /* The ids first: removing an entry drops the menu's reference to it. */
      for (guint i = 0; i < using->len; i++)
        ids[i] = g_strdup (yard_boot_entry_get_id (using->pdata[i]));
      g_ptr_array_set_size (using, 0);
      for (guint i = 0; ids[i] != NULL; i++)
        if (!yard_boot_menu_remove_entry (menu, ids[i], &error))
          {
            g_prefix_error (&error, "The image was not deleted: ");
            send_gerror (msg, "entries", error);
            return;
          }
      if (!save_menu (self, msg, menu))
        return;
    }

  if (!yard_image_delete (root, name, &error))
    send_gerror (msg, "name", error);
  else
    {
      g_autoptr(GError) menus_error = NULL;

      /* the UEFI and iPXE menus leave out the entries whose files went with it */
      if (!yard_server_refresh_menus (self->server, &menus_error))
        g_warning ("%s", menus_error->message);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

static void
handle_images (YardApi           *self,
               SoupServerMessage *msg,
               char             **parts,
               guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);

  if (n_parts == 1)
    {
      if (method != SOUP_METHOD_GET)
        send_method_not_allowed (msg, "GET");
      else
        handle_image_list (self, msg);
      return;
    }

  if (n_parts > 2)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "name",
                  "An image name is a file name: it cannot contain “/”");
      return;
    }

  if (method == SOUP_METHOD_GET)
    handle_image_get (self, msg, parts[1]);
  else if (method == SOUP_METHOD_PUT)
    handle_image_put (self, msg, parts[1]);
  else if (method == SOUP_METHOD_DELETE)
    handle_image_delete (self, msg, parts[1]);
  else
    send_method_not_allowed (msg, "GET, PUT, DELETE");
}

/* Hosts */

static void
send_host (SoupServerMessage *msg,
           guint              status,
           const YardHost    *host)
{
  g_autoptr(JsonObject) object = yard_host_to_json (host);
  send_object (msg, status, object);
}

/* The host of mac (a new one when the table has none) with patch applied; NULL after a 400
 * naming the member. */
static YardHost *
patched_host (YardHostTable     *table,
              SoupServerMessage *msg,
              const char        *mac,
              JsonObject        *patch)
{
  g_autoptr(YardHost) host = yard_host_table_dup_host (table, mac);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  if (host == NULL)
    host = yard_host_new (mac);
  if (!yard_host_update_from_json (host, patch, &field, &error))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, field, error->message);
      return NULL;
    }
  return g_steal_pointer (&host);
}

static void
handle_host_put (YardApi           *self,
                 SoupServerMessage *msg,
                 const char        *mac)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(YardHost) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;

  if ((body = body_object (msg, FALSE)) == NULL ||
      (host = patched_host (table, msg, mac, body)) == NULL)
    return;
  if (!yard_host_table_put (table, host, &created, &error))
    {
      send_gerror (msg, NULL, error);
      return;
    }
  stored = yard_host_table_dup_host (table, mac);
  send_host (msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, stored);
}

/* POST /hosts/MAC/wake: the magic packet, on the services' interface. A body is the policy of
 * the boot it wakes the host for (a host's members, as PUT takes them), set as "once" first;
 * when the packet cannot go, the host is left as it was. */
static void
handle_host_wake (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *mac)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(YardHost) before = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  if ((body = body_object (msg, TRUE)) == NULL)
    return;
  if (json_object_get_size (body) > 0)
    {
      if (json_object_has_member (body, "once"))
        {
          send_error (msg, SOUP_STATUS_BAD_REQUEST, "once",
                      "A wake's policy is for one boot: leave “once” out");
          return;
        }
      json_object_set_boolean_member (body, "once", TRUE);
      before = yard_host_table_dup_host (table, mac);
      if ((host = patched_host (table, msg, mac, body)) == NULL)
        return;
      if (!yard_host_table_put (table, host, NULL, &error))
        {
          send_gerror (msg, NULL, error);
          return;
        }
    }
  if (!yard_server_wake_host (self->server, mac, &error))
    {
      g_autoptr(GError) undo_error = NULL;

      if (host != NULL &&
          !(before != NULL ? yard_host_table_put (table, before, NULL, &undo_error)
                           : yard_host_table_remove (table, mac, &undo_error)))
        g_warning ("Could not put host %s back as it was: %s", mac, undo_error->message);
      send_gerror (msg, NULL, error);
      return;
    }
  if (host != NULL)
    {
      g_autoptr(YardHost) stored = yard_host_table_dup_host (table, mac);

      send_host (msg, SOUP_STATUS_OK, stored);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_hosts (YardApi           *self,
              SoupServerMessage *msg,
              char             **parts,
              guint              n_parts)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;

  if (n_parts == 1)
    {
      g_autoptr(GPtrArray) hosts = NULL;
      g_autoptr(JsonObject) object = NULL;
      JsonArray *array;

      if (method != SOUP_METHOD_GET)
        {
          send_method_not_allowed (msg, "GET");
          return;
        }
      hosts = yard_host_table_dup_hosts (table);
      array = json_array_sized_new (hosts->len);
      for (guint i = 0; i < hosts->len; i++)
        json_array_add_object_element (array, yard_host_to_json (hosts->pdata[i]));
      object = json_object_new ();
      json_object_set_array_member (object, "hosts", array);
      send_object (msg, SOUP_STATUS_OK, object);
      return;
    }

  if (n_parts != 2 && !(n_parts == 3 && g_str_equal (parts[2], "wake")))
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }

  mac = yard_mac_normalize (parts[1], &error);
  if (mac == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }

  if (n_parts == 3)
    {
      if (method != SOUP_METHOD_POST)
        send_method_not_allowed (msg, "POST");
      else
        handle_host_wake (self, msg, mac);
      return;
    }

  if (method == SOUP_METHOD_GET)
    {
      g_autoptr(YardHost) host = yard_host_table_dup_host (table, mac);

      if (host == NULL)
        {
          g_autofree char *message = g_strdup_printf ("No host with MAC %s", mac);
          send_error (msg, SOUP_STATUS_NOT_FOUND, "mac", message);
        }
      else
        send_host (msg, SOUP_STATUS_OK, host);
    }
  else if (method == SOUP_METHOD_PUT)
    handle_host_put (self, msg, mac);
  else if (method == SOUP_METHOD_DELETE)
    {
      if (!yard_host_table_remove (table, mac, &error))
        send_gerror (msg, "mac", error);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    send_method_not_allowed (msg, "GET, PUT, DELETE");
}

/* The doctor: GET /doctor[/MAC] (verdicts, and the last network report), POST
 * /doctor/network (ask the network now; answers when the probe is done, in about 4 s). */

static void
network_probed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  RequestData *data = request_data (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) report = yard_server_probe_network_finish (YARD_SERVER (source), result,
                                                                   &error);

  if (data != NULL && data->finished)
    return;
  if (report == NULL)
    send_gerror (msg, NULL, error);
  else
    send_object (msg, SOUP_STATUS_OK, report);
  soup_server_message_unpause (msg);
}

static void
handle_doctor (YardApi           *self,
               SoupServerMessage *msg,
               char             **parts,
               guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;
  JsonObject *network;

  if (n_parts == 2 && g_str_equal (parts[1], "network"))
    {
      if (method != SOUP_METHOD_POST)
        {
          send_method_not_allowed (msg, "POST");
          return;
        }
      soup_server_message_pause (msg);
      yard_server_probe_network_async (self->server, NULL, network_probed_cb,
                                       g_object_ref (msg));
      return;
    }
  if (n_parts > 2)
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }
  if (method != SOUP_METHOD_GET)
    {
      send_method_not_allowed (msg, "GET");
      return;
    }
  if (n_parts == 2 && (mac = yard_mac_normalize (parts[1], &error)) == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }
  object = json_object_new ();
  json_object_set_array_member (object, "verdicts", yard_server_dup_verdicts (self->server, mac));
  network = yard_server_get_network_report (self->server);
  if (network != NULL)
    json_object_set_object_member (object, "network", json_object_ref (network));
  else
    json_object_set_null_member (object, "network");
  send_object (msg, SOUP_STATUS_OK, object);
}

/* GET /activity[/MAC]: the recent boots, newest first, each with the host's name when it
 * has one. */
static void
handle_activity (YardApi           *self,
                 SoupServerMessage *msg,
                 char             **parts,
                 guint              n_parts)
{
  YardHostTable *hosts = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;
  JsonArray *boots;

  if (n_parts > 2)
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      send_method_not_allowed (msg, "GET");
      return;
    }
  if (n_parts == 2 && (mac = yard_mac_normalize (parts[1], &error)) == NULL)
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }
  boots = yard_server_dup_history (self->server, mac);
  for (guint i = 0; i < json_array_get_length (boots); i++)
    {
      JsonObject *boot = json_array_get_object_element (boots, i);
      const char *boot_mac = json_object_get_string_member_with_default (boot, "mac", NULL);
      g_autoptr(YardHost) host = NULL;

      if (boot_mac != NULL && hosts != NULL)
        host = yard_host_table_dup_host (hosts, boot_mac);
      if (host != NULL && host->name != NULL && *host->name != '\0')
        json_object_set_string_member (boot, "name", host->name);
      else
        json_object_set_null_member (boot, "name");
    }
  object = json_object_new ();
  json_object_set_array_member (object, "boots", boots);
  send_object (msg, SOUP_STATUS_OK, object);
}

/* Events */

/* Bytes handed to libsoup for one stream and not yet written to its socket. */
static guint64 *
stream_queued (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "yard-api-stream-queued");
}

static void
stream_wrote_cb (SoupServerMessage *msg,
                 guint              chunk_size,
                 YardApi           *self)
{
  guint64 *queued = stream_queued (msg);

  *queued -= MIN (*queued, chunk_size);
}

/* A client that has stopped reading: libsoup would keep every event for it. The connection
 * is taken from libsoup, which drops the message and what it queued, and closed with a reset
 * (SO_LINGER 0), so that the kernel drops what it holds for the client too. */
static void
stream_disconnect (YardApi           *self,
                   SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GIOStream) base = NULL;
  const char *host = soup_server_message_get_remote_host (msg);

  g_message ("Event stream of %s disconnected: it has not read %" G_GUINT64_FORMAT " bytes of "
             "events (it may reconnect)", host ? host : "a client", *stream_queued (msg));
  g_signal_handlers_disconnect_by_data (msg, self);
  g_object_ref (msg);
  g_ptr_array_remove (self->streams, msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL)
    return;
  /* libsoup hands back its own wrapper (SoupIOStream) of the stream it was given. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") != NULL)
    g_object_get (stream, "base-iostream", &base, NULL);
  if (G_IS_SOCKET_CONNECTION (base))
    {
      struct linger reset = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (base))),
                  SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
  g_io_stream_close (stream, NULL, NULL);
}

/* Appends @text to stream @i, or disconnects that stream when it would have more than
 * STREAM_QUEUE_MAX waiting. */
static void
stream_append (YardApi    *self,
               guint       i,
               const char *text)
{
  SoupServerMessage *msg = self->streams->pdata[i];
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint64 *queued = stream_queued (msg);
  gsize len = strlen (text);

  if (*queued + len > STREAM_QUEUE_MAX)
    {
      stream_disconnect (self, msg);
      return;
    }
  *queued += len;
  soup_message_body_append (body, SOUP_MEMORY_COPY, text, len);
  soup_server_message_unpause (msg);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    YardApi           *self)
{
  RequestData *data = request_data (msg);

  if (data != NULL)
    data->finished = TRUE;
  g_signal_handlers_disconnect_by_data (msg, self);
  g_ptr_array_remove (self->streams, msg);
}

static char *
format_event (const char *kind,
              JsonObject *payload)
{
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload ? payload : empty);
  g_autofree char *json = json_to_string (node, FALSE);

  return g_strdup_printf ("event: %s\ndata: %s\n\n", kind, json);
}

static void
server_event_cb (YardServer *server,
                 const char *kind,
                 JsonObject *payload,
                 YardApi    *self)
{
  g_autofree char *text = NULL;

  if (self->streams->len == 0)
    return;
  text = format_event (kind, payload);
  /* Backwards: stream_append() may remove stream i. */
  for (guint i = self->streams->len; i-- > 0;)
    stream_append (self, i, text);
}

static gboolean
keep_alive_cb (gpointer user_data)
{
  YardApi *self = user_data;

  for (guint i = self->streams->len; i-- > 0;)
    stream_append (self, i, ": keep-alive\n\n");
  return G_SOURCE_CONTINUE;
}

static void
handle_events (YardApi           *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autofree char *text = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      send_method_not_allowed (msg, "GET");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_set_encoding (headers,
                                     soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0
                                       ? SOUP_ENCODING_EOF : SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  json_object_set_string_member (hello, "version", PACKAGE_VERSION);
  text = format_event ("hello", hello);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            text, strlen (text));

  g_object_set_data_full (G_OBJECT (msg), "yard-api-stream-queued", g_new0 (guint64, 1), g_free);
  g_ptr_array_add (self->streams, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), self);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (stream_wrote_cb), self);
}

void
yard_api_close_streams (YardApi *self)
{
  g_return_if_fail (YARD_IS_API (self));

  while (self->streams->len > 0)
    {
      SoupServerMessage *msg = g_object_ref (self->streams->pdata[0]);

      g_signal_handlers_disconnect_by_data (msg, self);
      g_ptr_array_remove_index (self->streams, 0);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
      g_object_unref (msg);
    }
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

  if (!is_authorized (self, msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"bootyard\"");
      send_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, UNAUTHORIZED_MESSAGE);
      return;
    }

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
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
          send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Bad percent-encoding in the path");
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
    send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
  else if (n == 1 && g_str_equal (parts->pdata[0], "status"))
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
        send_method_not_allowed (msg, "GET");
      else
        handle_status (self, msg);
    }
  else if (n == 2 && g_str_equal (parts->pdata[0], "services"))
    handle_services (self, msg, parts->pdata[1]);
  else if (n == 1 && g_str_equal (parts->pdata[0], "menu"))
    handle_menu (self, msg);
  else if (n >= 2 && g_str_equal (parts->pdata[0], "menu") &&
           g_str_equal (parts->pdata[1], "entries"))
    handle_menu_entries (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "images"))
    handle_images (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "files"))
    {
      if (soup_server_message_get_method (msg) != SOUP_METHOD_PUT)
        send_method_not_allowed (msg, "PUT");
      else
        handle_file_put (self, msg);
    }
  else if (g_str_equal (parts->pdata[0], "hosts"))
    handle_hosts (self, msg, (char **) parts->pdata, n);
  else if (n == 1 && g_str_equal (parts->pdata[0], "events"))
    handle_events (self, msg);
  else if (g_str_equal (parts->pdata[0], "activity"))
    handle_activity (self, msg, (char **) parts->pdata, n);
  else if (g_str_equal (parts->pdata[0], "doctor"))
    handle_doctor (self, msg, (char **) parts->pdata, n);
  else
    send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
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
  self->event_id = g_signal_connect (server, "event", G_CALLBACK (server_event_cb), self);
  self->keep_alive_id = g_timeout_add_seconds (KEEP_ALIVE_SECS, keep_alive_cb, self);
  return self;
}
