/* test-gui-window.c: the app's window opens and closes cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-application.h"
#include "yard-window.h"

static gboolean
close_window_cb (gpointer user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);

  g_assert_nonnull (window);
  g_assert_true (YARD_IS_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Bootyard");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  g_timeout_add (500, close_window_cb, app);
}

static void
test_window_opens (void)
{
  g_autoptr(YardApplication) app = yard_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  char *argv[] = { (char *) "bootyard", NULL };

  /* Never the local server: the app would start bootyard-server on the real ports 67 and 69
   * and answer DHCP on the machine's network. A loopback port where nothing listens (port 9,
   * discard, is not served here) keeps the window on its "unreachable" page. */
  g_settings_set_string (settings, "server-url", "http://127.0.0.1:9");
  g_settings_set_string (settings, "token-file", "/dev/null");

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APP_ID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/gui/window-opens", test_window_opens);
  return g_test_run ();
}
