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

#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

#include "yard-application.h"
#include "yard-client.h"
#include "yard-gui-model.h"
#include "yard-preferences-window-private.h"
#include "yard-privileges.h"
#include "yard-window-private.h"

#include "test-gui-util.h"
#include "test-dirs.h"

#define LAN_IF      "bylan0"
#define LAN_ADDRESS "10.231.0.1"

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

static YardApplication *the_app;

static YardWindow *
open_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (the_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (the_app));
  g_assert_true (YARD_IS_WINDOW (window));
  WAIT_UNTIL (g_strcmp0 (_yard_window_get_visible_child (YARD_WINDOW (window)), "main") == 0);
  return YARD_WINDOW (window);
}

static const YardServerStatus *
wait_services_running (YardConnection *connection)
{
  const YardServerStatus *status;

  /* The switch follows the server's answer; the connection's status follows its refresh. */
  WAIT_UNTIL ((status = yard_connection_get_status (connection)) != NULL &&
              status->services_running);
  return status;
}

static void
flip_services_on (YardWindow *window)
{
  GtkSwitch *sw = _yard_window_get_services_switch (window);

  g_assert_false (gtk_switch_get_state (sw));
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (gtk_switch_get_state (sw) ||
              gtk_widget_get_mapped (_yard_window_get_banner_label (window)));
  g_assert_true (gtk_switch_get_state (sw));
}

/* Nothing set (no interface, no option): the first flip starts ProxyDHCP and TFTP on the
 * default route's interface, and the Services popover says where clients boot from. */
static void
test_first_flip (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  YardWindow *window = open_window ();
  GtkLabel *label;
  const YardServerStatus *status;

  g_assert_true (yard_connection_get_started_server (connection));

  /* Before the flip the popover already names the address. */
  label = _yard_window_get_boot_address_label (window);
  WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_test_message ("Before: %s", gtk_label_get_label (label));
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_ADDRESS));

  flip_services_on (window);
  status = wait_services_running (connection);
  g_assert_cmpint (yard_server_status_find_service (status, "dhcp")->state, ==,
                   YARD_SERVICE_STATE_RUNNING);
  g_assert_cmpint (yard_server_status_find_service (status, "tftp")->state, ==,
                   YARD_SERVICE_STATE_RUNNING);
  g_assert_cmpuint (yard_server_status_find_service (status, "tftp")->port, ==, 69);
  g_assert_cmpstr (status->interface, ==, LAN_IF);
  g_assert_cmpstr (status->server_address, ==, LAN_ADDRESS);
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_ADDRESS));
  g_assert_nonnull (strstr (gtk_label_get_label (label), LAN_IF));
  gtk_popover_popup (_yard_window_get_services_popover (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (label)));
  save_screenshot (GTK_WIDGET (_yard_window_get_services_popover (window)), "services.png");
  gtk_popover_popdown (_yard_window_get_services_popover (window));

  /* "Stop" remembered: the window closes without asking, and the server goes with the app. */
  g_settings_set_string (yard_application_get_settings (the_app), "close-with-services", "stop");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  yard_connection_disconnect (connection);
  g_assert_false (yard_connection_get_started_server (connection));
  g_settings_reset (yard_application_get_settings (the_app), "close-with-services");
}

/* The bootyard-server processes in this test's own network namespace (no other can be). */
static GArray *
servers_in_our_namespace (void)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autofree char *ours = g_file_read_link ("/proc/self/ns/net", NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (ours);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *ns_path = g_build_filename ("/proc", name, "ns", "net", NULL);
      g_autofree char *comm_path = g_build_filename ("/proc", name, "comm", NULL);
      g_autofree char *ns = g_file_read_link (ns_path, NULL);
      g_autofree char *comm = NULL;
      GPid pid;

      if (ns == NULL || !g_str_equal (ns, ours) ||
          !g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_str_equal (g_strstrip (comm), "bootyard-server"))
        continue;
      pid = (GPid) g_ascii_strtoll (name, NULL, 10);
      g_array_append_val (pids, pid);
    }
  return pids;
}

/* Closing with the services on asks; "Keep Serving" leaves the server answering after the
 * app let go of it, and the next window finds it and says so. */
static void
test_close_keeps_serving (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  GSettings *settings = yard_application_get_settings (the_app);
  YardWindow *window = open_window ();
  g_autofree char *token_file = NULL;
  g_autoptr(YardClient) client = NULL;
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  JsonObject *status;

  g_assert_true (yard_connection_get_started_server (connection));
  flip_services_on (window);
  wait_services_running (connection);

  gtk_window_close (GTK_WINDOW (window));
  dialog = _yard_window_get_close_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (the_app)) != NULL);
  adw_message_dialog_response (dialog, "keep-serving");
  WAIT_UNTIL (!YARD_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  g_assert_true (g_settings_get_boolean (settings, "served-in-background"));

  /* What quitting does: the connection lets go; the server is no longer its own. */
  yard_connection_disconnect (connection);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  token_file = g_build_filename (g_getenv ("XDG_STATE_HOME"), "bootyard", "api-token", NULL);
  client = yard_client_new_from_files ("http://127.0.0.1:8067", token_file, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) node = yard_client_request_sync (client, "GET", "/status", NULL, NULL,
                                                         &error);

    g_assert_no_error (error);
    status = json_node_get_object (node);
    g_assert_true (json_object_get_boolean_member (status, "servicesRunning"));
    g_assert_cmpstr (yard_json_get_string (service (status, "dhcp"), "state"), ==, "running");
  }

  /* The next start attaches to it and says so once. */
  window = open_window ();
  g_assert_false (yard_connection_get_started_server (connection));
  g_assert_false (g_settings_get_boolean (settings, "served-in-background"));
  g_assert_true (gtk_switch_get_state (_yard_window_get_services_switch (window)) ||
                 (wait_services_running (connection) != NULL));

  /* Found running, not started by this app: closing asks again. Keep Serving leaves it. */
  gtk_window_close (GTK_WINDOW (window));
  dialog = _yard_window_get_close_dialog (window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "keep-serving");
  WAIT_UNTIL (!YARD_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  g_assert_true (g_settings_get_boolean (settings, "served-in-background"));
  yard_connection_disconnect (connection);
  {
    g_autoptr(JsonNode) node = yard_client_request_sync (client, "GET", "/status", NULL, NULL,
                                                         &error);

    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (node),
                                                   "servicesRunning"));
  }

  /* And Stop Serving stops its boot services (through the API: it is not ours to end). */
  window = open_window ();
  g_assert_false (yard_connection_get_started_server (connection));
  wait_services_running (connection);
  gtk_window_close (GTK_WINDOW (window));
  dialog = _yard_window_get_close_dialog (window);
  g_assert_nonnull (dialog);
  save_screenshot (GTK_WIDGET (dialog), "close-attached.png");
  adw_message_dialog_response (dialog, "stop");
  WAIT_UNTIL (!YARD_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  {
    g_autoptr(JsonNode) node = yard_client_request_sync (client, "GET", "/status", NULL, NULL,
                                                         &error);

    g_assert_no_error (error);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (node),
                                                    "servicesRunning"));
  }
  yard_connection_disconnect (connection);
  g_settings_reset (settings, "served-in-background");

  pids = servers_in_our_namespace ();
  g_assert_cmpuint (pids->len, ==, 1);
  kill (g_array_index (pids, GPid, 0), SIGTERM);
}

/* A label showing @text that is on screen, below @widget. */
static GtkLabel *
find_mapped_label (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_mapped_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A phone-sized window: 360 px is enough for the header, and the title stays whole. */
static void
test_narrow_window (void)
{
  YardWindow *window;
  GtkLabel *title;
  int minimum = 0;

  /* GNOME's title buttons (org.gnome.desktop.wm.preferences button-layout), not GTK's own
   * default of three, which no GNOME session shows. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  window = open_window ();

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_test_message ("Minimum width: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  /* (The window's own width is the surface's less its frame.) */
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= 360);
  WAIT_UNTIL ((title = find_mapped_label (GTK_WIDGET (window), "Bootyard")) != NULL);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (title)));

  gtk_window_destroy (GTK_WINDOW (window));
  /* The size a window is left at is kept: the next tests' windows open at the default. */
  g_settings_reset (yard_application_get_settings (the_app), "window-width");
  g_settings_reset (yard_application_get_settings (the_app), "window-height");
  yard_connection_disconnect (yard_application_get_connection (the_app));
}

static gboolean
setting_is (GSettings  *settings,
            const char *key,
            const char *value)
{
  g_autofree char *current = g_settings_get_string (settings, key);

  return g_strcmp0 (current, value) == 0;
}

/* Remote Server on: nothing changes until a URL answers; the local server and its services
 * run on meanwhile. A URL where nothing listens is said, and changes nothing either. */
static void
test_remote_switch_waits (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  GSettings *settings = yard_application_get_settings (the_app);
  YardWindow *window = open_window ();
  YardPreferencesWindow *prefs = NULL;
  GtkLabel *problem;
  AdwEntryRow *url_row;
  g_autofree char *url = NULL;

  flip_services_on (window);
  wait_services_running (connection);

  /* The app's Preferences (app.preferences) name the boot root of the server we started. */
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "preferences", NULL);
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (YARD_IS_PREFERENCES_WINDOW (l->data))
        prefs = l->data;
  }
  g_assert_nonnull (prefs);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (prefs)));
  {
    g_autofree char *root = g_build_filename (g_getenv ("XDG_DATA_HOME"), "bootyard", "root",
                                              NULL);
    AdwActionRow *row = _yard_preferences_window_get_root_row (prefs);

    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, root);
  }
  problem = _yard_preferences_window_get_problem_label (prefs);
  url_row = _yard_preferences_window_get_url_row (prefs);

  gtk_switch_set_active (_yard_preferences_window_get_remote_switch (prefs), TRUE);
  g_signal_emit_by_name (url_row, "apply");
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");

  /* Port 9 (discard) is not served here. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://127.0.0.1:9");
  g_signal_emit_by_name (url_row, "apply");
  WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_test_message ("%s", gtk_label_get_label (problem));
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "http://127.0.0.1:9"));
  g_clear_pointer (&url, g_free);
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");
  g_assert_true (yard_connection_get_started_server (connection));
  g_assert_cmpint (yard_connection_get_state (connection), ==, YARD_CONNECTION_CONNECTED);
  g_assert_true (yard_connection_get_status (connection)->services_running);

  /* A URL that answers (this server, by its address on the LAN) is taken. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://" LAN_ADDRESS ":8067");
  g_signal_emit_by_name (url_row, "apply");
  WAIT_UNTIL (setting_is (settings, "server-url", "http://" LAN_ADDRESS ":8067"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "token-file");
  g_settings_set_string (settings, "close-with-services", "stop");
  gtk_window_destroy (GTK_WINDOW (window));
  yard_connection_disconnect (connection);
  g_settings_reset (settings, "close-with-services");
}

static GSocket *
hold_udp_port (guint16 port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, port);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  return socket;
}

/* Two ports taken by another program: one flip, one message that names both. */
static void
test_ports_in_one_message (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  YardWindow *window = open_window ();
  GtkSwitch *sw = _yard_window_get_services_switch (window);
  GtkWidget *banner = _yard_window_get_banner_label (window);
  g_autoptr(GSocket) tftp = hold_udp_port (69);
  g_autoptr(GSocket) dhcp = hold_udp_port (67);
  const char *text;

  g_assert_true (yard_connection_get_started_server (connection));
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (gtk_widget_get_mapped (banner) && *gtk_label_get_label (GTK_LABEL (banner)) != '\0');
  text = gtk_label_get_label (GTK_LABEL (banner));
  g_test_message ("Banner: %s", text);
  g_assert_nonnull (strstr (text, "Port 69 (TFTP) is used by another program"));
  g_assert_nonnull (strstr (text, "Port 67 (ProxyDHCP) is used by another program"));
  g_assert_nonnull (strstr (text, "sport = :67"));
  /* In the app's words: its settings, not the server's options. */
  g_assert_nonnull (strstr (text, "Preferences"));
  g_assert_null (strstr (text, "--"));
  save_screenshot (GTK_WIDGET (window), "ports.png");
  WAIT_UNTIL (!gtk_switch_get_active (sw));
  g_assert_false (gtk_switch_get_state (sw));

  gtk_window_destroy (GTK_WINDOW (window));
  yard_connection_disconnect (connection);
}

/* Every label below @widget that is on screen, joined by newlines. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_text_cb,
                                 &text);
  WAIT_UNTIL (text != NULL);
  return text;
}

static YardPreferencesWindow *
open_preferences (void)
{
  YardPreferencesWindow *prefs = NULL;
  g_autoptr(GList) toplevels = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (the_app), "preferences", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (YARD_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_assert_nonnull (prefs);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (prefs)));
  return prefs;
}

static void
apply_port_row (YardPreferencesWindow *prefs,
                const char            *key,
                const char            *text)
{
  AdwEntryRow *row = _yard_preferences_window_get_port_row (prefs, key);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

/* The TFTP and HTTP ports are settings in Preferences: a bad one is said and changes nothing;
 * a good one restarts the server that the app started, with the new ports, and the app follows
 * it to its new HTTP port. */
static void
test_port_settings (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  GSettings *settings = yard_application_get_settings (the_app);
  YardWindow *window = open_window ();
  YardPreferencesWindow *prefs;
  GtkLabel *problem;
  const YardServerStatus *status;

  g_assert_true (yard_connection_get_started_server (connection));
  prefs = open_preferences ();
  problem = _yard_preferences_window_get_ports_problem_label (prefs);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_yard_preferences_window_get_port_row (
                     prefs, "tftp-port"))), ==, "69");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));

  apply_port_row (prefs, "tftp-port", "70000");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_test_message ("%s", gtk_label_get_label (problem));
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "1 to 65535"));
  g_assert_cmpuint (g_settings_get_uint (settings, "tftp-port"), ==, 69);

  apply_port_row (prefs, "tftp-port", "6969");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpuint (g_settings_get_uint (settings, "tftp-port"), ==, 6969);
  apply_port_row (prefs, "http-port", "8068");
  g_assert_cmpuint (g_settings_get_uint (settings, "http-port"), ==, 8068);
  save_screenshot (GTK_WIDGET (prefs), "preferences-ports.png");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The restarted server, on the new ports, from the app's switch. */
  WAIT_UNTIL (g_strcmp0 (_yard_window_get_visible_child (window), "main") == 0 &&
              yard_connection_get_started_server (connection));
  g_assert_cmpstr (yard_client_get_base_url (yard_connection_get_client (connection)), ==,
                   "http://127.0.0.1:8068");
  /* (The pages may still report requests that the restart cut: not this switch's answer.) */
  gtk_switch_set_active (_yard_window_get_services_switch (window), TRUE);
  status = wait_services_running (connection);
  g_assert_cmpuint (yard_server_status_find_service (status, "tftp")->port, ==, 6969);
  g_assert_cmpuint (yard_server_status_find_service (status, "http")->port, ==, 8068);

  g_settings_set_string (settings, "close-with-services", "stop");
  gtk_window_destroy (GTK_WINDOW (window));
  yard_connection_disconnect (connection);
  g_settings_reset (settings, "close-with-services");
  g_settings_reset (settings, "tftp-port");
  g_settings_reset (settings, "http-port");
}

/* As a normal user (the server runs as nobody, in this namespace where ports below 1024 need
 * privileges): one flip, one message in the app's words that names both refused ports and no
 * command-line option, with buttons that copy the exact setcap command for the server's real
 * program and the sysctl for the lowest port, and the port settings. The copied sysctl, run,
 * lets the next flip start the services. */
static void
test_normal_user_ports (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  YardWindow *window;
  GtkSwitch *sw;
  GtkWidget *banner;
  const char *server = g_getenv ("BOOTYARD_SERVER");
  g_autofree char *home = g_path_get_dirname (g_getenv ("XDG_STATE_HOME"));
  g_autofree char *wrapper = g_build_filename (home, "as-nobody", NULL);
  g_autofree char *script = NULL;
  g_autofree char *chown = NULL;
  g_autofree char *real = NULL;
  g_autofree char *setcap = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GString) popover_text = g_string_new (NULL);
  const char *text;
  const char *sysctl;

  g_assert_nonnull (server);
  real = realpath (server, NULL);
  g_assert_nonnull (real);
  script = g_strdup_printf ("#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup "
                            "--clear-groups '%s' \"$@\"\n", server);
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
  g_assert_cmpint (g_chmod (home, 0755), ==, 0);
  chown = g_strdup_printf ("chown -R nobody:nogroup '%s/state' '%s/data'", home, home);
  g_assert_true (run (chown));
  g_assert_true (run ("sysctl -qw net.ipv4.ip_unprivileged_port_start=1024"));
  g_setenv ("BOOTYARD_SERVER", wrapper, TRUE);

  window = open_window ();
  sw = _yard_window_get_services_switch (window);
  banner = _yard_window_get_banner_label (window);
  g_assert_true (yard_connection_get_started_server (connection));
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (_yard_window_get_banner_command (window, "setcap") != NULL);
  text = gtk_label_get_label (GTK_LABEL (banner));
  g_test_message ("Banner: %s", text);
  g_assert_nonnull (strstr (text, "69 (TFTP)"));
  g_assert_nonnull (strstr (text, "67 (ProxyDHCP)"));
  g_assert_nonnull (strstr (text, "Preferences"));
  g_assert_null (strstr (text, "--"));
  g_assert_true (gtk_widget_get_mapped (_yard_window_get_port_settings_button (window)));

  setcap = yard_privileges_setcap_command (real);
  g_assert_cmpstr (_yard_window_get_banner_command (window, "setcap"), ==, setcap);
  sysctl = _yard_window_get_banner_command (window, "sysctl");
  g_assert_cmpstr (sysctl, ==, "sudo sysctl net.ipv4.ip_unprivileged_port_start=67");
  WAIT_UNTIL (!gtk_switch_get_active (sw));
  save_screenshot (GTK_WIDGET (window), "ports-normal-user.png");

  /* The popover's rows say it in the app's words too. */
  gtk_popover_popup (_yard_window_get_services_popover (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (_yard_window_get_services_popover (window))));
  collect_labels (GTK_WIDGET (_yard_window_get_services_popover (window)), popover_text);
  g_test_message ("Popover: %s", popover_text->str);
  g_assert_nonnull (strstr (popover_text->str, "port 69 needs privileges"));
  g_assert_null (strstr (popover_text->str, "--"));
  save_screenshot (GTK_WIDGET (_yard_window_get_services_popover (window)),
                   "ports-normal-user-popover.png");
  gtk_popover_popdown (_yard_window_get_services_popover (window));

  /* Copy puts the exact command on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-command", "s",
                                             "setcap"));
  copied = read_clipboard (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, setcap);
  g_clear_pointer (&copied, g_free);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-command", "s",
                                             "sysctl"));
  copied = read_clipboard (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, sysctl);

  /* What the copied command does (we are root: without its sudo), then the switch again. */
  g_assert_true (g_str_has_prefix (copied, "sudo "));
  g_assert_true (run (copied + strlen ("sudo ")));
  gtk_switch_set_active (sw, TRUE);
  wait_services_running (connection);
  WAIT_UNTIL (gtk_switch_get_state (sw));

  g_settings_set_string (yard_application_get_settings (the_app), "close-with-services", "stop");
  gtk_window_destroy (GTK_WINDOW (window));
  yard_connection_disconnect (connection);
  g_settings_reset (yard_application_get_settings (the_app), "close-with-services");
  g_setenv ("BOOTYARD_SERVER", server, TRUE);
  g_assert_true (run ("sysctl -qw net.ipv4.ip_unprivileged_port_start=1024"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("bootyard-firstrun-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
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
      g_autoptr(GError) error = NULL;

      gtk_init ();
      the_app = yard_application_new ();
      g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_assert_no_error (error);
      g_test_add_func ("/yard/gui-firstrun/first-flip", test_first_flip);
      g_test_add_func ("/yard/gui-firstrun/close-keeps-serving", test_close_keeps_serving);
      g_test_add_func ("/yard/gui-firstrun/narrow-window", test_narrow_window);
      g_test_add_func ("/yard/gui-firstrun/remote-switch-waits", test_remote_switch_waits);
      g_test_add_func ("/yard/gui-firstrun/ports-in-one-message", test_ports_in_one_message);
      g_test_add_func ("/yard/gui-firstrun/port-settings", test_port_settings);
      /* Last: it gives the state and data directories to nobody. */
      g_test_add_func ("/yard/gui-firstrun/normal-user-ports", test_normal_user_ports);
      ret = g_test_run ();
      g_clear_object (&the_app);
    }

  yard_test_remove_tree (home);
  return ret;
}
