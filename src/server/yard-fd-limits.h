/* yard-fd-limits.h: the process's file descriptors, split once between the services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 descriptors;      /* the limit that was split */
  guint   http_connections; /* HTTP connections in all, each a socket and maybe a file */
  guint   http_per_address; /* of those, what one client address may hold */
  guint   tftp_transfers;   /* TFTP transfers in all, each a socket and a file */
  guint   tftp_per_address;
} YardFdLimits;

void    yard_fd_limits_split       (guint64       descriptors,
                                    YardFdLimits *limits);

void    yard_fd_limits_for_process (YardFdLimits *limits);

guint64 yard_fd_limits_raise       (void);

G_END_DECLS
