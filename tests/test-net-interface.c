/* test-net-interface.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-net-interface-private.h"

#define HEADER "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"

static void
test_default_route (void)
{
  g_autofree char *name = NULL;

  /* A host route and a network route come first; the default is the one with destination
   * and mask 0 and the lowest metric. */
  name = _yard_net_interface_parse_default_route (
    HEADER
    "lan0\t0014A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
    "eth0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth1\t00000000\t0100A8C0\t0002\t0\t0\t10\t00000000\t0\t0\t0\n");
  /* eth1's route is not up (flag 0x1 missing). */
  g_assert_cmpstr (name, ==, "eth0");
}

static void
test_no_default_route (void)
{
  g_autofree char *none = NULL;
  g_autofree char *garbage = NULL;

  none = _yard_net_interface_parse_default_route (
    HEADER "lan0\t0014A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
  g_assert_null (none);
  garbage = _yard_net_interface_parse_default_route (HEADER "eth0 zz 0 0003 0 0 x 00000000\n");
  g_assert_null (garbage);
}

static void
test_loopback_addresses (void)
{
  g_auto(GStrv) addresses = yard_net_interface_dup_addresses ("lo");
  g_auto(GStrv) none = yard_net_interface_dup_addresses ("no-such-if0");

  g_assert_true (g_strv_contains ((const char * const *) addresses, "127.0.0.1"));
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/net-interface/default-route", test_default_route);
  g_test_add_func ("/yard/net-interface/no-default-route", test_no_default_route);
  g_test_add_func ("/yard/net-interface/loopback-addresses", test_loopback_addresses);
  return g_test_run ();
}
