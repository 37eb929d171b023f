/* yard-wol.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sleeping NIC looks at every frame for the magic sequence, whatever carries it. Most tools
 * send it as a UDP broadcast (port 9, discard), which needs no privilege; some NICs and
 * switches only pass the raw EtherType 0x0842 form. Both go out of the one interface the
 * services run on, so a machine on another network is never woken by mistake.
 */

#define G_LOG_DOMAIN "yard-wol"

#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-wol.h"

#define WOL_ETHERTYPE 0x0842
#define WOL_UDP_PORT  9

void
yard_wol_build_magic (const guint8 mac[6],
                      guint8       out[YARD_WOL_MAGIC_SIZE])
{
  memset (out, 0xff, 6);
  for (guint i = 0; i < 16; i++)
    memcpy (out + 6 + i * 6, mac, 6);
}

static gboolean
parse_mac (const char  *text,
           guint8       mac[6],
           GError     **error)
{
  g_autofree char *norm = yard_mac_normalize (text, error);

  if (norm == NULL)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    mac[i] = (guint8) g_ascii_strtoull (norm + i * 3, NULL, 16);
  return TRUE;
}

static gboolean
send_udp (const char   *if_name,
          const guint8 *magic,
          GError      **error)
{
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (WOL_UDP_PORT),
                            .sin_addr.s_addr = htonl (INADDR_BROADCAST) };
  int one = 1;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "No UDP socket: %s",
                   g_strerror (errno));
      return FALSE;
    }
  ok = setsockopt (fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) == 0 &&
       setsockopt (fd, SOL_SOCKET, SO_BINDTODEVICE, if_name, strlen (if_name) + 1) == 0 &&
       sendto (fd, magic, YARD_WOL_MAGIC_SIZE, 0, (struct sockaddr *) &to, sizeof to) ==
         YARD_WOL_MAGIC_SIZE;
  if (!ok)
    g_set_error (error, YARD_ERROR, errno == EPERM || errno == EACCES
                                      ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                 "Could not broadcast on %s: %s", if_name, g_strerror (errno));
  close (fd);
  return ok;
}

static gboolean
send_raw (const char   *if_name,
          const guint8 *magic,
          GError      **error)
{
  guint8 frame[ETH_HLEN + YARD_WOL_MAGIC_SIZE];
  struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons (WOL_ETHERTYPE),
                            .sll_halen = ETH_ALEN };
  unsigned int index = if_nametoindex (if_name);
  int fd;
  gboolean ok;

  if (index == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, "There is no interface “%s”",
                   if_name);
      return FALSE;
    }
  fd = socket (AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons (WOL_ETHERTYPE));
  if (fd < 0)
    {
      g_set_error (error, YARD_ERROR, errno == EPERM ? YARD_ERROR_PERMISSION_DENIED
                                                     : YARD_ERROR_FAILED,
                   "No raw socket for the EtherType 0x0842 form (it needs CAP_NET_RAW): %s",
                   g_strerror (errno));
      return FALSE;
    }
  /* SOCK_DGRAM: the kernel writes the Ethernet header from sockaddr_ll */
  to.sll_ifindex = (int) index;
  memset (to.sll_addr, 0xff, ETH_ALEN);
  memcpy (frame, magic, YARD_WOL_MAGIC_SIZE);
  ok = sendto (fd, frame, YARD_WOL_MAGIC_SIZE, 0, (struct sockaddr *) &to, sizeof to) ==
       YARD_WOL_MAGIC_SIZE;
  if (!ok)
    g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED, "Could not send on %s: %s", if_name,
                 g_strerror (errno));
  close (fd);
  return ok;
}

gboolean
yard_wol_send (const char   *if_name,
               const char   *mac_text,
               YardWolSent  *sent,
               GError      **error)
{
  g_autoptr(GError) udp_error = NULL;
  g_autoptr(GError) raw_error = NULL;
  guint8 mac[6];
  guint8 magic[YARD_WOL_MAGIC_SIZE];
  YardWolSent done = 0;

  g_return_val_if_fail (mac_text != NULL, FALSE);

  if (sent != NULL)
    *sent = 0;
  if (if_name == NULL || *if_name == '\0')
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           "Choose the interface of the network the machine is on: Wake-on-LAN "
                           "is sent on one interface only");
      return FALSE;
    }
  if (!parse_mac (mac_text, mac, error))
    return FALSE;
  yard_wol_build_magic (mac, magic);

  if (send_udp (if_name, magic, &udp_error))
    done |= YARD_WOL_SENT_UDP;
  if (send_raw (if_name, magic, &raw_error))
    done |= YARD_WOL_SENT_RAW;
  if (done == 0)
    {
      g_set_error (error, YARD_ERROR, udp_error->code, "Could not wake %s: %s; %s", mac_text,
                   udp_error->message, raw_error->message);
      return FALSE;
    }
  if (raw_error != NULL)
    g_message ("Woke %s by UDP only: %s", mac_text, raw_error->message);
  if (sent != NULL)
    *sent = done;
  return TRUE;
}
