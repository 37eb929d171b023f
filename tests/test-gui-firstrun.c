/* test-gui-firstrun.c: a new user's first flip of Services, in a network of the test's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The process moves into a network namespace of its own before GTK starts (X and D-Bus are
 * reached through files, which a network namespace does not hide) and gives it a veth pair
 * with a default route, as a LAN would. The app starts its local server with no option at
 * all, as for a new user; the server's ports (67, 4011, 69, 8067) are free in here. The
 * namespace goes away with the process.
 */

#define _GNU_SOURCE

#include "config.h"

#include <sched.h>

#include "yard-application.h"
#include "yard-client.h"
#include "yard-gui-model.h"
#include "yard-window-private.h"

#define LAN_IF      "bylan0"
#define LAN_ADDRESS "10.231.0.1"
#define WAIT_TIMEOUT_MS 30000

#define WAIT_UNTIL(cond)                                                          \
  G_STMT_START {                                                                  \
    gint64 _deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * 1000;          \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > _deadline)                                  \
          g_error ("Timed out waiting for: %s", #cond);                           \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (2000);                                                          \
      }                                                                           \
  } G_STMT_END

static gboolean
run (const char *command)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

/* lo, and a veth pair whose one end holds the default route: the LAN of a new user. */
static gboolean
make_lan (void)
{
  if (unshare (CLONE_NEWNET) != 0)
    return FALSE;
  return run ("ip link set lo up") &&
         run ("ip link add " LAN_IF " type veth peer name bylan1") &&
         run ("ip addr add " LAN_ADDRESS "/24 dev " LAN_IF) &&
         run ("ip addr add 10.231.0.2/24 dev bylan1") &&
         run ("ip link set " LAN_IF " up") &&
         run ("ip link set bylan1 up") &&
         run ("ip route add default via 10.231.0.2 dev " LAN_IF);
}

static JsonObject *
service (JsonObject *status,
         const char *name)
{
  return yard_json_get_object (yard_json_get_object (status, "services"), name);
}

/* Nothing set (no interface, no option): the first flip starts ProxyDHCP and TFTP on the
 * default route's interface, and the Services popover says where clients boot from. */
static void
test_first_flip (void)
{
  YardApplication *app = yard_application_new ();
  g_autoptr(GError) error = NULL;
  YardConnection *connection;
  GtkWindow *window;
  GtkSwitch *sw;
  GtkLabel *label;
  JsonObject *status;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (YARD_IS_WINDOW (window));
  connection = yard_application_get_connection (app);
  WAIT_UNTIL (g_strcmp0 (_yard_window_get_visible_child (YARD_WINDOW (window)), "main") == 0);
  g_assert_true (yard_connection_get_started_server (connection));

  /* Before the flip the popover already names the address. */
  label = _yard_window_get_boot_address_label (YARD_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_test_message ("Before: %s", gtk_label_get_label (label));
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_ADDRESS));

  sw = _yard_window_get_services_switch (YARD_WINDOW (window));
  g_assert_false (gtk_switch_get_state (sw));
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (gtk_switch_get_state (sw) ||
              gtk_widget_get_mapped (_yard_window_get_banner_label (YARD_WINDOW (window))));
  g_assert_true (gtk_switch_get_state (sw));

  /* The switch follows the server's answer; the connection's status follows its refresh. */
  WAIT_UNTIL ((status = yard_connection_get_status (connection)) != NULL &&
              json_object_get_boolean_member_with_default (status, "servicesRunning", FALSE));
  g_assert_cmpstr (yard_json_get_string (service (status, "dhcp"), "state"), ==, "running");
  g_assert_cmpstr (yard_json_get_string (service (status, "tftp"), "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (service (status, "tftp"), "port"), ==, 69);
  g_assert_cmpstr (yard_json_get_string (status, "interface"), ==, LAN_IF);
  g_assert_cmpstr (yard_json_get_string (status, "serverAddress"), ==, LAN_ADDRESS);
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_ADDRESS));
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_IF));

  gtk_window_destroy (window);
  yard_connection_disconnect (connection);
  g_assert_false (yard_connection_get_started_server (connection));
  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("bootyard-firstrun-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cmd = NULL;
  gboolean have_lan;
  int ret;

  /* Before GLib or GTK start a thread: the namespace is the calling thread's. */
  have_lan = make_lan ();
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_unsetenv ("BOOTYARD_SERVER_ARGS");

  g_test_init (&argc, &argv, NULL);
  if (!have_lan)
    {
      g_test_skip ("Needs root for a network namespace of its own");
      ret = g_test_run ();
    }
  else
    {
      gtk_init ();
      g_test_add_func ("/yard/gui-firstrun/first-flip", test_first_flip);
      ret = g_test_run ();
    }

  cmd = g_strdup_printf ("rm -rf '%s'", home);
  if (system (cmd) != 0)
    g_printerr ("Could not remove %s\n", home);
  return ret;
}
