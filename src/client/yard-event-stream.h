/* yard-event-stream.h: the server's event stream (GET /api/v1/events) as a GObject signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-boot-event.h"
#include "yard-client.h"

G_BEGIN_DECLS

#define YARD_TYPE_EVENT_STREAM (yard_event_stream_get_type ())
G_DECLARE_FINAL_TYPE (YardEventStream, yard_event_stream, YARD, EVENT_STREAM, GObject)

/*
 * Signals:
 *   "event"        (YardEventStream *, YardBootEvent *event): one event, detailed by its kind,
 *                  e.g. "hello", "host-seen", "transfer-progress" (docs/api.md).
 *   "disconnected" (YardEventStream *, const GError *error): a connection attempt failed or
 *                  an open stream ended. Unless the error is YARD_ERROR_UNAUTHORIZED (a new
 *                  token is needed) or the stream was stopped, it reconnects by itself after
 *                  a delay that grows from 0.5 s to 30 s and resets once connected.
 * Properties:
 *   "client"    (YardClient, construct-only)
 *   "connected" (gboolean, read-only): the stream is open (the server answered 200).
 */
YardEventStream *yard_event_stream_new           (YardClient      *client);
YardClient      *yard_event_stream_get_client    (YardEventStream *self);
void             yard_event_stream_start         (YardEventStream *self);
void             yard_event_stream_stop          (YardEventStream *self);
gboolean         yard_event_stream_get_connected (YardEventStream *self);

G_END_DECLS
