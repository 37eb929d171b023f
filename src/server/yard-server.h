/* yard-server.h: everything bootyard-server runs, in one object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-boot-menu.h"
#include "yard-host-table.h"
#include "yard-network-report.h"
#include "yard-server-status.h"

G_BEGIN_DECLS

typedef struct
{
  char     *root_dir;          /* the boot root, served by TFTP and HTTP */
  char     *state_dir;         /* hosts, settings, api-token */
  char     *address;           /* our own address: next-server, URLs; NULL = pick / any */
  char     *interface;         /* ProxyDHCP answers only here */
  guint16   tftp_port;
  guint16   http_port;
  guint16   dhcp_port;
  guint16   pxe_port;
  gboolean  no_dhcp;
  gboolean  no_tftp;
  gboolean  no_http;
  gboolean  services_off;      /* API up, boot services wait for POST /services/start */
  gboolean  tftp_allow_upload;
  char     *dhcp_range;        /* START,END[,LEASE]: full DHCP for an isolated network */
} YardServerConfig;

void yard_server_config_clear (YardServerConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (YardServerConfig, yard_server_config_clear)

#define YARD_TYPE_SERVER (yard_server_get_type ())
G_DECLARE_FINAL_TYPE (YardServer, yard_server, YARD, SERVER, GObject)

YardServer             *yard_server_new        (const YardServerConfig  *config);
const YardServerConfig *yard_server_get_config (YardServer              *self);
gboolean                yard_server_start      (YardServer              *self,
                                                GError                 **error);
void                    yard_server_stop       (YardServer              *self);
gboolean                yard_server_start_services (YardServer          *self,
                                                    GError             **error);
void                    yard_server_stop_services  (YardServer          *self);
gboolean                yard_server_get_services_running (YardServer    *self);
YardServerStatus       *yard_server_dup_status     (YardServer          *self) G_GNUC_WARN_UNUSED_RESULT;
void                    yard_server_emit_event (YardServer              *self,
                                                const char              *kind,
                                                JsonObject              *payload);
YardHostTable          *yard_server_get_host_table (YardServer          *self);
YardBootMenu           *yard_server_get_menu       (YardServer          *self,
                                                    GError             **error);
gboolean                yard_server_save_menu      (YardServer          *self,
                                                    GError             **error);
/* After images changed: rewrites the efi64, GRUB and iPXE menus, which leave out entries whose
 * files are missing (pxelinux.cfg/default is not touched). */
gboolean                yard_server_refresh_menus  (YardServer          *self,
                                                    GError             **error);
guint16                 yard_server_get_http_port  (YardServer          *self);
/* What menu-mode hosts boot, per firmware, kept in STATE-DIR/settings.json:
 * - "loader" (BIOS): "pxelinux" (the default: pxelinux.0, every file over TFTP), "lpxelinux"
 *   (lpxelinux.0, which fetches the rest over HTTP, while /boot/ is served; pxelinux.0
 *   otherwise) or "ipxe" (undionly.kpxe, then the shared menu as iPXE);
 * - "uefiLoader": "auto" (the default: Debian's signed shim and GRUB, Secure Boot on or off,
 *   when Bootyard hands out the addresses; syslinux.efi beside a router, since that GRUB
 *   reads only the router's answer), "grub", "syslinux" (efi64/syslinux.efi) or "ipxe". */
typedef enum
{
  YARD_LOADER_BIOS,
  YARD_LOADER_UEFI,
  YARD_N_LOADER_SETTINGS
} YardLoaderSetting;

const char             *yard_loader_setting_to_string (YardLoaderSetting setting);
const char             *yard_server_get_loader     (YardServer          *self,
                                                    YardLoaderSetting    setting);
gboolean                yard_server_set_loader     (YardServer          *self,
                                                    YardLoaderSetting    setting,
                                                    const char          *loader,
                                                    GError             **error);

/* The boot doctor's YardBootRecords and YardBootVerdicts (yard-boot-doctor.h: the records go
 * on changing, so write them at once and change none), newest first; mac: only that
 * client's. */
GPtrArray              *yard_server_dup_history    (YardServer          *self,
                                                    const char          *mac) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray              *yard_server_dup_verdicts   (YardServer          *self,
                                                    const char          *mac) G_GNUC_WARN_UNUSED_RESULT;

void                    yard_server_probe_network_async  (YardServer          *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
YardNetworkReport      *yard_server_probe_network_finish (YardServer          *self,
                                                          GAsyncResult        *result,
                                                          GError             **error) G_GNUC_WARN_UNUSED_RESULT;
/* The last report, or NULL (borrowed) */
YardNetworkReport      *yard_server_get_network_report   (YardServer          *self);
gboolean                yard_server_wake_host            (YardServer          *self,
                                                          const char          *mac,
                                                          GError             **error);

G_END_DECLS
