/* yard-boot-record.h: one network boot of a client as the boot doctor followed it (the
 * history of GET /activity)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "yard-boot-event.h"
#include "yard-boot-verdict.h"

G_BEGIN_DECLS

#define YARD_TYPE_BOOT_RECORD (yard_boot_record_get_type ())
G_DECLARE_FINAL_TYPE (YardBootRecord, yard_boot_record, YARD, BOOT_RECORD, GObject)

/* id: increasing, > 0; started: ISO 8601 UTC, also its first "updated" */
YardBootRecord  *yard_boot_record_new           (gint64           id,
                                                 const char      *started) G_GNUC_WARN_UNUSED_RESULT;
/* A record of its own with the same values (the verdict and the events, which do not change,
 * shared): what the API names while the doctor's record goes on. */
YardBootRecord  *yard_boot_record_copy          (YardBootRecord  *self) G_GNUC_WARN_UNUSED_RESULT;
gint64           yard_boot_record_get_id        (YardBootRecord  *self);
/* The client: NULL while unknown (a boot known by its address alone has no MAC) */
const char      *yard_boot_record_get_mac       (YardBootRecord  *self);
const char      *yard_boot_record_get_address   (YardBootRecord  *self);
/* The host's name in the hosts table (the API adds it), or NULL */
const char      *yard_boot_record_get_name      (YardBootRecord  *self);
/* yard-arch.h's name ("efi-x64"), or NULL */
const char      *yard_boot_record_get_arch      (YardBootRecord  *self);
const char      *yard_boot_record_get_started   (YardBootRecord  *self);
const char      *yard_boot_record_get_updated   (YardBootRecord  *self);
/* The doctor's latest verdict on this boot, or NULL while it has none */
YardBootVerdict *yard_boot_record_get_verdict   (YardBootRecord  *self);
/* YardBootEvent, oldest first (borrowed) */
GPtrArray       *yard_boot_record_get_events    (YardBootRecord  *self);

/* What the doctor learns as the boot goes (NULL leaves mac, address and arch as they are) */
void             yard_boot_record_set_client    (YardBootRecord  *self,
                                                 const char      *mac,
                                                 const char      *address,
                                                 const char      *arch);
/* The host's name at the API's answer (NULL: it has none); from then on to_json writes
 * "name", null for none. A record never named (the doctor's, the saved history) has no
 * "name" member. */
void             yard_boot_record_set_name      (YardBootRecord  *self,
                                                 const char      *name);
void             yard_boot_record_set_updated   (YardBootRecord  *self,
                                                 const char      *updated);
void             yard_boot_record_set_verdict   (YardBootRecord  *self,
                                                 YardBootVerdict *verdict);
void             yard_boot_record_add_event     (YardBootRecord  *self,
                                                 YardBootEvent   *event);
/* Drops the events after the first max */
void             yard_boot_record_truncate_events (YardBootRecord *self,
                                                   guint           max);

/* {"id", "mac", "address", "arch", "started", "updated", "verdict" (VERDICT or null),
 *  "events": [EVENT]}, unknown values null, and "name" (string or null) once named —
 *  docs/api.md */
JsonObject      *yard_boot_record_to_json       (YardBootRecord  *self) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote (with the API's "name", which names the record even when null);
 * YARD_ERROR_PROTOCOL naming the member that does not read. */
YardBootRecord  *yard_boot_record_new_from_json (JsonObject      *object,
                                                 GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
