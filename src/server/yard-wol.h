/* yard-wol.h: waking a machine with the Wake-on-LAN magic packet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YARD_WOL_MAGIC_SIZE 102

typedef enum
{
  YARD_WOL_SENT_UDP = 1 << 0,  /* UDP broadcast to port 9 */
  YARD_WOL_SENT_RAW = 1 << 1,  /* an Ethernet frame of EtherType 0x0842 (needs CAP_NET_RAW) */
} YardWolSent;

/* Six 0xff bytes, then the MAC sixteen times. */
void      yard_wol_build_magic (const guint8  mac[6],
                                guint8        out[YARD_WOL_MAGIC_SIZE]);
/* Sends the magic packet for mac (any form yard_mac_normalize takes) out of if_name, in both
 * forms: NIC firmware listens for either. Fails only when neither went out; *sent says which
 * did. */
gboolean  yard_wol_send        (const char   *if_name,
                                const char   *mac,
                                YardWolSent  *sent,
                                GError      **error);

G_END_DECLS
