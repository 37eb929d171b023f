/* yard-gui-model.h: what the widgets make of the API's JSON, testable without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "yard-boot-entry.h"
#include "yard-boot-step.h"
#include "yard-host-table.h"
#include "yard-json.h"

G_BEGIN_DECLS

/* The kinds of entry the app creates, in the order its "Add" menu lists them. */
extern const char * const yard_entry_kinds[];


const char   *yard_entry_kind_icon_name  (const char  *kind);
const char   *yard_entry_kind_title      (const char  *kind);
char         *yard_entry_dup_summary     (YardBootEntry *entry);
/* From the server's "support" (docs/api.md): the CPU its kernel is for, for people ("ARM64"),
 * or NULL; and, for a tooltip, where it does not boot and why (NULL: everywhere, Secure Boot
 * on included). */
const char   *yard_entry_get_arch_title  (YardBootEntry *entry);
char         *yard_entry_dup_support_note (YardBootEntry *entry);
gboolean      yard_entry_needs_secure_boot_off (YardBootEntry *entry);
YardBootEntry *yard_entry_form_check     (YardBootEntry   *current,
                                          JsonObject      *fields,
                                          char           **field,
                                          GError         **error) G_GNUC_WARN_UNUSED_RESULT;
YardHost     *yard_host_form_apply       (const YardHost  *host,
                                          const char      *mac,
                                          const char      *name,
                                          YardHostMode     mode,
                                          const char      *script,
                                          const char      *script_url,
                                          gboolean         once,
                                          const char     **field,
                                          GError         **error) G_GNUC_WARN_UNUSED_RESULT;
const char   *yard_host_mode_title       (YardHostMode     mode);
const char   *yard_image_class_description (const char *image_class);
const char   *yard_boot_step_title       (YardBootStep step);
const char   *yard_boot_step_description (YardBootStep step);
const char   *yard_transfer_protocol_title (const char *protocol);
char         *yard_dhcp_offer_dup_detail (const char  *boot_file,
                                          const char  *arch);
char         *yard_format_throughput     (double       bytes_per_second);
char         *yard_format_time           (GDateTime   *time,
                                          GDateTime   *now);
/* images: YardImageFile, the server's list */
char         *yard_image_name_for_copy   (const char  *name,
                                          GPtrArray   *images);
char         *yard_format_last_seen      (const char  *iso8601);
char         *yard_client_arch_dup_title (const char  *arch);
char         *yard_host_dup_policy_title (const YardHost *host);
void          yard_json_set_string_take  (JsonObject  *object,
                                          const char  *member,
                                          char        *value);

/* A list bound to @store (GtkStringObject items, one key each) shows @keys, whose rows show
 * @texts: only the items between the first and the last whose text differs from @shown (what
 * the rows showed) are spliced in, so the other rows stay as they are. @shown becomes @texts. */
void          yard_list_store_sync       (GListStore  *store,
                                          GPtrArray   *shown,
                                          GPtrArray   *keys,
                                          GPtrArray   *texts);

G_END_DECLS
