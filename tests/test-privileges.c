/* test-privileges.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "yard-privileges.h"

static void
test_setcap (void)
{
  g_autofree char *plain = yard_privileges_setcap_command ("/usr/bin/bootyard-server");
  g_autofree char *spaced = yard_privileges_setcap_command ("/home/me/my build/bootyard-server");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  g_assert_cmpstr (plain, ==,
                   "sudo setcap cap_net_bind_service,cap_net_raw=+ep /usr/bin/bootyard-server");
  /* A path with a space is still one word for the shell the user pastes it into. */
  g_assert_true (g_shell_parse_argv (spaced, NULL, &words, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (words), ==, 4);
  g_assert_cmpstr (words[3], ==, "/home/me/my build/bootyard-server");
}

static void
test_sysctl (void)
{
  g_autofree char *command = yard_privileges_sysctl_command (67);

  g_assert_cmpstr (command, ==, "sudo sysctl net.ipv4.ip_unprivileged_port_start=67");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/privileges/setcap", test_setcap);
  g_test_add_func ("/yard/privileges/sysctl", test_sysctl);
  return g_test_run ();
}
