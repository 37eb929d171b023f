/* yard-net-interface.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which interface the boot services answer on when none is chosen: the one with the default
 * route, the network this computer reaches the world through (where PXE clients usually are).
 * The server uses it; the app shows it. Reading, not sockets: /proc/net/route and getifaddrs.
 */

#define G_LOG_DOMAIN "yard-net-interface"

#include "config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "yard-net-interface-private.h"

#define RTF_UP_FLAG 0x0001

/* /proc/net/route: "Iface Destination Gateway Flags RefCnt Use Metric Mask ..." in hex.
 * The default route has destination and mask 0; the lowest metric wins, as the kernel's. */
char *
_yard_net_interface_parse_default_route (const char *route_table)
{
  g_auto(GStrv) lines = NULL;
  char *best = NULL;
  guint64 best_metric = G_MAXUINT64;

  g_return_val_if_fail (route_table != NULL, NULL);

  lines = g_strsplit (route_table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)   /* line 0 is the header */
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      guint64 destination, flags, metric, mask;

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len < 8)
        continue;
      if (!g_ascii_string_to_unsigned (words->pdata[1], 16, 0, G_MAXUINT32, &destination, NULL) ||
          !g_ascii_string_to_unsigned (words->pdata[3], 16, 0, G_MAXUINT32, &flags, NULL) ||
          !g_ascii_string_to_unsigned (words->pdata[6], 10, 0, G_MAXUINT32, &metric, NULL) ||
          !g_ascii_string_to_unsigned (words->pdata[7], 16, 0, G_MAXUINT32, &mask, NULL))
        continue;
      if (destination != 0 || mask != 0 || (flags & RTF_UP_FLAG) == 0 || metric >= best_metric)
        continue;
      g_free (best);
      best = g_strdup (words->pdata[0]);
      best_metric = metric;
    }
  return best;
}

/**
 * yard_net_interface_dup_default:
 *
 * Returns: (transfer full) (nullable): the interface of this computer's default IPv4 route,
 *   NULL when there is none
 */
char *
yard_net_interface_dup_default (void)
{
  g_autofree char *table = NULL;

  if (!g_file_get_contents ("/proc/net/route", &table, NULL, NULL))
    return NULL;
  return _yard_net_interface_parse_default_route (table);
}

/**
 * yard_net_interface_dup_addresses:
 * @name: an interface name
 *
 * Returns: (transfer full): the interface's IPv4 addresses, in the kernel's order (the first
 *   is the one ProxyDHCP announces); empty when it has none
 */
GStrv
yard_net_interface_dup_addresses (const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  struct ifaddrs *list = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (getifaddrs (&list) == 0)
    {
      for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
        {
          char text[INET_ADDRSTRLEN];

          if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
              g_strcmp0 (ifa->ifa_name, name) != 0)
            continue;
          if (inet_ntop (AF_INET, &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr, text,
                         sizeof text) != NULL)
            g_strv_builder_add (builder, text);
        }
      freeifaddrs (list);
    }
  return g_strv_builder_end (builder);
}
