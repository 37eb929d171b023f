/* yard-dhcp-leases.h: the address pool of full DHCP mode, kept in the state directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Addresses here are in host byte order. */
typedef struct _YardDhcpLeases YardDhcpLeases;

gboolean        yard_dhcp_range_parse          (const char      *range,
                                                guint32         *start,
                                                guint32         *end,
                                                guint           *lease_seconds,
                                                GError         **error);
YardDhcpLeases *yard_dhcp_leases_new           (guint32          start,
                                                guint32          end,
                                                guint            lease_seconds,
                                                guint32          server_address,
                                                const char      *path);
void            yard_dhcp_leases_free          (YardDhcpLeases  *leases);
gboolean        yard_dhcp_leases_load          (YardDhcpLeases  *leases,
                                                gint64           now,
                                                GError         **error);
guint32         yard_dhcp_leases_offer         (YardDhcpLeases  *leases,
                                                const char      *mac,
                                                guint32          requested,
                                                gint64           now);
gboolean        yard_dhcp_leases_request       (YardDhcpLeases  *leases,
                                                const char      *mac,
                                                guint32          address,
                                                gint64           now,
                                                GError         **error);
void            yard_dhcp_leases_release       (YardDhcpLeases  *leases,
                                                const char      *mac,
                                                guint32          address);
void            yard_dhcp_leases_decline       (YardDhcpLeases  *leases,
                                                const char      *mac,
                                                guint32          address,
                                                gint64           now);
guint32         yard_dhcp_leases_lookup        (YardDhcpLeases  *leases,
                                                const char      *mac);
guint           yard_dhcp_leases_get_lease_time (YardDhcpLeases *leases);
guint32         yard_dhcp_leases_get_start     (YardDhcpLeases  *leases);
guint32         yard_dhcp_leases_get_end       (YardDhcpLeases  *leases);
void            yard_dhcp_leases_warn_full     (YardDhcpLeases  *leases,
                                                const char      *mac,
                                                gint64           now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardDhcpLeases, yard_dhcp_leases_free)

G_END_DECLS
