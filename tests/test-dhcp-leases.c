/* test-dhcp-leases.c: the address pool of full DHCP mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yard-dhcp-leases.h"
#include "yard-error.h"

#include "test-dirs.h"

#define A(x) (0x0a000000u | (x))   /* 10.0.0.x */

static void
test_range_parse (void)
{
  g_autoptr(GError) error = NULL;
  guint32 start = 0, end = 0;
  guint lease = 0;
  const char *bad[] = { "", "10.0.0.1", "10.0.0.5,10.0.0.1", "10.0.0.1,nope", "a,b,c,d",
                        "10.0.0.1,10.0.0.9,0", "10.0.0.1,10.0.0.9,12x", "10.0.0.1,10.0.0.9,30",
                        "10.0.0.1,10.2.0.0", "10.0.0.1,10.0.0.9,400d" };

  g_assert_true (yard_dhcp_range_parse ("10.0.0.100,10.0.0.200", &start, &end, &lease, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (start, ==, A (100));
  g_assert_cmpuint (end, ==, A (200));
  g_assert_cmpuint (lease, ==, 3600);
  g_assert_true (yard_dhcp_range_parse (" 10.0.0.1 , 10.0.0.9 ,12h", &start, &end, &lease, NULL));
  g_assert_cmpuint (lease, ==, 12 * 3600);
  g_assert_true (yard_dhcp_range_parse ("10.0.0.1,10.0.0.9,90", &start, &end, &lease, NULL));
  g_assert_cmpuint (lease, ==, 90);
  g_assert_true (yard_dhcp_range_parse ("10.0.0.1,10.0.0.9,2d", &start, &end, &lease, NULL));
  g_assert_cmpuint (lease, ==, 2 * 86400);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (yard_dhcp_range_parse (bad[i], &start, &end, &lease, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "--dhcp-range"));
    }
}

static void
test_offer_request_persist (void)
{
  g_autofree char *dir = yard_test_make_dir ("leases");
  g_autofree char *path = g_build_filename (dir, "dhcp-leases.json", NULL);
  g_autoptr(YardDhcpLeases) leases = NULL;
  g_autoptr(YardDhcpLeases) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = 1000000;
  guint32 a, b, c;

  /* 10.0.0.1 is the server: never offered */
  leases = yard_dhcp_leases_new (A (1), A (3), 3600, A (1), path);
  g_assert_true (yard_dhcp_leases_load (leases, now, &error));
  a = yard_dhcp_leases_offer (leases, "52:54:00:00:00:01", 0, now);
  g_assert_cmpuint (a, ==, A (2));
  /* The same host asking again gets the same offer; another host the next address */
  g_assert_cmpuint (yard_dhcp_leases_offer (leases, "52:54:00:00:00:01", 0, now), ==, a);
  b = yard_dhcp_leases_offer (leases, "52:54:00:00:00:02", A (2), now);
  g_assert_cmpuint (b, ==, A (3));
  /* Pool exhausted while both offers are fresh */
  g_assert_cmpuint (yard_dhcp_leases_offer (leases, "52:54:00:00:00:03", 0, now), ==, 0);
  /* An offer nobody took expires after a minute */
  c = yard_dhcp_leases_offer (leases, "52:54:00:00:00:03", 0, now + 61);
  g_assert_true (c == A (2) || c == A (3));

  /* Fresh pool for a clean story: bind, refuse a taken address, persist, reload */
  g_clear_pointer (&leases, yard_dhcp_leases_free);
  g_unlink (path);
  leases = yard_dhcp_leases_new (A (10), A (20), 3600, A (1), path);
  a = yard_dhcp_leases_offer (leases, "aa:aa:aa:aa:aa:aa", 0, now);
  g_assert_true (yard_dhcp_leases_request (leases, "aa:aa:aa:aa:aa:aa", a, now, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (yard_dhcp_leases_lookup (leases, "aa:aa:aa:aa:aa:aa"), ==, a);
  g_assert_false (yard_dhcp_leases_request (leases, "bb:bb:bb:bb:bb:bb", a, now, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (yard_dhcp_leases_request (leases, "bb:bb:bb:bb:bb:bb", A (99), now, &error));
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  again = yard_dhcp_leases_new (A (10), A (20), 3600, A (1), path);
  g_assert_true (yard_dhcp_leases_load (again, now, &error));
  g_assert_cmpuint (yard_dhcp_leases_lookup (again, "aa:aa:aa:aa:aa:aa"), ==, a);
  /* After the restart the host is offered its address, others are not */
  g_assert_cmpuint (yard_dhcp_leases_offer (again, "aa:aa:aa:aa:aa:aa", 0, now + 10), ==, a);
  g_assert_cmpuint (yard_dhcp_leases_offer (again, "bb:bb:bb:bb:bb:bb", a, now + 10), !=, a);
  /* Even long after expiry the pairing is kept while the address is free */
  g_assert_cmpuint (yard_dhcp_leases_offer (again, "aa:aa:aa:aa:aa:aa", 0, now + 86400), ==, a);

  /* Release keeps the pairing, expired, so that the host gets the same address back */
  yard_dhcp_leases_release (again, "aa:aa:aa:aa:aa:aa", a);
  g_assert_cmpuint (yard_dhcp_leases_lookup (again, "aa:aa:aa:aa:aa:aa"), ==, a);

  /* Decline: the address leaves the pool */
  yard_dhcp_leases_decline (again, "aa:aa:aa:aa:aa:aa", a, now);
  g_assert_cmpuint (yard_dhcp_leases_lookup (again, "aa:aa:aa:aa:aa:aa"), ==, 0);
  g_assert_cmpuint (yard_dhcp_leases_offer (again, "aa:aa:aa:aa:aa:aa", a, now), !=, a);

  /* A broken file is an error naming it, not an empty pool */
  g_assert_true (g_file_set_contents (path, "{\"leases\": [", -1, NULL));
  g_clear_pointer (&again, yard_dhcp_leases_free);
  again = yard_dhcp_leases_new (A (10), A (20), 3600, A (1), path);
  g_assert_false (yard_dhcp_leases_load (again, now, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, path));
}

/* A lease file nested 200 000 deep is an error naming the file, not a crash in json-glib. */
static void
test_deep_file (void)
{
  g_autofree char *dir = yard_test_make_dir ("leases");
  g_autofree char *path = g_build_filename (dir, "dhcp-leases.json", NULL);
  g_autoptr(YardDhcpLeases) leases = yard_dhcp_leases_new (A (10), A (20), 3600, A (1), path);
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new ("{\"leases\": ");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_true (g_file_set_contents (path, deep->str, deep->len, NULL));
  g_string_free (deep, TRUE);

  g_assert_false (yard_dhcp_leases_load (leases, 1700000000, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "nested more than"));
}

/* A full pool warns once a minute at most, then says how many DISCOVERs it did not mention;
 * any extra warning would be fatal here (issue 19: 2 956 lines in one flood). */
static void
test_full_pool_warning (void)
{
  g_autoptr(YardDhcpLeases) leases = yard_dhcp_leases_new (A (10), A (10), 3600, A (1), NULL);
  gint64 now = 1700000000;
  char mac[18];

  g_assert_cmpuint (yard_dhcp_leases_offer (leases, "52:54:00:00:00:01", 0, now), ==, A (10));
  g_assert_cmpuint (yard_dhcp_leases_offer (leases, "52:54:00:00:00:02", 0, now), ==, 0);

  g_test_expect_message ("yard-dhcp-leases", G_LOG_LEVEL_WARNING,
                         "No free address left in --dhcp-range for 52:54:00:00:10:00: "
                         "widen the range");
  for (guint i = 0; i < 1000; i++)
    {
      g_snprintf (mac, sizeof mac, "52:54:00:00:%02x:%02x", 0x10 + i / 256, i % 256);
      yard_dhcp_leases_warn_full (leases, mac, now + i / 100);
    }
  g_test_assert_expected_messages ();

  g_test_expect_message ("yard-dhcp-leases", G_LOG_LEVEL_WARNING,
                         "No free address left in --dhcp-range for 52:54:00:00:00:03: widen the "
                         "range (999 more DISCOVERs found the pool full since the last warning)");
  yard_dhcp_leases_warn_full (leases, "52:54:00:00:00:03", now + 60);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/dhcp-leases/range-parse", test_range_parse);
  g_test_add_func ("/yard/dhcp-leases/offer-request-persist", test_offer_request_persist);
  g_test_add_func ("/yard/dhcp-leases/full-pool-warning", test_full_pool_warning);
  g_test_add_func ("/yard/dhcp-leases/deep-file", test_deep_file);

  return g_test_run ();
}
