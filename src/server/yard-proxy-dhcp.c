/* yard-proxy-dhcp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ProxyDHCP (PXE 2.1): the home router hands out addresses, we add only the boot information.
 * Port 67 sees the clients' broadcasts; port 4011 gets the follow-up REQUEST that UEFI firmware
 * and iPXE send to a proxy. Both sockets are bound to one interface (SO_BINDTODEVICE) and every
 * datagram's arrival interface is checked again (IP_PKTINFO): answering PXE clients on the
 * wrong network, say a laptop's Wi-Fi at work, is the one thing this must never do.
 *
 * What real firmware expects, in short:
 * - every answer carries 53, 54 (us), 60 "PXEClient" and the client's own 97 (UUID) back;
 *   siaddr, sname and file are set; yiaddr stays 0.0.0.0 (the router gives the address);
 * - BIOS ROMs get option 43 with PXE_DISCOVERY_CONTROL = 8 ("boot the file in this offer,
 *   skip boot server discovery"), plus a one-item menu and a zero-timeout prompt, which some
 *   Intel ROMs insist on; a ROM that discovers anyway asks on 4011 and gets its item back;
 * - UEFI firmware (EDK2 and its derivatives) ignores a proxy offer with option 43 on port 67
 *   in some versions, so UEFI offers carry none; EDK2 then asks on 4011 and gets a full ACK;
 * - UEFI clients get Debian's signed shim, which asks for GRUB (grubx64.efi / grubaa64.efi) at
 *   the root, so Secure Boot can stay on; syslinux.efi and iPXE are the other choices;
 * - UEFI HTTP boot (arch 16, 19) wants option 60 "HTTPClient" and a URL as the file;
 * - BIOS syslinux hosts get pxelinux.0, every file over TFTP. With the BIOS loader
 *   "lpxelinux" (a choice, not the default: 2 of 79 lab boots stalled, lpxelinux's lwIP
 *   closing its window and going silent mid-initrd, bench/README.md) they get
 *   lpxelinux.0 and option 210 (RFC 5071's PXELINUX path prefix) = http://US:PORT/boot/
 *   while /boot/ is served over HTTP: lpxelinux reads 210 from the proxy's answer too (the
 *   PXE ROM's cached reply), prepends it to every relative name (ldlinux.c32,
 *   pxelinux.cfg/..., kernels, initrds, COM32 modules) and so fetches all but itself over
 *   HTTP, faster than TFTP; pxelinux.0 without 210 otherwise;
 * - iPXE announces itself with user class "iPXE": where the answer would be iPXE again (the
 *   host has its own script, or the menu is iPXE's) it gets its host's script URL instead.
 *
 * With --dhcp-range the same object is a small full DHCP server (yard-dhcp-leases.c) that also
 * answers plain clients, after making sure that no other DHCP server is on the link.
 */

#define G_LOG_DOMAIN "yard-proxy-dhcp"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib-unix.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "yard-dhcp-leases.h"
#include "yard-dhcp-packet.h"
#include "yard-dhcp-probe.h"
#include "yard-arch.h"
#include "yard-error.h"
#include "yard-privileges.h"
#include "yard-proxy-dhcp.h"
#include "yard-socket.h"

/* dnsmasq (the DHCP server of most home routers) pings a new address for 3 s before it
 * offers it, so a 2 s probe would miss it. */
#define DEFAULT_PROBE_MS 4000
#define MAX_PER_WAKEUP   64
/* host-seen at most once per MAC in this time: firmware retries and the 4011 follow-up
 * would otherwise each rewrite the hosts table. */
#define SEEN_SLOTS       256
#define SEEN_INTERVAL_US (5 * G_USEC_PER_SEC)
/* ... and at most this many host-seen per second (with bursts up to SEEN_BURST): recording a
 * host writes the hosts table, and a flood of made-up MACs must not stall the answers. A
 * host left out is recorded at its next retry. */
#define SEEN_PER_SECOND  10
#define SEEN_BURST       40

typedef struct
{
  guint8  chaddr[16];
  guint8  hlen;
  gint64  when;   /* monotonic; 0 = empty */
} SeenSlot;

/* An arch's file per flavor; NULL = that flavor has none here. */
typedef struct
{
  char     *pxelinux;      /* syslinux: pxelinux.0, efi64/syslinux.efi */
  char     *pxelinux_http; /* syslinux that reads http:// paths (lpxelinux.0): LPXELINUX's,
                            * with option 210, while /boot/ is served over HTTP */
  char     *grub;          /* shim, which loads GRUB */
  char     *ipxe;
  gboolean  only_if_present; /* the defaults: offer a file only when the boot root has it */
  gboolean  http;          /* send as an http:// URL (UEFI HTTP boot) */
} BootFiles;

struct _YardProxyDhcp
{
  GObject             parent_instance;

  char               *interface;       /* as configured; resolved in start() */
  char               *address;
  char               *root_dir;
  guint16             dhcp_port;
  guint16             pxe_port;
  guint16             http_port;
  gboolean            http_boot;        /* /boot/ is served over HTTP on http_port */
  gboolean            logged_no_http;   /* said that LPXELINUX hosts get TFTP without it */
  guint               probe_ms;
  char               *range;            /* full DHCP when set */
  char               *state_dir;

  GHashTable         *boot_files;       /* GUINT_TO_POINTER (arch) -> BootFiles */
  GHashTable         *logged_arches;    /* arches already logged as having no boot file */
  GHashTable         *gave_ipxe;        /* MAC -> monotonic time we last offered it iPXE */
  YardBootFlavor      bios_flavor;      /* DEFAULT hosts with BIOS: PXELINUX, LPXELINUX, IPXE */
  YardBootFlavor      uefi_flavor;      /* DEFAULT hosts with UEFI: GRUB, PXELINUX or IPXE */
  YardDhcpPolicyFunc  policy;
  gpointer            policy_data;
  GDestroyNotify      policy_notify;

  /* While running */
  char               *if_name;
  guint               if_index;
  guint32             server_addr;      /* network byte order */
  guint32             netmask;          /* network byte order, 0 when unknown */
  char                server_text[INET_ADDRSTRLEN];
  int                 dhcp_fd;
  int                 pxe_fd;
  guint               dhcp_source;
  guint               pxe_source;
  guint16             bound_dhcp_port;
  guint16             bound_pxe_port;
  YardDhcpLeases     *leases;
  SeenSlot            seen[SEEN_SLOTS]; /* recent host-seen emissions, by MAC hash */
  double              seen_tokens;      /* token bucket for host-seen */
  gint64              seen_refilled;
};

G_DEFINE_FINAL_TYPE (YardProxyDhcp, yard_proxy_dhcp, G_TYPE_OBJECT)

enum {
  SIGNAL_HOST_SEEN,
  SIGNAL_DHCP_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
boot_files_free (BootFiles *files)
{
  g_free (files->pxelinux);
  g_free (files->pxelinux_http);
  g_free (files->grub);
  g_free (files->ipxe);
  g_free (files);
}

static BootFiles *
add_default (YardProxyDhcp *self,
             guint          arch,
             const char    *pxelinux,
             const char    *grub,
             const char    *ipxe,
             gboolean       http)
{
  BootFiles *files = g_new0 (BootFiles, 1);

  files->pxelinux = g_strdup (pxelinux);
  files->grub = g_strdup (grub);
  files->ipxe = g_strdup (ipxe);
  files->only_if_present = TRUE;
  files->http = http;
  g_hash_table_replace (self->boot_files, GUINT_TO_POINTER (arch), files);
  return files;
}

static void
yard_proxy_dhcp_dispose (GObject *object)
{
  YardProxyDhcp *self = YARD_PROXY_DHCP (object);

  yard_proxy_dhcp_stop (self);
  if (self->policy_notify != NULL)
    g_clear_pointer (&self->policy_data, self->policy_notify);
  self->policy = NULL;
  self->policy_notify = NULL;

  G_OBJECT_CLASS (yard_proxy_dhcp_parent_class)->dispose (object);
}

static void
yard_proxy_dhcp_finalize (GObject *object)
{
  YardProxyDhcp *self = YARD_PROXY_DHCP (object);

  g_clear_pointer (&self->interface, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->root_dir, g_free);
  g_clear_pointer (&self->range, g_free);
  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->if_name, g_free);
  g_clear_pointer (&self->boot_files, g_hash_table_unref);
  g_clear_pointer (&self->logged_arches, g_hash_table_unref);
  g_clear_pointer (&self->gave_ipxe, g_hash_table_unref);

  G_OBJECT_CLASS (yard_proxy_dhcp_parent_class)->finalize (object);
}

static void
yard_proxy_dhcp_class_init (YardProxyDhcpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_proxy_dhcp_dispose;
  object_class->finalize = yard_proxy_dhcp_finalize;

  /**
   * YardProxyDhcp::host-seen:
   * @mac: "52:54:00:12:34:56"
   * @arch: option 93
   * @vendor_class: option 60, printable
   * @uuid: option 97 as a UUID string, or NULL
   * @interface: where the request came in
   * @time: when, in seconds since the epoch
   *
   * Emitted for PXE requests, answered or not (before the policy is asked), at most once
   * per MAC in 5 seconds (a boot's retries and its 4011 follow-up make one emission) and at
   * most 10 per second with bursts of 40 (a flood of made-up MACs cannot stall the answers;
   * a host left out is recorded at its next request).
   */
  signals[SIGNAL_HOST_SEEN] =
    g_signal_new ("host-seen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 6, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_INT64);

  /**
   * YardProxyDhcp::dhcp-event:
   * @kind: "dhcp-answered", "dhcp-unanswered" (no boot file for the client's arch) or
   *        "dhcp-request" (a PXE client's REQUEST for another server)
   * @payload: answered: {mac, arch, bootFile, port, message, address (full DHCP only)};
   *           unanswered: {mac, arch, reason}; request: {mac, address (the one requested,
   *           or null), serverId, ours, leaseOffered (we had offered it a lease)}
   */
  signals[SIGNAL_DHCP_EVENT] =
    g_signal_new ("dhcp-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
}

static void
yard_proxy_dhcp_init (YardProxyDhcp *self)
{
  self->dhcp_fd = -1;
  self->pxe_fd = -1;
  self->dhcp_port = 67;
  self->pxe_port = 4011;
  self->http_port = 8067;
  self->probe_ms = DEFAULT_PROBE_MS;
  self->bios_flavor = YARD_BOOT_PXELINUX;
  self->uefi_flavor = YARD_BOOT_GRUB;
  self->boot_files = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) boot_files_free);
  self->logged_arches = g_hash_table_new (NULL, NULL);
  self->gave_ipxe = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Each default is offered only when the boot root has it; a flavor without its file falls
   * back to GRUB, then syslinux (see choose_boot_file). 32-bit UEFI (arch 6) gets nothing:
   * Debian has no signed shim, syslinux or iPXE for it. */
  add_default (self, YARD_ARCH_BIOS, "pxelinux.0", NULL, "undionly.kpxe", FALSE)->pxelinux_http =
    g_strdup ("lpxelinux.0");
  add_default (self, YARD_ARCH_EFI_X64, "efi64/syslinux.efi", "shimx64.efi", "ipxe.efi", FALSE);
  add_default (self, YARD_ARCH_EFI_BC, "efi64/syslinux.efi", "shimx64.efi", "ipxe.efi", FALSE);
  /* No syslinux for ARM, and Debian ships no ARM64 iPXE: one the user put there is used. */
  add_default (self, YARD_ARCH_EFI_ARM64, NULL, "shimaa64.efi", "arm64/ipxe.efi", FALSE);
  /* HTTP Boot: syslinux.efi needs the PXE base code that HTTP Boot lacks, and Debian 12's
   * signed GRUB has no http module (shim fetches it, then it reads nothing): iPXE it is, with
   * Secure Boot off. Debian has no ARM64 iPXE: one the user put there. */
  add_default (self, YARD_ARCH_HTTP_X64, NULL, NULL, "ipxe.efi", TRUE);
  add_default (self, YARD_ARCH_HTTP_ARM64, NULL, NULL, "arm64/ipxe.efi", TRUE);
}

/**
 * yard_proxy_dhcp_new:
 * @interface: (nullable): the only interface to answer on; NULL = the one holding @address
 * @address: (nullable): our IPv4 address (next-server, server identifier, URLs);
 *   NULL = the first IPv4 address of @interface
 * @root_dir: the boot root, to see whether optional boot files exist
 */
YardProxyDhcp *
yard_proxy_dhcp_new (const char *interface,
                     const char *address,
                     const char *root_dir)
{
  YardProxyDhcp *self = g_object_new (YARD_TYPE_PROXY_DHCP, NULL);

  self->interface = g_strdup (interface);
  self->address = g_strdup (address);
  self->root_dir = g_strdup (root_dir);
  return self;
}

/* 0 picks a free port (tests). Takes effect at the next start. */
void
yard_proxy_dhcp_set_ports (YardProxyDhcp *self,
                           guint16        dhcp_port,
                           guint16        pxe_port)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  self->dhcp_port = dhcp_port;
  self->pxe_port = pxe_port;
}

/* The HTTP port put into URLs (iPXE scripts, UEFI HTTP boot, option 210); takes effect at
 * once. */
void
yard_proxy_dhcp_set_http_port (YardProxyDhcp *self,
                               guint16        http_port)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  self->http_port = http_port;
}

/* Whether that port serves /boot/ (the "http" boot service runs): only then do LPXELINUX
 * hosts get lpxelinux.0 and option 210; pxelinux.0 over TFTP otherwise. Off until set. */
void
yard_proxy_dhcp_set_http_boot (YardProxyDhcp *self,
                               gboolean       served)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  self->http_boot = served;
  self->logged_no_http = FALSE;
}

/**
 * yard_proxy_dhcp_set_range:
 * @range: (nullable): "START,END[,LEASE]" for full DHCP, NULL for ProxyDHCP only
 * @state_dir: where dhcp-leases.json is kept
 *
 * Checks the range's syntax now; whether it fits the interface's network is checked by start.
 */
gboolean
yard_proxy_dhcp_set_range (YardProxyDhcp  *self,
                           const char     *range,
                           const char     *state_dir,
                           GError        **error)
{
  guint32 start, end;
  guint lease;

  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), FALSE);
  g_return_val_if_fail (range == NULL || state_dir != NULL, FALSE);

  if (range != NULL && !yard_dhcp_range_parse (range, &start, &end, &lease, error))
    return FALSE;
  g_free (self->range);
  self->range = g_strdup (range);
  g_free (self->state_dir);
  self->state_dir = g_strdup (state_dir);
  return TRUE;
}

/* How long start() listens for another DHCP server in full DHCP mode (default 4 s). */
void
yard_proxy_dhcp_set_probe_timeout (YardProxyDhcp *self,
                                   guint          milliseconds)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  self->probe_ms = milliseconds;
}

/**
 * yard_proxy_dhcp_set_boot_file:
 * @arch: option 93 value
 * @flavor: %YARD_BOOT_PXELINUX, %YARD_BOOT_GRUB or %YARD_BOOT_IPXE (%YARD_BOOT_DEFAULT sets
 *   all three)
 * @file: (nullable): a path in the boot root or an http:// URL; NULL = no answer for this arch
 */
void
yard_proxy_dhcp_set_boot_file (YardProxyDhcp  *self,
                               guint           arch,
                               YardBootFlavor  flavor,
                               const char     *file)
{
  BootFiles *files;

  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  g_return_if_fail (flavor != YARD_BOOT_NONE);

  files = g_hash_table_lookup (self->boot_files, GUINT_TO_POINTER (arch));
  if (files == NULL)
    {
      files = g_new0 (BootFiles, 1);
      files->http = (arch == YARD_ARCH_HTTP_X64 || arch == YARD_ARCH_HTTP_ARM64);
      g_hash_table_insert (self->boot_files, GUINT_TO_POINTER (arch), files);
    }
  /* Set by hand: the user knows it is there (or will be). */
  files->only_if_present = FALSE;
  if (flavor == YARD_BOOT_PXELINUX || flavor == YARD_BOOT_LPXELINUX ||
      flavor == YARD_BOOT_DEFAULT)
    {
      g_free (files->pxelinux);
      files->pxelinux = g_strdup (file);
      g_clear_pointer (&files->pxelinux_http, g_free);
    }
  if (flavor == YARD_BOOT_GRUB || flavor == YARD_BOOT_DEFAULT)
    {
      g_free (files->grub);
      files->grub = g_strdup (file);
    }
  if (flavor == YARD_BOOT_IPXE || flavor == YARD_BOOT_DEFAULT)
    {
      g_free (files->ipxe);
      files->ipxe = g_strdup (file);
    }
  g_hash_table_remove (self->logged_arches, GUINT_TO_POINTER (arch));
}

/* DEFAULT becomes the menu's loader for that firmware */
static YardBootFlavor
resolve_flavor (YardProxyDhcp  *self,
                guint           arch,
                YardBootFlavor  flavor)
{
  if (flavor != YARD_BOOT_DEFAULT)
    return flavor;
  return arch == YARD_ARCH_BIOS ? self->bios_flavor : self->uefi_flavor;
}

static const char *
file_of_flavor (const BootFiles *files,
                YardBootFlavor   flavor)
{
  switch (flavor)
    {
    case YARD_BOOT_IPXE:
      return files->ipxe;
    case YARD_BOOT_GRUB:
      return files->grub;
    case YARD_BOOT_PXELINUX:
    case YARD_BOOT_LPXELINUX: /* without HTTP; choose_boot_file prefers pxelinux_http */
      return files->pxelinux;
    case YARD_BOOT_NONE:
    case YARD_BOOT_DEFAULT:
    default:
      return NULL;
    }
}

/* The mapped file (DEFAULT follows the menu flavor), or NULL. */
const char *
yard_proxy_dhcp_get_boot_file (YardProxyDhcp  *self,
                               guint           arch,
                               YardBootFlavor  flavor)
{
  BootFiles *files;

  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), NULL);

  files = g_hash_table_lookup (self->boot_files, GUINT_TO_POINTER (arch));
  if (files == NULL || flavor == YARD_BOOT_NONE)
    return NULL;
  return file_of_flavor (files, resolve_flavor (self, arch, flavor));
}

/* Which loader DEFAULT hosts get: on BIOS %YARD_BOOT_PXELINUX (the default),
 * %YARD_BOOT_LPXELINUX or %YARD_BOOT_IPXE; on UEFI %YARD_BOOT_GRUB (the default),
 * %YARD_BOOT_PXELINUX or %YARD_BOOT_IPXE. */
void
yard_proxy_dhcp_set_menu_flavor (YardProxyDhcp  *self,
                                 YardBootFlavor  bios,
                                 YardBootFlavor  uefi)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));
  g_return_if_fail (bios == YARD_BOOT_PXELINUX || bios == YARD_BOOT_LPXELINUX ||
                    bios == YARD_BOOT_IPXE);
  g_return_if_fail (uefi == YARD_BOOT_GRUB || uefi == YARD_BOOT_PXELINUX ||
                    uefi == YARD_BOOT_IPXE);
  self->bios_flavor = bios;
  self->uefi_flavor = uefi;
}

/* Asked for every PXE request: NONE means no answer. Without one, every host is DEFAULT. */
void
yard_proxy_dhcp_set_policy_func (YardProxyDhcp      *self,
                                 YardDhcpPolicyFunc  func,
                                 gpointer            user_data,
                                 GDestroyNotify      notify)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));

  if (self->policy_notify != NULL && self->policy_data != NULL)
    self->policy_notify (self->policy_data);
  self->policy = func;
  self->policy_data = user_data;
  self->policy_notify = notify;
}

gboolean
yard_proxy_dhcp_is_running (YardProxyDhcp *self)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), FALSE);
  return self->dhcp_fd >= 0;
}

guint16
yard_proxy_dhcp_get_port (YardProxyDhcp *self)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), 0);
  return self->bound_dhcp_port;
}

guint16
yard_proxy_dhcp_get_pxe_port (YardProxyDhcp *self)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), 0);
  return self->bound_pxe_port;
}

/* The address in use while running (NULL while stopped) */
const char *
yard_proxy_dhcp_get_address (YardProxyDhcp *self)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), NULL);
  return self->dhcp_fd >= 0 ? self->server_text : NULL;
}

const char *
yard_proxy_dhcp_get_interface (YardProxyDhcp *self)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), NULL);
  return self->if_name != NULL ? self->if_name : self->interface;
}

/* ---------------------------------------------------------------------------------------- */
/* Answering                                                                                 */

static const char *
arch_name (guint arch)
{
  const YardClientArch *a = yard_client_arch_lookup (arch);

  return a != NULL ? a->display : "unknown";
}

static gboolean
root_has_file (YardProxyDhcp *self,
               const char    *file)
{
  g_autofree char *path = NULL;

  if (self->root_dir == NULL)
    return TRUE;   /* no root to look into: trust the mapping */
  path = g_build_filename (self->root_dir, file, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
log_no_boot_file (YardProxyDhcp *self,
                  const char    *mac,
                  guint          arch,
                  const char    *why)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "mac", mac);
  json_object_set_int_member (payload, "arch", arch);
  json_object_set_string_member (payload, "reason",
                                 *why != '\0' ? "no such loader in the boot root"
                                               : "no loader is made for it");
  g_signal_emit (self, signals[SIGNAL_DHCP_EVENT], 0, "dhcp-unanswered", payload);

  /* One line per arch, not one per retry of every client */
  if (g_hash_table_add (self->logged_arches, GUINT_TO_POINTER (arch)))
    g_message ("Not answering %s: no boot file for architecture %u (%s)%s",
               mac, arch, arch_name (arch), why);
  else
    g_debug ("Not answering %s: no boot file for architecture %u", mac, arch);
}

/* A UEFI HTTP Boot host that got iPXE from us in the last minutes: the iPXE that asks next is
 * ours. Bounded:
 * past GAVE_IPXE_MAX hosts the memory starts again. */
#define GAVE_IPXE_MAX 1024
#define GAVE_IPXE_US  (5 * 60 * G_USEC_PER_SEC)

static void
remember_ipxe (YardProxyDhcp *self,
               const char    *mac)
{
  gint64 *when = g_new (gint64, 1);

  if (g_hash_table_size (self->gave_ipxe) >= GAVE_IPXE_MAX)
    g_hash_table_remove_all (self->gave_ipxe);
  *when = g_get_monotonic_time ();
  g_hash_table_replace (self->gave_ipxe, g_strdup (mac), when);
}

static gboolean
recently_gave_ipxe (YardProxyDhcp *self,
                    const char    *mac)
{
  const gint64 *when = g_hash_table_lookup (self->gave_ipxe, mac);

  return when != NULL && g_get_monotonic_time () - *when < GAVE_IPXE_US;
}

/* Chooses what @mac gets; FALSE (and a log line) when nothing. @file receives a path in the
 * root or a URL; @path_prefix whether it is the syslinux that fetches the rest over HTTP
 * (the answer then carries option 210). A default whose file the root lacks (or that an arch
 * has none of) gives way to GRUB, then syslinux, then iPXE: a root without Debian's shim
 * still boots UEFI clients (with Secure Boot off), one without lpxelinux.0 LPXELINUX
 * clients through pxelinux.0. */
static gboolean
choose_boot_file (YardProxyDhcp        *self,
                  const YardDhcpPacket *request,
                  const char           *mac,
                  guint                 arch,
                  gboolean              http_client,
                  YardBootFlavor        flavor,
                  char                 *file,
                  gsize                 file_size,
                  gboolean             *path_prefix)
{
  BootFiles *files;
  const char *wanted = NULL;
  const char *name = NULL;

  *path_prefix = FALSE;
  flavor = resolve_flavor (self, arch, flavor);
  files = g_hash_table_lookup (self->boot_files, GUINT_TO_POINTER (arch));
  if (files != NULL)
    {
      /* syslinux over HTTP only when chosen and while /boot/ is served; PXELINUX never */
      gboolean http = flavor == YARD_BOOT_LPXELINUX && self->http_boot && self->http_port != 0 &&
                      files->pxelinux_http != NULL;
      const char *candidates[] = { http ? files->pxelinux_http : file_of_flavor (files, flavor),
                                   files->grub, files->pxelinux, files->ipxe };

      if (flavor == YARD_BOOT_LPXELINUX && files->pxelinux_http != NULL && !http &&
          !self->logged_no_http)
        {
          self->logged_no_http = TRUE;
          g_message ("The BIOS loader lpxelinux fetches its files from the HTTP boot service, "
                     "which is not running: BIOS clients get %s over TFTP instead (start the "
                     "HTTP service, or choose the loader pxelinux)", files->pxelinux);
        }
      wanted = candidates[0];
      for (guint i = 0; i < G_N_ELEMENTS (candidates) && name == NULL; i++)
        if (candidates[i] != NULL && (!files->only_if_present || root_has_file (self, candidates[i])))
          name = candidates[i];
    }

  /* iPXE asking when the answer would be iPXE again (the host has its own script, the menu is
   * iPXE's, iPXE is all there is for this arch, or we just gave this UEFI HTTP Boot host
   * iPXE, which then asks as a PXE client): its host's script instead, which
   * breaks the chainload loop. An iPXE that is the machine's own ROM (QEMU's, many NICs') on a
   * host that gets another loader is just a PXE client: that loader it gets, like every host
   * on that menu. */
  if (yard_dhcp_packet_has_user_class (request, "iPXE") &&
      (flavor == YARD_BOOT_IPXE || recently_gave_ipxe (self, mac) ||
       (name != NULL && files->ipxe != NULL && g_str_equal (name, files->ipxe))))
    {
      g_snprintf (file, file_size, "http://%s:%u/boot/%s.ipxe",
                  self->server_text, self->http_port, mac);
      return TRUE;
    }

  if (name == NULL)
    {
      log_no_boot_file (self, mac, arch, wanted != NULL ? " in the boot root" : "");
      return FALSE;
    }
  if (wanted != NULL && name != wanted &&
      g_hash_table_add (self->logged_arches, GUINT_TO_POINTER (arch)))
    g_message ("The boot root has no %s for %s clients: they get %s instead", wanted,
               arch_name (arch), name);
  *path_prefix = files->pxelinux_http != NULL && name == files->pxelinux_http;

  /* only an HTTP Boot client's: it has no other iPXE, while a PXE ROM may be iPXE itself */
  if ((files->http || http_client) && files->ipxe != NULL && g_str_equal (name, files->ipxe))
    remember_ipxe (self, mac);
  if (g_str_has_prefix (name, "http://") || g_str_has_prefix (name, "https://"))
    g_strlcpy (file, name, file_size);
  else if (files->http || http_client)
    g_snprintf (file, file_size, "http://%s:%u/boot/%s", self->server_text, self->http_port,
                name);
  else
    g_strlcpy (file, name, file_size);
  return TRUE;
}

/* Option 43 for BIOS ROMs: skip discovery and boot the file, a one-item menu and a prompt that
 * does not wait; on 4011, the boot item the ROM asked for, echoed. */
static void
add_pxe_vendor_options (YardDhcpBuilder      *b,
                        const YardDhcpPacket *request,
                        gboolean              bios)
{
  guint8 opt[64];
  gsize n = 0;
  gsize item_len = 0;
  const guint8 *item = yard_dhcp_packet_get_pxe_suboption (request, YARD_PXE_BOOT_ITEM,
                                                           &item_len);
  static const char label[] = "Bootyard";

  if (bios)
    {
      opt[n++] = YARD_PXE_DISCOVERY_CONTROL;
      opt[n++] = 1;
      opt[n++] = 8;
      opt[n++] = YARD_PXE_BOOT_MENU;
      opt[n++] = 3 + sizeof label - 1;
      opt[n++] = 0x80;   /* a vendor-specific boot server type */
      opt[n++] = 0x00;
      opt[n++] = sizeof label - 1;
      memcpy (opt + n, label, sizeof label - 1);
      n += sizeof label - 1;
      opt[n++] = YARD_PXE_MENU_PROMPT;
      opt[n++] = 1 + sizeof label - 1;
      opt[n++] = 0;      /* timeout 0: take the first item, no prompt */
      memcpy (opt + n, label, sizeof label - 1);
      n += sizeof label - 1;
    }
  if (item != NULL && item_len == 4)
    {
      opt[n++] = YARD_PXE_BOOT_ITEM;
      opt[n++] = 4;
      memcpy (opt + n, item, 4);
      n += 4;
    }
  if (n == 0)
    return;
  opt[n++] = YARD_DHCP_OPTION_END;
  yard_dhcp_builder_add_option (b, YARD_DHCP_OPTION_VENDOR_SPECIFIC, opt, n);
}

static gboolean
send_reply (YardProxyDhcp *self,
            int            fd,
            const guint8  *data,
            gsize          length,
            guint32        dest_addr,
            guint16        dest_port)
{
  struct sockaddr_in dest = { 0, };
  struct iovec iov = { (void *) data, length };
  union {
    char buf[CMSG_SPACE (sizeof (struct in_pktinfo))];
    struct cmsghdr align;
  } control;
  struct msghdr msg = { 0, };
  struct cmsghdr *cmsg;
  struct in_pktinfo *info;

  dest.sin_family = AF_INET;
  dest.sin_addr.s_addr = dest_addr;
  dest.sin_port = htons (dest_port);

  memset (&control, 0, sizeof control);
  msg.msg_name = &dest;
  msg.msg_namelen = sizeof dest;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = IPPROTO_IP;
  cmsg->cmsg_type = IP_PKTINFO;
  cmsg->cmsg_len = CMSG_LEN (sizeof (struct in_pktinfo));
  info = (struct in_pktinfo *) CMSG_DATA (cmsg);
  info->ipi_ifindex = (int) self->if_index;
  info->ipi_spec_dst.s_addr = self->server_addr;

  if (sendmsg (fd, &msg, MSG_DONTWAIT) < 0)
    {
      int saved = errno;
      char text[INET_ADDRSTRLEN];

      g_debug ("Cannot send to %s:%u: %s",
               inet_ntop (AF_INET, &dest.sin_addr, text, sizeof text), dest_port,
               g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A PXE client's REQUEST for another server's lease: tells the doctor the client's address
 * (ProxyDHCP never sees the router's answer) and, in full DHCP mode, that our offer lost. */
static void
emit_request_seen (YardProxyDhcp        *self,
                   const YardDhcpPacket *request,
                   const char           *mac,
                   guint32               server_id,
                   gboolean              lease_offered)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  char text[INET_ADDRSTRLEN];
  guint32 requested = 0;

  json_object_set_string_member (payload, "mac", mac);
  if (yard_dhcp_packet_get_address (request, YARD_DHCP_OPTION_REQUESTED_ADDRESS, &requested) &&
      requested != 0)
    json_object_set_string_member (payload, "address",
                                   inet_ntop (AF_INET, &(struct in_addr) { .s_addr = requested },
                                              text, sizeof text));
  else
    json_object_set_null_member (payload, "address");
  if (server_id != 0)
    json_object_set_string_member (payload, "serverId",
                                   inet_ntop (AF_INET, &(struct in_addr) { .s_addr = server_id },
                                              text, sizeof text));
  else
    json_object_set_null_member (payload, "serverId");
  json_object_set_boolean_member (payload, "ours", server_id == self->server_addr);
  json_object_set_boolean_member (payload, "leaseOffered", lease_offered);
  g_signal_emit (self, signals[SIGNAL_DHCP_EVENT], 0, "dhcp-request", payload);
}

static void
emit_answered (YardProxyDhcp *self,
               const char    *mac,
               guint          arch,
               const char    *file,
               guint16        port,
               guint8         type,
               guint32        yiaddr)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "mac", mac);
  json_object_set_int_member (payload, "arch", arch);
  json_object_set_string_member (payload, "bootFile", file != NULL ? file : "");
  json_object_set_int_member (payload, "port", port);
  json_object_set_string_member (payload, "message",
                                 type == YARD_DHCP_OFFER ? "offer" :
                                 type == YARD_DHCP_ACK ? "ack" : "nak");
  if (yiaddr != 0)
    {
      char text[INET_ADDRSTRLEN];
      struct in_addr in = { .s_addr = yiaddr };

      json_object_set_string_member (payload, "address",
                                     inet_ntop (AF_INET, &in, text, sizeof text));
    }
  g_signal_emit (self, signals[SIGNAL_DHCP_EVENT], 0, "dhcp-answered", payload);
}

/* Where a reply from port 67 goes: through the relay, to the client's address, or broadcast
 * (the client has no address yet, or asked for broadcast). */
static void
reply_destination (YardProxyDhcp        *self,
                   const YardDhcpPacket *request,
                   guint32              *addr,
                   guint16              *port)
{
  guint16 client_port = (guint16) (self->bound_dhcp_port + 1);

  if (request->giaddr != 0)
    {
      *addr = request->giaddr;
      *port = self->bound_dhcp_port;
    }
  else if (request->ciaddr != 0 && !(request->flags & YARD_DHCP_FLAG_BROADCAST))
    {
      *addr = request->ciaddr;
      *port = client_port;
    }
  else
    {
      *addr = htonl (INADDR_BROADCAST);
      *port = client_port;
    }
}

typedef struct
{
  char      mac[49];
  char      vendor[128];
  char      uuid[37];
  guint16   arch;
  gboolean  pxe;        /* option 60 starts with PXEClient */
  gboolean  http;       /* option 60 starts with HTTPClient */
  guint8    type;
} RequestInfo;

/* Fills the boot part of a reply; FALSE when this host gets no boot information. */
static gboolean
add_boot_information (YardProxyDhcp        *self,
                      YardDhcpBuilder      *b,
                      const YardDhcpPacket *request,
                      const RequestInfo    *info,
                      gboolean              on_pxe_port,
                      char                 *file,
                      gsize                 file_size)
{
  YardBootFlavor flavor = YARD_BOOT_DEFAULT;
  gboolean path_prefix;
  gsize uuid_len;
  const guint8 *uuid;

  if (self->policy != NULL)
    flavor = self->policy (info->mac, info->arch, self->policy_data);
  if (flavor == YARD_BOOT_NONE)
    {
      g_debug ("Not answering %s: its policy is to boot elsewhere", info->mac);
      return FALSE;
    }
  if (!choose_boot_file (self, request, info->mac, info->arch, info->http, flavor,
                         file, file_size, &path_prefix))
    return FALSE;

  yard_dhcp_builder_set_address (b, YARD_DHCP_SIADDR, self->server_addr);
  if (!yard_dhcp_builder_set_sname (b, self->server_text) ||
      !yard_dhcp_builder_set_file (b, file))
    {
      g_message ("Not answering %s: the boot file “%s” is longer than the 127 bytes DHCP "
                 "allows", info->mac, file);
      return FALSE;
    }
  yard_dhcp_builder_add_string (b, YARD_DHCP_OPTION_VENDOR_CLASS,
                                info->http ? "HTTPClient" : "PXEClient");
  uuid = yard_dhcp_packet_get_option (request, YARD_DHCP_OPTION_CLIENT_UUID, &uuid_len);
  if (uuid != NULL)
    yard_dhcp_builder_add_option (b, YARD_DHCP_OPTION_CLIENT_UUID, uuid, uuid_len);
  if (path_prefix)
    {
      /* pxelinux joins prefix and name as text: "pxelinux.cfg/default" and "/images/x" both
       * land under /boot/ (the HTTP server reads a leading slash as the root) */
      char prefix[96];

      g_snprintf (prefix, sizeof prefix, "http://%s:%u/boot/", self->server_text,
                  self->http_port);
      yard_dhcp_builder_add_string (b, YARD_DHCP_OPTION_PXELINUX_PATH_PREFIX, prefix);
    }
  if (info->pxe)
    {
      gboolean bios = info->arch == YARD_ARCH_BIOS;

      /* UEFI: no option 43 on port 67 (some firmware ignores such offers); on 4011 only the
       * boot item it asked for, if any. */
      if (bios || on_pxe_port)
        add_pxe_vendor_options (b, request, bios);
    }
  return TRUE;
}

static void
answer_proxy (YardProxyDhcp        *self,
              const YardDhcpPacket *request,
              const RequestInfo    *info,
              gboolean              on_pxe_port,
              guint32               from_addr,
              guint16               from_port)
{
  guint8 out[YARD_DHCP_MAX_PACKET];
  char file[256];
  YardDhcpBuilder b;
  guint8 reply_type;
  guint32 dest_addr;
  guint16 dest_port;
  gsize len;

  if (on_pxe_port)
    {
      /* PXE 2.1: the boot server request is a REQUEST (INFORM from some clients) */
      if (info->type != YARD_DHCP_REQUEST && info->type != YARD_DHCP_INFORM)
        {
          g_debug ("Ignoring DHCP message %u from %s on the PXE port", info->type, info->mac);
          return;
        }
      reply_type = YARD_DHCP_ACK;
    }
  else if (info->type == YARD_DHCP_DISCOVER)
    reply_type = YARD_DHCP_OFFER;
  else if (info->type == YARD_DHCP_REQUEST)
    {
      guint32 server_id = 0;

      /* A REQUEST to the router is none of our business */
      if (!yard_dhcp_packet_get_address (request, YARD_DHCP_OPTION_SERVER_ID, &server_id) ||
          server_id != self->server_addr)
        {
          g_debug ("Ignoring a REQUEST from %s for another server", info->mac);
          if (info->pxe || info->http)
            emit_request_seen (self, request, info->mac, server_id, FALSE);
          return;
        }
      reply_type = YARD_DHCP_ACK;
    }
  else
    {
      g_debug ("Ignoring DHCP message %u from %s", info->type, info->mac);
      return;
    }

  yard_dhcp_builder_init_reply (&b, out, sizeof out, request, reply_type);
  yard_dhcp_builder_add_address (&b, YARD_DHCP_OPTION_SERVER_ID, self->server_addr);
  if (!add_boot_information (self, &b, request, info, on_pxe_port, file, sizeof file))
    return;
  if (on_pxe_port && request->ciaddr != 0)
    yard_dhcp_builder_set_address (&b, YARD_DHCP_CIADDR, request->ciaddr);

  len = yard_dhcp_builder_finish (&b);
  g_assert (len > 0);   /* a reply is far below 1500 bytes */

  if (on_pxe_port)
    {
      dest_addr = from_addr != 0 ? from_addr : htonl (INADDR_BROADCAST);
      dest_port = from_port;
    }
  else
    reply_destination (self, request, &dest_addr, &dest_port);

  if (send_reply (self, on_pxe_port ? self->pxe_fd : self->dhcp_fd, out, len,
                  dest_addr, dest_port))
    {
      g_info ("%s %s (%s) on port %u: %s", reply_type == YARD_DHCP_OFFER ? "Offered" : "Acked",
              info->mac, arch_name (info->arch),
              on_pxe_port ? self->bound_pxe_port : self->bound_dhcp_port, file);
      emit_answered (self, info->mac, info->arch, file,
                     on_pxe_port ? self->bound_pxe_port : self->bound_dhcp_port, reply_type, 0);
    }
}

static void
start_full_reply (YardProxyDhcp        *self,
                  YardDhcpBuilder      *b,
                  guint8               *out,
                  gsize                 size,
                  const YardDhcpPacket *request,
                  const RequestInfo    *info,
                  guint8                reply_type,
                  guint32               address)
{
  guint lease_time = yard_dhcp_leases_get_lease_time (self->leases);

  yard_dhcp_builder_init_reply (b, out, size, request, reply_type);
  yard_dhcp_builder_add_address (b, YARD_DHCP_OPTION_SERVER_ID, self->server_addr);
  if (reply_type == YARD_DHCP_NAK)
    return;
  if (info->type == YARD_DHCP_INFORM)
    yard_dhcp_builder_set_address (b, YARD_DHCP_CIADDR, request->ciaddr);
  else
    {
      yard_dhcp_builder_set_address (b, YARD_DHCP_YIADDR, htonl (address));
      yard_dhcp_builder_add_u32 (b, YARD_DHCP_OPTION_LEASE_TIME, lease_time);
      yard_dhcp_builder_add_u32 (b, YARD_DHCP_OPTION_RENEWAL_TIME, lease_time / 2);
      yard_dhcp_builder_add_u32 (b, YARD_DHCP_OPTION_REBINDING_TIME, lease_time / 8 * 7);
    }
  if (self->netmask != 0)
    yard_dhcp_builder_add_address (b, YARD_DHCP_OPTION_SUBNET_MASK, self->netmask);
}

/* Full DHCP: every client gets an address; PXE clients get the boot information too. */
static void
answer_full (YardProxyDhcp        *self,
             const YardDhcpPacket *request,
             const RequestInfo    *info)
{
  guint8 out[YARD_DHCP_MAX_PACKET];
  char file[256] = "";
  YardDhcpBuilder b;
  guint32 requested = 0, server_id = 0, address = 0;
  gboolean has_server_id;
  guint8 reply_type;
  guint32 dest_addr;
  guint16 dest_port;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize len;

  has_server_id = yard_dhcp_packet_get_address (request, YARD_DHCP_OPTION_SERVER_ID, &server_id);
  if (yard_dhcp_packet_get_address (request, YARD_DHCP_OPTION_REQUESTED_ADDRESS, &requested))
    requested = ntohl (requested);

  switch (info->type)
    {
    case YARD_DHCP_DISCOVER:
      address = yard_dhcp_leases_offer (self->leases, info->mac, requested, now);
      if (address == 0)
        {
          yard_dhcp_leases_warn_full (self->leases, info->mac, now);
          return;
        }
      reply_type = YARD_DHCP_OFFER;
      break;

    case YARD_DHCP_REQUEST:
      {
        g_autoptr(GError) error = NULL;

        if (has_server_id && server_id != self->server_addr)
          {
            g_debug ("%s chose another DHCP server", info->mac);
            if (info->pxe || info->http)
              emit_request_seen (self, request, info->mac, server_id,
                                 yard_dhcp_leases_lookup (self->leases, info->mac) != 0);
            return;
          }
        address = requested != 0 ? requested : ntohl (request->ciaddr);
        if (address != 0 && yard_dhcp_leases_request (self->leases, info->mac, address, now,
                                                      &error))
          reply_type = YARD_DHCP_ACK;
        else
          {
            g_debug ("NAK to %s: %s", info->mac, error ? error->message : "no address");
            reply_type = YARD_DHCP_NAK;
          }
      }
      break;

    case YARD_DHCP_RELEASE:
      if (has_server_id && server_id == self->server_addr)
        yard_dhcp_leases_release (self->leases, info->mac, ntohl (request->ciaddr));
      return;

    case YARD_DHCP_DECLINE:
      if (has_server_id && server_id == self->server_addr && requested != 0)
        {
          g_message ("%s says %s is in use by someone else: not handing it out for a while",
                     info->mac, inet_ntoa ((struct in_addr) { .s_addr = htonl (requested) }));
          yard_dhcp_leases_decline (self->leases, info->mac, requested, now);
        }
      return;

    case YARD_DHCP_INFORM:
      reply_type = YARD_DHCP_ACK;
      address = 0;
      break;

    default:
      g_debug ("Ignoring DHCP message %u from %s", info->type, info->mac);
      return;
    }

  start_full_reply (self, &b, out, sizeof out, request, info, reply_type, address);
  if (reply_type != YARD_DHCP_NAK && (info->pxe || info->http) &&
      !add_boot_information (self, &b, request, info, FALSE, file, sizeof file))
    {
      /* No boot for this host: it still gets its address. */
      file[0] = '\0';
      start_full_reply (self, &b, out, sizeof out, request, info, reply_type, address);
    }

  len = yard_dhcp_builder_finish (&b);
  g_assert (len > 0);
  reply_destination (self, request, &dest_addr, &dest_port);
  if (reply_type == YARD_DHCP_NAK && request->giaddr == 0)
    dest_addr = htonl (INADDR_BROADCAST);   /* RFC 2131 4.3.2 */

  if (send_reply (self, self->dhcp_fd, out, len, dest_addr, dest_port))
    {
      g_info ("%s %s: %s%s%s", reply_type == YARD_DHCP_OFFER ? "Offered" :
              reply_type == YARD_DHCP_ACK ? "Acked" : "Refused (NAK)", info->mac,
              address ? inet_ntoa ((struct in_addr) { .s_addr = htonl (address) }) : "",
              file[0] ? " boot " : "", file);
      emit_answered (self, info->mac, info->arch, file, self->bound_dhcp_port, reply_type,
                     address ? htonl (address) : 0);
    }
}

/* Whether host-seen should be emitted for this packet's MAC now: not if it was in the last
 * few seconds (a fixed table, so a flood of new MACs evicts entries instead of growing
 * memory), nor when the token bucket is empty. Remembers the MAC when it says yes. */
static gboolean
should_emit_host_seen (YardProxyDhcp        *self,
                       const YardDhcpPacket *packet)
{
  guint hash = 5381;
  SeenSlot *slot;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < packet->hlen; i++)
    hash = hash * 33 + packet->chaddr[i];
  slot = &self->seen[hash % SEEN_SLOTS];
  if (slot->when != 0 && slot->hlen == packet->hlen &&
      memcmp (slot->chaddr, packet->chaddr, packet->hlen) == 0 &&
      now - slot->when < SEEN_INTERVAL_US)
    return FALSE;

  self->seen_tokens = MIN ((double) SEEN_BURST,
                           self->seen_tokens +
                           (double) (now - self->seen_refilled) * SEEN_PER_SECOND / G_USEC_PER_SEC);
  self->seen_refilled = now;
  if (self->seen_tokens < 1.0)
    {
      g_debug ("Too many new hosts at once: recording this one at its next request");
      return FALSE;
    }
  self->seen_tokens -= 1.0;

  memcpy (slot->chaddr, packet->chaddr, sizeof slot->chaddr);
  slot->hlen = packet->hlen;
  slot->when = now;
  return TRUE;
}

static void
handle_datagram (YardProxyDhcp *self,
                 const guint8  *data,
                 gsize          length,
                 gboolean       on_pxe_port,
                 guint32        from_addr,
                 guint16        from_port)
{
  YardDhcpPacket request;
  RequestInfo info;
  const char *reason = NULL;
  char from_text[INET_ADDRSTRLEN];
  struct in_addr from_in = { .s_addr = from_addr };

  inet_ntop (AF_INET, &from_in, from_text, sizeof from_text);

  if (!yard_dhcp_packet_parse (&request, data, length, &reason))
    {
      g_debug ("Dropped a packet from %s:%u: %s", from_text, from_port, reason);
      return;
    }
  if (request.op != YARD_DHCP_BOOTREQUEST)
    {
      g_debug ("Dropped a packet from %s:%u: not a request", from_text, from_port);
      return;
    }
  if (!yard_dhcp_packet_format_mac (&request, info.mac))
    {
      g_debug ("Dropped a packet from %s:%u: no hardware address", from_text, from_port);
      return;
    }

  info.type = yard_dhcp_packet_get_message_type (&request);
  info.pxe = yard_dhcp_packet_has_vendor_class_prefix (&request, "PXEClient");
  info.http = yard_dhcp_packet_has_vendor_class_prefix (&request, "HTTPClient");
  yard_dhcp_packet_copy_vendor_class (&request, info.vendor, sizeof info.vendor);
  yard_dhcp_packet_format_uuid (&request, info.uuid);
  if (!yard_dhcp_packet_get_client_arch (&request, &info.arch))
    info.arch = YARD_ARCH_BIOS;   /* PXE ROMs older than RFC 4578 are BIOS ones */

  if ((info.pxe || info.http) && should_emit_host_seen (self, &request))
    g_signal_emit (self, signals[SIGNAL_HOST_SEEN], 0, info.mac, (guint) info.arch, info.vendor,
                   info.uuid[0] ? info.uuid : NULL, self->if_name,
                   (gint64) (g_get_real_time () / G_USEC_PER_SEC));

  if (self->leases != NULL && !on_pxe_port)
    {
      answer_full (self, &request, &info);
      return;
    }

  if (!info.pxe && !info.http)
    {
      g_debug ("Ignoring %s: not a PXE client (vendor class “%s”)", info.mac, info.vendor);
      return;
    }
  answer_proxy (self, &request, &info, on_pxe_port, from_addr, from_port);
}

static gboolean
readable_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  YardProxyDhcp *self = user_data;
  gboolean on_pxe_port = (fd == self->pxe_fd);

  for (guint i = 0; i < MAX_PER_WAKEUP; i++)
    {
      guint8 buf[YARD_DHCP_MAX_PACKET + 1];
      struct sockaddr_in from;
      struct iovec iov = { buf, sizeof buf };
      union {
        char buf[CMSG_SPACE (sizeof (struct in_pktinfo))];
        struct cmsghdr align;
      } control;
      struct msghdr msg = { 0, };
      struct cmsghdr *cmsg;
      int ifindex = -1;
      ssize_t n;

      msg.msg_name = &from;
      msg.msg_namelen = sizeof from;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control.buf;
      msg.msg_controllen = sizeof control.buf;

      n = recvmsg (fd, &msg, MSG_DONTWAIT);
      if (n < 0)
        {
          if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            g_debug ("Receiving: %s", g_strerror (errno));
          break;
        }

      for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
        if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO)
          {
            struct in_pktinfo pktinfo;

            memcpy (&pktinfo, CMSG_DATA (cmsg), sizeof pktinfo);
            ifindex = pktinfo.ipi_ifindex;
          }

      /* SO_BINDTODEVICE already filters; this check keeps it so if that ever changes. */
      if (ifindex != (int) self->if_index)
        {
          g_debug ("Dropped a packet from interface %d: we answer only on %s", ifindex,
                   self->if_name);
          continue;
        }
      if ((msg.msg_flags & MSG_TRUNC) || (gsize) n > YARD_DHCP_MAX_PACKET)
        {
          g_debug ("Dropped a packet: oversized");
          continue;
        }

      handle_datagram (self, buf, (gsize) n, on_pxe_port, from.sin_addr.s_addr,
                       ntohs (from.sin_port));
    }

  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Starting                                                                                  */

/* Finds the interface and the address: the interface's first IPv4 address when none is
 * given, the interface holding the address when no interface is. */
static gboolean
resolve_interface (YardProxyDhcp  *self,
                   GError        **error)
{
  struct ifaddrs *list = NULL;
  struct in_addr wanted = { 0, };
  gboolean have_wanted = FALSE;
  const char *found_if = NULL;

  if (self->interface == NULL && self->address == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "ProxyDHCP needs to know which network to answer on, and this computer "
                   "has no default route: choose the interface of the network that clients "
                   "boot on (Interface in the app's Services menu, or --interface; see "
                   "“ip -br addr”)");
      return FALSE;
    }

  if (self->address != NULL)
    {
      if (inet_pton (AF_INET, self->address, &wanted) != 1)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "ProxyDHCP needs an IPv4 --address; “%s” is not one", self->address);
          return FALSE;
        }
      have_wanted = TRUE;
    }

  if (self->interface != NULL && if_nametoindex (self->interface) == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NO_SUCH_INTERFACE,
                   "ProxyDHCP: there is no network interface “%s” (see “ip link”); "
                   "check --interface", self->interface);
      return FALSE;
    }

  if (getifaddrs (&list) != 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                   "ProxyDHCP cannot list the network interfaces: %s", g_strerror (saved));
      return FALSE;
    }

  self->netmask = 0;
  for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      struct sockaddr_in *sin;

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET)
        continue;
      if (self->interface != NULL && g_strcmp0 (ifa->ifa_name, self->interface) != 0)
        continue;
      sin = (struct sockaddr_in *) ifa->ifa_addr;
      if (have_wanted && sin->sin_addr.s_addr != wanted.s_addr)
        continue;
      if (!have_wanted)
        {
          wanted = sin->sin_addr;
          have_wanted = TRUE;
        }
      if (ifa->ifa_netmask != NULL)
        self->netmask = ((struct sockaddr_in *) ifa->ifa_netmask)->sin_addr.s_addr;
      found_if = ifa->ifa_name;
      break;
    }

  g_clear_pointer (&self->if_name, g_free);
  if (found_if != NULL)
    self->if_name = g_strdup (found_if);
  else if (self->interface != NULL && have_wanted)
    self->if_name = g_strdup (self->interface);   /* --address of another host: allowed */
  freeifaddrs (list);

  if (self->if_name == NULL)
    {
      if (self->interface != NULL)
        g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                     "ProxyDHCP: interface “%s” has no IPv4 address; give one to it or "
                     "pass --address", self->interface);
      else
        g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                     "ProxyDHCP: no interface of this machine has the address %s; give "
                     "--interface, or an --address that this machine has", self->address);
      return FALSE;
    }

  self->if_index = if_nametoindex (self->if_name);
  self->server_addr = wanted.s_addr;
  inet_ntop (AF_INET, &wanted, self->server_text, sizeof self->server_text);
  return TRUE;
}

static int
open_socket (YardProxyDhcp  *self,
             guint16         port,
             const char     *port_option,
             gboolean        reuse,
             guint16        *bound_port,
             GError        **error)
{
  struct sockaddr_in addr = { 0, };
  socklen_t addr_len = sizeof addr;
  int one = 1;
  int fd;

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "ProxyDHCP cannot open a socket: %s",
                   g_strerror (saved));
      return -1;
    }

  /* No SO_REUSEADDR on the server ports: another DHCP server on this interface (dnsmasq)
   * must show up as "address in use", not share our broadcasts silently. */
  if ((reuse && setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) ||
      setsockopt (fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
      setsockopt (fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                   "ProxyDHCP cannot set up its socket: %s", g_strerror (saved));
      close (fd);
      return -1;
    }

  if (setsockopt (fd, SOL_SOCKET, SO_BINDTODEVICE, self->if_name,
                  (socklen_t) strlen (self->if_name) + 1) != 0)
    {
      int saved = errno;
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *setcap = yard_privileges_setcap_command (exe ? exe : "bootyard-server");

      if (saved == EPERM || saved == EACCES)
        g_set_error (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                     "ProxyDHCP cannot bind to interface %s: this Linux needs CAP_NET_RAW for "
                     "that. Grant it with “%s” or run the bootyard-server systemd unit; or use "
                     "--no-dhcp", self->if_name, setcap);
      else
        g_set_error (error, YARD_ERROR, YARD_ERROR_NO_SUCH_INTERFACE,
                     "ProxyDHCP cannot bind to interface %s: %s. Check --interface",
                     self->if_name, g_strerror (saved));
      close (fd);
      return -1;
    }

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_ANY);
  addr.sin_port = htons (port);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      int saved = errno;
      g_autoptr(GError) bind_error = g_error_new_literal (G_IO_ERROR,
                                                          g_io_error_from_errno (saved),
                                                          g_strerror (saved));

      g_propagate_error (error, yard_socket_explain_bind_error (bind_error, "ProxyDHCP", port,
                                                                port_option));
      close (fd);
      return -1;
    }

  if (getsockname (fd, (struct sockaddr *) &addr, &addr_len) == 0)
    *bound_port = ntohs (addr.sin_port);
  else
    *bound_port = port;
  return fd;
}

/* Full DHCP beside another DHCP server would hand out conflicting addresses: ask as a client
 * would (the network doctor's probe) and listen for a while. Blocking, once, before serving. */
static gboolean
probe_other_server (YardProxyDhcp  *self,
                    GError        **error)
{
  g_autoptr(YardNetworkReport) report = NULL;
  GPtrArray *responders;
  guint16 bound = 0;
  int fd;

  fd = open_socket (self, (guint16) (self->dhcp_port + 1), "--dhcp-port", TRUE, &bound, error);
  if (fd < 0)
    {
      g_prefix_error (error, "Cannot check for another DHCP server: ");
      return FALSE;
    }
  report = yard_dhcp_probe_run (fd, self->if_name, self->dhcp_port, self->probe_ms, error);
  close (fd);
  if (report == NULL)
    return FALSE;

  responders = yard_network_report_get_responders (report);
  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);

      if (!r->dhcp || r->self)
        continue;
      g_set_error (error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE,
                   "Another DHCP server (%s) answers on %s, so Bootyard will not hand out "
                   "addresses there. Remove --dhcp-range to add only boot information beside "
                   "it (ProxyDHCP), or stop that server",
                   r->address != NULL ? r->address : "address unknown", self->if_name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_full_dhcp (YardProxyDhcp  *self,
                 GError        **error)
{
  g_autoptr(YardDhcpLeases) leases = NULL;
  g_autofree char *path = NULL;
  guint32 start, end, mask, server;
  guint lease_time;

  if (!yard_dhcp_range_parse (self->range, &start, &end, &lease_time, error))
    return FALSE;

  mask = ntohl (self->netmask);
  server = ntohl (self->server_addr);
  if (mask == 0 || (start & mask) != (server & mask) || (end & mask) != (server & mask))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--dhcp-range %s is not inside the network of %s on %s: choose addresses "
                   "of that network", self->range, self->server_text, self->if_name);
      return FALSE;
    }

  if (!probe_other_server (self, error))
    return FALSE;

  path = g_build_filename (self->state_dir, "dhcp-leases.json", NULL);
  leases = yard_dhcp_leases_new (start, end, lease_time, server, path);
  if (!yard_dhcp_leases_load (leases, g_get_real_time () / G_USEC_PER_SEC, error))
    return FALSE;
  self->leases = g_steal_pointer (&leases);
  return TRUE;
}

/**
 * yard_proxy_dhcp_start:
 *
 * Resolves the interface and address, probes for another DHCP server in full DHCP mode, binds
 * both ports and starts answering. On failure nothing stays open and @error says what to do.
 */
gboolean
yard_proxy_dhcp_start (YardProxyDhcp  *self,
                       GError        **error)
{
  g_return_val_if_fail (YARD_IS_PROXY_DHCP (self), FALSE);

  if (self->dhcp_fd >= 0)
    return TRUE;

  if (!resolve_interface (self, error))
    return FALSE;

  if (self->range != NULL && !start_full_dhcp (self, error))
    return FALSE;

  self->dhcp_fd = open_socket (self, self->dhcp_port, "--dhcp-port", FALSE,
                               &self->bound_dhcp_port, error);
  if (self->dhcp_fd < 0)
    {
      yard_proxy_dhcp_stop (self);
      return FALSE;
    }
  self->pxe_fd = open_socket (self, self->pxe_port, "--pxe-port", FALSE,
                              &self->bound_pxe_port, error);
  if (self->pxe_fd < 0)
    {
      yard_proxy_dhcp_stop (self);
      return FALSE;
    }

  self->dhcp_source = yard_fd_watch_add (self->dhcp_fd, readable_cb, self, "[yard-dhcp]");
  self->pxe_source = yard_fd_watch_add (self->pxe_fd, readable_cb, self, "[yard-dhcp-pxe]");
  g_hash_table_remove_all (self->logged_arches);
  memset (self->seen, 0, sizeof self->seen);
  self->seen_tokens = SEEN_BURST;
  self->seen_refilled = g_get_monotonic_time ();

  g_message ("%s on %s (%s), ports %u and %u",
             self->leases ? "DHCP (with addresses from --dhcp-range)" : "ProxyDHCP",
             self->if_name, self->server_text, self->bound_dhcp_port, self->bound_pxe_port);
  return TRUE;
}

void
yard_proxy_dhcp_stop (YardProxyDhcp *self)
{
  g_return_if_fail (YARD_IS_PROXY_DHCP (self));

  g_clear_handle_id (&self->dhcp_source, g_source_remove);
  g_clear_handle_id (&self->pxe_source, g_source_remove);
  if (self->dhcp_fd >= 0)
    close (self->dhcp_fd);
  if (self->pxe_fd >= 0)
    close (self->pxe_fd);
  self->dhcp_fd = -1;
  self->pxe_fd = -1;
  self->bound_dhcp_port = 0;
  self->bound_pxe_port = 0;
  g_clear_pointer (&self->leases, yard_dhcp_leases_free);
}
