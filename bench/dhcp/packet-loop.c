/* packet-loop.c: the cost of Bootyard's DHCP code alone, without sockets or the hosts table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses a BIOS PXE DISCOVER and builds the ProxyDHCP offer for it (the same calls the server
 * makes per packet) N times and prints nanoseconds per packet. Built by run.sh.
 */

#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "yard-dhcp-packet.h"

int
main (int   argc,
      char *argv[])
{
  static const guint8 mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
  static const guint8 arch[2] = { 0, 0 }, ndi[3] = { 1, 2, 1 };
  static const guint8 params[] = { 1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 67 };
  static const guint8 pxe43[] = { 6, 1, 8, 9, 11, 0x80, 0, 8, 'B', 'o', 'o', 't', 'y', 'a', 'r',
                                  'd', 10, 9, 0, 'B', 'o', 'o', 't', 'y', 'a', 'r', 'd', 255 };
  guint8 uuid[17] = { 0 };
  guint8 in[YARD_DHCP_MAX_PACKET], out[YARD_DHCP_MAX_PACKET];
  YardDhcpBuilder b;
  YardDhcpPacket p;
  long n = argc > 1 ? atol (argv[1]) : 1000000;
  gsize len, total = 0;
  gint64 start;
  guint16 a;
  guint32 server = inet_addr ("10.0.0.1");

  yard_dhcp_builder_init_request (&b, in, sizeof in, 1, mac, YARD_DHCP_DISCOVER);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_PARAMETER_LIST, params, sizeof params);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_UUID, uuid, sizeof uuid);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_NDI, ndi, sizeof ndi);
  yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_ARCH, arch, sizeof arch);
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS,
                                "PXEClient:Arch:00000:UNDI:002001");
  len = yard_dhcp_builder_finish (&b);

  start = g_get_monotonic_time ();
  for (long i = 0; i < n; i++)
    {
      gsize ulen;
      const guint8 *u;

      in[4] = (guint8) i;
      if (!yard_dhcp_packet_parse (&p, in, len, NULL) ||
          !yard_dhcp_packet_has_vendor_class_prefix (&p, "PXEClient") ||
          !yard_dhcp_packet_get_client_arch (&p, &a))
        return 1;
      yard_dhcp_packet_has_user_class (&p, "iPXE");
      yard_dhcp_builder_init_reply (&b, out, sizeof out, &p, YARD_DHCP_OFFER);
      yard_dhcp_builder_add_address (&b, YARD_DHCP_OPTION_SERVER_ID, server);
      yard_dhcp_builder_set_address (&b, YARD_DHCP_SIADDR, server);
      yard_dhcp_builder_set_sname (&b, "10.0.0.1");
      yard_dhcp_builder_set_file (&b, "pxelinux.0");
      yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "PXEClient");
      u = yard_dhcp_packet_get_option (&p, YARD_DHCP_OPTION_CLIENT_UUID, &ulen);
      yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_UUID, u, ulen);
      yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_VENDOR_SPECIFIC, pxe43, sizeof pxe43);
      total += yard_dhcp_builder_finish (&b);
    }
  printf ("parse+build ns_per_packet=%.0f (%ld packets, %zu bytes out)\n",
          (g_get_monotonic_time () - start) * 1000.0 / n, n, total);
  return 0;
}
