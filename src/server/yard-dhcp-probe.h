/* yard-dhcp-probe.h: the network doctor — who else answers DHCP and PXE on this network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "yard-network-report.h"

G_BEGIN_DECLS

/* Broadcasts a PXE client's DHCPDISCOVER (vendor class PXEClient, BIOS architecture) from fd,
 * a UDP socket bound to the DHCP client port on if_name with SO_BROADCAST, to server_port,
 * and collects every OFFER for timeout_ms. Blocking. The report's interface is if_name, its
 * time the DISCOVER's (ISO 8601 UTC), and it has one YardResponder per server and kind of
 * answer, in the order they came: its address is the server identifier (or the source), dhcp
 * when it offered an address (offered_address), pxe when it answered as a PXE server (vendor
 * class PXEClient), self when the address is this machine's on if_name.
 * NULL with an error only when the DISCOVER could not be sent. */
YardNetworkReport *yard_dhcp_probe_run    (int                  fd,
                                           const char          *if_name,
                                           guint16              server_port,
                                           guint                timeout_ms,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;

/* The same with a socket of its own on server_port + 1 (68 for 67); needs the privilege to
 * bind it (CAP_NET_BIND_SERVICE) and SO_BINDTODEVICE (CAP_NET_RAW). Runs in a worker thread. */
void               yard_dhcp_probe_async  (const char          *if_name,
                                           guint16              server_port,
                                           guint                timeout_ms,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
YardNetworkReport *yard_dhcp_probe_finish (GAsyncResult        *result,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
