/* test-gui-system-service.c: "Run as System Service" among the refused ports' buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The process moves into network and mount namespaces of its own before GTK starts (as
 * test-gui-firstrun.c, with a LAN and its default route), where /var/lib is a tmpfs: the system
 * service's state directory, /var/lib/bootyard, is the real path and yet the test's own. The
 * app's server runs as nobody, so ports below 1024 are refused. A private D-Bus bus stands for
 * the system bus (BOOTYARD_SYSTEM_BUS_ADDRESS), with a small systemd Manager of the test's: it
 * records StartUnit and starts the real bootyard-server as the unit does (as root with
 * STATE_DIRECTORY, READY=1 over NOTIFY_SOCKET, then ExecStartPost's chmod of the token), and
 * ends the job with JobRemoved.
 */

#define _GNU_SOURCE

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "yard-application.h"
#include "yard-client.h"
#include "yard-paths.h"
#include "yard-preferences-window-private.h"
#include "yard-system-service.h"
#include "yard-window-private.h"

#include "test-gui-util.h"
#include "test-dirs.h"

#define LAN_IF      "bylan0"
#define LAN_ADDRESS "10.231.0.1"
#define UNIT_PATH   "/org/freedesktop/systemd1/unit/bootyard_2dserver_2eservice"
#define JOB_PATH    "/org/freedesktop/systemd1/job/42"

/* A LAN with a default route, and /var/lib of our own (nothing of the machine's is touched). */
static gboolean
make_namespaces (void)
{
  if (unshare (CLONE_NEWNET | CLONE_NEWNS) != 0)
    return FALSE;
  if (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount ("tmpfs", "/var/lib", "tmpfs", 0, "mode=0755") != 0 ||
      g_mkdir (YARD_SYSTEM_STATE_DIR, 0750) != 0)
    return FALSE;
  return run ("ip link set lo up") &&
         run ("ip link add " LAN_IF " type veth peer name bylan1") &&
         run ("ip addr add " LAN_ADDRESS "/24 dev " LAN_IF) &&
         run ("ip addr add 10.231.0.2/24 dev bylan1") &&
         run ("ip link set " LAN_IF " up") &&
         run ("ip link set bylan1 up") &&
         run ("ip route add default via 10.231.0.2 dev " LAN_IF);
}

/* The fake systemd */

typedef struct
{
  GDBusConnection *bus;
  guint            owner_id;
  guint            registrations[2];
  const char      *load_state;     /* the unit's LoadState */
  const char      *refuse_start;   /* a D-Bus error name for StartUnit, or NULL */
  const char      *job_result;     /* how the job ends without a server ("failed"), or NULL */
  gboolean         hold_start;     /* StartUnit waits (as for polkit's password) in pending */
  GDBusMethodInvocation *pending;
  guint            n_load_unit;
  GPtrArray       *started;        /* "UNIT MODE" of each StartUnit */
  gboolean         interactive;    /* the last StartUnit allowed interactive authorization */
  char            *program;        /* the real bootyard-server, run as root as the unit's */
  GSubprocess     *server;         /* the unit's bootyard-server */
  GSocket         *notify;         /* its NOTIFY_SOCKET */
  char            *notify_path;
  GSource         *notify_source;
} FakeSystemd;

static FakeSystemd fake;

static void
emit_job_removed (const char *result)
{
  g_dbus_connection_emit_signal (fake.bus, NULL, "/org/freedesktop/systemd1",
                                 "org.freedesktop.systemd1.Manager", "JobRemoved",
                                 g_variant_new ("(uoss)", 42, JOB_PATH,
                                                YARD_SYSTEM_SERVICE_UNIT, result),
                                 NULL);
}

/* READY=1: what systemd does then for this unit (ExecStartPost) and its job's end. */
static gboolean
notify_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  char buffer[256] = { 0, };
  gssize n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);
  g_autofree char *token = g_build_filename (YARD_SYSTEM_STATE_DIR, YARD_API_TOKEN_FILE, NULL);

  if (n <= 0 || strstr (buffer, "READY=1") == NULL)
    return G_SOURCE_CONTINUE;
  g_assert_cmpint (g_chmod (token, 0640), ==, 0);
  emit_job_removed ("done");
  return G_SOURCE_CONTINUE;
}

/* A test that fails leaves no process behind to hold the test runner's pipes. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* ExecStart of data/bootyard-server.service.in, with no BOOTYARD_SERVER_ARGS. */
static void
start_unit_server (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "STATE_DIRECTORY", YARD_SYSTEM_STATE_DIR, TRUE);
  g_subprocess_launcher_setenv (launcher, "NOTIFY_SOCKET", fake.notify_path, TRUE);
  fake.server = g_subprocess_launcher_spawn (launcher, &error, fake.program, NULL);
  g_assert_no_error (error);
}

static void
manager_method_cb (GDBusConnection       *bus,
                   const char            *sender,
                   const char            *path,
                   const char            *interface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  if (g_str_equal (method, "LoadUnit"))
    {
      const char *unit;

      g_variant_get (parameters, "(&s)", &unit);
      fake.n_load_unit++;
      if (!g_str_equal (unit, YARD_SYSTEM_SERVICE_UNIT))
        g_dbus_method_invocation_return_dbus_error (invocation,
                                                    "org.freedesktop.systemd1.NoSuchUnit",
                                                    "Unit not found.");
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", UNIT_PATH));
    }
  else if (g_str_equal (method, "StartUnit"))
    {
      GDBusMessage *message = g_dbus_method_invocation_get_message (invocation);
      const char *unit;
      const char *mode;

      g_variant_get (parameters, "(&s&s)", &unit, &mode);
      g_ptr_array_add (fake.started, g_strdup_printf ("%s %s", unit, mode));
      fake.interactive = (g_dbus_message_get_flags (message) &
                          G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0;
      if (fake.refuse_start != NULL)
        {
          g_dbus_method_invocation_return_dbus_error (invocation, fake.refuse_start,
                                                      "Interactive authentication required.");
          return;
        }
      if (fake.hold_start)
        {
          fake.pending = invocation;
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", JOB_PATH));
      /* A unit whose server exits at once: its job fails, after StartUnit's answer. */
      if (fake.job_result != NULL)
        emit_job_removed (fake.job_result);
      else
        start_unit_server ();
    }
  else if (g_str_equal (method, "Subscribe"))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_return_dbus_error (invocation,
                                                "org.freedesktop.DBus.Error.UnknownMethod",
                                                method);
}

static GVariant *
unit_property_cb (GDBusConnection  *bus,
                  const char       *sender,
                  const char       *path,
                  const char       *interface,
                  const char       *property,
                  GError          **error,
                  gpointer          user_data)
{
  return g_variant_new_string (fake.load_state);
}

static const char introspection[] =
  "<node>"
  " <interface name='org.freedesktop.systemd1.Manager'>"
  "  <method name='LoadUnit'><arg type='s' direction='in'/><arg type='o' direction='out'/></method>"
  "  <method name='StartUnit'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "   <arg type='o' direction='out'/></method>"
  "  <method name='Subscribe'/>"
  "  <signal name='JobRemoved'><arg type='u'/><arg type='o'/><arg type='s'/><arg type='s'/>"
  "  </signal>"
  " </interface>"
  " <interface name='org.freedesktop.systemd1.Unit'>"
  "  <property name='LoadState' type='s' access='read'/>"
  " </interface>"
  "</node>";

static void
fake_systemd_up (const char *address)
{
  static const GDBusInterfaceVTable manager_vtable = { manager_method_cb, NULL, NULL, { 0 } };
  static const GDBusInterfaceVTable unit_vtable = { NULL, unit_property_cb, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr(GSocketAddress) notify_address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bootyard-notify-XXXXXX", NULL);
  gboolean owned = FALSE;

  fake.bus = g_dbus_connection_new_for_address_sync (address,
                                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                     NULL, NULL, &error);
  g_assert_no_error (error);
  fake.registrations[0] =
    g_dbus_connection_register_object (fake.bus, "/org/freedesktop/systemd1",
                                       info->interfaces[0], &manager_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  fake.registrations[1] =
    g_dbus_connection_register_object (fake.bus, UNIT_PATH, info->interfaces[1], &unit_vtable,
                                       NULL, NULL, &error);
  g_assert_no_error (error);
  fake.owner_id = g_bus_own_name_on_connection (fake.bus, "org.freedesktop.systemd1",
                                                G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL,
                                                NULL);
  /* Owned once a call to it is answered by us: ask the bus who owns it. */
  while (!owned)
    {
      g_autoptr(GVariant) reply = NULL;

      g_main_context_iteration (NULL, FALSE);
      reply = g_dbus_connection_call_sync (fake.bus, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.systemd1"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
    }

  fake.started = g_ptr_array_new_with_free_func (g_free);
  fake.load_state = "loaded";
  fake.notify_path = g_build_filename (dir, "notify", NULL);
  fake.notify = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM,
                              G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  notify_address = g_unix_socket_address_new (fake.notify_path);
  g_assert_true (g_socket_bind (fake.notify, notify_address, FALSE, &error));
  g_assert_no_error (error);
  fake.notify_source = g_socket_create_source (fake.notify, G_IO_IN, NULL);
  g_source_set_callback (fake.notify_source, (GSourceFunc) (void (*) (void)) notify_cb, NULL,
                         NULL);
  g_source_attach (fake.notify_source, NULL);
}

static void
fake_systemd_stop_server (void)
{
  if (fake.server == NULL)
    return;
  g_subprocess_send_signal (fake.server, SIGTERM);
  g_assert_true (g_subprocess_wait (fake.server, NULL, NULL));
  g_clear_object (&fake.server);
}

/* The app */

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

static void
close_window (YardWindow *window)
{
  GSettings *settings = yard_application_get_settings (the_app);

  g_settings_set_string (settings, "close-with-services", "stop");
  gtk_window_destroy (GTK_WINDOW (window));
  yard_connection_disconnect (yard_application_get_connection (the_app));
  g_settings_reset (settings, "close-with-services");
}

/* Flips Services on as the normal user: the refused ports' message with its Copy buttons. */
static void
flip_until_refused (YardWindow *window)
{
  GtkSwitch *sw = _yard_window_get_services_switch (window);

  g_assert_true (yard_connection_get_started_server (yard_application_get_connection (the_app)));
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (_yard_window_get_banner_command (window, "setcap") != NULL);
  g_test_message ("Banner: %s",
                  gtk_label_get_label (GTK_LABEL (_yard_window_get_banner_label (window))));
  WAIT_UNTIL (!gtk_switch_get_active (sw));
}

/* Lets the window's question to systemd be answered (LoadUnit, then the unit's LoadState). */
static void
settle (void)
{
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* A label showing @text that is on screen, below @widget. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* @widget lies within @area's allocation, so it is drawn, not cut off. */
static gboolean
inside (GtkWidget *widget,
        GtkWidget *area)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, area, &bounds));
  g_test_message ("%s at %g,%g, %gx%g in %dx%d", G_OBJECT_TYPE_NAME (widget), bounds.origin.x,
                  bounds.origin.y, bounds.size.width, bounds.size.height,
                  gtk_widget_get_width (area), gtk_widget_get_height (area));
  return bounds.origin.x >= 0 && bounds.origin.y >= 0 &&
         bounds.origin.x + bounds.size.width <= gtk_widget_get_width (area) &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (area);
}

/* The unit is not installed, or there is no systemd at all: no button that could only fail. */
static void
test_not_offered (void)
{
  YardWindow *window = open_window ();
  GtkWidget *button = _yard_window_get_system_service_button (window);
  guint asked = fake.n_load_unit;

  fake.load_state = "not-found";
  flip_until_refused (window);
  WAIT_UNTIL (fake.n_load_unit > asked);
  settle ();
  g_assert_true (gtk_widget_get_mapped (_yard_window_get_port_settings_button (window)));
  g_assert_false (gtk_widget_get_mapped (button));

  /* Port Settings opens Preferences at the TFTP port's row. */
  g_signal_emit_by_name (_yard_window_get_port_settings_button (window), "clicked");
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
    YardPreferencesWindow *prefs = NULL;
    GtkWidget *row;
    GtkWidget *focus;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (YARD_IS_PREFERENCES_WINDOW (l->data))
        prefs = l->data;
    g_assert_nonnull (prefs);
    WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (prefs)) &&
                gtk_widget_get_height (GTK_WIDGET (prefs)) > 0);
    row = GTK_WIDGET (_yard_preferences_window_get_port_row (prefs, "tftp-port"));
    focus = gtk_window_get_focus (GTK_WINDOW (prefs));
    g_assert_nonnull (focus);
    g_assert_true (focus == row || gtk_widget_is_ancestor (focus, row));
    settle ();
    g_assert_true (inside (row, GTK_WIDGET (prefs)));
    save_screenshot (GTK_WIDGET (prefs), "port-settings-from-banner.png");
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  /* No org.freedesktop.systemd1 on the bus. */
  g_bus_unown_name (fake.owner_id);
  fake.owner_id = 0;
  settle ();
  asked = fake.n_load_unit;
  flip_until_refused (window);
  settle ();
  g_assert_cmpuint (fake.n_load_unit, ==, asked);
  g_assert_false (gtk_widget_get_mapped (button));
  /* (systemd gone between the question and the click:) said in words, and the app's own
   * server is back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-system-service",
                                             NULL));
  WAIT_UNTIL (yard_connection_get_state (yard_application_get_connection (the_app)) ==
              YARD_CONNECTION_CONNECTED &&
              yard_connection_get_started_server (yard_application_get_connection (the_app)) &&
              gtk_widget_get_mapped (_yard_window_get_banner_label (window)));
  {
    const char *text = gtk_label_get_label (GTK_LABEL (_yard_window_get_banner_label (window)));

    g_test_message ("Banner: %s", text);
    g_assert_nonnull (strstr (text, "systemd does not run on this computer"));
    g_assert_null (strstr (text, "org.freedesktop"));
  }

  fake.owner_id = g_bus_own_name_on_connection (fake.bus, "org.freedesktop.systemd1",
                                                G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL,
                                                NULL);
  settle ();
  fake.load_state = "loaded";
  close_window (window);
}

/* systemd refuses (the password was not given): the message says so in words, no D-Bus
 * names, and the app's own server is back. */
static void
test_start_refused (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  YardWindow *window = open_window ();
  GtkWidget *button = _yard_window_get_system_service_button (window);
  const char *text;

  fake.refuse_start = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";
  flip_until_refused (window);
  WAIT_UNTIL (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
  WAIT_UNTIL (fake.started->len == 1);
  WAIT_UNTIL (yard_connection_get_state (connection) == YARD_CONNECTION_CONNECTED &&
              yard_connection_get_started_server (connection) &&
              gtk_widget_get_mapped (_yard_window_get_banner_label (window)));
  text = gtk_label_get_label (GTK_LABEL (_yard_window_get_banner_label (window)));
  g_test_message ("Banner: %s", text);
  g_assert_nonnull (strstr (text, "password"));
  g_assert_nonnull (strstr (text, "sudo systemctl start bootyard-server"));
  g_assert_null (strstr (text, "org.freedesktop"));
  g_assert_null (strstr (text, "Interactive authentication"));
  g_assert_null (fake.server);

  /* systemd takes the job, and the unit fails: said with where to look. */
  fake.refuse_start = NULL;
  fake.job_result = "failed";
  flip_until_refused (window);
  WAIT_UNTIL (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
  WAIT_UNTIL (fake.started->len == 2);
  WAIT_UNTIL (yard_connection_get_state (connection) == YARD_CONNECTION_CONNECTED &&
              yard_connection_get_started_server (connection) &&
              gtk_widget_get_mapped (_yard_window_get_banner_label (window)));
  text = gtk_label_get_label (GTK_LABEL (_yard_window_get_banner_label (window)));
  g_test_message ("Banner: %s", text);
  g_assert_nonnull (strstr (text, "did not start: it failed"));
  g_assert_nonnull (strstr (text, "journalctl -u bootyard-server"));

  g_ptr_array_set_size (fake.started, 0);
  fake.job_result = NULL;
  close_window (window);
}

/* The bootyard-server processes in this test's own network namespace (no other can be). */
static guint
count_servers (void)
{
  g_autofree char *ours = g_file_read_link ("/proc/self/ns/net", NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *ns_path = g_build_filename ("/proc", name, "ns", "net", NULL);
      g_autofree char *comm_path = g_build_filename ("/proc", name, "comm", NULL);
      g_autofree char *ns = g_file_read_link (ns_path, NULL);
      g_autofree char *comm = NULL;

      if (ns != NULL && g_str_equal (ns, ours) &&
          g_file_get_contents (comm_path, &comm, NULL, NULL) &&
          g_str_equal (g_strstrip (comm), "bootyard-server"))
        n++;
    }
  return n;
}

/* The button starts the unit through systemd (StartUnit "bootyard-server.service" "replace",
 * polkit allowed to ask), the app's own server makes way, and the app attaches to the
 * service's server, with its token (not the user's own), and shows its services running. */
static void
test_run_as_service (void)
{
  YardConnection *connection = yard_application_get_connection (the_app);
  YardWindow *window = open_window ();
  GtkWidget *button = _yard_window_get_system_service_button (window);
  g_autofree char *system_token = NULL;
  g_autofree char *user_token = NULL;
  g_autofree char *user_token_file = g_build_filename (g_getenv ("XDG_STATE_HOME"), "bootyard",
                                                       YARD_API_TOKEN_FILE, NULL);
  g_autofree char *system_token_file = g_build_filename (YARD_SYSTEM_STATE_DIR,
                                                         YARD_API_TOKEN_FILE, NULL);
  const YardServerStatus *status;
  GtkWidget *actions;
  struct stat st;

  flip_until_refused (window);
  WAIT_UNTIL (gtk_widget_get_mapped (button));
  actions = gtk_widget_get_parent (gtk_widget_get_parent (button));
  g_assert_true (gtk_widget_get_mapped (_yard_window_get_port_settings_button (window)));
  save_screenshot (GTK_WIDGET (window), "ports-system-service.png");
  /* Each button of the message is on screen, inside the row of buttons: all four fit. */
  for (GtkWidget *child = gtk_widget_get_first_child (actions); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *each = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      g_assert_true (gtk_widget_get_mapped (each));
      g_assert_true (inside (each, actions));
    }
  g_assert_cmpuint (fake.started->len, ==, 0);

  /* While systemd (polkit) asks for the password, the window says what it waits for. */
  fake.hold_start = TRUE;
  g_signal_emit_by_name (button, "clicked");
  WAIT_UNTIL (fake.started->len == 1);
  g_assert_cmpstr (g_ptr_array_index (fake.started, 0), ==, "bootyard-server.service replace");
  g_assert_true (fake.interactive);
  WAIT_UNTIL (shows_label (GTK_WIDGET (window), "Starting the System Service…"));
  save_screenshot (GTK_WIDGET (window), "system-service-starting.png");
  g_assert_cmpuint (count_servers (), ==, 0);
  fake.hold_start = FALSE;
  g_dbus_method_invocation_return_value (g_steal_pointer (&fake.pending),
                                         g_variant_new ("(o)", JOB_PATH));
  start_unit_server ();

  WAIT_UNTIL (yard_connection_get_state (connection) == YARD_CONNECTION_CONNECTED &&
              _yard_window_is_connected_and_still (window));
  g_assert_false (yard_connection_get_started_server (connection));
  WAIT_UNTIL ((status = yard_connection_get_status (connection)) != NULL &&
              status->services_running);
  g_assert_cmpstr (status->root, ==, YARD_SYSTEM_STATE_DIR "/root");
  g_assert_cmpuint (yard_server_status_find_service (status, "tftp")->port, ==, 69);
  g_assert_cmpint (yard_server_status_find_service (status, "dhcp")->state, ==,
                   YARD_SERVICE_STATE_RUNNING);
  WAIT_UNTIL (gtk_switch_get_state (_yard_window_get_services_switch (window)));
  /* The service's token, which the unit left readable by its group, not the user's. */
  g_assert_true (g_file_get_contents (system_token_file, &system_token, NULL, NULL));
  g_assert_true (g_file_get_contents (user_token_file, &user_token, NULL, NULL));
  g_assert_cmpstr (system_token, !=, user_token);
  g_assert_cmpint (g_stat (system_token_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  /* The app's own server (as nobody) made way for it. */
  g_assert_cmpuint (count_servers (), ==, 1);
  WAIT_UNTIL (shows_label (GTK_WIDGET (window), "The bootyard-server system service runs now; "
                          "it keeps its own boot files, in " YARD_SYSTEM_STATE_DIR "/root"));
  save_screenshot (GTK_WIDGET (window), "system-service-running.png");

  /* Closing with Stop stops its boot services through the API: it is not the app's. */
  close_window (window);
  fake_systemd_stop_server ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("bootyard-sdservice-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *wrapper = g_build_filename (home, "as-nobody", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GSubprocess) bus = NULL;
  gboolean have_namespaces;
  int ret;

  /* Before GLib or GTK start a thread: the namespaces are the calling thread's. */
  have_namespaces = make_namespaces ();
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_unsetenv ("BOOTYARD_SERVER_ARGS");

  g_test_init (&argc, &argv, NULL);
  if (!have_namespaces)
    {
      g_test_skip ("Needs root for network and mount namespaces of its own");
      ret = g_test_run ();
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *script = NULL;
      g_autofree char *address = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      const char *server = g_getenv ("BOOTYARD_SERVER");

      /* The app's server as a normal user: ports below 1024 are refused to it. */
      g_assert_nonnull (server);
      g_assert_cmpint (g_mkdir_with_parents (state, 0755), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (data, 0755), ==, 0);
      /* (A new uid clears the parent-death signal that the app sets: set again after it.) */
      script = g_strdup_printf ("#!/bin/sh\nexec setpriv --reuid=nobody --regid=nogroup "
                                "--clear-groups --pdeathsig TERM '%s' \"$@\"\n", server);
      g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
      g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
      g_assert_cmpint (g_chmod (home, 0755), ==, 0);
      cmd = g_strdup_printf ("chown -R nobody:nogroup '%s' '%s'", state, data);
      g_assert_true (run (cmd));
      g_clear_pointer (&cmd, g_free);
      g_assert_true (run ("sysctl -qw net.ipv4.ip_unprivileged_port_start=1024"));
      fake.program = g_strdup (server);
      g_setenv ("BOOTYARD_SERVER", wrapper, TRUE);

      /* The "system bus": a private one, with the fake systemd on it. */
      {
        g_autoptr(GSubprocessLauncher) launcher =
          g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

        g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
        bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session",
                                           "--nofork", "--print-address=1", NULL);
        g_assert_no_error (error);
      }
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
      address = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (address);
      g_setenv ("BOOTYARD_SYSTEM_BUS_ADDRESS", address, TRUE);

      gtk_init ();
      fake_systemd_up (address);
      the_app = yard_application_new ();
      g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_assert_no_error (error);
      g_test_add_func ("/yard/gui-system-service/not-offered", test_not_offered);
      g_test_add_func ("/yard/gui-system-service/start-refused", test_start_refused);
      g_test_add_func ("/yard/gui-system-service/run-as-service", test_run_as_service);
      ret = g_test_run ();
      g_clear_object (&the_app);
      fake_systemd_stop_server ();
      g_subprocess_force_exit (bus);
      g_unlink (fake.notify_path);
      {
        g_autofree char *notify_dir = g_path_get_dirname (fake.notify_path);

        g_rmdir (notify_dir);
      }
    }

  yard_test_remove_tree (home);
  return ret;
}
