/* yard-event-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/events answers with server-sent events that never end. The response body is read
 * chunk by chunk as it arrives and fed to YardSseParser; each complete event becomes one
 * "event" signal. When the connection fails or ends, the stream tries again after a growing
 * delay, so the app's Activity page comes back by itself after a server restart.
 *
 * Async callbacks hold no reference on the stream (it must be able to go away while a read is
 * pending forever); each connection carries a weak reference and its own cancellable, and a
 * callback of a connection that is no longer the current one does nothing.
 */

#define G_LOG_DOMAIN "yard-event-stream"

#include "config.h"

#include <libsoup/soup.h>

#include "yard-client-private.h"
#include "yard-error.h"
#include "yard-json.h"
#include "yard-event-stream.h"
#include "yard-sse-parser.h"

#define READ_SIZE        8192
#define ERROR_BODY_MAX   65536
#define FIRST_DELAY_MS   500
#define MAX_DELAY_MS     30000
/* The server sends a keep-alive comment every 15 seconds; three missed ones mean the
 * connection is dead even if TCP has not noticed. */
#define STREAM_TIMEOUT_S 45

/* One connection: each pending operation holds a reference, so a callback can always look at
 * its connection even after the stream dropped it. */
typedef struct
{
  GWeakRef      stream;      /* the YardEventStream */
  GCancellable *cancellable;
} Connection;

struct _YardEventStream
{
  GObject        parent_instance;
  YardClient    *client;
  SoupSession   *session;
  YardSseParser *parser;
  Connection    *conn;         /* the current connection (or attempt), or NULL */
  SoupMessage   *msg;
  GInputStream  *body;
  guint          reconnect_id;
  guint          delay_ms;     /* before the next reconnection */
  gboolean       running;      /* between start and stop */
  gboolean       connected;
};

G_DEFINE_FINAL_TYPE (YardEventStream, yard_event_stream, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  SIGNAL_DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (YardEventStream *self);

static void
connection_clear (Connection *conn)
{
  g_weak_ref_clear (&conn->stream);
  g_clear_object (&conn->cancellable);
}

static Connection *
connection_new (YardEventStream *self)
{
  Connection *conn = g_rc_box_new0 (Connection);

  g_weak_ref_init (&conn->stream, self);
  conn->cancellable = g_cancellable_new ();
  return conn;
}

static void
connection_unref (Connection *conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) connection_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connection, connection_unref)

/* The stream, if conn is still its current connection; a new reference. */
static YardEventStream *
connection_get_stream (Connection *conn)
{
  YardEventStream *self = g_weak_ref_get (&conn->stream);

  if (self == NULL)
    return NULL;
  if (self->conn != conn || g_cancellable_is_cancelled (conn->cancellable))
    {
      g_object_unref (self);
      return NULL;
    }
  return self;
}

static void
set_connected (YardEventStream *self,
               gboolean         connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* Drops the current connection. Its pending callbacks see the cancellation and free their
 * attempt; the stream forgets it at once. */
static void
close_connection (YardEventStream *self)
{
  if (self->conn != NULL)
    {
      g_cancellable_cancel (self->conn->cancellable);
      g_clear_pointer (&self->conn, connection_unref);
    }
  g_clear_object (&self->body);
  g_clear_object (&self->msg);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  YardEventStream *self = user_data;

  self->reconnect_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

static void
connection_failed (YardEventStream *self,
                   const GError    *error)
{
  g_autoptr(YardEventStream) hold = g_object_ref (self);
  gint64 retry;

  close_connection (self);
  set_connected (self, FALSE);

  g_debug ("Event stream: %s", error->message);
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    self->running = FALSE;

  g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, error);

  /* A handler may have stopped the stream, or started it again. */
  if (!self->running || self->conn != NULL || self->reconnect_id != 0)
    return;

  retry = yard_sse_parser_get_retry (self->parser);
  if (self->delay_ms == 0)
    self->delay_ms = retry > 0 ? (guint) MIN (retry, MAX_DELAY_MS) : FIRST_DELAY_MS;
  self->reconnect_id = g_timeout_add (self->delay_ms, reconnect_cb, self);
  self->delay_ms = MIN (self->delay_ms * 2, MAX_DELAY_MS);
}

static void
sse_event_cb (const char *kind,
              const char *data,
              const char *id,
              gpointer    user_data)
{
  YardEventStream *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(YardBootEvent) event = NULL;

  /* Bounded as every answer is (yard-client.c): a hostile server must not crash the app. */
  if ((root = yard_json_parse (data, -1, YARD_JSON_MAX_DEPTH, &error)) == NULL)
    {
      g_debug ("Event “%s” has data that cannot be read (%s): ignored", kind, error->message);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Event “%s” has data that is not a JSON object: ignored", kind);
      return;
    }

  event = yard_boot_event_new (kind, NULL, json_node_get_object (root));
  g_signal_emit (self, signals[SIGNAL_EVENT], g_quark_from_string (kind), event);
}

static void read_next (YardEventStream *self);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(YardEventStream) self = connection_get_stream (conn);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self == NULL)
    return;

  if (bytes == NULL)
    {
      g_autoptr(GError) lost = g_error_new (YARD_ERROR, YARD_ERROR_UNREACHABLE,
                                            "Lost the event stream from %s: %s",
                                            yard_client_get_base_url (self->client),
                                            error->message);
      connection_failed (self, lost);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_autoptr(GError) closed = g_error_new (YARD_ERROR, YARD_ERROR_UNREACHABLE,
                                              "The server at %s closed the event stream",
                                              yard_client_get_base_url (self->client));
      connection_failed (self, closed);
      return;
    }

  /* Handlers run from here; one may stop the stream or drop its last other reference. */
  yard_sse_parser_feed (self->parser, data, len);

  if (self->conn == conn)
    read_next (self);
}

static void
read_next (YardEventStream *self)
{
  g_input_stream_read_bytes_async (self->body, READ_SIZE, G_PRIORITY_DEFAULT,
                                   self->conn->cancellable, read_cb,
                                   g_rc_box_acquire (self->conn));
}

static void
error_body_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(YardEventStream) self = connection_get_stream (conn);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) refused = NULL;

  /* A body that cannot be read leaves the generic message for the status. */
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (self == NULL)
    return;

  refused = _yard_client_response_error (self->msg, bytes);
  connection_failed (self, refused);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Connection) conn = user_data;
  g_autoptr(YardEventStream) self = connection_get_stream (conn);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  guint status;

  body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (self == NULL)
    return;

  if (body == NULL)
    {
      g_autoptr(GError) unreachable = _yard_client_transport_error (self->client, error);
      connection_failed (self, unreachable);
      return;
    }

  status = soup_message_get_status (self->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* The server's {"error"} says why, in its words: read it before giving up. */
      self->body = g_steal_pointer (&body);
      g_input_stream_read_bytes_async (self->body, ERROR_BODY_MAX, G_PRIORITY_DEFAULT,
                                       self->conn->cancellable, error_body_cb,
                                       g_rc_box_acquire (self->conn));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (self->msg),
                                                       NULL);
  if (g_strcmp0 (content_type, "text/event-stream") != 0)
    {
      g_autoptr(GError) wrong = g_error_new (YARD_ERROR, YARD_ERROR_PROTOCOL,
                                             "%s answered /api/v1/events with “%s”, not an "
                                             "event stream: is it a Bootyard server?",
                                             yard_client_get_base_url (self->client),
                                             content_type ? content_type : "nothing");
      connection_failed (self, wrong);
      return;
    }

  self->body = g_steal_pointer (&body);
  self->delay_ms = 0;
  yard_sse_parser_reset (self->parser);

  read_next (self);
  set_connected (self, TRUE);
}

static void
connect_now (YardEventStream *self)
{
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *last_id;

  close_connection (self);

  self->msg = _yard_client_new_message (self->client, "GET", "/events", &error);
  if (self->msg == NULL)
    {
      self->running = FALSE;
      g_signal_emit (self, signals[SIGNAL_DISCONNECTED], 0, error);
      return;
    }

  headers = soup_message_get_request_headers (self->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  last_id = yard_sse_parser_get_last_id (self->parser);
  if (last_id != NULL && *last_id != '\0')
    soup_message_headers_replace (headers, "Last-Event-ID", last_id);

  self->conn = connection_new (self);
  soup_session_send_async (self->session, self->msg, G_PRIORITY_DEFAULT, self->conn->cancellable,
                           send_cb, g_rc_box_acquire (self->conn));
}

static void
yard_event_stream_dispose (GObject *object)
{
  YardEventStream *self = YARD_EVENT_STREAM (object);

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  close_connection (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (yard_event_stream_parent_class)->dispose (object);
}

static void
yard_event_stream_finalize (GObject *object)
{
  YardEventStream *self = YARD_EVENT_STREAM (object);

  g_clear_pointer (&self->parser, yard_sse_parser_free);

  G_OBJECT_CLASS (yard_event_stream_parent_class)->finalize (object);
}

static void
yard_event_stream_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  YardEventStream *self = YARD_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_event_stream_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  YardEventStream *self = YARD_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_event_stream_class_init (YardEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_event_stream_dispose;
  object_class->finalize = yard_event_stream_finalize;
  object_class->get_property = yard_event_stream_get_property;
  object_class->set_property = yard_event_stream_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, YARD_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * YardEventStream::event:
   * @event: the event (core's YardBootEvent, without a time: it is live), whose kind
   *   ("hello", "host-seen", ...) is also the signal's detail
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, YARD_TYPE_BOOT_EVENT);

  /**
   * YardEventStream::disconnected:
   * @error: why (a GError, borrowed)
   */
  signals[SIGNAL_DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
yard_event_stream_init (YardEventStream *self)
{
  self->parser = yard_sse_parser_new (sse_event_cb, self);
  self->session = soup_session_new_with_options ("user-agent", "bootyard/" PACKAGE_VERSION,
                                                 "timeout", STREAM_TIMEOUT_S, NULL);
}

YardEventStream *
yard_event_stream_new (YardClient *client)
{
  g_return_val_if_fail (YARD_IS_CLIENT (client), NULL);

  return g_object_new (YARD_TYPE_EVENT_STREAM, "client", client, NULL);
}

YardClient *
yard_event_stream_get_client (YardEventStream *self)
{
  g_return_val_if_fail (YARD_IS_EVENT_STREAM (self), NULL);
  return self->client;
}

/* Connects now (and again whenever the connection is lost) until stopped. */
void
yard_event_stream_start (YardEventStream *self)
{
  g_return_if_fail (YARD_IS_EVENT_STREAM (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->delay_ms = 0;
  connect_now (self);
}

/* Closes the connection and cancels any pending reconnection; "event" is not emitted again
 * until the next start. */
void
yard_event_stream_stop (YardEventStream *self)
{
  g_return_if_fail (YARD_IS_EVENT_STREAM (self));

  self->running = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  close_connection (self);
  set_connected (self, FALSE);
}

gboolean
yard_event_stream_get_connected (YardEventStream *self)
{
  g_return_val_if_fail (YARD_IS_EVENT_STREAM (self), FALSE);
  return self->connected;
}
