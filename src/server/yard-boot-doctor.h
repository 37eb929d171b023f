/* yard-boot-doctor.h: following each client's boot, and saying in words where it stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "yard-boot-menu.h"
#include "yard-boot-record.h"
#include "yard-boot-verdict.h"
#include "yard-network-report.h"

G_BEGIN_DECLS


#define YARD_TYPE_BOOT_DOCTOR (yard_boot_doctor_get_type ())
G_DECLARE_FINAL_TYPE (YardBootDoctor, yard_boot_doctor, YARD, BOOT_DOCTOR, GObject)

/* Signal "verdict" (JsonObject *verdict): each new verdict, once per cause and client, as
 * yard_boot_verdict_to_json() writes it (yard-boot-verdict.h). */

/* Signal "history-changed": a boot of the history began or changed (save it soon). */

/* The history keeps the last YARD_BOOT_HISTORY_MAX boots, each with at most
 * YARD_BOOT_HISTORY_EVENTS_MAX of its events (a boot takes about ten). A boot is a
 * YardBootRecord, as yard_boot_record_to_json() writes it: its client, times, latest verdict
 * and events, the DHCP answers, requests and transfers (not their progress) that the doctor
 * followed for that client. A boot begins with a DHCP answer when
 * the client's last boot has a verdict or went quiet for two minutes. */
#define YARD_BOOT_HISTORY_MAX        200
#define YARD_BOOT_HISTORY_EVENTS_MAX 48

/* root_dir: where loaders are looked at (signed or not); NULL: never. */
YardBootDoctor *yard_boot_doctor_new            (const char     *root_dir);
/* The menu whose entries name kernels and initrds (NULL: none). */
void            yard_boot_doctor_set_menu       (YardBootDoctor *self,
                                                 YardBootMenu   *menu);
/* What the network doctor found (yard-dhcp-probe.h), kept (a ref); NULL forgets. */
void            yard_boot_doctor_set_network_report (YardBootDoctor    *self,
                                                     YardNetworkReport *report);
/* Feeds one server event (docs/api.md "Events") at now (monotonic µs); kinds it does not
 * follow are ignored. */
void            yard_boot_doctor_feed           (YardBootDoctor *self,
                                                 gint64          now,
                                                 const char     *kind,
                                                 JsonObject     *payload);
/* Gives the verdicts that take waiting (a client that went quiet); call every few seconds. */
void            yard_boot_doctor_tick           (YardBootDoctor *self,
                                                 gint64          now);
/* The latest YardBootVerdict of each client, newest first; mac != NULL: that client's only
 * (any separator, any case). A new array of refs (a verdict does not change). */
GPtrArray      *yard_boot_doctor_dup_verdicts   (YardBootDoctor *self,
                                                 const char     *mac) G_GNUC_WARN_UNUSED_RESULT;

/* The YardBootRecords of the history, newest first; mac != NULL: that client's only. A new
 * array of refs to the doctor's own records, which go on changing with the boot: write them
 * (yard_boot_record_to_json) at once, and change none of them (the API names a boot's host on
 * a yard_boot_record_copy). */
GPtrArray      *yard_boot_doctor_dup_history    (YardBootDoctor *self,
                                                 const char     *mac) G_GNUC_WARN_UNUSED_RESULT;
/* The whole history as it is saved (activity.json's "boots") and taken back by
 * restore_history: each boot as yard_boot_record_to_json writes it, newest first. */
JsonArray      *yard_boot_doctor_save_history   (YardBootDoctor *self) G_GNUC_WARN_UNUSED_RESULT;
/* Takes boots that save_history wrote (newest first, as they were), up to the limits above;
 * boots not of that shape are skipped. Call it before the first event. Returns how many were
 * taken. */
guint           yard_boot_doctor_restore_history (YardBootDoctor *self,
                                                  JsonArray      *boots);

G_END_DECLS
