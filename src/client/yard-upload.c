/* yard-upload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PUT /images/{name}, outside libsoup. libsoup 3 sends a request body with
 * g_output_stream_splice_async, 8 KiB per main-loop round, which held uploads to a third of
 * what `curl -T` reaches against the same server (bench/README.md). Here a worker thread opens
 * a connection of its own to the base URL (TLS for https, as libsoup does), sends the head
 * with "Expect: 100-continue" and waits for the server's interim answer: after "100 Continue"
 * the file goes out in writes of up to 1 MiB; a final answer instead (409: the name is taken,
 * 401, 400) sends none of it, and its JSON becomes the error as for any other request. The
 * progress function runs on the caller's main context with what had been sent, at most once
 * per 1/1000 of the file or 50 ms, and always at the end. Cancelling closes the connection;
 * the server removes its temporary file.
 */

#define G_LOG_DOMAIN "yard-client"

#include "config.h"

#include <string.h>

#include "yard-client-private.h"
#include "yard-error.h"

/* Seconds without any I/O before an upload fails: after the last byte the server inspects
 * and fsyncs the image before it answers, which takes a while for a large ISO. */
#define UPLOAD_TIMEOUT 300
/* How long to wait for "100 Continue" before sending the body anyway (RFC 9110 10.1.1), for a
 * proxy that does not pass it on; curl waits 1 s. Our server answers at once, unless its main
 * loop is held (an fsync of another upload). */
#define CONTINUE_WAIT_USEC (2 * G_USEC_PER_SEC)
/* Bytes per write: large enough that system calls cost nothing, small enough for a smooth bar
 * on a small file. */
#define CHUNK_MIN (64 * 1024)
#define CHUNK_MAX (1024 * 1024)
/* An answer larger than this is not one of ours. */
#define HEAD_MAX (64 * 1024)
#define ANSWER_MAX (16 * 1024 * 1024)
#define PROGRESS_INTERVAL_USEC (50 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  gatomicrefcount         ref;
  /* Set before the worker starts, then read-only. */
  GFile                  *file;
  char                   *uri;       /* base URL + /api/v1/images/NAME[?replace=true], or
                                      * /api/v1/files/PATH */
  char                   *path;      /* of uri, for error messages */
  char                   *head;      /* the request head, without Content-Length */
  gboolean                tls;
  GMainContext           *context;   /* the caller's: progress runs there */
  /* The worker's: its answer, and whether its error is the network's. */
  guint                   status;
  char                   *reason;
  GBytes                 *body;
  gboolean                net_error;
  /* The worker's until it returns: the file's size and the bytes sent. */
  goffset                 size;
  goffset                 sent;
  /* The caller's thread only. */
  YardClientProgressFunc  progress;
  gpointer                progress_data;
  GDestroyNotify          progress_notify;
  goffset                 shown;     /* sent at the last progress call */
} Upload;

static Upload *
upload_ref (Upload *upload)
{
  g_atomic_ref_count_inc (&upload->ref);
  return upload;
}

static void
upload_unref (Upload *upload)
{
  if (!g_atomic_ref_count_dec (&upload->ref))
    return;
  g_assert (upload->progress_notify == NULL);
  g_clear_object (&upload->file);
  g_free (upload->uri);
  g_free (upload->path);
  g_free (upload->head);
  g_main_context_unref (upload->context);
  g_free (upload->reason);
  g_clear_pointer (&upload->body, g_bytes_unref);
  g_free (upload);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Upload, upload_unref)

/* Progress: the worker queues a call on the caller's context with what had been sent. */

typedef struct
{
  Upload  *upload;
  goffset  sent;
} ProgressCall;

static void
upload_show_progress (Upload  *upload,
                      goffset  sent)
{
  if (upload->progress == NULL)
    return;  /* the upload is over */
  upload->shown = sent;
  upload->progress (sent, upload->size, upload->progress_data);
}

static gboolean
progress_call_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  upload_show_progress (call->upload, call->sent);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  upload_unref (call->upload);
  g_free (call);
}

static void
upload_queue_progress (Upload  *upload,
                       goffset  sent)
{
  ProgressCall *call = g_new (ProgressCall, 1);

  call->upload = upload_ref (upload);
  call->sent = sent;
  g_main_context_invoke_full (upload->context, G_PRIORITY_DEFAULT, progress_call_cb, call,
                              progress_call_free);
}

/* Worker: @n more bytes went out. A call (a redrawn bar, a terminal line) for every write
 * would cost more than the write: at most one per 1/1000 of the file or 50 ms, and the last. */
static void
upload_sent (Upload  *upload,
             goffset  n,
             goffset *reported,
             gint64  *reported_at)
{
  gint64 now = g_get_monotonic_time ();

  upload->sent += n;
  if (upload->sent == upload->size || upload->sent - *reported >= upload->size / 1000 ||
      now - *reported_at >= PROGRESS_INTERVAL_USEC)
    {
      *reported = upload->sent;
      *reported_at = now;
      upload_queue_progress (upload, upload->sent);
    }
}

/* Worker: answers */

/* Reads one response head into @head (without its blank line), keeping what follows it in
 * @buf. */
static gboolean
read_head (GInputStream  *in,
           GByteArray    *buf,
           GCancellable  *cancellable,
           GString      **head,
           GError       **error)
{
  for (;;)
    {
      guint8 chunk[16 * 1024];
      gssize n;

      for (guint i = 3; i < buf->len; i++)
        if (memcmp (buf->data + i - 3, "\r\n\r\n", 4) == 0)
          {
            *head = g_string_new_len ((const char *) buf->data, i - 1);
            g_byte_array_remove_range (buf, 0, i + 1);
            return TRUE;
          }
      if (buf->len > HEAD_MAX)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "The server's answer to the upload has a head larger than %d KiB: "
                       "is it a Bootyard server?", HEAD_MAX / 1024);
          return FALSE;
        }
      n = g_input_stream_read (in, chunk, sizeof chunk, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "the server closed the connection without an answer");
          return FALSE;
        }
      g_byte_array_append (buf, chunk, n);
    }
}

/* Reads the final answer: heads until one that is not 1xx (a "100 Continue" that came after
 * we stopped waiting for it), then its body, by Content-Length or up to the close. */
static gboolean
read_answer (Upload        *upload,
             GInputStream  *in,
             GByteArray    *buf,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  goffset length = -1;

  do
    {
      g_autoptr(GString) head = NULL;

      if (!read_head (in, buf, cancellable, &head, error))
        return FALSE;
      g_clear_pointer (&headers, soup_message_headers_unref);
      g_clear_pointer (&upload->reason, g_free);
      headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      if (!soup_headers_parse_response (head->str, head->len, headers, NULL, &upload->status,
                                        &upload->reason))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "The server's answer to the upload is not HTTP: is it a Bootyard server?");
          return FALSE;
        }
    }
  while (SOUP_STATUS_IS_INFORMATIONAL (upload->status));

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  else if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_EOF)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server answered the upload with %u in a framing this client does not "
                   "read (only Content-Length): is it a Bootyard server?", upload->status);
      return FALSE;
    }

  while (length < 0 || (goffset) buf->len < length)
    {
      guint8 chunk[16 * 1024];
      gssize n;

      if (buf->len > ANSWER_MAX)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       "The server's answer to the upload is larger than %d MiB: is it a "
                       "Bootyard server?", ANSWER_MAX / 1024 / 1024);
          return FALSE;
        }
      n = g_input_stream_read (in, chunk, sizeof chunk, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0 && length >= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "the server closed the connection in the middle of its answer");
          return FALSE;
        }
      if (n == 0)
        break;
      g_byte_array_append (buf, chunk, n);
    }
  if (length >= 0)
    g_byte_array_set_size (buf, length);
  upload->body = g_bytes_new (buf->data, buf->len);
  return TRUE;
}

/* Worker: the body */

/* The file in large pieces. Not sendfile(2): on loopback (the app and its local server) the
 * receiver then copies out of page-cache pages one by one, and the server, which limits the
 * upload, spent 45 % more CPU on it than on these writes (bench/README.md). */
static gboolean
send_file (Upload         *upload,
           GInputStream   *file,
           GOutputStream  *out,
           gsize           chunk,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree guint8 *buffer = g_malloc (chunk);
  goffset reported = 0;
  gint64 reported_at = g_get_monotonic_time ();
  goffset left = upload->size;

  while (left > 0)
    {
      gsize got = 0;

      upload->net_error = FALSE;
      if (!g_input_stream_read_all (file, buffer, MIN ((goffset) chunk, left), &got, cancellable,
                                    error))
        {
          g_autofree char *where = g_file_get_parse_name (upload->file);

          g_prefix_error (error, "Cannot read “%s”: ", where);
          return FALSE;
        }
      if (got == 0)
        {
          g_autofree char *where = g_file_get_parse_name (upload->file);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "“%s” got shorter while it was uploaded: upload it again", where);
          return FALSE;
        }
      upload->net_error = TRUE;
      if (!g_output_stream_write_all (out, buffer, got, NULL, cancellable, error))
        return FALSE;
      left -= got;
      upload_sent (upload, got, &reported, &reported_at);
    }
  return TRUE;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Upload *upload = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autoptr(GString) head = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) send_error = NULL;
  g_autofree char *where = g_file_get_parse_name (upload->file);
  g_autofree char *request = NULL;
  GInputStream *in;
  GOutputStream *out;
  GSocket *socket;
  gboolean sent;
  gsize chunk;

  /* Follows symlinks: uploading a link uploads what it points to. */
  info = g_file_query_info (upload->file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               "Cannot upload “%s”: it is not a regular file", where);
      return;
    }
  if (info != NULL)
    stream = g_file_read (upload->file, cancellable, &error);
  if (stream == NULL)
    {
      g_prefix_error (&error, "Cannot read “%s”: ", where);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  upload->size = g_file_info_get_size (info);
  upload_queue_progress (upload, 0);

  upload->net_error = TRUE;
  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, UPLOAD_TIMEOUT);
  g_socket_client_set_tls (client, upload->tls);
  connection = g_socket_client_connect_to_uri (client, upload->uri, upload->tls ? 443 : 80,
                                               cancellable, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  socket = g_socket_connection_get_socket (connection);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  request = g_strdup_printf ("%sContent-Length: %" G_GOFFSET_FORMAT "\r\n\r\n", upload->head,
                             upload->size);
  if (!g_output_stream_write_all (out, request, strlen (request), NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The server's interim answer: "100 Continue", or its final one (the name is taken, a bad
   * token) before any of the file goes out. */
  if (!g_socket_condition_timed_wait (socket, G_IO_IN, CONTINUE_WAIT_USEC, cancellable,
                                      &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error == NULL)
    {
      if (!read_head (in, buf, cancellable, &head, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      upload->status = 0;
      g_clear_pointer (&upload->reason, g_free);
      if (!soup_headers_parse_status_line (head->str, NULL, &upload->status, &upload->reason))
        {
          g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_PROTOCOL,
                                   "The server's answer to the upload is not HTTP: is it a "
                                   "Bootyard server?");
          return;
        }
      if (upload->status != SOUP_STATUS_CONTINUE)
        {
          /* Put the head back: read_answer() reads it as the final answer (or skips another
           * 1xx). */
          g_string_append (head, "\r\n");
          g_byte_array_prepend (buf, (const guint8 *) head->str, head->len);
          if (!read_answer (upload, in, buf, cancellable, &error))
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_boolean (task, TRUE);
          return;
        }
    }
  g_clear_error (&error);

  chunk = CLAMP (upload->size / 64, CHUNK_MIN, CHUNK_MAX);
  sent = send_file (upload, G_INPUT_STREAM (stream), out, chunk, cancellable, &send_error);
  if (!sent && (!upload->net_error ||
                g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      g_task_return_error (task, g_steal_pointer (&send_error));
      return;
    }

  /* The answer; also after a failed send, since a server that stops reading may have said
   * why (a full disk) before it closed. */
  upload->net_error = TRUE;
  if (!read_answer (upload, in, buf, cancellable, &error))
    g_task_return_error (task, sent ? g_steal_pointer (&error) : g_steal_pointer (&send_error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Over before its result is returned: the caller may free what the progress function uses
 * as soon as its callback runs. */
static void
upload_release_progress (Upload *upload)
{
  GDestroyNotify notify = upload->progress_notify;

  upload->progress = NULL;
  upload->progress_notify = NULL;
  if (notify != NULL)
    notify (upload->progress_data);
}

/* The caller's context again: the last progress call, then the answer. */
static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  YardClient *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (ok && upload->shown < upload->sent)
    upload_show_progress (upload, upload->sent);
  upload_release_progress (upload);

  /* A connection that failed says which server it could not reach; an answer that is not
   * ours (YARD_ERROR_PROTOCOL) says so itself. */
  if (!ok && upload->net_error && error->domain != YARD_ERROR)
    {
      g_task_return_error (task, _yard_client_transport_error (self, error));
      return;
    }
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = _yard_client_parse_answer (upload->status, upload->reason, upload->path, upload->body,
                                    &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_PROTOCOL,
                             "The server answered the upload with something other than a "
                             "JSON object: is it a Bootyard server of this version?");
  else
    g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                           (GDestroyNotify) json_object_unref);
}

void
_yard_client_upload (YardClient             *self,
                     GFile                  *file,
                     const char             *path,
                     YardClientProgressFunc  progress,
                     gpointer                progress_data,
                     GDestroyNotify          progress_notify,
                     GTask                  *task)
{
  g_autoptr(GTask) outer = task;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(Upload) upload = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) head = NULL;
  SoupMessageHeadersIter iter;
  const char *header, *value;
  GCancellable *cancellable;
  GUri *uri;

  upload = g_new0 (Upload, 1);
  g_atomic_ref_count_init (&upload->ref);
  upload->context = g_main_context_ref_thread_default ();
  upload->file = g_object_ref (file);
  upload->progress = progress;
  upload->progress_data = progress_data;
  upload->progress_notify = progress_notify;

  /* The URL and the token as for every request; only the body goes another way. */
  msg = _yard_client_new_message (self, "PUT", path, &error);
  if (msg == NULL)
    {
      upload_release_progress (upload);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  uri = soup_message_get_uri (msg);
  upload->tls = g_strcmp0 (g_uri_get_scheme (uri), "https") == 0;
  upload->uri = g_uri_to_string (uri);
  upload->path = g_strdup (g_uri_get_path (uri));

  head = g_string_new (NULL);
  g_string_append_printf (head, "PUT %s%s%s HTTP/1.1\r\nHost: %s%s%s", g_uri_get_path (uri),
                          g_uri_get_query (uri) ? "?" : "",
                          g_uri_get_query (uri) ? g_uri_get_query (uri) : "",
                          strchr (g_uri_get_host (uri), ':') ? "[" : "", g_uri_get_host (uri),
                          strchr (g_uri_get_host (uri), ':') ? "]" : "");
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (head, ":%d", g_uri_get_port (uri));
  g_string_append (head, "\r\nUser-Agent: bootyard/" PACKAGE_VERSION "\r\n");
  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &header, &value))
    g_string_append_printf (head, "%s: %s\r\n", header, value);
  g_string_append (head, "Content-Type: application/octet-stream\r\n"
                         "Expect: 100-continue\r\n"
                         "Connection: close\r\n");
  upload->head = g_string_free (g_steal_pointer (&head), FALSE);

  /* Arguments are evaluated in any order: take the cancellable before the task moves. */
  cancellable = g_task_get_cancellable (outer);
  worker = g_task_new (NULL, cancellable, upload_done_cb, g_steal_pointer (&outer));
  g_task_set_task_data (worker, upload_ref (upload), (GDestroyNotify) upload_unref);
  g_task_run_in_thread (worker, upload_thread);
}
