/* yard-prefix-input-stream.h: bytes already read from a socket, then the socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YARD_TYPE_PREFIX_INPUT_STREAM (yard_prefix_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (YardPrefixInputStream, yard_prefix_input_stream, YARD, PREFIX_INPUT_STREAM,
                      GInputStream)

/* A pollable input stream that reads @prefix first, then @connection's input. Closing it
 * closes @connection. */
GInputStream *yard_prefix_input_stream_new (GBytes            *prefix,
                                            GSocketConnection *connection)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
