/* fuzz-dhcp-packet.c: libFuzzer harness for the DHCP packet parser and builder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every byte of a DHCP request comes from whoever is on the network. This feeds arbitrary
 * datagrams to yard_dhcp_packet_parse(), checks that what it accepted is consistent (each
 * option lies inside the parsed copy, the accessors stay in bounds), and answers it the way
 * the server does: the reply must parse back with the request's identity. AddressSanitizer
 * watches every read. See README.md for how to run it.
 */

#include "config.h"

#include <string.h>

#include "yard-dhcp-packet.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  YardDhcpPacket packet;
  YardDhcpPacket reparsed;
  YardDhcpBuilder b;
  guint8 out[YARD_DHCP_MAX_PACKET];
  const char *reason = NULL;
  char mac[49], uuid[37], vendor[64];
  gsize total = 0, len, reply_len;
  guint16 arch;
  const guint8 *value;

  if (!yard_dhcp_packet_parse (&packet, data, size, &reason))
    {
      g_assert (reason != NULL);
      return 0;
    }
  g_assert (reason == NULL);
  g_assert (size >= YARD_DHCP_MIN_PACKET && size <= YARD_DHCP_MAX_PACKET);
  g_assert (packet.hlen <= 16);
  g_assert (strlen (packet.sname) <= 64 && strlen (packet.file) <= 128);

  for (guint code = 0; code < 256; code++)
    {
      value = yard_dhcp_packet_get_option (&packet, (guint8) code, &len);
      if (value == NULL)
        {
          g_assert (len == 0);
          continue;
        }
      g_assert (code != YARD_DHCP_OPTION_PAD && code != YARD_DHCP_OPTION_END &&
                code != YARD_DHCP_OPTION_OVERLOAD);
      g_assert (value >= packet.data && value + len <= packet.data + sizeof packet.data);
      total += len;
    }
  /* Concatenated options can never hold more bytes than the datagram did */
  g_assert (total < size);

  yard_dhcp_packet_get_message_type (&packet);
  yard_dhcp_packet_get_client_arch (&packet, &arch);
  yard_dhcp_packet_has_user_class (&packet, "iPXE");
  yard_dhcp_packet_has_vendor_class_prefix (&packet, "PXEClient");
  g_assert (yard_dhcp_packet_copy_vendor_class (&packet, vendor, sizeof vendor) < sizeof vendor);
  g_assert (strlen (vendor) < sizeof vendor);
  if (yard_dhcp_packet_format_uuid (&packet, uuid))
    g_assert (strlen (uuid) == 36);
  if (yard_dhcp_packet_format_mac (&packet, mac))
    g_assert (strlen (mac) == packet.hlen * 3u - 1);
  value = yard_dhcp_packet_get_pxe_suboption (&packet, YARD_PXE_BOOT_ITEM, &len);
  if (value != NULL)
    {
      gsize opt_len;
      const guint8 *opt = yard_dhcp_packet_get_option (&packet, YARD_DHCP_OPTION_VENDOR_SPECIFIC,
                                                       &opt_len);
      g_assert (value >= opt && value + len <= opt + opt_len);
    }

  /* Answer as the server does, echoing the client's UUID and boot item: it must read back. */
  yard_dhcp_builder_init_reply (&b, out, sizeof out, &packet, YARD_DHCP_OFFER);
  yard_dhcp_builder_add_string (&b, YARD_DHCP_OPTION_VENDOR_CLASS, "PXEClient");
  value = yard_dhcp_packet_get_option (&packet, YARD_DHCP_OPTION_CLIENT_UUID, &len);
  if (value != NULL)
    yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_CLIENT_UUID, value, len);
  value = yard_dhcp_packet_get_option (&packet, YARD_DHCP_OPTION_VENDOR_SPECIFIC, &len);
  if (value != NULL)
    yard_dhcp_builder_add_option (&b, YARD_DHCP_OPTION_VENDOR_SPECIFIC, value, len);
  yard_dhcp_builder_set_file (&b, packet.file);
  yard_dhcp_builder_set_sname (&b, packet.sname);
  reply_len = yard_dhcp_builder_finish (&b);
  if (reply_len == 0)
    {
      /* Only an option longer than 255 bytes can have been refused */
      g_assert (b.overflow);
      return 0;
    }
  g_assert (reply_len >= YARD_DHCP_MIN_REPLY && reply_len <= sizeof out);
  g_assert (yard_dhcp_packet_parse (&reparsed, out, reply_len, &reason));
  g_assert (reparsed.op == YARD_DHCP_BOOTREPLY);
  g_assert (reparsed.xid == packet.xid);
  g_assert (memcmp (reparsed.chaddr, packet.chaddr, 16) == 0);
  g_assert (yard_dhcp_packet_get_message_type (&reparsed) == YARD_DHCP_OFFER);
  return 0;
}
