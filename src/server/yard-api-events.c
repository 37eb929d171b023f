/* yard-api-events.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's event stream, GET /events: server-sent events fed by YardServer's "event" signal,
 * a keep-alive comment every 15 s, and a client that stops reading disconnected.
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
  RequestData *data = _yard_api_request_data (msg);

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

void
_yard_api_server_event_cb (YardServer *server,
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

gboolean
_yard_api_keep_alive_cb (gpointer user_data)
{
  YardApi *self = user_data;

  for (guint i = self->streams->len; i-- > 0;)
    stream_append (self, i, ": keep-alive\n\n");
  return G_SOURCE_CONTINUE;
}

void
_yard_api_handle_events (YardApi           *self,
                         SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autofree char *text = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      _yard_api_send_method_not_allowed (msg, "GET");
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
