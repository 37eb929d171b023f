/* yard-prefix-input-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP server reads a request head that comes in pieces out of the socket: left there, a
 * head split inside the kernel's receive buffer can hold that buffer full, and the client
 * then never sends the rest. When such a head goes to libsoup, libsoup reads it through this
 * stream: the bytes we took first, then the socket, pollable as libsoup needs its input to be.
 */

#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include <string.h>

#include "yard-prefix-input-stream.h"

struct _YardPrefixInputStream
{
  GInputStream       parent_instance;
  GBytes            *prefix;
  gsize              offset;      /* of the next prefix byte to read */
  GSocketConnection *connection;
  GInputStream      *base;        /* the connection's input stream */
};

static void yard_prefix_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YardPrefixInputStream, yard_prefix_input_stream,
                               G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      yard_prefix_input_stream_pollable_init))

/* Copies what is left of the prefix into @buffer; 0 once it is all read. */
static gsize
take_prefix (YardPrefixInputStream *self,
             void                  *buffer,
             gsize                  count)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (self->prefix, &len);
  gsize n = MIN (count, len - self->offset);

  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return n;
}

static gboolean
has_prefix (YardPrefixInputStream *self)
{
  return self->offset < g_bytes_get_size (self->prefix);
}

static gssize
yard_prefix_input_stream_read (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (stream);

  if (has_prefix (self))
    return take_prefix (self, buffer, count);
  return g_input_stream_read (self->base, buffer, count, cancellable, error);
}

static gboolean
yard_prefix_input_stream_close (GInputStream  *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (stream);

  return g_io_stream_close (G_IO_STREAM (self->connection), cancellable, error);
}

static gboolean
yard_prefix_input_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
yard_prefix_input_stream_is_readable (GPollableInputStream *stream)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (stream);

  return has_prefix (self) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
yard_prefix_input_stream_create_source (GPollableInputStream *stream,
                                        GCancellable         *cancellable)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (stream);
  g_autoptr(GSource) child = NULL;

  /* With prefix bytes left, readable now: a source that fires at once. */
  if (has_prefix (self))
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
yard_prefix_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                           void                  *buffer,
                                           gsize                  count,
                                           GError               **error)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (stream);

  if (has_prefix (self))
    return take_prefix (self, buffer, count);
  return g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                   count, NULL, error);
}

static void
yard_prefix_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = yard_prefix_input_stream_can_poll;
  iface->is_readable = yard_prefix_input_stream_is_readable;
  iface->create_source = yard_prefix_input_stream_create_source;
  iface->read_nonblocking = yard_prefix_input_stream_read_nonblocking;
}

static void
yard_prefix_input_stream_finalize (GObject *object)
{
  YardPrefixInputStream *self = YARD_PREFIX_INPUT_STREAM (object);

  g_clear_pointer (&self->prefix, g_bytes_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yard_prefix_input_stream_parent_class)->finalize (object);
}

static void
yard_prefix_input_stream_class_init (YardPrefixInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = yard_prefix_input_stream_finalize;
  stream_class->read_fn = yard_prefix_input_stream_read;
  stream_class->close_fn = yard_prefix_input_stream_close;
}

static void
yard_prefix_input_stream_init (YardPrefixInputStream *self)
{
}

GInputStream *
yard_prefix_input_stream_new (GBytes            *prefix,
                              GSocketConnection *connection)
{
  YardPrefixInputStream *self;

  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  self = g_object_new (YARD_TYPE_PREFIX_INPUT_STREAM, NULL);
  self->prefix = g_bytes_ref (prefix);
  self->connection = g_object_ref (connection);
  self->base = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  return G_INPUT_STREAM (self);
}
