/* yard-proxy-dhcp.h: boot information for PXE clients (PXE 2.1 ProxyDHCP), or full DHCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a host gets. The policy function returns NONE (no offer at all: the host boots from
 * its disk or is ignored), DEFAULT (the menu's loader for the client's firmware: see
 * yard_proxy_dhcp_set_menu_flavor()), IPXE (the iPXE binary, then its own script), PXELINUX
 * (syslinux: pxelinux.0 on BIOS, every file over TFTP; efi64/syslinux.efi on x86-64 UEFI),
 * LPXELINUX (BIOS, a menu choice: lpxelinux.0 with option 210, so that it fetches everything
 * else over HTTP, while /boot/ is served over HTTP; pxelinux.0 otherwise) or GRUB (Debian's
 * signed shim, then signed GRUB: UEFI only, with Secure Boot on or off). */
typedef enum
{
  YARD_BOOT_NONE,
  YARD_BOOT_DEFAULT,
  YARD_BOOT_IPXE,
  YARD_BOOT_PXELINUX,
  YARD_BOOT_GRUB,
  YARD_BOOT_LPXELINUX,
} YardBootFlavor;

/* Client architectures (RFC 4578 option 93, IANA "Processor Architecture Types") */
#define YARD_ARCH_BIOS       0
#define YARD_ARCH_EFI_IA32   6
#define YARD_ARCH_EFI_X64    7
#define YARD_ARCH_EFI_BC     9
#define YARD_ARCH_EFI_ARM64  11
#define YARD_ARCH_HTTP_X64   16
#define YARD_ARCH_HTTP_ARM64 19

typedef YardBootFlavor (*YardDhcpPolicyFunc) (const char *mac,
                                              guint       arch,
                                              gpointer    user_data);

#define YARD_TYPE_PROXY_DHCP (yard_proxy_dhcp_get_type ())
G_DECLARE_FINAL_TYPE (YardProxyDhcp, yard_proxy_dhcp, YARD, PROXY_DHCP, GObject)

YardProxyDhcp  *yard_proxy_dhcp_new             (const char          *interface,
                                                 const char          *address,
                                                 const char          *root_dir);
void            yard_proxy_dhcp_set_ports       (YardProxyDhcp       *self,
                                                 guint16              dhcp_port,
                                                 guint16              pxe_port);
void            yard_proxy_dhcp_set_http_port   (YardProxyDhcp       *self,
                                                 guint16              http_port);
void            yard_proxy_dhcp_set_http_boot   (YardProxyDhcp       *self,
                                                 gboolean             served);
gboolean        yard_proxy_dhcp_set_range       (YardProxyDhcp       *self,
                                                 const char          *range,
                                                 const char          *state_dir,
                                                 GError             **error);
void            yard_proxy_dhcp_set_probe_timeout (YardProxyDhcp     *self,
                                                   guint              milliseconds);
void            yard_proxy_dhcp_set_boot_file   (YardProxyDhcp       *self,
                                                 guint                arch,
                                                 YardBootFlavor       flavor,
                                                 const char          *file);
const char     *yard_proxy_dhcp_get_boot_file   (YardProxyDhcp       *self,
                                                 guint                arch,
                                                 YardBootFlavor       flavor);
void            yard_proxy_dhcp_set_menu_flavor (YardProxyDhcp       *self,
                                                 YardBootFlavor       bios,
                                                 YardBootFlavor       uefi);
void            yard_proxy_dhcp_set_policy_func (YardProxyDhcp       *self,
                                                 YardDhcpPolicyFunc   func,
                                                 gpointer             user_data,
                                                 GDestroyNotify       notify);
gboolean        yard_proxy_dhcp_start           (YardProxyDhcp       *self,
                                                 GError             **error);
void            yard_proxy_dhcp_stop            (YardProxyDhcp       *self);
gboolean        yard_proxy_dhcp_is_running      (YardProxyDhcp       *self);
guint16         yard_proxy_dhcp_get_port        (YardProxyDhcp       *self);
guint16         yard_proxy_dhcp_get_pxe_port    (YardProxyDhcp       *self);
const char     *yard_proxy_dhcp_get_address     (YardProxyDhcp       *self);
const char     *yard_proxy_dhcp_get_interface   (YardProxyDhcp       *self);

G_END_DECLS
