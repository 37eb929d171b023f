/* test-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "yard-error.h"

static void
test_error_domain (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (g_quark_to_string (YARD_ERROR), ==, "yard-error-quark");
  g_assert_true (yard_error_quark () == YARD_ERROR);

  g_set_error (&error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE, "Port %d busy", 69);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE);
  g_assert_cmpstr (error->message, ==, "Port 69 busy");
  g_assert_false (g_error_matches (error, G_IO_ERROR, YARD_ERROR_ADDRESS_IN_USE));
}

static void
test_error_codes_distinct (void)
{
  /* Clients (bootyardctl's exit codes, the app's messages) switch on these. */
  g_assert_cmpint (YARD_ERROR_FAILED, ==, 0);
  g_assert_cmpint (YARD_ERROR_INVALID_ARGUMENT, !=, YARD_ERROR_INVALID_CONFIG);
  g_assert_cmpint (YARD_ERROR_PERMISSION_DENIED, !=, YARD_ERROR_ADDRESS_IN_USE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/error/domain", test_error_domain);
  g_test_add_func ("/yard/error/codes-distinct", test_error_codes_distinct);
  return g_test_run ();
}
