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

  g_assert_cmpstr (g_quark_to_string (YARD_ERROR), ==, "YardError");
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

/* A refused port travels with the error: through a prefix and a copy, as the server's start
 * and GET /status hand it on. */
static void
test_error_port (void)
{
  g_autoptr(GError) error = g_error_new (YARD_ERROR, YARD_ERROR_PERMISSION_DENIED, "Port 69");
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpuint (yard_error_get_port (error), ==, 0);
  yard_error_set_port (error, 69);
  g_prefix_error (&error, "TFTP: ");
  copy = g_error_copy (error);
  g_assert_cmpuint (yard_error_get_port (copy), ==, 69);
  g_assert_cmpstr (copy->message, ==, "TFTP: Port 69");
  g_assert_cmpuint (yard_error_get_port (other), ==, 0);
  g_assert_cmpuint (yard_error_get_port (NULL), ==, 0);
}

static void
test_error_nicks (void)
{
  for (int code = YARD_ERROR_FAILED; code <= YARD_ERROR_IN_USE; code++)
    g_assert_cmpint (yard_error_code_from_nick (yard_error_code_to_nick (code)), ==, code);
  g_assert_cmpstr (yard_error_code_to_nick (YARD_ERROR_PERMISSION_DENIED), ==,
                   "permission-denied");
  g_assert_cmpstr (yard_error_code_to_nick (YARD_ERROR_ADDRESS_IN_USE), ==, "address-in-use");
  g_assert_cmpint (yard_error_code_from_nick ("no-such-code"), ==, YARD_ERROR_FAILED);
  g_assert_cmpint (yard_error_code_from_nick (NULL), ==, YARD_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/error/domain", test_error_domain);
  g_test_add_func ("/yard/error/codes-distinct", test_error_codes_distinct);
  g_test_add_func ("/yard/error/port", test_error_port);
  g_test_add_func ("/yard/error/nicks", test_error_nicks);
  return g_test_run ();
}
