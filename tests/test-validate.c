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

/* Text for people: one line, or several where they belong, never a control character. */
static void
test_text (void)
{
  static const struct { const char *text; gboolean one_line; gboolean multiline; } cases[] = {
    { "Debian 12", TRUE, TRUE },
    { "Größe – 日本語", TRUE, TRUE },
    { "say \"hi\" 'x' \\ , ; ${x}", TRUE, TRUE },
    { "", TRUE, TRUE },
    { "two\nlines", FALSE, TRUE },
    { "tab\there", FALSE, TRUE },
    { "carriage\rreturn", FALSE, FALSE },
    { "bell\a", FALSE, FALSE },
    { "delete\x7f", FALSE, FALSE },
    { "escape\x1b[31m", FALSE, FALSE },
    { "not UTF-8 \xff", FALSE, FALSE },
  };

  g_assert_true (yard_text_is_clean (NULL, FALSE));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%u", i);
      g_assert_cmpint (yard_text_is_clean (cases[i].text, FALSE), ==, cases[i].one_line);
      g_assert_cmpint (yard_text_is_clean (cases[i].text, TRUE), ==, cases[i].multiline);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/validate/port", test_port);
  g_test_add_func ("/yard/validate/text", test_text);
  return g_test_run ();
}
