/* test-client.c: YardClient and YardEventStream against a libsoup server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real bootyard-server is driven by tests/integration/test-bootyardctl.sh; here a small
 * HTTP server in the test process answers what the real one cannot be made to do on cue:
 * events cut at awkward byte positions, a stream that ends so the client must reconnect, an
 * upload refused before its body, an upload cancelled halfway, answers and events nested
 * 100 000 deep.
 */

#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yard-boot-support.h"
#include "yard-client.h"
#include "yard-error.h"
#include "yard-event-stream.h"

#include "test-dirs.h"

#define TOKEN "test-token"

typedef struct
{
  SoupServer *server;
  char       *base_url;
  YardClient *client;

  /* upload handler */
  GChecksum  *received;       /* checksum of the body the server got */
  goffset     received_bytes; /* counted chunk by chunk */
  char       *content_length; /* the request's header */
  char       *encoding;       /* Transfer-Encoding, if any */
  gboolean    upload_handled; /* the handler ran (the whole body arrived) */
  GCancellable *cancel_after; /* cancelled once 1 MiB has arrived */

  /* events handler */
  guint       event_connections;
  char       *last_event_id;  /* Last-Event-ID of the latest connection */
  char       *files_query;    /* the query of the latest PUT /files */
} Fixture;

static gboolean
check_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (g_strcmp0 (auth, "Bearer " TOKEN) == 0)
    return TRUE;
  soup_server_message_set_status (msg, 401, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"error\": \"Wrong token: use the one in api-token\", "
                                    "\"field\": null}", strlen ("{\"error\": \"Wrong token: use the "
                                    "one in api-token\", \"field\": null}"));
  return FALSE;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

/* "[[[…]]]", depth levels */
static char *
nested_arrays (gsize depth)
{
  GString *s = g_string_sized_new (2 * depth + 1);

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* Errors: /api/v1/fail/<status>, with or without the JSON body. */
static void
fail_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *code = path + strlen ("/api/v1/fail/");

  if (!check_token (msg))
    return;
  if (g_str_equal (code, "400"))
    respond_json (msg, 400, "{\"error\": \"“mode” must be one of menu, script\", \"field\": \"mode\"}");
  else if (g_str_equal (code, "404"))
    respond_json (msg, 404, "{\"error\": \"No host 52:54:00:12:34:56\", \"field\": \"mac\"}");
  else if (g_str_equal (code, "409"))
    respond_json (msg, 409, "{\"error\": \"pxelinux.cfg/default:3: bad line\", \"field\": null}");
  else if (g_str_equal (code, "500-plain"))
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "oops", 4);
    }
  else if (g_str_equal (code, "deep") || g_str_equal (code, "deep-error"))
    {
      /* A hostile server: an answer nested 100 000 deep, as json-glib alone would recurse
       * into until the stack runs out. */
      g_autofree char *deep = nested_arrays (100000);
      g_autofree char *body = g_strdup_printf ("{\"error\": \"deep\", \"field\": %s}", deep);

      respond_json (msg, g_str_equal (code, "deep") ? 200 : 400,
                    g_str_equal (code, "deep") ? deep : body);
    }
  else if (g_str_equal (code, "not-json"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>", 6);
    }
  else
    respond_json (msg, 200, "{\"ok\": true}");
}

static void
api_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);

  if (!check_token (msg))
    return;

  if (g_str_equal (path, "/api/v1/status") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"version\": \"0.1.0\", \"servicesRunning\": false, \"services\": "
                  "{\"tftp\": {\"state\": \"failed\", \"address\": \"\", \"port\": 0, "
                  "\"lastError\": \"Port 69 is taken\", \"errorCode\": \"address-in-use\", "
                  "\"errorPort\": 69}, \"http\": {\"state\": \"stopped\", \"port\": 0}}, "
                  "\"problems\": [{\"file\": \"/x/hosts.json\", \"error\": \"broken\"}]}");
  else if (g_str_equal (path, "/api/v1/services/start") && g_str_equal (method, "POST"))
    respond_json (msg, 200, "{\"services\": {\"tftp\": {\"state\": \"sleeping\"}}}");
  else if (g_str_equal (path, "/api/v1/hosts") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"hosts\": [{\"mac\": \"52:54:00:12:34:56\", \"mode\": \"menu\"}]}");
  else if (g_str_equal (path, "/api/v1/images") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "[]"); /* wrong shape on purpose: the client must say so */
  else if (g_str_equal (path, "/api/v1/menu") && g_str_equal (method, "PUT"))
    {
      /* Echoes the menu it got, as the server answers with the menu it stored. */
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      respond_json (msg, 200, text);
    }
  else if (g_str_equal (path, "/api/v1/menu") && g_str_equal (method, "GET"))
    {
      /* a "server" that nests submenus 100 000 deep */
      GString *deep = g_string_new ("{\"title\": \"x\", \"entries\": [");
      g_autofree char *text = NULL;

      for (guint i = 0; i < 100000; i++)
        g_string_append (deep, "{\"kind\": \"submenu\", \"id\": \"s\", \"entries\": [");
      for (guint i = 0; i < 100000; i++)
        g_string_append (deep, "]}");
      g_string_append (deep, "]}");
      text = g_string_free (deep, FALSE);
      respond_json (msg, 200, text);
    }
  else if (g_str_equal (path, "/api/v1/activity") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"boots\": [{\"id\": 2, \"mac\": \"52:54:00:12:34:56\", "
                  "\"address\": \"192.0.2.7\", \"arch\": \"bios\", \"started\": \"a\", "
                  "\"updated\": \"b\", \"verdict\": {\"verdict\": \"loop\", \"ok\": false, "
                  "\"title\": \"Loop\"}, \"events\": [{\"kind\": \"transfer-finished\", "
                  "\"time\": \"c\", \"data\": {\"file\": \"pxelinux.0\"}}], "
                  "\"name\": \"lab-1\"}]}");
  else if (g_str_equal (path, "/api/v1/activity/52:54:00:00:00:01") &&
           g_str_equal (method, "GET"))
    /* a boot without its id: not a boot this client can read */
    respond_json (msg, 200, "{\"boots\": [{\"started\": \"a\", \"updated\": \"b\", "
                  "\"events\": []}]}");
  else if (g_str_equal (path, "/api/v1/doctor") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"verdicts\": [{\"mac\": null, \"address\": \"192.0.2.8\", "
                  "\"verdict\": \"no-request\", \"ok\": false, \"title\": \"T\", "
                  "\"detail\": \"D\", \"advice\": \"A\"}], \"network\": {\"interface\": "
                  "\"eth0\", \"time\": \"t\", \"responders\": [{\"address\": \"192.0.2.1\", "
                  "\"dhcp\": true, \"pxe\": true, \"self\": false}]}}");
  else if (g_str_equal (path, "/api/v1/doctor/52:54:00:12:34:56") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"verdicts\": [], \"network\": null}");
  else if (g_str_equal (path, "/api/v1/doctor/network") && g_str_equal (method, "POST"))
    respond_json (msg, 200, "{\"interface\": \"eth0\", \"time\": \"t\", \"responders\": "
                  "[{\"address\": \"192.0.2.1\", \"dhcp\": \"yes\"}]}");
  else if (g_str_equal (path, "/api/v1/hosts/52:54:00:00:00:01") && g_str_equal (method, "GET"))
    respond_json (msg, 200, "{\"mac\": \"52:54:00:00:00\", \"mode\": \"menu\"}");
  else if (g_str_equal (path, "/api/v1/hosts/52:54:00:12:34:56") && g_str_equal (method, "DELETE"))
    soup_server_message_set_status (msg, 204, NULL);
  else if (g_str_equal (path, "/api/v1/hosts/52:54:00:12:34:56/wake") &&
           g_str_equal (method, "POST"))
    {
      /* Without a body: the packet alone; with a policy: the host as it now is. */
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      if (body->length == 0)
        soup_server_message_set_status (msg, 204, NULL);
      else if (strstr (body->data, "\"scriptUrl\":\"http://10.0.0.1/x.ipxe\"") != NULL)
        respond_json (msg, 200, "{\"mac\": \"52:54:00:12:34:56\", \"mode\": \"url\", "
                      "\"scriptUrl\": \"http://10.0.0.1/x.ipxe\", \"once\": true}");
      else
        respond_json (msg, 400, "{\"error\": \"unexpected policy\", \"field\": null}");
    }
  else if (g_str_equal (path, "/api/v1/hosts/52:54:00:00:00:01/wake"))
    respond_json (msg, 409, "{\"error\": \"No interface\", \"field\": null}");
  else
    respond_json (msg, 404, "{\"error\": \"No such endpoint\", \"field\": null}");
}

/* Uploads: the body is checked as it arrives; a name "refuse" is refused before the body. */
static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     gpointer           user_data)
{
  Fixture *f = user_data;

  g_checksum_update (f->received, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  f->received_bytes += g_bytes_get_size (chunk);
  if (f->cancel_after != NULL && f->received_bytes >= 1024 * 1024)
    g_cancellable_cancel (f->cancel_after);
}

static void
upload_got_headers_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  g_free (f->content_length);
  f->content_length = g_strdup (soup_message_headers_get_one (headers, "Content-Length"));
  g_free (f->encoding);
  f->encoding = g_strdup (soup_message_headers_get_one (headers, "Transfer-Encoding"));

  /* Answering from here, before the body, is what a server does with a bad name or token
   * (bootyard-server checks the token from the head): the client must report the server's
   * answer, not a broken connection, and send no body after it. */
  if (g_str_has_prefix (path, "/api/v1/images/") && !check_token (msg))
    return;
  if (g_str_equal (path, "/api/v1/images/refuse"))
    respond_json (msg, 400, "{\"error\": \"Image names cannot contain that\", "
                  "\"field\": \"name\"}");
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (upload_got_headers_cb), user_data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), user_data);
}

static void
upload_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *answer = NULL;

  if (!check_token (msg))
    return;
  f->upload_handled = TRUE;
  answer = g_strdup_printf ("{\"name\": \"%s\", \"size\": %" G_GOFFSET_FORMAT ", "
                            "\"sha256\": \"%s\", \"inspection\": {\"bootable\": false}}",
                            path + strlen ("/api/v1/images/"), f->received_bytes,
                            g_checksum_get_string (f->received));
  respond_json (msg, 201, answer);
}

/* PUT /files/PATH: answers where it went, as bootyard-server does, and the query, for the
 * test to check. (libsoup hands over the path decoded; bootyard-server's test, with a real
 * client, sees that no "/" arrives as %2F.) */
static void
files_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *answer = NULL;

  if (!check_token (msg))
    return;
  f->upload_handled = TRUE;
  g_free (f->files_query);
  f->files_query = g_strdup (g_uri_get_query (uri));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path + strlen ("/api/v1/"));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, f->received_bytes);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  answer = json_to_string (node, FALSE);
  respond_json (msg, 201, answer);
}

/* Events: the first connection sends two events cut at awkward places, then ends; the
 * second sends one and stays open. */
typedef struct
{
  SoupServerMessage *msg;
  char             **chunks;
  guint              next;
  gboolean           end;
  Fixture           *f;
} EventFeed;

static gboolean
feed_next_chunk_cb (gpointer user_data)
{
  EventFeed *feed = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (feed->msg);

  if (feed->chunks[feed->next] != NULL)
    {
      const char *chunk = feed->chunks[feed->next++];
      soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
      soup_server_message_unpause (feed->msg);
      return G_SOURCE_CONTINUE;
    }

  if (feed->end)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (feed->msg);
    }
  return G_SOURCE_REMOVE;
}

static void
event_feed_free (gpointer data)
{
  EventFeed *feed = data;

  g_strfreev (feed->chunks);
  g_free (feed);
}

static void
events_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_source_remove_by_user_data (user_data);
}

static void
events_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *last_id;
  EventFeed *feed;

  if (!check_token (msg))
    return;

  f->event_connections++;
  last_id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                          "Last-Event-ID");
  g_free (f->last_event_id);
  g_free (f->files_query);
  f->last_event_id = g_strdup (last_id);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);

  feed = g_new0 (EventFeed, 1);
  feed->msg = msg;
  feed->f = f;
  if (f->event_connections == 1)
    {
      /* An event nested 100 000 deep, which the stream must skip without a crash. */
      g_autofree char *deep = nested_arrays (100000);
      g_autofree char *deep_event = g_strdup_printf ("event: host-seen\ndata: %s\n\n", deep);
      const char *chunks[] = {
        "event: hel", "lo\r", "\ndata: {\"version\"", ": \"0.1.0\"}\r\n", "id: 42\r\n\r\n",
        ": keep-alive\n\n", deep_event,
        "event: host-seen\ndata: {\"mac\": \"52:54:00:12:34:56\", \"label\": \"Gr\xC3", "\xB6\xC3\x9F" "e\"}\n",
        "\n", NULL
      };
      feed->chunks = g_strdupv ((char **) chunks);
      feed->end = TRUE;
    }
  else
    {
      const char *chunks[] = { "event: hello\ndata: {\"version\": \"again\"}\n\n", NULL };
      feed->chunks = g_strdupv ((char **) chunks);
      feed->end = FALSE;
    }

  soup_server_message_pause (msg);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 20, feed_next_chunk_cb, feed, event_feed_free);
  g_signal_connect (msg, "finished", G_CALLBACK (events_finished_cb), feed);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->received = g_checksum_new (G_CHECKSUM_SHA256);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/api/v1/fail", fail_handler, f, NULL);
  soup_server_add_handler (f->server, "/api/v1/images/", upload_handler, f, NULL);
  soup_server_add_handler (f->server, "/api/v1/files/", files_handler, f, NULL);
  soup_server_add_handler (f->server, "/api/v1/events", events_handler, f, NULL);
  soup_server_add_handler (f->server, "/api/v1", api_handler, f, NULL);
  g_signal_connect (f->server, "request-started", G_CALLBACK (request_started_cb), f);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->client = yard_client_new (f->base_url, TOKEN);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gint64 until;

  g_assert_finalize_object (f->client);
  /* Let the server see its connections close before it goes. */
  until = g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_checksum_free (f->received);
  g_free (f->base_url);
  g_free (f->content_length);
  g_free (f->encoding);
  g_free (f->last_event_id);
  /* Let libsoup's idle cleanups run before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static JsonNode *
request (Fixture     *f,
         const char  *method,
         const char  *path,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  yard_client_request_async (f->client, method, path, NULL, NULL, result_cb, &result);
  return yard_client_request_finish (f->client, wait_for (&result), error);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(YardClient) bad = NULL;
  g_autoptr(YardClient) nowhere = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *closed_url = NULL;

  node = request (f, "GET", "/fail/400", &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“mode” must be one of menu, script (field “mode”)");
  g_clear_error (&error);

  node = request (f, "GET", "/fail/404", &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "No host 52:54:00:12:34:56"));
  g_clear_error (&error);

  node = request (f, "GET", "/fail/409", &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==, "pxelinux.cfg/default:3: bad line");
  g_clear_error (&error);

  node = request (f, "GET", "/fail/500-plain", &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);

  node = request (f, "GET", "/fail/not-json", &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Nested too deep for json-glib: refused before it parses, by the server's own rule. */
  node = request (f, "GET", "/fail/deep", &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested more than"));
  g_clear_error (&error);
  node = request (f, "GET", "/fail/deep-error", &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "400"));
  g_clear_error (&error);

  node = request (f, "GET", "/fail/ok", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);

  /* The server's own 401 message wins over ours. */
  bad = yard_client_new (f->base_url, "wrong");
  yard_client_request_async (bad, "GET", "/fail/ok", NULL, NULL, result_cb, &result);
  node = yard_client_request_finish (bad, wait_for (&result), &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "Wrong token: use the one in api-token");
  g_clear_error (&error);
  g_clear_object (&result);

  /* A port nobody listens on: bind one, note it, close it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_socket_bind (socket, G_SOCKET_ADDRESS (any), FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  nowhere = yard_client_new (closed_url, TOKEN);
  yard_client_get_status_async (nowhere, NULL, result_cb, &result);
  g_assert_null (yard_client_get_status_finish (nowhere, wait_for (&result), &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, closed_url));
}

static void
test_typed (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(YardHost) bad_host = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(JsonObject) menu = NULL;
  g_autoptr(YardBootMenu) stored = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const YardHost *host;
  YardBootEntry *entry;
  const YardBootSupport *support;

  /* The status is core's YardServerStatus; a state core does not know is a protocol error. */
  {
    g_autoptr(GAsyncResult) r7 = NULL;
    g_autoptr(GAsyncResult) r8 = NULL;
    g_autoptr(YardServerStatus) status = NULL;
    g_autoptr(YardServerStatus) bad_status = NULL;
    const YardServiceStatus *tftp;

    yard_client_get_status_async (f->client, NULL, result_cb, &r7);
    status = yard_client_get_status_finish (f->client, wait_for (&r7), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (status->version, ==, "0.1.0");
    g_assert_false (status->services_running);
    g_assert_cmpuint (status->services->len, ==, 2);
    tftp = yard_server_status_find_service (status, "tftp");
    g_assert_cmpint (tftp->state, ==, YARD_SERVICE_STATE_FAILED);
    g_assert_cmpint (tftp->error_code, ==, YARD_ERROR_ADDRESS_IN_USE);
    g_assert_cmpuint (tftp->error_port, ==, 69);
    g_assert_cmpstr (tftp->last_error, ==, "Port 69 is taken");
    g_assert_cmpint (yard_server_status_find_service (status, "http")->state, ==,
                     YARD_SERVICE_STATE_STOPPED);
    g_assert_cmpuint (status->problems->len, ==, 1);

    yard_client_start_services_async (f->client, NULL, result_cb, &r8);
    bad_status = yard_client_start_services_finish (f->client, wait_for (&r8), &error);
    g_assert_null (bad_status);
    g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
    g_assert_nonnull (strstr (error->message, "services.tftp.state"));
    g_clear_error (&error);
  }

  /* Hosts are core's YardHost, read by core's reader of what the server wrote. */
  yard_client_list_hosts_async (f->client, NULL, result_cb, &r1);
  hosts = yard_client_list_hosts_finish (f->client, wait_for (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hosts->len, ==, 1);
  host = g_ptr_array_index (hosts, 0);
  g_assert_cmpstr (host->mac, ==, "52:54:00:12:34:56");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_MENU);

  /* Nesting a hostile server chooses is bounded before anything recurses into it. */
  {
    g_autoptr(GAsyncResult) r6 = NULL;
    g_autoptr(YardBootMenu) deep = NULL;

    yard_client_get_menu_async (f->client, NULL, result_cb, &r6);
    deep = yard_client_get_menu_finish (f->client, wait_for (&r6), NULL, NULL, &error);
    g_assert_null (deep);
    g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
    g_clear_error (&error);
  }

  /* A host core does not take is the server's fault: a protocol error. */
  yard_client_get_host_async (f->client, "52:54:00:00:00:01", NULL, result_cb, &r5);
  bad_host = yard_client_get_host_finish (f->client, wait_for (&r5), &error);
  g_assert_null (bad_host);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* An answer of the wrong shape is an error, not a crash or an empty list. */
  yard_client_list_images_async (f->client, NULL, result_cb, &r2);
  images = yard_client_list_images_finish (f->client, wait_for (&r2), &error);
  g_assert_null (images);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* PUT /menu sends the whole menu as JSON; the answer (echoed here) is a YardBootMenu with
   * what only the server writes: read-only entries, submenus, support, the loaders. */
  json_parser_load_from_data (parser,
    "{\"title\": \"Lab\", \"timeout\": 7, \"default\": \"dos\", \"serial\": null,"
    " \"loader\": \"ipxe\", \"uefiLoader\": \"grub\", \"entries\": ["
    "  {\"id\": \"dos\", \"kind\": \"memdisk\", \"label\": \"DOS\", \"hidden\": false,"
    "   \"help\": null, \"readOnly\": false, \"image\": \"images/dos.img\","
    "   \"imageType\": \"floppy\", \"raw\": true, \"kernel\": \"memdisk\", \"append\": \"\","
    "   \"support\": {\"arch\": null, \"secureBoot\": false,"
    "     \"secureBootReason\": \"memdisk is not signed\","
    "     \"loaders\": {\"pxelinux\": null, \"syslinux\": \"memdisk is a BIOS program\","
    "       \"grub\": \"memdisk is a BIOS program\", \"ipxe\": null},"
    "     \"firmware\": {\"bios\": null, \"uefi\": \"memdisk is a BIOS program\"},"
    "     \"memoryNeeded\": 1475584, \"missing\": [\"images/dos.img\"]}},"
    "  {\"id\": \"tools\", \"kind\": \"submenu\", \"label\": \"Tools\", \"hidden\": false,"
    "   \"help\": null, \"readOnly\": true, \"entries\": ["
    "     {\"id\": \"local\", \"kind\": \"localboot\", \"label\": \"Disk\","
    "      \"hidden\": false, \"help\": null, \"readOnly\": true}]},"
    "  {\"id\": \"odd\", \"kind\": \"other\", \"label\": \"Odd\", \"hidden\": false,"
    "   \"help\": null, \"readOnly\": true, \"directives\": \"  FOO bar\\n\"}]}",
    -1, &error);
  g_assert_no_error (error);
  menu = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  yard_client_replace_menu_async (f->client, menu, NULL, result_cb, &r3);
  stored = yard_client_replace_menu_finish (f->client, wait_for (&r3), &loader, &uefi_loader,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yard_boot_menu_get_title (stored), ==, "Lab");
  g_assert_cmpuint (yard_boot_menu_get_timeout (stored), ==, 7);
  g_assert_cmpstr (yard_boot_menu_get_default_id (stored), ==, "dos");
  g_assert_cmpstr (loader, ==, "ipxe");
  g_assert_cmpstr (uefi_loader, ==, "grub");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stored)), ==, 3);
  entry = yard_boot_menu_get_entry (stored, 0);
  g_assert_cmpint (yard_boot_entry_get_image_type (entry), ==, YARD_MEMDISK_FLOPPY);
  support = yard_boot_entry_get_support (entry);
  g_assert_nonnull (support);
  g_assert_false (support->secure_boot);
  g_assert_cmpstr (support->secure_boot_reason, ==, "memdisk is not signed");
  g_assert_null (support->loaders[YARD_LOADER_PXELINUX]);
  g_assert_cmpstr (support->loaders[YARD_LOADER_GRUB], ==, "memdisk is a BIOS program");
  g_assert_cmpstr (support->firmware_uefi, ==, "memdisk is a BIOS program");
  g_assert_cmpuint (support->memory_needed, ==, 1475584);
  g_assert_cmpstr (support->missing[0], ==, "images/dos.img");
  entry = yard_boot_menu_get_entry (stored, 1);
  g_assert_true (yard_boot_entry_get_read_only (entry));
  g_assert_cmpuint (yard_boot_menu_get_n_entries (yard_boot_entry_get_submenu (entry)), ==, 1);
  g_assert_nonnull (yard_boot_menu_find_entry (stored, "local"));
  entry = yard_boot_menu_get_entry (stored, 2);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_OTHER);
  g_assert_cmpstr (yard_boot_entry_get_directives (entry), ==, "  FOO bar\n");

  /* 204 is success with no body. */
  yard_client_delete_host_async (f->client, "52:54:00:12:34:56", NULL, result_cb, &r4);
  g_assert_true (yard_client_delete_host_finish (f->client, wait_for (&r4), &error));
  g_assert_no_error (error);

  /* Wake: 204 without a policy (and no host); the host with one; 409 is the interface. */
  {
    g_autoptr(GAsyncResult) w1 = NULL;
    g_autoptr(GAsyncResult) w2 = NULL;
    g_autoptr(GAsyncResult) w3 = NULL;
    g_autoptr(JsonObject) empty = json_object_new ();
    g_autoptr(JsonObject) policy = json_object_new ();
    g_autoptr(YardHost) woken = NULL;

    yard_client_wake_host_async (f->client, "52:54:00:12:34:56", empty, NULL, result_cb, &w1);
    g_assert_true (yard_client_wake_host_finish (f->client, wait_for (&w1), &woken, &error));
    g_assert_no_error (error);
    g_assert_null (woken);

    json_object_set_string_member (policy, "mode", "url");
    json_object_set_string_member (policy, "scriptUrl", "http://10.0.0.1/x.ipxe");
    yard_client_wake_host_async (f->client, "52:54:00:12:34:56", policy, NULL, result_cb, &w2);
    g_assert_true (yard_client_wake_host_finish (f->client, wait_for (&w2), &woken, &error));
    g_assert_no_error (error);
    g_assert_nonnull (woken);
    g_assert_cmpint (woken->mode, ==, YARD_HOST_MODE_URL);
    g_assert_true (woken->once);

    yard_client_wake_host_async (f->client, "52:54:00:00:00:01", NULL, NULL, result_cb, &w3);
    g_assert_false (yard_client_wake_host_finish (f->client, wait_for (&w3), NULL, &error));
    g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
    g_clear_error (&error);
  }
}

/* What goes on the wire, read by a bare socket: libsoup's server would decode the path. */
typedef struct
{
  GSocket *listener;
  char    *request; /* head and body as received */
} RawServer;

static gpointer
raw_server_thread (gpointer data)
{
  RawServer *raw = data;
  g_autoptr(GSocket) conn = g_socket_accept (raw->listener, NULL, NULL);
  GString *in = g_string_new (NULL);
  const char *answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
  char buf[4096];

  g_assert_nonnull (conn);
  for (;;)
    {
      const char *head_end;
      gssize n;

      head_end = strstr (in->str, "\r\n\r\n");
      if (head_end != NULL)
        {
          const char *cl = strstr (in->str, "Content-Length: ");
          gsize want = cl ? (gsize) g_ascii_strtoull (cl + 16, NULL, 10) : 0;
          if (in->len >= (gsize) (head_end + 4 - in->str) + want)
            break;
        }
      n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (in, buf, n);
    }
  g_socket_send (conn, answer, strlen (answer), NULL, NULL);
  g_socket_close (conn, NULL);
  raw->request = g_string_free (in, FALSE);
  return NULL;
}

static char *
raw_server_start (RawServer *raw,
                  GThread  **thread)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  raw->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  g_socket_bind (raw->listener, G_SOCKET_ADDRESS (any), TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (raw->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (raw->listener, &error);
  g_assert_no_error (error);

  *thread = g_thread_new ("raw-server", raw_server_thread, raw);
  return g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* The doctor's answers and the activity are core's types; what core does not read is a
 * protocol error naming the member. */
static void
test_doctor (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  g_autoptr(GPtrArray) boots = NULL;
  g_autoptr(GPtrArray) bad_boots = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(YardNetworkReport) network = NULL;
  g_autoptr(YardNetworkReport) no_network = NULL;
  g_autoptr(YardNetworkReport) probed = NULL;
  YardBootRecord *boot;
  YardBootVerdict *verdict;

  yard_client_get_activity_async (f->client, NULL, NULL, result_cb, &r1);
  boots = yard_client_get_activity_finish (f->client, wait_for (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boots->len, ==, 1);
  boot = g_ptr_array_index (boots, 0);
  g_assert_cmpint (yard_boot_record_get_id (boot), ==, 2);
  g_assert_cmpstr (yard_boot_record_get_name (boot), ==, "lab-1");
  g_assert_cmpint (yard_boot_verdict_get_verdict (yard_boot_record_get_verdict (boot)), ==,
                   YARD_VERDICT_LOOP);
  g_assert_cmpstr (yard_boot_event_get_file (g_ptr_array_index (yard_boot_record_get_events (boot),
                                                                0)), ==, "pxelinux.0");

  yard_client_get_activity_async (f->client, "52:54:00:00:00:01", NULL, result_cb, &r2);
  bad_boots = yard_client_get_activity_finish (f->client, wait_for (&r2), &error);
  g_assert_null (bad_boots);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "“id”"));
  g_clear_error (&error);

  yard_client_get_doctor_async (f->client, NULL, NULL, result_cb, &r3);
  verdicts = yard_client_get_doctor_finish (f->client, wait_for (&r3), &network, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 1);
  verdict = g_ptr_array_index (verdicts, 0);
  g_assert_null (yard_boot_verdict_get_mac (verdict));
  g_assert_cmpstr (yard_boot_verdict_get_advice (verdict), ==, "A");
  g_assert_nonnull (network);
  g_assert_cmpuint (yard_network_report_count_other_servers (network), ==, 1);

  yard_client_get_doctor_async (f->client, "52:54:00:12:34:56", NULL, result_cb, &r4);
  none = yard_client_get_doctor_finish (f->client, wait_for (&r4), &no_network, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_null (no_network);

  yard_client_probe_network_async (f->client, NULL, result_cb, &r5);
  probed = yard_client_probe_network_finish (f->client, wait_for (&r5), &error);
  g_assert_null (probed);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "“dhcp”"));
}

static void
test_wire (void)
{
  RawServer raw = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(YardClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *url = NULL;
  GThread *thread;

  url = raw_server_start (&raw, &thread);
  /* A trailing slash in the URL is dropped; a slash in an id is escaped so it can never
   * address another path; the body carries the position; the token goes as a bearer. */
  client = yard_client_new (url, "s3cret");
  yard_client_move_menu_entry_async (client, "a/b c", 3, NULL, result_cb, &result);
  menu = yard_client_move_menu_entry_finish (client, wait_for (&result), NULL, NULL, &error);
  g_thread_join (thread);

  /* "{}" is no menu: the typed answer says so rather than hand out an empty one */
  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (raw.request,
                                   "POST /api/v1/menu/entries/a%2Fb%20c/move HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (raw.request, "\r\nAuthorization: Bearer s3cret\r\n"));
  g_assert_nonnull (strstr (raw.request, "\r\nContent-Type: application/json\r\n"));
  g_assert_true (g_str_has_suffix (raw.request, "\r\n\r\n{\"position\":3}"));

  g_object_unref (raw.listener);
  g_free (raw.request);
}

/* The blocking call runs its own main context: nothing on the default one is dispatched
 * meanwhile, and it returns (the GUI tests and scripts rely on it). */
static gboolean
must_not_run_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_sync (void)
{
  RawServer raw = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(YardClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = NULL;
  gboolean ran = FALSE;
  guint id;
  GThread *thread;

  url = raw_server_start (&raw, &thread);
  client = yard_client_new (url, "t");
  id = g_idle_add (must_not_run_cb, &ran);
  node = yard_client_request_sync (client, "GET", "/status", NULL, NULL, &error);
  g_thread_join (thread);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_false (ran);
  g_assert_true (g_str_has_prefix (raw.request, "GET /api/v1/status HTTP/1.1\r\n"));
  g_source_remove (id);

  g_object_unref (raw.listener);
  g_free (raw.request);
}

typedef struct
{
  goffset last_sent;
  goffset total;
  guint   calls;
  gboolean monotonic;
  gboolean freed;
} ProgressLog;

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  if (sent < log->last_sent)
    log->monotonic = FALSE;
  log->last_sent = sent;
  log->total = total;
  log->calls++;
}

static void
progress_freed_cb (gpointer user_data)
{
  ((ProgressLog *) user_data)->freed = TRUE;
}

static GFile *
make_file (const char *name,
           gsize       size,
           char      **sha256)
{
  g_autofree char *dir = yard_test_make_dir ("client");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guchar *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  guint32 x = g_random_int () | 1;

  /* xorshift: random enough that a misplaced chunk shows in the checksum, and fast. */
  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guchar) x;
    }
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  if (sha256 != NULL)
    *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return g_file_new_for_path (path);
}

static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  gsize size = 5 * 1024 * 1024 + 3;
  g_autofree char *sha = NULL;
  g_autoptr(GFile) file = make_file ("yard-test-upload.img", size, &sha);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImageFile) image = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *expected_length = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  ProgressLog log = { 0, 0, 0, TRUE, FALSE };

  yard_client_upload_image_async (f->client, file, "debian.iso", YARD_CLIENT_UPLOAD_NONE, progress_cb, &log,
                                  progress_freed_cb, NULL, result_cb, &result);
  image = yard_client_upload_image_finish (f->client, wait_for (&result), &answer, &error);
  g_assert_no_error (error);

  /* The server got every byte, with a Content-Length (so it can refuse a file too large for
   * its disk at once) rather than chunked; core read its answer, which comes as sent too. */
  g_assert_cmpstr (image->name, ==, "debian.iso");
  g_assert_cmpint (image->size, ==, size);
  g_assert_cmpstr (json_object_get_string_member (answer, "sha256"), ==, sha);
  g_assert_cmpstr (f->content_length, ==, expected_length);
  g_assert_null (f->encoding);

  /* Progress went up to the end in several steps, and its data was freed. */
  g_assert_true (log.monotonic);
  g_assert_cmpint (log.total, ==, size);
  g_assert_cmpint (log.last_sent, ==, size);
  g_assert_cmpuint (log.calls, >, 3);
  g_assert_true (log.freed);
}

/* A file for the boot root: its folders stay folders, a space in one is escaped. */
static void
test_upload_file (Fixture       *f,
                  gconstpointer  data)
{
  gsize size = 1024 * 1024 + 7;
  g_autoptr(GFile) file = make_file ("yard-test-upload-file", size, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  goffset stored = 0;

  yard_client_upload_file_async (f->client, file, "debian 12/amd64/linux",
                                 YARD_CLIENT_UPLOAD_REPLACE, NULL, NULL, NULL, NULL, result_cb,
                                 &result);
  path = yard_client_upload_file_finish (f->client, wait_for (&result), &stored, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "files/debian 12/amd64/linux");
  g_assert_cmpstr (f->files_query, ==, "replace=true");
  g_assert_cmpint (stored, ==, size);
}

static void
test_upload_wrong_token (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = make_file ("yard-test-token.img", 4 * 1024 * 1024, NULL);
  g_autoptr(YardClient) bad = yard_client_new (f->base_url, "wrong");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0, 0, 0, TRUE, FALSE };

  yard_client_upload_image_async (bad, file, NULL, YARD_CLIENT_UPLOAD_NONE, progress_cb, &log, NULL, NULL, result_cb,
                                  &result);
  g_assert_null (yard_client_upload_image_finish (bad, wait_for (&result), NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED);
  /* Refused before any of the file went out. */
  g_assert_cmpint (log.last_sent, ==, 0);
  g_assert_cmpint (f->received_bytes, ==, 0);
}

static void
test_upload_refused_early (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = make_file ("yard-test-refuse.img", 4 * 1024 * 1024, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  yard_client_upload_image_async (f->client, file, "refuse", YARD_CLIENT_UPLOAD_NONE, NULL, NULL, NULL, NULL,
                                  result_cb, &result);
  g_assert_null (yard_client_upload_image_finish (f->client, wait_for (&result), NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "Image names cannot contain that (field “name”)");
  g_assert_false (f->upload_handled);
  /* Not after the upload's I/O timeout (300 s); the bound is loose for slow CI machines. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);
}

static void
test_upload_cancel (Fixture       *f,
                    gconstpointer  data)
{
  gsize size = 64 * 1024 * 1024;
  g_autoptr(GFile) file = make_file ("yard-test-cancel.img", size, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0, 0, 0, TRUE, FALSE };

  f->cancel_after = cancellable;
  yard_client_upload_image_async (f->client, file, NULL, YARD_CLIENT_UPLOAD_NONE, progress_cb, &log, NULL, cancellable,
                                  result_cb, &result);
  g_assert_null (yard_client_upload_image_finish (f->client, wait_for (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (f->upload_handled);
  g_assert_cmpint (f->received_bytes, <, size);
  g_assert_cmpint (log.last_sent, <, size);
  f->cancel_after = NULL;
}

/* Another bare-socket server (see RawServer), for what libsoup's would hide: how many bytes of a
 * body arrived. It takes one request and answers as its UploadMode says; UPLOAD_TAKEN answers
 * from the head, as bootyard-server does for a name already there. */
typedef enum
{
  UPLOAD_ACCEPT,  /* 100 Continue, the body, 201 */
  UPLOAD_TAKEN,   /* 409 from the head */
  UPLOAD_SILENT,  /* no 100 Continue, the body, 201: a proxy that drops the 100 */
  UPLOAD_TLS,     /* only read what the client sends first */
  UPLOAD_NOT_HTTP, /* answers the head with something that is not HTTP */
} UploadMode;

typedef struct
{
  GSocket    *listener;
  char       *url;
  UploadMode  mode;
  char     *head;        /* the request head it got */
  goffset   body_bytes;  /* bytes after the head, until the client closed */
  GThread  *thread;
} UploadServer;

static gpointer
upload_server_thread (gpointer data)
{
  UploadServer *raw = data;
  g_autoptr(GSocket) conn = g_socket_accept (raw->listener, NULL, NULL);
  g_autoptr(GString) got = g_string_new (NULL);
  const char *end;
  char buf[65536];
  gssize n;

  g_assert_nonnull (conn);
  g_socket_set_timeout (conn, 20);
  if (raw->mode == UPLOAD_TLS)
    {
      /* The first bytes, then the close: no TLS handshake from this side. */
      n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL);
      raw->head = g_strndup (buf, MAX (n, 0));
      raw->body_bytes = MAX (n, 0);
      g_socket_close (conn, NULL);
      return NULL;
    }
  while ((end = strstr (got->str, "\r\n\r\n")) == NULL &&
         (n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (got, buf, n);
  g_assert_nonnull (end);
  raw->head = g_strndup (got->str, end + 4 - got->str);
  raw->body_bytes = got->len - (end + 4 - got->str);
  /* The upload itself, no request before it. */
  g_assert_true (g_str_has_prefix (raw->head, "PUT /api/v1/images/"));

  if (raw->mode == UPLOAD_NOT_HTTP)
    {
      const char *answer = "SSH-2.0-OpenSSH_9.2\r\n\r\n";

      g_socket_send (conn, answer, strlen (answer), NULL, NULL);
    }
  else if (raw->mode == UPLOAD_TAKEN)
    {
      const char *json = "{\"error\": \"There is already an image “debian.iso”: replace it\", "
                         "\"field\": \"name\", \"image\": {\"name\": \"debian.iso\"}}";
      g_autofree char *answer = g_strdup_printf ("HTTP/1.1 409 Conflict\r\nContent-Type: "
                                                 "application/json\r\nContent-Length: %zu\r\n"
                                                 "Connection: close\r\n\r\n%s",
                                                 strlen (json), json);

      g_socket_send (conn, answer, strlen (answer), NULL, NULL);
      /* Whatever the client sends from now on is a body it should not have sent. */
      while ((n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL)) > 0)
        raw->body_bytes += n;
    }
  else
    {
      const char *cont = "HTTP/1.1 100 Continue\r\n\r\n";
      const char *length = strstr (raw->head, "Content-Length: ");
      goffset want;
      g_autofree char *answer = NULL;

      g_assert_nonnull (length);
      want = g_ascii_strtoll (length + strlen ("Content-Length: "), NULL, 10);
      if (raw->mode != UPLOAD_SILENT)
        g_socket_send (conn, cont, strlen (cont), NULL, NULL);
      while (raw->body_bytes < want &&
             (n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL)) > 0)
        raw->body_bytes += n;
      answer = g_strdup_printf ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                "Connection: close\r\n\r\n{\"name\": \"debian.iso\", "
                                "\"size\": %" G_GOFFSET_FORMAT "}", raw->body_bytes);
      g_socket_send (conn, answer, strlen (answer), NULL, NULL);
    }
  g_socket_close (conn, NULL);
  return NULL;
}

static UploadServer *
upload_server_start (UploadMode mode)
{
  UploadServer *raw = g_new0 (UploadServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  raw->mode = mode;
  raw->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (raw->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (raw->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (raw->listener, &error);
  g_assert_no_error (error);
  raw->url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  raw->thread = g_thread_new ("upload-server", upload_server_thread, raw);
  return raw;
}

static void
upload_server_free (UploadServer *raw)
{
  if (raw->thread != NULL)
    g_thread_join (raw->thread);
  g_object_unref (raw->listener);
  g_free (raw->url);
  g_free (raw->head);
  g_free (raw);
}

/* A name already taken: the 409 comes from the head, and not one byte of the file follows
 * (it did, the whole file, before the client waited for 100 Continue). */
static void
test_upload_taken_before_body (void)
{
  UploadServer *raw = upload_server_start (UPLOAD_TAKEN);
  g_autoptr(YardClient) client = yard_client_new (raw->url, TOKEN);
  g_autoptr(GFile) file = make_file ("yard-test-taken.img", 8 * 1024 * 1024, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0, 0, 0, TRUE, FALSE };

  yard_client_upload_image_async (client, file, "debian.iso", YARD_CLIENT_UPLOAD_NONE,
                                  progress_cb, &log, progress_freed_cb, NULL, result_cb,
                                  &result);
  g_assert_null (yard_client_upload_image_finish (client, wait_for (&result), NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "There is already an image “debian.iso”: replace it");
  g_assert_cmpint (log.last_sent, ==, 0);
  g_assert_true (log.freed);
  g_clear_object (&client);
  g_thread_join (g_steal_pointer (&raw->thread));  /* until the client closed */
  g_assert_nonnull (strstr (raw->head, "\r\nExpect: 100-continue\r\n"));
  g_assert_cmpint (raw->body_bytes, ==, 0);
  upload_server_free (raw);
}

/* The head a server gets, and the whole body after 100 Continue, with the progress at 100 %. */
static void
test_upload_continue (void)
{
  UploadServer *raw = upload_server_start (UPLOAD_ACCEPT);
  g_autoptr(YardClient) client = yard_client_new (raw->url, TOKEN);
  gsize size = 3 * 1024 * 1024 + 17;
  g_autoptr(GFile) file = make_file ("yard-test-continue.img", size, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImageFile) image = NULL;
  g_autofree char *host = g_strdup_printf ("\r\nHost: %s\r\n", raw->url + strlen ("http://"));
  g_autofree char *expected_length = g_strdup_printf ("\r\nContent-Length: %" G_GSIZE_FORMAT
                                                      "\r\n", size);
  ProgressLog log = { 0, 0, 0, TRUE, FALSE };

  yard_client_upload_image_async (client, file, "debian 12.iso", YARD_CLIENT_UPLOAD_REPLACE,
                                  progress_cb, &log, progress_freed_cb, NULL, result_cb,
                                  &result);
  image = yard_client_upload_image_finish (client, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
  g_thread_join (g_steal_pointer (&raw->thread));

  /* One plain head with the token, the length and the expectation; the name escaped. */
  g_assert_true (g_str_has_prefix (raw->head, "PUT /api/v1/images/debian%2012.iso?replace=true "
                                              "HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (raw->head, host));
  g_assert_nonnull (strstr (raw->head, "\r\nAuthorization: Bearer " TOKEN "\r\n"));
  g_assert_nonnull (strstr (raw->head, "\r\nExpect: 100-continue\r\n"));
  g_assert_nonnull (strstr (raw->head, expected_length));
  g_assert_cmpint (raw->body_bytes, ==, size);
  upload_server_free (raw);

  /* The server got every byte, and the progress went to the end. */
  g_assert_cmpint (image->size, ==, size);
  g_assert_true (log.monotonic);
  g_assert_cmpint (log.total, ==, size);
  g_assert_cmpint (log.last_sent, ==, size);
  g_assert_cmpuint (log.calls, >=, 2);
  g_assert_true (log.freed);
}

/* A server (or a proxy) that never says 100 Continue still gets the file, after a while. */
static void
test_upload_no_continue (void)
{
  UploadServer *raw = upload_server_start (UPLOAD_SILENT);
  g_autoptr(YardClient) client = yard_client_new (raw->url, TOKEN);
  gsize size = 256 * 1024;
  g_autoptr(GFile) file = make_file ("yard-test-silent.img", size, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImageFile) image = NULL;

  yard_client_upload_image_async (client, file, NULL, YARD_CLIENT_UPLOAD_NONE, NULL, NULL, NULL,
                                  NULL, result_cb, &result);
  image = yard_client_upload_image_finish (client, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->size, ==, size);
  upload_server_free (raw);
}

/* Something that is not an HTTP server: the error says so, not that the server is down. */
static void
test_upload_not_http (void)
{
  UploadServer *raw = upload_server_start (UPLOAD_NOT_HTTP);
  g_autoptr(YardClient) client = yard_client_new (raw->url, TOKEN);
  g_autoptr(GFile) file = make_file ("yard-test-not-http.img", 4096, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  yard_client_upload_image_async (client, file, NULL, YARD_CLIENT_UPLOAD_NONE, NULL, NULL, NULL,
                                  NULL, result_cb, &result);
  g_assert_null (yard_client_upload_image_finish (client, wait_for (&result), NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "not HTTP"));
  upload_server_free (raw);
}

/* An https URL gets TLS, as libsoup gave it before uploads left it: the first bytes on the
 * wire are a TLS handshake record (22), not the PUT. */
static void
test_upload_https (void)
{
  UploadServer *raw = upload_server_start (UPLOAD_TLS);
  g_autofree char *https = g_strconcat ("https://", raw->url + strlen ("http://"), NULL);
  g_autoptr(YardClient) client = yard_client_new (https, TOKEN);
  g_autoptr(GFile) file = make_file ("yard-test-https.img", 4096, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  yard_client_upload_image_async (client, file, NULL, YARD_CLIENT_UPLOAD_NONE, NULL, NULL, NULL,
                                  NULL, result_cb, &result);
  g_assert_null (yard_client_upload_image_finish (client, wait_for (&result), NULL, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNREACHABLE);
  g_thread_join (g_steal_pointer (&raw->thread));
  g_assert_cmpint (raw->body_bytes, >, 0);
  g_assert_cmpint ((guchar) raw->head[0], ==, 22);
  upload_server_free (raw);
}

static void
test_upload_missing_file (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/yard.iso");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  yard_client_upload_image_async (f->client, file, NULL, YARD_CLIENT_UPLOAD_NONE, NULL, NULL, NULL, NULL, result_cb,
                                  &result);
  g_assert_null (yard_client_upload_image_finish (f->client, wait_for (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/yard.iso"));
}

typedef struct
{
  GPtrArray *events;       /* "kind data" */
  guint      disconnects;
  GError    *last_error;
  guint      hello_details; /* "event::hello" handler calls */
} EventLog;

static void
event_cb (YardEventStream *stream,
          YardBootEvent   *event,
          gpointer         user_data)
{
  EventLog *log = user_data;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  g_assert_null (yard_boot_event_get_time (event));
  json_node_set_object (node, yard_boot_event_get_data (event));
  text = json_to_string (node, FALSE);
  g_ptr_array_add (log->events, g_strdup_printf ("%s %s", yard_boot_event_get_kind (event), text));
}

static void
hello_cb (YardEventStream *stream,
          YardBootEvent   *event,
          gpointer         user_data)
{
  ((EventLog *) user_data)->hello_details++;
}

static void
disconnected_cb (YardEventStream *stream,
                 const GError    *error,
                 gpointer         user_data)
{
  EventLog *log = user_data;

  log->disconnects++;
  g_clear_error (&log->last_error);
  log->last_error = g_error_copy (error);
}

static void
test_event_stream (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(YardEventStream) stream = yard_event_stream_new (f->client);
  EventLog log = { g_ptr_array_new_with_free_func (g_free), 0, NULL, 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_signal_connect (stream, "event", G_CALLBACK (event_cb), &log);
  g_signal_connect (stream, "event::hello", G_CALLBACK (hello_cb), &log);
  g_signal_connect (stream, "disconnected", G_CALLBACK (disconnected_cb), &log);
  yard_event_stream_start (stream);

  /* Two events from the first connection, its end, a reconnection, one more event. */
  while (log.events->len < 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (log.events->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (log.events, 0), ==, "hello {\"version\":\"0.1.0\"}");
  g_assert_cmpstr (g_ptr_array_index (log.events, 1), ==,
                   "host-seen {\"mac\":\"52:54:00:12:34:56\",\"label\":\"Größe\"}");
  g_assert_cmpstr (g_ptr_array_index (log.events, 2), ==, "hello {\"version\":\"again\"}");
  g_assert_cmpuint (log.hello_details, ==, 2);

  /* The end of the first stream was reported, and the reconnection said where it was. */
  g_assert_cmpuint (log.disconnects, ==, 1);
  g_assert_error (log.last_error, YARD_ERROR, YARD_ERROR_UNREACHABLE);
  g_assert_cmpuint (f->event_connections, ==, 2);
  g_assert_cmpstr (f->last_event_id, ==, "42");
  g_assert_true (yard_event_stream_get_connected (stream));

  /* Stopped: disconnected at once, and no reconnection. */
  yard_event_stream_stop (stream);
  g_assert_false (yard_event_stream_get_connected (stream));
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f->event_connections, ==, 2);
  g_assert_cmpuint (log.events->len, ==, 3);

  g_signal_handlers_disconnect_by_data (stream, &log);
  g_assert_finalize_object (g_steal_pointer (&stream));
  g_ptr_array_unref (log.events);
  g_clear_error (&log.last_error);
}

static void
test_event_stream_unauthorized (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(YardClient) bad = yard_client_new (f->base_url, "wrong");
  g_autoptr(YardEventStream) stream = yard_event_stream_new (bad);
  EventLog log = { g_ptr_array_new_with_free_func (g_free), 0, NULL, 0 };
  gint64 deadline;

  g_signal_connect (stream, "disconnected", G_CALLBACK (disconnected_cb), &log);
  yard_event_stream_start (stream);
  while (log.disconnects == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (log.last_error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (log.last_error->message, ==, "Wrong token: use the one in api-token");

  /* A refused token is not retried: it would be refused again. */
  deadline = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (log.disconnects, ==, 1);
  g_assert_cmpuint (f->event_connections, ==, 0);

  g_signal_handlers_disconnect_by_data (stream, &log);
  g_ptr_array_unref (log.events);
  g_clear_error (&log.last_error);
}

/* Something that is not a Bootyard server answers 200 with JSON: that is no event stream. */
static void
test_event_stream_not_sse (void)
{
  RawServer raw = { NULL, NULL };
  g_autoptr(YardClient) client = NULL;
  g_autoptr(YardEventStream) stream = NULL;
  g_autofree char *url = NULL;
  EventLog log = { g_ptr_array_new_with_free_func (g_free), 0, NULL, 0 };
  GThread *thread;

  url = raw_server_start (&raw, &thread);
  client = yard_client_new (url, "t");
  stream = yard_event_stream_new (client);
  g_signal_connect (stream, "disconnected", G_CALLBACK (disconnected_cb), &log);
  yard_event_stream_start (stream);
  while (log.disconnects == 0)
    g_main_context_iteration (NULL, TRUE);
  yard_event_stream_stop (stream);
  g_thread_join (thread);

  g_assert_error (log.last_error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (log.last_error->message, "application/json"));
  g_assert_false (yard_event_stream_get_connected (stream));
  g_assert_true (g_str_has_prefix (raw.request, "GET /api/v1/events HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (raw.request, "\r\nAccept: text/event-stream\r\n"));

  g_signal_handlers_disconnect_by_data (stream, &log);
  g_ptr_array_unref (log.events);
  g_clear_error (&log.last_error);
  g_object_unref (raw.listener);
  g_free (raw.request);
}

/* Dropping the last reference while a read is pending must not crash later callbacks. */
static void
test_event_stream_dispose_while_open (Fixture       *f,
                                      gconstpointer  data)
{
  YardEventStream *stream = yard_event_stream_new (f->client);
  gint64 deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  yard_event_stream_start (stream);
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (stream);

  deadline = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  yard_test_no_proxy_resolver ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/yard/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("errors", test_errors);
  ADD ("typed", test_typed);
  ADD ("doctor", test_doctor);
  g_test_add_func ("/yard/client/wire", test_wire);
  g_test_add_func ("/yard/client/sync", test_sync);
  ADD ("upload", test_upload);
  ADD ("upload-file", test_upload_file);
  ADD ("upload-wrong-token", test_upload_wrong_token);
  ADD ("upload-refused-early", test_upload_refused_early);
  ADD ("upload-cancel", test_upload_cancel);
  ADD ("upload-missing-file", test_upload_missing_file);
  g_test_add_func ("/yard/client/upload-taken-before-body", test_upload_taken_before_body);
  g_test_add_func ("/yard/client/upload-continue", test_upload_continue);
  g_test_add_func ("/yard/client/upload-https", test_upload_https);
  g_test_add_func ("/yard/client/upload-no-continue", test_upload_no_continue);
  g_test_add_func ("/yard/client/upload-not-http", test_upload_not_http);
  ADD ("event-stream", test_event_stream);
  ADD ("event-stream-unauthorized", test_event_stream_unauthorized);
  ADD ("event-stream-dispose-while-open", test_event_stream_dispose_while_open);
  g_test_add_func ("/yard/client/event-stream-not-sse", test_event_stream_not_sse);
#undef ADD

  return g_test_run ();
}
