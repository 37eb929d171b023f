/* yard-sse-parser.h: an incremental parser for server-sent events (text/event-stream)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to libyard-client and its tests. Follows the WHATWG event-stream interpretation:
 * lines end with CRLF, LF or CR (even split across chunks); "event", "data", "id" and "retry"
 * fields; comments start with ':'; a blank line dispatches an event whose data is not empty.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* kind: "message" when the event had no "event:" line; data: the data lines joined by '\n';
 * id: the last event id seen, or NULL. */
typedef void (*YardSseEventFunc) (const char *kind,
                                  const char *data,
                                  const char *id,
                                  gpointer    user_data);

typedef struct _YardSseParser YardSseParser;

YardSseParser *yard_sse_parser_new        (YardSseEventFunc  func,
                                           gpointer          user_data);
void           yard_sse_parser_free       (YardSseParser    *self);
void           yard_sse_parser_feed       (YardSseParser    *self,
                                           const char       *data,
                                           gsize             len);
void           yard_sse_parser_reset      (YardSseParser    *self);
const char    *yard_sse_parser_get_last_id (YardSseParser   *self);
/* The "retry:" value in milliseconds, or -1 when the server sent none. */
gint64         yard_sse_parser_get_retry  (YardSseParser    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardSseParser, yard_sse_parser_free)

G_END_DECLS
