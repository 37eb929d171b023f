/* yard-network-report.h: what the network doctor heard (POST /doctor/network): who answers
 * a PXE client's DHCP request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One server that answered */
typedef struct
{
  char     *address;          /* its server identifier (or source address), or NULL */
  gboolean  dhcp;             /* it offered an address */
  char     *offered_address;  /* ... this one, or NULL */
  gboolean  pxe;              /* it answered as a PXE boot server */
  char     *boot_file;        /* the boot file it offered, or NULL */
  char     *next_server;      /* its siaddr, or NULL */
  gboolean  self;             /* this Bootyard's own answer */
} YardResponder;

/* Frees a responder's strings (the struct itself is the caller's): g_auto(YardResponder). */
void yard_responder_clear (YardResponder *responder);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (YardResponder, yard_responder_clear)

#define YARD_TYPE_NETWORK_REPORT (yard_network_report_get_type ())
G_DECLARE_FINAL_TYPE (YardNetworkReport, yard_network_report, YARD, NETWORK_REPORT, GObject)

/* interface: where the probe asked (NULL: unknown); time: when, ISO 8601 UTC */
YardNetworkReport *yard_network_report_new             (const char        *interface,
                                                        const char        *time) G_GNUC_WARN_UNUSED_RESULT;
const char        *yard_network_report_get_interface   (YardNetworkReport *self);
const char        *yard_network_report_get_time        (YardNetworkReport *self);
/* YardResponder, in the order they answered (borrowed) */
GPtrArray         *yard_network_report_get_responders  (YardNetworkReport *self);
/* Adds a responder (copied) */
void               yard_network_report_add_responder   (YardNetworkReport   *self,
                                                        const YardResponder *responder);
/* How many responders are PXE boot servers other than this Bootyard */
guint              yard_network_report_count_other_servers (YardNetworkReport *self);

/* {"interface", "time", "responders": [RESPONDER]} — docs/api.md */
JsonObject        *yard_network_report_to_json         (YardNetworkReport *self) G_GNUC_WARN_UNUSED_RESULT;
/* {"address", "dhcp", "offeredAddress", "pxe", "bootFile", "nextServer", "self"} each */
JsonArray         *yard_network_report_responders_to_json (YardNetworkReport *self) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote; YARD_ERROR_PROTOCOL naming the member that does not read. */
YardNetworkReport *yard_network_report_new_from_json   (JsonObject        *object,
                                                        GError           **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
