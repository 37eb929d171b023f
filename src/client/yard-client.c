/* yard-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app and bootyardctl manage a server, local or remote, only through this: a base URL and a
 * bearer token. Errors from the server ({"error": ..., "field": ...}) become GErrors whose
 * message is the server's own, so both front ends show the same words. The API is docs/api.md.
 */

#define G_LOG_DOMAIN "yard-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yard-client.h"
#include "yard-client-private.h"
#include "yard-error.h"
#include "yard-json.h"
#include "yard-paths.h"

/* Seconds without any I/O before a request fails (uploads: yard-upload.c). */
#define REQUEST_TIMEOUT 30

/* The server writes the port it listens on here, beside the token (docs/api.md). */
#define HTTP_PORT_FILE "http-port"

struct _YardClient
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url;       /* without a trailing slash */
  char        *token;
};

G_DEFINE_FINAL_TYPE (YardClient, yard_client, G_TYPE_OBJECT)

static void
yard_client_finalize (GObject *object)
{
  YardClient *self = YARD_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (yard_client_parent_class)->finalize (object);
}

static void
yard_client_class_init (YardClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_client_finalize;
}

static void
yard_client_init (YardClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", "bootyard/" PACKAGE_VERSION,
                                                 "timeout", REQUEST_TIMEOUT, NULL);
}

YardClient *
yard_client_new (const char *base_url,
                 const char *token)
{
  YardClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (YARD_TYPE_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->token = g_strdup (token);
  return self;
}

/* The local server's URL: the port it wrote beside its token (it may have picked a free one
 * with --http-port 0), else the default port. */
static char *
local_url (const char *token_path)
{
  g_autofree char *dir = g_path_get_dirname (token_path);
  g_autofree char *port_file = g_build_filename (dir, HTTP_PORT_FILE, NULL);
  g_autofree char *contents = NULL;
  guint64 port = 0;

  if (g_file_get_contents (port_file, &contents, NULL, NULL) &&
      g_ascii_string_to_unsigned (g_strstrip (contents), 10, 1, 65535, &port, NULL))
    return g_strdup_printf ("http://127.0.0.1:%u", (guint) port);

  return g_strdup_printf ("http://127.0.0.1:%d", YARD_DEFAULT_HTTP_PORT);
}

/* base_url NULL means the local server; token_file NULL means the local server's token, found
 * in the user's state directory or the system service's. */
YardClient *
yard_client_new_from_files (const char  *base_url,
                            const char  *token_file,
                            GError     **error)
{
  g_autofree char *url = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user_state = yard_default_state_dir ();
  g_autofree char *user_file = g_build_filename (user_state, YARD_API_TOKEN_FILE, NULL);
  g_autofree char *system_file = g_build_filename (YARD_SYSTEM_STATE_DIR, YARD_API_TOKEN_FILE,
                                                   NULL);
  const char *candidates[3] = { NULL, };
  const char *found = NULL;

  if (token_file != NULL)
    candidates[0] = token_file;
  else
    {
      candidates[0] = user_file;
      candidates[1] = system_file;
    }

  for (guint i = 0; candidates[i] != NULL && contents == NULL; i++)
    {
      g_clear_error (&local_error);
      if (g_file_get_contents (candidates[i], &contents, NULL, &local_error))
        found = candidates[i];
    }

  if (contents == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED,
                   "Cannot read the API token (%s). Give the server's token file with "
                   "--token-file; a server writes it to STATE-DIR/%s on its first start",
                   local_error->message, YARD_API_TOKEN_FILE);
      return NULL;
    }

  url = base_url ? g_strdup (base_url) : local_url (found);
  return yard_client_new (url, g_strstrip (contents));
}

const char *
yard_client_get_base_url (YardClient *self)
{
  g_return_val_if_fail (YARD_IS_CLIENT (self), NULL);
  return self->base_url;
}

SoupMessage *
_yard_client_new_message (YardClient  *self,
                          const char  *method,
                          const char  *path,
                          GError     **error)
{
  g_autofree char *uri = g_strconcat (self->base_url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) msg = NULL;

  if (g_uri_peek_scheme (self->base_url) == NULL ||
      (msg = soup_message_new (method, uri)) == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid server URL: give one like http://HOST:%d",
                   self->base_url, YARD_DEFAULT_HTTP_PORT);
      return NULL;
    }

  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  return g_steal_pointer (&msg);
}

char *
_yard_client_escape_segment (const char *segment)
{
  /* ':' stays readable in MAC addresses; everything else that is not unreserved is escaped,
   * '/' included, so a name can never address another path. */
  return g_uri_escape_string (segment, ":", FALSE);
}

GError *
_yard_client_response_error (SoupMessage *msg,
                             GBytes      *body)
{
  return _yard_client_answer_error (soup_message_get_status (msg),
                                    soup_message_get_reason_phrase (msg),
                                    g_uri_get_path (soup_message_get_uri (msg)), body);
}

GError *
_yard_client_answer_error (guint       status,
                           const char *reason,
                           const char *path,
                           GBytes     *body)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  g_autoptr(JsonNode) root = NULL;
  int code;

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = YARD_ERROR_INVALID_ARGUMENT;
      break;
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      code = YARD_ERROR_UNAUTHORIZED;
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = YARD_ERROR_NOT_FOUND;
      break;
    case SOUP_STATUS_CONFLICT:
      /* The menu file on disk fails to parse (the message names file and line), or an
       * image's name is taken ("image": what is there) or its entries boot it ("entries"):
       * told apart below. */
      code = YARD_ERROR_INVALID_CONFIG;
      break;
    default:
      code = YARD_ERROR_FAILED;
      break;
    }

  /* Bounded as the server bounds what it reads: a hostile server must not crash the app. */
  if (len > 0)
    root = yard_json_parse (data, len, YARD_JSON_MAX_DEPTH, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      const char *message = json_object_get_string_member_with_default (obj, "error", NULL);
      const char *field = json_object_get_string_member_with_default (obj, "field", NULL);

      if (status == SOUP_STATUS_CONFLICT && json_object_has_member (obj, "image"))
        code = YARD_ERROR_EXISTS;
      else if (status == SOUP_STATUS_CONFLICT && json_object_has_member (obj, "entries"))
        code = YARD_ERROR_IN_USE;
      /* These two say what to do in the message itself. */
      if (message != NULL && (code == YARD_ERROR_EXISTS || code == YARD_ERROR_IN_USE))
        return g_error_new_literal (YARD_ERROR, code, message);
      if (message != NULL && field != NULL)
        return g_error_new (YARD_ERROR, code, "%s (field “%s”)", message, field);
      else if (message != NULL)
        return g_error_new_literal (YARD_ERROR, code, message);
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new (YARD_ERROR, code,
                        "The server refused the API token: give the server's token file "
                        "with --token-file");
  if (status == SOUP_STATUS_NOT_FOUND)
    return g_error_new (YARD_ERROR, code,
                        "The server has no %s: is it a Bootyard server of this version?",
                        path);
  return g_error_new (YARD_ERROR, code, "The server answered %u %s", status,
                      reason != NULL ? reason : "");
}

GError *
_yard_client_transport_error (YardClient   *self,
                              const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (YARD_ERROR, YARD_ERROR_UNREACHABLE,
                      "Cannot reach the Bootyard server at %s: %s. Is it running? "
                      "Give another with --server URL",
                      self->base_url, error->message);
}

static JsonNode *
parse_response (SoupMessage  *msg,
                GBytes       *bytes,
                GError      **error)
{
  return _yard_client_parse_answer (soup_message_get_status (msg),
                                    soup_message_get_reason_phrase (msg),
                                    g_uri_get_path (soup_message_get_uri (msg)), bytes, error);
}

JsonNode *
_yard_client_parse_answer (guint        status,
                           const char  *reason,
                           const char  *path,
                           GBytes      *bytes,
                           GError     **error)
{
  g_autoptr(GError) json_error = NULL;
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  JsonNode *root;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error, _yard_client_answer_error (status, reason, path, bytes));
      return NULL;
    }

  if (len == 0)
    return json_node_new (JSON_NODE_NULL);

  /* The server's own rule on what it reads: a hostile server must not crash the app. */
  if ((root = yard_json_parse (data, len, YARD_JSON_MAX_DEPTH, &json_error)) == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server's answer cannot be read (%s): is %s a Bootyard server?",
                   json_error->message, path);
      return NULL;
    }
  return root;
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *node;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, _yard_client_transport_error (g_task_get_source_object (task),
                                                               error));
      return;
    }

  node = parse_response (msg, bytes, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* Every request goes through here; source_tag tells which typed _finish may take the result. */
static void
start_request (YardClient          *self,
               const char          *method,
               const char          *path,
               JsonNode            *body,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  msg = _yard_client_new_message (self, method, path, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_done_cb, g_steal_pointer (&task));
}

void
yard_client_request_async (YardClient          *self,
                           const char          *method,
                           const char          *path,
                           JsonNode            *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  start_request (self, method, path, body, yard_client_request_async, cancellable, callback,
                 user_data);
}

JsonNode *
yard_client_request_finish (YardClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} SyncData;

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
  g_main_loop_quit (data->loop);
}

/* For scripts and tests: runs the request on a private main context. */
JsonNode *
yard_client_request_sync (YardClient    *self,
                          const char    *method,
                          const char    *path,
                          JsonNode      *body,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncData data = { NULL, NULL };
  JsonNode *node;

  g_return_val_if_fail (YARD_IS_CLIENT (self), NULL);

  g_main_context_push_thread_default (context);
  data.loop = g_main_loop_new (context, FALSE);
  yard_client_request_async (self, method, path, body, cancellable, sync_done_cb, &data);
  g_main_loop_run (data.loop);
  node = yard_client_request_finish (self, data.result, error);
  g_main_loop_unref (data.loop);
  g_object_unref (data.result);
  g_main_context_pop_thread_default (context);
  return node;
}

/* The typed calls: one request each, and a _finish that checks the answer's shape. */

static JsonNode *
propagate_node (YardClient    *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonObject *
finish_object (YardClient    *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_autoptr(JsonNode) node = propagate_node (self, result, source_tag, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server answered something other than a JSON object: "
                   "is %s a Bootyard server of this version?", self->base_url);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* GET /hosts answers {"hosts": [...]}, GET /images {"images": [...]}. */
static JsonArray *
finish_array (YardClient    *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              const char    *member,
              GError       **error)
{
  g_autoptr(JsonNode) node = propagate_node (self, result, source_tag, error);
  JsonNode *array = NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    array = json_object_get_member (json_node_get_object (node), member);
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server's answer has no “%s” list: "
                   "is %s a Bootyard server of this version?", member, self->base_url);
      return NULL;
    }
  return json_array_ref (json_node_get_array (array));
}

/* The menu object: core reads the model; the loader settings beside it are strings. */
static YardBootMenu *
finish_menu (YardClient    *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             char         **loader,
             char         **uefi_loader,
             GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, source_tag, error);
  YardBootMenu *menu;

  if (object == NULL)
    return NULL;
  menu = yard_boot_menu_decode_json (object, error);
  if (menu == NULL)
    return NULL;
  if (loader != NULL)
    *loader = g_strdup (json_object_get_string_member_with_default (object, "loader", NULL));
  if (uefi_loader != NULL)
    *uefi_loader = g_strdup (json_object_get_string_member_with_default (object, "uefiLoader",
                                                                          NULL));
  return menu;
}

/* The entry as core reads it; answer (may be NULL) gets the object as the server sent it. */
static YardBootEntry *
finish_entry (YardClient    *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              JsonObject   **answer,
              GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, source_tag, error);
  YardBootEntry *entry;

  if (object == NULL || (entry = yard_boot_entry_decode_json (object, error)) == NULL)
    return NULL;
  if (answer != NULL)
    *answer = g_steal_pointer (&object);
  return entry;
}

/* A host the server wrote that core does not read back is the server's fault, not the user's. */
static YardHost *
decode_host (YardClient  *self,
             JsonObject  *object,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  YardHost *host = yard_host_new_from_json (object, &local_error);

  if (host == NULL)
    g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                 "The server sent a host that does not read (%s): is %s a Bootyard server of "
                 "this version?", local_error->message, self->base_url);
  return host;
}

static YardHost *
finish_host (YardClient    *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, source_tag, error);

  return object != NULL ? decode_host (self, object, error) : NULL;
}

static gboolean
finish_boolean (YardClient    *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_autoptr(JsonNode) node = propagate_node (self, result, source_tag, error);

  return node != NULL;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return node;
}

/* prefix + the escaped segment + suffix */
static char *
path_with_segment (const char *prefix,
                   const char *segment,
                   const char *suffix)
{
  g_autofree char *escaped = _yard_client_escape_segment (segment);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* Every answer that is the status (GET /status, POST /services/...) reads with core's codec. */
static YardServerStatus *
finish_status (YardClient    *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, source_tag, error);

  if (object == NULL)
    return NULL;
  return yard_server_status_new_from_json (object, error);
}

void
yard_client_get_status_async (YardClient          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "GET", "/status", NULL, yard_client_get_status_async, cancellable,
                 callback, user_data);
}

YardServerStatus *
yard_client_get_status_finish (YardClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_status (self, result, yard_client_get_status_async, error);
}

void
yard_client_start_services_async (YardClient          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "POST", "/services/start", NULL, yard_client_start_services_async,
                 cancellable, callback, user_data);
}

YardServerStatus *
yard_client_start_services_finish (YardClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_status (self, result, yard_client_start_services_async, error);
}

void
yard_client_stop_services_async (YardClient          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "POST", "/services/stop", NULL, yard_client_stop_services_async,
                 cancellable, callback, user_data);
}

YardServerStatus *
yard_client_stop_services_finish (YardClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_status (self, result, yard_client_stop_services_async, error);
}

void
yard_client_get_menu_async (YardClient          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "GET", "/menu", NULL, yard_client_get_menu_async, cancellable,
                 callback, user_data);
}

YardBootMenu *
yard_client_get_menu_finish (YardClient    *self,
                             GAsyncResult  *result,
                             char         **loader,
                             char         **uefi_loader,
                             GError       **error)
{
  return finish_menu (self, result, yard_client_get_menu_async, loader, uefi_loader, error);
}

void
yard_client_update_menu_async (YardClient          *self,
                               JsonObject          *changes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (changes != NULL);

  body = object_node (changes);
  start_request (self, "PATCH", "/menu", body, yard_client_update_menu_async, cancellable,
                 callback, user_data);
}

YardBootMenu *
yard_client_update_menu_finish (YardClient    *self,
                                GAsyncResult  *result,
                                char         **loader,
                                char         **uefi_loader,
                                GError       **error)
{
  return finish_menu (self, result, yard_client_update_menu_async, loader, uefi_loader, error);
}

void
yard_client_replace_menu_async (YardClient          *self,
                                JsonObject          *menu,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (menu != NULL);

  body = object_node (menu);
  start_request (self, "PUT", "/menu", body, yard_client_replace_menu_async, cancellable,
                 callback, user_data);
}

YardBootMenu *
yard_client_replace_menu_finish (YardClient    *self,
                                 GAsyncResult  *result,
                                 char         **loader,
                                 char         **uefi_loader,
                                 GError       **error)
{
  return finish_menu (self, result, yard_client_replace_menu_async, loader, uefi_loader, error);
}

void
yard_client_add_menu_entry_async (YardClient          *self,
                                  YardBootEntry       *entry,
                                  int                  position,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (YARD_IS_BOOT_ENTRY (entry));

  /* encoded by core, as the server reads it (yard_boot_entry_new_from_json) */
  body = yard_boot_entry_to_json (entry);
  if (yard_boot_entry_get_id (entry) == NULL)
    json_object_remove_member (json_node_get_object (body), "id");
  if (position >= 0)
    json_object_set_int_member (json_node_get_object (body), "position", position);
  start_request (self, "POST", "/menu/entries", body, yard_client_add_menu_entry_async,
                 cancellable, callback, user_data);
}

YardBootEntry *
yard_client_add_menu_entry_finish (YardClient    *self,
                                   GAsyncResult  *result,
                                   JsonObject   **answer,
                                   GError       **error)
{
  return finish_entry (self, result, yard_client_add_menu_entry_async, answer, error);
}

void
yard_client_update_menu_entry_async (YardClient          *self,
                                     const char          *id,
                                     JsonObject          *changes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && changes != NULL);

  body = object_node (changes);
  path = path_with_segment ("/menu/entries/", id, NULL);
  start_request (self, "PATCH", path, body, yard_client_update_menu_entry_async, cancellable,
                 callback, user_data);
}

YardBootEntry *
yard_client_update_menu_entry_finish (YardClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_entry (self, result, yard_client_update_menu_entry_async, NULL, error);
}

void
yard_client_remove_menu_entry_async (YardClient          *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = path_with_segment ("/menu/entries/", id, NULL);
  start_request (self, "DELETE", path, NULL, yard_client_remove_menu_entry_async, cancellable,
                 callback, user_data);
}

gboolean
yard_client_remove_menu_entry_finish (YardClient    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, yard_client_remove_menu_entry_async, error);
}

void
yard_client_move_menu_entry_async (YardClient          *self,
                                   const char          *id,
                                   guint                position,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  json_object_set_int_member (obj, "position", position);
  body = object_node (obj);
  path = path_with_segment ("/menu/entries/", id, "/move");
  start_request (self, "POST", path, body, yard_client_move_menu_entry_async, cancellable,
                 callback, user_data);
}

YardBootMenu *
yard_client_move_menu_entry_finish (YardClient    *self,
                                    GAsyncResult  *result,
                                    char         **loader,
                                    char         **uefi_loader,
                                    GError       **error)
{
  return finish_menu (self, result, yard_client_move_menu_entry_async, loader, uefi_loader, error);
}

void
yard_client_list_hosts_async (YardClient          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "GET", "/hosts", NULL, yard_client_list_hosts_async, cancellable,
                 callback, user_data);
}

GPtrArray *
yard_client_list_hosts_finish (YardClient    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autoptr(JsonArray) array = finish_array (self, result, yard_client_list_hosts_async, "hosts",
                                             error);
  g_autoptr(GPtrArray) hosts = NULL;

  if (array == NULL)
    return NULL;
  hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) yard_host_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      YardHost *host;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "Host %u of the server's list is not an object: is %s a Bootyard server "
                       "of this version?", i, self->base_url);
          return NULL;
        }
      if ((host = decode_host (self, json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (hosts, host);
    }
  return g_steal_pointer (&hosts);
}

/* A request about one host: /hosts/MAC, with suffix ("/wake") and a JSON object body (NULL:
 * none). */
static void
start_host_request (YardClient          *self,
                    const char          *method,
                    const char          *mac,
                    const char          *suffix,
                    JsonObject          *object,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autofree char *path = path_with_segment ("/hosts/", mac, suffix);
  g_autoptr(JsonNode) body = NULL;

  if (object != NULL)
    body = object_node (object);
  start_request (self, method, path, body, source_tag, cancellable, callback, user_data);
}

void
yard_client_get_host_async (YardClient          *self,
                            const char          *mac,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (mac != NULL);
  start_host_request (self, "GET", mac, NULL, NULL, yard_client_get_host_async, cancellable,
                      callback, user_data);
}

YardHost *
yard_client_get_host_finish (YardClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_host (self, result, yard_client_get_host_async, error);
}

void
yard_client_put_host_async (YardClient          *self,
                            const char          *mac,
                            JsonObject          *host,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (mac != NULL && host != NULL);
  start_host_request (self, "PUT", mac, NULL, host, yard_client_put_host_async, cancellable,
                      callback, user_data);
}

YardHost *
yard_client_put_host_finish (YardClient    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_host (self, result, yard_client_put_host_async, error);
}

void
yard_client_delete_host_async (YardClient          *self,
                               const char          *mac,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (mac != NULL);
  start_host_request (self, "DELETE", mac, NULL, NULL, yard_client_delete_host_async,
                      cancellable, callback, user_data);
}

gboolean
yard_client_delete_host_finish (YardClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_boolean (self, result, yard_client_delete_host_async, error);
}

void
yard_client_wake_host_async (YardClient          *self,
                             const char          *mac,
                             JsonObject          *policy,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (mac != NULL);
  /* an empty policy is none: the packet alone */
  start_host_request (self, "POST", mac, "/wake",
                      policy != NULL && json_object_get_size (policy) > 0 ? policy : NULL,
                      yard_client_wake_host_async, cancellable, callback, user_data);
}

gboolean
yard_client_wake_host_finish (YardClient    *self,
                              GAsyncResult  *result,
                              YardHost     **host,
                              GError       **error)
{
  g_autoptr(JsonNode) node = propagate_node (self, result, yard_client_wake_host_async, error);

  if (node == NULL)
    return FALSE;
  /* 204 without a policy; the host as it now is with one */
  if (host != NULL)
    {
      *host = NULL;
      if (JSON_NODE_HOLDS_OBJECT (node) &&
          (*host = decode_host (self, json_node_get_object (node), error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

void
yard_client_list_images_async (YardClient          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "GET", "/images", NULL, yard_client_list_images_async, cancellable,
                 callback, user_data);
}

GPtrArray *
yard_client_list_images_finish (YardClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_autoptr(JsonArray) array = finish_array (self, result, yard_client_list_images_async,
                                             "images", error);
  g_autoptr(GPtrArray) images = NULL;

  if (array == NULL)
    return NULL;
  images = g_ptr_array_new_with_free_func ((GDestroyNotify) yard_image_file_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      YardImageFile *file;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "Image %u of the server's list is not an object: is %s a Bootyard "
                       "server of this version?", i, self->base_url);
          return NULL;
        }
      if ((file = yard_image_file_new_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (images, file);
    }
  return g_steal_pointer (&images);
}

void
yard_client_get_image_async (YardClient          *self,
                             const char          *name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  path = path_with_segment ("/images/", name, NULL);
  start_request (self, "GET", path, NULL, yard_client_get_image_async, cancellable, callback,
                 user_data);
}

/* An image with its inspection (PUT and GET /images/NAME): core's reader, as for the list. */
static YardImageFile *
decode_image (YardClient  *self,
              JsonObject  *object,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  YardImageFile *file = yard_image_file_new_from_json (object, &local_error);

  if (file == NULL)
    g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "%s (from %s)", local_error->message,
                 self->base_url);
  return file;
}

YardImageFile *
yard_client_get_image_finish (YardClient    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, yard_client_get_image_async,
                                                error);

  return object != NULL ? decode_image (self, object, error) : NULL;
}

void
yard_client_delete_image_async (YardClient          *self,
                                const char          *name,
                                gboolean             remove_entries,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  path = path_with_segment ("/images/", name, remove_entries ? "?entries=true" : NULL);
  start_request (self, "DELETE", path, NULL, yard_client_delete_image_async, cancellable,
                 callback, user_data);
}

gboolean
yard_client_delete_image_finish (YardClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, yard_client_delete_image_async, error);
}

void
yard_client_upload_image_async (YardClient             *self,
                                GFile                  *file,
                                const char             *name,
                                YardClientUploadFlags   flags,
                                YardClientProgressFunc  progress,
                                gpointer                progress_data,
                                GDestroyNotify          progress_notify,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yard_client_upload_image_async);
  if (name == NULL)
    name = basename = g_file_get_basename (file);
  path = path_with_segment ("/images/", name,
                            (flags & YARD_CLIENT_UPLOAD_REPLACE) ? "?replace=true" : NULL);
  /* yard-upload.c: the body goes out from a worker thread, not through libsoup */
  _yard_client_upload (self, file, path, progress, progress_data, progress_notify,
                       g_steal_pointer (&task));
}

/* Streams file to PUT /files/{path}, as yard_client_upload_image_async () does to /images/:
 * the answer is {"path": "files/PATH", "size"}, path being what menu entries name. */
void
yard_client_upload_file_async (YardClient             *self,
                               GFile                  *file,
                               const char             *path,
                               YardClientUploadFlags   flags,
                               YardClientProgressFunc  progress,
                               gpointer                progress_data,
                               GDestroyNotify          progress_notify,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) segments = NULL;
  g_autoptr(GString) api_path = g_string_new ("/files");

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yard_client_upload_file_async);
  /* Each folder escaped on its own: the slashes between them stay slashes. */
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *segment = _yard_client_escape_segment (segments[i]);

      g_string_append_printf (api_path, "/%s", segment);
    }
  if (flags & YARD_CLIENT_UPLOAD_REPLACE)
    g_string_append (api_path, "?replace=true");
  _yard_client_upload (self, file, api_path->str, progress, progress_data, progress_notify,
                       g_steal_pointer (&task));
}

char *
yard_client_upload_file_finish (YardClient    *self,
                                GAsyncResult  *result,
                                goffset       *size,
                                GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  const char *path;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yard_client_upload_file_async,
                        NULL);
  if ((object = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  if ((path = yard_json_get_string (object, "path")) == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server's answer to the copy has no “path”: is %s a Bootyard server of "
                   "this version?", self->base_url);
      return NULL;
    }
  if (size != NULL)
    *size = yard_json_get_int (object, "size", -1);
  return g_strdup (path);
}

YardImageFile *
yard_client_upload_image_finish (YardClient    *self,
                                 GAsyncResult  *result,
                                 JsonObject   **answer,
                                 GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  YardImageFile *file;

  if (answer != NULL)
    *answer = NULL;
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yard_client_upload_image_async,
                        NULL);
  object = g_task_propagate_pointer (G_TASK (result), error);
  if (object == NULL || (file = decode_image (self, object, error)) == NULL)
    return NULL;
  if (answer != NULL)
    *answer = g_steal_pointer (&object);
  return file;
}

/* The doctor and the activity: core's types, read with core's codecs. */

/* A list of objects each read by decode (a GObject each), as an array that frees them. */
static GPtrArray *
decode_objects (YardClient  *self,
                JsonArray   *array,
                const char  *what,
                GObject   *(*decode) (JsonObject *object, GError **error),
                GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      GObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "Item %u of the server's “%s” is not an object: is %s a Bootyard server "
                       "of this version?", i, what, self->base_url);
          return NULL;
        }
      if ((object = decode (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (out, object);
    }
  return g_steal_pointer (&out);
}

void
yard_client_get_activity_async (YardClient          *self,
                                const char          *mac,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));

  path = mac != NULL ? path_with_segment ("/activity/", mac, NULL) : g_strdup ("/activity");
  start_request (self, "GET", path, NULL, yard_client_get_activity_async, cancellable, callback,
                 user_data);
}

GPtrArray *
yard_client_get_activity_finish (YardClient    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonArray) boots = finish_array (self, result, yard_client_get_activity_async,
                                             "boots", error);

  if (boots == NULL)
    return NULL;
  return decode_objects (self, boots, "boots",
                         (GObject *(*) (JsonObject *, GError **)) yard_boot_record_new_from_json,
                         error);
}

void
yard_client_get_doctor_async (YardClient          *self,
                              const char          *mac,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (YARD_IS_CLIENT (self));

  path = mac != NULL ? path_with_segment ("/doctor/", mac, NULL) : g_strdup ("/doctor");
  start_request (self, "GET", path, NULL, yard_client_get_doctor_async, cancellable, callback,
                 user_data);
}

GPtrArray *
yard_client_get_doctor_finish (YardClient         *self,
                               GAsyncResult       *result,
                               YardNetworkReport **network,
                               GError            **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, yard_client_get_doctor_async,
                                                error);
  g_autoptr(GPtrArray) verdicts = NULL;
  JsonNode *member;

  if (network != NULL)
    *network = NULL;
  if (object == NULL)
    return NULL;
  member = json_object_get_member (object, "verdicts");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server's answer has no “verdicts” list: "
                   "is %s a Bootyard server of this version?", self->base_url);
      return NULL;
    }
  verdicts = decode_objects (self, json_node_get_array (member), "verdicts",
                             (GObject *(*) (JsonObject *, GError **)) yard_boot_verdict_new_from_json,
                             error);
  if (verdicts == NULL)
    return NULL;
  member = json_object_get_member (object, "network");
  if (network != NULL && member != NULL && JSON_NODE_HOLDS_OBJECT (member) &&
      (*network = yard_network_report_new_from_json (json_node_get_object (member),
                                                     error)) == NULL)
    return NULL;
  return g_steal_pointer (&verdicts);
}

void
yard_client_probe_network_async (YardClient          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (YARD_IS_CLIENT (self));
  start_request (self, "POST", "/doctor/network", NULL, yard_client_probe_network_async,
                 cancellable, callback, user_data);
}

YardNetworkReport *
yard_client_probe_network_finish (YardClient    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, yard_client_probe_network_async,
                                                error);

  return object != NULL ? yard_network_report_new_from_json (object, error) : NULL;
}
