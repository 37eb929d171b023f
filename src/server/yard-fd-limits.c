/* yard-fd-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HTTP and TFTP each took a share of the descriptor limit on their own (a third as HTTP
 * connections, half as TFTP transfers), and each connection or transfer may hold two
 * descriptors: flooded together they asked for more than there is, and whichever came second
 * got "Too many open files". Here is the one split: a reserve for the rest of the daemon, then
 * half of what is left for each service, counted at two descriptors a connection or transfer,
 * so both at their limits still fit.
 */

#define G_LOG_DOMAIN "yard-fd-limits"

#include "config.h"

#include <sys/resource.h>

#include "yard-fd-limits.h"

/* The API's connections (libsoup's), event streams, the files the daemon writes, the DHCP and
 * listening sockets, GLib's own: an eighth, at least 64. */
#define RESERVE_MIN 64
#define RESERVE_SHARE 8
/* A connection or a transfer: its socket and the file it sends. */
#define DESCRIPTORS_EACH 2
#define MIN_EACH 16
/* One address: a quarter of HTTP (a lab behind one NAT, wrk's 50 connections), a sixteenth of
 * TFTP (a transfer is a whole boot file; PXE clients fetch one at a time). */
#define HTTP_ADDRESS_SHARE 4
#define HTTP_PER_ADDRESS_MIN 4
#define TFTP_ADDRESS_SHARE 16
#define TFTP_PER_ADDRESS_MIN 8
#define PER_ADDRESS_MAX 256
#define MAX_EACH (1u << 20)

void
yard_fd_limits_split (guint64       descriptors,
                      YardFdLimits *limits)
{
  guint64 reserve = MAX (RESERVE_MIN, descriptors / RESERVE_SHARE);
  guint64 each = descriptors > reserve ? (descriptors - reserve) / 2 / DESCRIPTORS_EACH : 0;

  g_return_if_fail (limits != NULL);

  limits->descriptors = descriptors;
  limits->http_connections = (guint) CLAMP (each, MIN_EACH, MAX_EACH);
  limits->tftp_transfers = limits->http_connections;
  limits->http_per_address = CLAMP (limits->http_connections / HTTP_ADDRESS_SHARE,
                                    HTTP_PER_ADDRESS_MIN, PER_ADDRESS_MAX);
  limits->tftp_per_address = CLAMP (limits->tftp_transfers / TFTP_ADDRESS_SHARE,
                                    TFTP_PER_ADDRESS_MIN, PER_ADDRESS_MAX);
}

static guint64
soft_limit (struct rlimit *rl)
{
  return rl->rlim_cur == RLIM_INFINITY ? G_MAXUINT32 : (guint64) rl->rlim_cur;
}

/* At the daemon's start: the soft limit up to the hard one (systemd leaves services at a soft
 * 1024, and nothing here uses select()). */
guint64
yard_fd_limits_raise (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return 1024;
  if (rl.rlim_cur < rl.rlim_max)
    {
      rlim_t soft = rl.rlim_cur;

      rl.rlim_cur = rl.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        rl.rlim_cur = soft;
    }
  return soft_limit (&rl);
}

/* Each service asks when it starts, and gets its part of the same split. */
void
yard_fd_limits_for_process (YardFdLimits *limits)
{
  struct rlimit rl;

  g_return_if_fail (limits != NULL);

  yard_fd_limits_split (getrlimit (RLIMIT_NOFILE, &rl) == 0 ? soft_limit (&rl) : 1024, limits);
}
