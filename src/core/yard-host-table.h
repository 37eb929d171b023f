/* yard-host-table.h: the machines that boot from this server, and what each one gets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-machine.h"

G_BEGIN_DECLS

/* What a host gets when it boots: the shared menu, its own script, a chained URL, its local
 * disk, or nothing at all (ProxyDHCP stays silent). */
typedef enum
{
  YARD_HOST_MODE_MENU,
  YARD_HOST_MODE_SCRIPT,
  YARD_HOST_MODE_URL,
  YARD_HOST_MODE_DISK,
  YARD_HOST_MODE_IGNORE,
} YardHostMode;

typedef struct
{
  char         *mac;          /* lowercase with colons: "52:54:00:12:34:56" */
  char         *name;         /* never NULL, may be "" */
  YardHostMode  mode;
  char         *script;       /* NULL or text starting with "#!ipxe" */
  char         *script_url;   /* NULL or an http(s) URL */
  gboolean      once;         /* switch to disk after one boot */
  char         *arch;         /* read-only: "bios", "efi-x64", ...; NULL = unknown */
  gint64        last_seen;    /* read-only: unix time in seconds; 0 = never */
  char         *address;      /* read-only: last IP address seen */
  char         *vendor_class; /* read-only: DHCP option 60 */
  char         *uuid;         /* read-only: DHCP option 97 */
  YardMachine  *machine;      /* read-only: what its iPXE or GRUB reported, or NULL */
} YardHost;

#define YARD_TYPE_HOST (yard_host_get_type ())
GType        yard_host_get_type         (void) G_GNUC_CONST;
YardHost    *yard_host_new              (const char    *mac);
YardHost    *yard_host_copy             (const YardHost *host);
void         yard_host_free             (YardHost      *host);
JsonObject  *yard_host_to_json          (const YardHost *host);
/* What yard_host_to_json() wrote (hosts.json, the API's answers), read-only members included;
 * validated as a whole: YARD_ERROR_INVALID_CONFIG (a bad MAC: YARD_ERROR_INVALID_ARGUMENT)
 * naming the host otherwise. */
YardHost    *yard_host_new_from_json    (JsonObject     *object,
                                         GError        **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     yard_host_validate         (const YardHost *host,
                                         const char   **field,
                                         GError       **error);
/* PUT /hosts/MAC: the members given (name, mode, script, scriptUrl, once; the read-only ones
 * are accepted and ignored, "mac" only with the host's own) change, then the whole host is
 * validated; all or nothing. YARD_ERROR_INVALID_ARGUMENT and *field (JSON name) otherwise. */
gboolean     yard_host_update_from_json (YardHost       *host,
                                         JsonObject     *patch,
                                         const char    **field,
                                         GError        **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardHost, yard_host_free)

const char  *yard_host_mode_to_string   (YardHostMode   mode);
gboolean     yard_host_mode_from_string (const char    *text,
                                         YardHostMode  *mode);
char        *yard_mac_normalize         (const char    *text,
                                         GError       **error);

#define YARD_TYPE_HOST_TABLE (yard_host_table_get_type ())
G_DECLARE_FINAL_TYPE (YardHostTable, yard_host_table, YARD, HOST_TABLE, GObject)

/* Signals: "host-seen" (const YardHost *) after record_seen; "host-changed" (const YardHost *)
 * after put and switch_to_disk; "host-removed" (const char *mac). Each is emitted after the
 * change is saved. */

YardHostTable *yard_host_table_new            (const char     *path);
const char    *yard_host_table_get_path       (YardHostTable  *self);
gboolean       yard_host_table_load           (YardHostTable  *self,
                                               GError        **error);
const GError  *yard_host_table_get_load_error (YardHostTable  *self);
GPtrArray     *yard_host_table_dup_hosts      (YardHostTable  *self);
YardHost      *yard_host_table_dup_host       (YardHostTable  *self,
                                               const char     *mac);
gboolean       yard_host_table_put            (YardHostTable  *self,
                                               const YardHost *host,
                                               gboolean       *created,
                                               GError        **error);
gboolean       yard_host_table_remove         (YardHostTable  *self,
                                               const char     *mac,
                                               GError        **error);
YardHost      *yard_host_table_record_seen    (YardHostTable  *self,
                                               const char     *mac,
                                               int             arch,
                                               const char     *address,
                                               const char     *vendor_class,
                                               const char     *uuid,
                                               gboolean       *created,
                                               GError        **error);
/* Keeps what the machine reported (yard-machine.h), with the time, for a host
 * the table has (YARD_ERROR_NOT_FOUND otherwise: reports never add hosts). Written within a
 * second; "host-changed" tells. */
gboolean       yard_host_table_record_machine (YardHostTable  *self,
                                               const char     *mac,
                                               const YardMachine *machine,
                                               GError        **error);
YardHost      *yard_host_table_switch_to_disk (YardHostTable  *self,
                                               const char     *mac,
                                               GError        **error);
gboolean       yard_host_table_flush          (YardHostTable  *self,
                                               GError        **error);

G_END_DECLS
