/* test-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-error.h"
#include "yard-validate.h"

/* Ports as Preferences take them. */
static void
test_port (void)
{
  static const char *bad[] = { "", "0", "65536", "-1", "69x", "six", "6 9", "99999999999" };
  guint16 port = 0;

  g_assert_true (yard_validate_port ("69", &port, NULL));
  g_assert_cmpuint (port, ==, 69);
  g_assert_true (yard_validate_port (" 8067 ", &port, NULL));
  g_assert_cmpuint (port, ==, 8067);
  g_assert_true (yard_validate_port ("65535", &port, NULL));
  g_assert_cmpuint (port, ==, 65535);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      port = 7;
      g_assert_false (yard_validate_port (bad[i], &port, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "1 to 65535"));
      g_assert_cmpuint (port, ==, 7);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/validate/port", test_port);
  return g_test_run ();
}
