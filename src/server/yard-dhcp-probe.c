/* yard-dhcp-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two boot servers on one network confuse clients, and a second DHCP server hands out
 * conflicting addresses. The probe asks as a PXE client would, so that ProxyDHCP servers
 * (which stay silent for other clients) answer too, and lists everyone who did. Bootyard's
 * own ProxyDHCP answers it as well, which shows it works; that answer is marked "self".
 */

#define G_LOG_DOMAIN "yard-dhcp-probe"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "yard-dhcp-packet.h"
#include "yard-dhcp-probe.h"
#include "yard-error.h"

static gboolean
interface_mac (const char *if_name,
               guint8      mac[6])
{
  struct ifreq ifr;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  memset (&ifr, 0, sizeof ifr);
  g_strlcpy (ifr.ifr_name, if_name, sizeof ifr.ifr_name);
  ok = ioctl (fd, SIOCGIFHWADDR, &ifr) == 0;
  if (ok)
    memcpy (mac, ifr.ifr_hwaddr.sa_data, 6);
  close (fd);
  return ok;
}

static gboolean
is_own_address (const char *if_name,
                guint32     address)
{
  struct ifaddrs *list = NULL;
  gboolean found = FALSE;

  if (getifaddrs (&list) != 0)
    return FALSE;
  for (struct ifaddrs *a = list; a != NULL && !found; a = a->ifa_next)
    if (a->ifa_addr != NULL && a->ifa_addr->sa_family == AF_INET &&
        g_strcmp0 (a->ifa_name, if_name) == 0 &&
        ((struct sockaddr_in *) a->ifa_addr)->sin_addr.s_addr == address)
      found = TRUE;
  freeifaddrs (list);
  return found;
}

/* An IPv4 address as text, or NULL for 0.0.0.0 (none) */
static char *
address_text (guint32 address)
{
  char text[INET_ADDRSTRLEN];

  if (address == 0)
    return NULL;
  return g_strdup (inet_ntop (AF_INET, &(struct in_addr) { .s_addr = address }, text,
                              sizeof text));
}

/* Fills r (cleared) with what an offer says about the server that sent it. */
static void
describe_offer (const YardDhcpPacket *offer,
                guint32               source,
                const char           *if_name,
                YardResponder        *r)
{
  guint32 server_id = 0;
  const guint8 *bootfile;
  gsize length = 0;
  g_autofree char *file = NULL;

  if (!yard_dhcp_packet_get_address (offer, YARD_DHCP_OPTION_SERVER_ID, &server_id))
    server_id = source;
  r->address = address_text (server_id);
  r->dhcp = offer->yiaddr != 0;
  r->offered_address = address_text (offer->yiaddr);
  r->pxe = yard_dhcp_packet_has_vendor_class_prefix (offer, "PXEClient");
  bootfile = yard_dhcp_packet_get_option (offer, YARD_DHCP_OPTION_BOOTFILE, &length);
  if (bootfile != NULL && length > 0)
    file = g_strndup ((const char *) bootfile, length);
  else if (offer->file[0] != '\0')
    file = g_strdup (offer->file);
  if (file != NULL && g_utf8_validate (file, -1, NULL))
    r->boot_file = g_steal_pointer (&file);
  r->next_server = address_text (offer->siaddr);
  r->self = is_own_address (if_name, server_id);
}

YardNetworkReport *
yard_dhcp_probe_run (int          fd,
                     const char  *if_name,
                     guint16      server_port,
                     guint        timeout_ms,
                     GError     **error)
{
  /* PXE 2.1's vendor class, architecture 0, UNDI 2.1: what a BIOS PXE ROM sends */
  static const guint8 params[] = { 1, 3, 6, 15, 43, 51, 54, 60, 66, 67 };
  static const guint8 arch[] = { 0, 0 };
  static const guint8 ndi[] = { 1, 2, 1 };
  struct sockaddr_in dest = { .sin_family = AF_INET, .sin_port = htons (server_port),
                              .sin_addr.s_addr = htonl (INADDR_BROADCAST) };
  guint8 out[YARD_DHCP_MIN_REPLY + 128];
  guint8 mac[6] = { 0x02, 0, 0, 0, 0, 1 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  g_autoptr(YardNetworkReport) report = yard_network_report_new (if_name, time);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint32 xid = g_random_int ();
  YardDhcpBuilder b;
  gint64 deadline;
  gsize len;

  interface_mac (if_name, mac);
  yard_dhcp_builder_init_request (&b, out, sizeof out, xid, mac, YARD_DHCP_DISCOVER);
  /* Answers must be broadcast: without an address this socket hears no unicast to one */
  out[10] = YARD_DHCP_FLAG_BROADCAST >> 8;
  out[11] = YARD_DHCP_FLAG_BROADCAST & 0xff;
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_PARAMETER_LIST, params, sizeof params);
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS,
                                "PXEClient:Arch:00000:UNDI:002001");
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_ARCH, arch, sizeof arch);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_NDI, ndi, sizeof ndi);
  len = yard_dhcp_builder_finish (&b);

  if (sendto (fd, out, len, 0, (struct sockaddr *) &dest, sizeof dest) != (ssize_t) len)
    {
      int saved = errno;

      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                   "Cannot look for other DHCP servers on %s: sending failed (%s); is the "
                   "interface up?", if_name, g_strerror (saved));
      return NULL;
    }

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      guint8 buf[YARD_DHCP_MAX_PACKET];
      struct pollfd pfd = { fd, POLLIN, 0 };
      struct sockaddr_in from = { 0, };
      socklen_t from_len = sizeof from;
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      YardDhcpPacket reply;
      const char *reason = NULL;
      g_auto(YardResponder) r = { 0, };
      ssize_t n;

      if (left <= 0)
        break;
      if (poll (&pfd, 1, (int) left) <= 0)
        continue;
      n = recvfrom (fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *) &from, &from_len);
      if (n <= 0)
        continue;
      if (!yard_dhcp_packet_parse (&reply, buf, (gsize) n, &reason) ||
          reply.op != YARD_DHCP_BOOTREPLY || reply.xid != xid ||
          yard_dhcp_packet_get_message_type (&reply) != YARD_DHCP_OFFER)
        {
          g_debug ("Probe: ignoring a %zd-byte packet (%s)", n, reason ? reason : "not ours");
          continue;
        }
      describe_offer (&reply, from.sin_addr.s_addr, if_name, &r);
      /* one row per server and kind of answer (a server may repeat itself) */
      if (!g_hash_table_add (seen, g_strdup_printf ("%s %d", r.address ? r.address : "",
                                                    r.dhcp)))
        continue;
      yard_network_report_add_responder (report, &r);
    }
  return g_steal_pointer (&report);
}

typedef struct
{
  char    *if_name;
  guint16  server_port;
  guint    timeout_ms;
} ProbeData;

static void
probe_data_free (ProbeData *d)
{
  g_free (d->if_name);
  g_free (d);
}

static void
probe_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ProbeData *d = task_data;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_ANY),
                              .sin_port = htons ((guint16) (d->server_port + 1)) };
  GError *error = NULL;
  YardNetworkReport *report;
  int one = 1;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (fd < 0 ||
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
      setsockopt (fd, SOL_SOCKET, SO_BINDTODEVICE, d->if_name, strlen (d->if_name) + 1) != 0 ||
      bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, YARD_ERROR,
                               saved == EPERM || saved == EACCES ? YARD_ERROR_PERMISSION_DENIED
                               : saved == EADDRINUSE ? YARD_ERROR_ADDRESS_IN_USE
                               : YARD_ERROR_FAILED,
                               "Cannot look for other DHCP servers on %s: %s (it needs the "
                               "same privileges as ProxyDHCP, and UDP port %u)",
                               d->if_name, g_strerror (saved), d->server_port + 1);
      if (fd >= 0)
        close (fd);
      return;
    }
  report = yard_dhcp_probe_run (fd, d->if_name, d->server_port, d->timeout_ms, &error);
  close (fd);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

void
yard_dhcp_probe_async (const char          *if_name,
                       guint16              server_port,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeData *d = g_new0 (ProbeData, 1);

  g_return_if_fail (if_name != NULL);

  d->if_name = g_strdup (if_name);
  d->server_port = server_port;
  d->timeout_ms = timeout_ms;
  g_task_set_source_tag (task, yard_dhcp_probe_async);
  g_task_set_task_data (task, d, (GDestroyNotify) probe_data_free);
  g_task_run_in_thread (task, probe_thread);
}

YardNetworkReport *
yard_dhcp_probe_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
