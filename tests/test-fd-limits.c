/* test-fd-limits.c: one split of the descriptor limit between HTTP and TFTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/resource.h>

#include "yard-fd-limits.h"

/* Both services at their limits, two descriptors each, and the daemon's reserve fit. */
static void
test_split_fits (void)
{
  const guint64 limits[] = { 256, 1024, 4096, 65536, 524288, 1048576 };

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      YardFdLimits l;
      guint64 reserve = MAX (64, limits[i] / 8);

      yard_fd_limits_split (limits[i], &l);
      g_assert_cmpuint (l.descriptors, ==, limits[i]);
      g_assert_cmpuint (2 * (guint64) l.http_connections + 2 * (guint64) l.tftp_transfers +
                        reserve, <=, limits[i]);
      g_assert_cmpuint (l.http_per_address, <, l.http_connections);
      g_assert_cmpuint (l.tftp_per_address, <, l.tftp_transfers);
    }
}

/* systemd's default soft limit: 128 kept, 448 descriptors each. */
static void
test_split_1024 (void)
{
  YardFdLimits l;

  yard_fd_limits_split (1024, &l);
  g_assert_cmpuint (l.http_connections, ==, 224);
  g_assert_cmpuint (l.http_per_address, ==, 56);
  g_assert_cmpuint (l.tftp_transfers, ==, 224);
  g_assert_cmpuint (l.tftp_per_address, ==, 14);
}

/* Tiny and huge limits: a few slots always, and per address never all of them or more than
 * 256. */
static void
test_split_edges (void)
{
  YardFdLimits l;

  yard_fd_limits_split (32, &l);
  g_assert_cmpuint (l.http_connections, ==, 16);
  g_assert_cmpuint (l.tftp_transfers, ==, 16);
  g_assert_cmpuint (l.http_per_address, ==, 4);
  g_assert_cmpuint (l.tftp_per_address, ==, 8);

  yard_fd_limits_split (G_GUINT64_CONSTANT (1) << 40, &l);
  g_assert_cmpuint (l.http_connections, ==, 1u << 20);
  g_assert_cmpuint (l.http_per_address, ==, 256);
  g_assert_cmpuint (l.tftp_per_address, ==, 256);
}

/* The split is of the soft limit as it stands; raising goes up to the hard limit. */
static void
test_for_process (void)
{
  struct rlimit saved, low;
  YardFdLimits l;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1024)
    {
      g_test_skip ("the hard descriptor limit is below 1024");
      return;
    }
  low = saved;
  low.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  yard_fd_limits_for_process (&l);
  g_assert_cmpuint (l.descriptors, ==, 1024);
  g_assert_cmpuint (l.tftp_transfers, ==, 224);

  g_assert_cmpuint (yard_fd_limits_raise (), ==,
                    saved.rlim_max == RLIM_INFINITY ? G_MAXUINT32 : saved.rlim_max);
  yard_fd_limits_for_process (&l);
  g_assert_cmpuint (l.descriptors, >=, 1024);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/fd-limits/split-fits", test_split_fits);
  g_test_add_func ("/yard/fd-limits/split-1024", test_split_1024);
  g_test_add_func ("/yard/fd-limits/split-edges", test_split_edges);
  g_test_add_func ("/yard/fd-limits/for-process", test_for_process);
  return g_test_run ();
}
