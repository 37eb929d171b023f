/* yard-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app and bootyardctl manage a server, local or remote, only through this: a base URL and a
 * bearer token. Errors from the server ({"error": ..., "field": ...}) become GErrors whose
 * message is the server's own, so both front ends show the same words.
 */

#define G_LOG_DOMAIN "yard-client"

#include "config.h"

#include <libsoup/soup.h>

#include "yard-client.h"
#include "yard-error.h"
#include "yard-paths.h"

struct _YardClient
{
  GObject      parent_instance;
  SoupSession *session;
  char        *base_url; /* without a trailing slash */
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
                                                 "timeout", 30, NULL);
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

  url = base_url ? g_strdup (base_url)
                 : g_strdup_printf ("http://127.0.0.1:%d", YARD_DEFAULT_HTTP_PORT);

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
      g_file_get_contents (candidates[i], &contents, NULL, &local_error);
    }

  if (contents == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED,
                   "Cannot read the API token (%s). Give the server's token file with "
                   "--token-file; a server writes it to STATE-DIR/%s on its first start",
                   local_error->message, YARD_API_TOKEN_FILE);
      return NULL;
    }

  return yard_client_new (url, g_strstrip (contents));
}

const char *
yard_client_get_base_url (YardClient *self)
{
  g_return_val_if_fail (YARD_IS_CLIENT (self), NULL);
  return self->base_url;
}

static SoupMessage *
build_message (YardClient  *self,
               const char  *method,
               const char  *path,
               JsonNode    *body,
               GError     **error)
{
  g_autofree char *uri = g_strconcat (self->base_url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

  if (msg == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid server URL", self->base_url);
      return NULL;
    }

  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }

  if (body != NULL)
    {
      gsize len;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      len = strlen (text);
      bytes = g_bytes_new_take (text, len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return g_steal_pointer (&msg);
}

static JsonNode *
parse_response (SoupMessage  *msg,
                GBytes       *bytes,
                GError      **error)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  JsonNode *root = NULL;

  if (len > 0 && json_parser_load_from_data (parser, data, len, NULL))
    root = json_parser_get_root (parser);

  if (status >= 200 && status < 300)
    return root ? json_node_copy (root) : json_node_new (JSON_NODE_NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      const char *message = json_object_get_string_member_with_default (obj, "error", NULL);
      const char *field = json_object_get_string_member_with_default (obj, "field", NULL);
      int code = status == 401 ? YARD_ERROR_UNAUTHORIZED
               : status == 404 ? YARD_ERROR_NOT_FOUND
               : status == 400 ? YARD_ERROR_INVALID_ARGUMENT
               : status == 409 ? YARD_ERROR_EXISTS
               : YARD_ERROR_FAILED;

      if (message != NULL && field != NULL)
        g_set_error (error, YARD_ERROR, code, "%s (field “%s”)", message, field);
      else if (message != NULL)
        g_set_error_literal (error, YARD_ERROR, code, message);
      else
        g_set_error (error, YARD_ERROR, code, "The server answered %u %s", status,
                     soup_message_get_reason_phrase (msg));
      return NULL;
    }

  if (status == 401)
    g_set_error (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED,
                 "The server refused the API token: check --token-file");
  else
    g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "The server answered %u %s", status,
                 soup_message_get_reason_phrase (msg));
  return NULL;
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
      YardClient *self = g_task_get_source_object (task);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_FAILED,
                                 "Cannot reach the Bootyard server at %s: %s",
                                 self->base_url, error->message);
      return;
    }

  node = parse_response (msg, bytes, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  g_return_if_fail (YARD_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yard_client_request_async);

  msg = build_message (self, method, path, body, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_done_cb, g_steal_pointer (&task));
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

/* For bootyardctl: runs the request on a private main context. */
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
