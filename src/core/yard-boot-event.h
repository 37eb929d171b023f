/* yard-boot-event.h: one event of the server (docs/api.md "Events"), as the event stream
 * sends it and a boot of the history keeps it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YARD_TYPE_BOOT_EVENT (yard_boot_event_get_type ())
G_DECLARE_FINAL_TYPE (YardBootEvent, yard_boot_event, YARD, BOOT_EVENT, GObject)

/* kind: "dhcp-answered", "transfer-finished", ...; time: ISO 8601 UTC, or NULL (a live event:
 * now); data: the event's object as sent, kept whole (the history and --json give it back). */
YardBootEvent *yard_boot_event_new           (const char    *kind,
                                              const char    *time,
                                              JsonObject    *data) G_GNUC_WARN_UNUSED_RESULT;
const char    *yard_boot_event_get_kind      (YardBootEvent *self);
const char    *yard_boot_event_get_time      (YardBootEvent *self);
/* The event's object as sent (borrowed) */
JsonObject    *yard_boot_event_get_data      (YardBootEvent *self);

/* What the event says, NULL / 0 / -1 when it does not say it (docs/api.md lists which kinds
 * carry which): the client ("mac", "address", "peer"), the file ("file"; a DHCP answer's
 * "bootFile"), the transfer ("protocol", "size", "bytes", "duration" in seconds, "error"), a
 * refusal's or a DHCP miss's "reason", the DHCP client's architecture code ("arch", -1). */
const char    *yard_boot_event_get_mac       (YardBootEvent *self);
const char    *yard_boot_event_get_address   (YardBootEvent *self);
const char    *yard_boot_event_get_peer      (YardBootEvent *self);
const char    *yard_boot_event_get_file      (YardBootEvent *self);
const char    *yard_boot_event_get_boot_file (YardBootEvent *self);
const char    *yard_boot_event_get_protocol  (YardBootEvent *self);
gint64         yard_boot_event_get_size      (YardBootEvent *self);
gint64         yard_boot_event_get_bytes     (YardBootEvent *self);
double         yard_boot_event_get_duration  (YardBootEvent *self);
const char    *yard_boot_event_get_error     (YardBootEvent *self);
const char    *yard_boot_event_get_reason    (YardBootEvent *self);
int            yard_boot_event_get_arch      (YardBootEvent *self);
/* The architecture as yard-arch.h names it ("bios", "efi-x64"): from the code DHCP events
 * carry, or a name as sent; NULL when unknown */
char          *yard_boot_event_dup_arch_name (YardBootEvent *self) G_GNUC_WARN_UNUSED_RESULT;

/* {"kind", "time", "data"} as a boot of the history holds it (time null when unknown) */
JsonObject    *yard_boot_event_to_json       (YardBootEvent *self) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote; YARD_ERROR_PROTOCOL naming the member that does not read. */
YardBootEvent *yard_boot_event_new_from_json (JsonObject    *object,
                                              GError       **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
