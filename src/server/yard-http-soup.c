/* yard-http-soup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The libsoup path of the HTTP server: the API handlers, and the hand-off of a connection
 * whose one complete, authorized head we have read (see yard-http-server.c).
 */

#define _GNU_SOURCE  /* accept4 */
#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include "yard-http-server-private.h"

/* libsoup's part: the API, on connections handed over with one complete, authorized head */

static void
set_text_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
api_handler (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  YardHttpServer *self = user_data;
  yard_api_handle (self->api, msg, path);
}

/* Only a head whose target starts with /api/v1 is handed over, but libsoup removes dot
 * segments ("/api/v1/../x"): whatever else it finds is not there. */
void
default_handler (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  set_text_response (msg, SOUP_STATUS_NOT_FOUND,
                     "Not found. Boot files are under /boot/, the API under /api/v1/\n");
}

/* libsoup answers one request per connection. It has no listener (the listening sockets are
 * ours), and libsoup 3.2 keeps a connection alive only while it has one; it also never notices
 * a client that closes an idle one, which would hold a descriptor for good. So every answer
 * from libsoup says so, and clients open a new connection for their next request. */
void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    YardHttpServer    *self)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  yard_api_request_started (self->api, msg);
}

/* libsoup takes the connection for good, the request we peeked at still unread, or read
 * through a YardPrefixInputStream when it came in pieces. Both addresses come from us: the
 * peer's from accept(), since a client that has reset has none left to ask for, and libsoup
 * must never get NULL for one. */
void
conn_hand_to_soup (Conn *c)
{
  YardHttpServer *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GIOStream) stream = NULL;
  struct sockaddr_storage ss;
  socklen_t ss_len = sizeof ss;
  int fd = c->fd;

  if (c->partial != NULL)
    {
      self->partial_bytes -= c->partial->len;
      prefix = g_byte_array_free_to_bytes (g_steal_pointer (&c->partial));
    }
  remote = g_socket_address_new_from_native (&c->remote, c->remote_len);
  if (getsockname (fd, (struct sockaddr *) &ss, &ss_len) == 0)
    local = g_socket_address_new_from_native (&ss, ss_len);
  epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
  c->fd = -1;
  conn_close (c);

  if (local == NULL || remote == NULL)
    {
      close (fd);
      return;
    }
  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      g_debug ("HTTP: cannot hand a connection to the API server: %s", error->message);
      close (fd);
      return;
    }
  conn = g_socket_connection_factory_create_connection (socket);
  if (prefix != NULL)
    {
      g_autoptr(GInputStream) input = yard_prefix_input_stream_new (prefix, conn);

      stream = g_simple_io_stream_new (input,
                                       g_io_stream_get_output_stream (G_IO_STREAM (conn)));
    }
  else
    stream = G_IO_STREAM (g_object_ref (conn));
  if (!soup_server_accept_iostream (self->soup, stream, local, remote, &error))
    {
      g_warning ("HTTP: the API server did not take a connection: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }
}
