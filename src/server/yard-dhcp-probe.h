/* yard-dhcp-probe.h: the network doctor — who else answers DHCP and PXE on this network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Broadcasts a PXE client's DHCPDISCOVER (vendor class PXEClient, BIOS architecture) from fd,
 * a UDP socket bound to the DHCP client port on if_name with SO_BROADCAST, to server_port,
 * and collects every OFFER for timeout_ms. Blocking. Each responder is one object:
 *   {"address": its server identifier (or source), "dhcp": it offered an address,
 *    "offeredAddress" (or null), "pxe": it answered as a PXE server (vendor class PXEClient),
 *    "bootFile" (or null), "nextServer" (or null), "self": the address is this machine's on
 *    if_name}
 * NULL with an error only when the DISCOVER could not be sent. */
JsonArray *yard_dhcp_probe_run (int            fd,
                                const char    *if_name,
                                guint16        server_port,
                                guint          timeout_ms,
                                GError       **error);

/* The same with a socket of its own on server_port + 1 (68 for 67); needs the privilege to
 * bind it (CAP_NET_BIND_SERVICE) and SO_BINDTODEVICE (CAP_NET_RAW). Runs in a worker thread. */
void       yard_dhcp_probe_async  (const char          *if_name,
                                   guint16              server_port,
                                   guint                timeout_ms,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
JsonArray *yard_dhcp_probe_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
