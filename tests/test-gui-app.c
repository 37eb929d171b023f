/* test-gui-app.c: the app against a real bootyard-server on test ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts bootyard-server (BOOTYARD_SERVER) with its own root and state directory,
 * HTTP on a free port and no DHCP, points the app's settings at it, and drives the window
 * through its actions and widgets. What the app did is checked through the API with a
 * YardClient of the test's own, never through the app's state.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "yard-activity-page-private.h"
#include "yard-application.h"
#include "yard-client.h"
#include "yard-entry-dialog-private.h"
#include "yard-gui-model.h"
#include "yard-validate.h"
#include "yard-host-dialog-private.h"
#include "yard-hosts-page-private.h"
#include "yard-images-page-private.h"
#include "yard-menu-page-private.h"
#include "yard-window-private.h"

#include "test-gui-util.h"
#include "test-dirs.h"

typedef struct
{
  char            *dir;
  char            *state_dir;
  char            *root_dir;
  GSubprocess     *server;
  guint16          port;
  guint16          tftp_port;  /* 0: any */
  const char      *hosts_json; /* STATE-DIR/hosts.json to start with, or NULL */
  char            *url;
  char            *token_file;
  YardClient      *client;   /* the test's own view of the server */
  YardApplication *app;
  YardWindow      *window;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static char *
read_file_or_null (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint16
free_udp_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
start_server (Fixture *f)
{
  const char *program = g_getenv ("BOOTYARD_SERVER");
  g_autoptr(GError) error = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *port_text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *tftp_port = NULL;
  gint64 deadline;

  g_assert_nonnull (program);
  f->dir = g_dir_make_tmp ("bootyard-gui-XXXXXX", &error);
  g_assert_no_error (error);
  f->state_dir = g_build_filename (f->dir, "state", NULL);
  f->root_dir = g_build_filename (f->dir, "root", NULL);

  if (f->hosts_json != NULL)
    {
      g_autofree char *path = g_build_filename (f->state_dir, "hosts.json", NULL);

      g_assert_cmpint (g_mkdir_with_parents (f->state_dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, f->hosts_json, -1, NULL));
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  /* A test that fails leaves no server behind. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  tftp_port = g_strdup_printf ("%u", f->tftp_port);
  f->server = g_subprocess_launcher_spawn (launcher, &error, program,
                                           "--root", f->root_dir, "--state-dir", f->state_dir,
                                           "--address", "127.0.0.1", "--no-dhcp",
                                           "--tftp-port", tftp_port, "--http-port", "0", NULL);
  g_assert_no_error (error);

  /* The server writes the port it bound to STATE-DIR/http-port (docs/api.md). */
  port_file = g_build_filename (f->state_dir, "http-port", NULL);
  f->token_file = g_build_filename (f->state_dir, "api-token", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((port_text = read_file_or_null (port_file)) == NULL ||
         !g_file_test (f->token_file, G_FILE_TEST_EXISTS))
    {
      g_clear_pointer (&port_text, g_free);
      g_assert_null (g_subprocess_get_identifier (f->server) == NULL ? "server exited" : NULL);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  f->port = (guint16) g_ascii_strtoull (g_strstrip (port_text), NULL, 10);
  g_assert_cmpuint (f->port, >, 0);
  f->url = g_strdup_printf ("http://127.0.0.1:%u", f->port);

  f->client = yard_client_new_from_files (f->url, f->token_file, &error);
  g_assert_no_error (error);
}

/* One application for the process (GTK starts once); each test gets its own window and
 * connection. */
static YardApplication *the_app;

static void
open_app (Fixture    *f,
          const char *url,
          const char *token_file)
{
  g_autoptr(GError) error = NULL;
  GSettings *settings;
  GtkWindow *window;

  if (the_app == NULL)
    {
      the_app = yard_application_new ();
      g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_assert_no_error (error);
    }
  f->app = g_object_ref (the_app);

  /* GSETTINGS_BACKEND=memory: these settings live and die with the test process. */
  settings = yard_application_get_settings (f->app);
  g_settings_set_string (settings, "server-url", url);
  g_settings_set_string (settings, "token-file", token_file);
  yard_connection_disconnect (yard_application_get_connection (f->app));
  g_application_activate (G_APPLICATION (f->app));

  window = gtk_application_get_active_window (GTK_APPLICATION (f->app));
  g_assert_true (YARD_IS_WINDOW (window));
  f->window = YARD_WINDOW (window);
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Bootyard");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* data: the test needs to know the TFTP port in advance; 2: and the server has seen a
   * UEFI PC before (its saved hosts table), as only a real DHCP request would tell */
  if (data != NULL)
    f->tftp_port = free_udp_port ();
  if (data == GINT_TO_POINTER (2))
    f->hosts_json = "{\"version\": 1, \"hosts\": [{\"mac\": \"52:54:00:ab:cd:ef\", "
                    "\"name\": \"\", \"mode\": \"menu\", \"once\": false, "
                    "\"arch\": \"efi-x64\", \"vendorClass\": \"PXEClient:Arch:00007:UNDI:003016\"}]}";
  start_server (f);
  open_app (f, f->url, f->token_file);
  WAIT_UNTIL (g_strcmp0 (_yard_window_get_visible_child (f->window), "main") == 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  yard_connection_disconnect (yard_application_get_connection (f->app));
  spin (50);
  g_clear_object (&f->app);
  g_clear_object (&f->client);
  f->window = NULL;

  if (f->server != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_send_signal (f->server, SIGTERM);
      g_assert_true (g_subprocess_wait (f->server, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (f->server));
      g_assert_cmpint (g_subprocess_get_exit_status (f->server), ==, 0);
      g_clear_object (&f->server);
    }

  if (f->dir != NULL)
    {
      g_assert_true (yard_test_remove_tree (f->dir));
    }
  g_free (f->dir);
  g_free (f->state_dir);
  g_free (f->root_dir);
  g_free (f->url);
  g_free (f->token_file);
}

static JsonObject *
server_get (Fixture    *f,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "GET", path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* The labels of the server's menu, in order, joined by "|". */
static char *
server_menu_labels (Fixture *f)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  JsonArray *entries = json_object_get_array_member (menu, "entries");
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      if (i > 0)
        g_string_append_c (labels, '|');
      g_string_append (labels, yard_json_get_string (entry, "label"));
    }
  return g_string_free (g_steal_pointer (&labels), FALSE);
}

static const char *
server_entry_id (Fixture    *f,
                 const char *label,
                 char      **out_id)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  JsonArray *entries = json_object_get_array_member (menu, "entries");

  *out_id = NULL;
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      if (g_strcmp0 (yard_json_get_string (entry, "label"), label) == 0)
        *out_id = g_strdup (yard_json_get_string (entry, "id"));
    }
  return *out_id;
}

static gboolean
menu_has (Fixture    *f,
          const char *labels)
{
  g_autofree char *now = server_menu_labels (f);
  return g_strcmp0 (now, labels) == 0;
}

static void
wait_menu (Fixture    *f,
           const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * 1000;

  while (!menu_has (f, expected) && g_get_monotonic_time () < deadline)
    spin (20);
  {
    g_autofree char *now = server_menu_labels (f);
    g_assert_cmpstr (now, ==, expected);
  }
}

static gboolean
menu_contains (Fixture    *f,
               const char *label)
{
  g_autofree char *now = server_menu_labels (f);
  g_auto(GStrv) parts = g_strsplit (now, "|", -1);
  return g_strv_contains ((const char * const *) parts, label);
}

/* The page's rows, as labels joined by "|". */
static gboolean
page_shows (YardMenuPage *page,
            const char   *labels)
{
  YardBootMenu *menu = _yard_menu_page_get_menu (page);
  g_autoptr(GString) now = g_string_new (NULL);

  for (guint i = 0; menu != NULL && i < yard_boot_menu_get_n_entries (menu); i++)
    {
      if (i > 0)
        g_string_append_c (now, '|');
      g_string_append (now, yard_boot_entry_get_label (yard_boot_menu_get_entry (menu, i)));
    }
  return g_str_equal (now->str, labels);
}

/* The page has loaded the entry @id (it reloads after each change, on its own time). */
static gboolean
page_has_entry (YardMenuPage *page,
                const char   *id)
{
  YardBootMenu *menu = _yard_menu_page_get_menu (page);

  return menu != NULL && yard_boot_menu_get_position (menu, id) >= 0;
}

static void
set_text (YardEntryDialog *dialog,
          const char      *field,
          const char      *text)
{
  gtk_editable_set_text (GTK_EDITABLE (_yard_entry_dialog_get_field (dialog, field)), text);
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

static void
test_window_connects (Fixture       *f,
                      gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  GtkWindow *window;

  /* The shortcuts window comes from gtk/help-overlay.ui; about and preferences open. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  window = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (window);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (window)), ==, PACKAGE_VERSION);
  gtk_window_destroy (window);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  window = find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (window);
  gtk_window_destroy (window);

  /* The menu page shows the server's menu, not an empty list. */
  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  {
    g_autoptr(JsonObject) menu = server_get (f, "/menu");
    g_assert_cmpstr (yard_boot_menu_get_title (_yard_menu_page_get_menu (page)), ==,
                     yard_json_get_string (menu, "title"));
  }
}

static void
test_menu_entries (Fixture       *f,
                   gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  YardEntryDialog *dialog;
  GtkLabel *problem;
  g_autofree char *linux_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;
  GtkListBox *list;

  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  before = server_menu_labels (f);

  /* Add: a Linux entry through the "menu.add" action and the dialog's fields. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.add", "s", "linux"));
  dialog = _yard_menu_page_get_dialog (page);
  g_assert_nonnull (dialog);
  problem = GTK_LABEL (_yard_entry_dialog_get_field (dialog, "problem"));

  /* Validates as you type, from the first edit, by core's rule in core's words: no kernel,
   * then a path out of the root, then a comma (which the API refuses). */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  set_text (dialog, "label", "Test Linux");
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "“kernel” is required"));
  set_text (dialog, "kernel", "../etc/passwd");
  g_assert_nonnull (strstr (gtk_label_get_label (problem), ".."));
  set_text (dialog, "kernel", "images/a,b");
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "commas"));
  g_assert_true (gtk_widget_has_css_class (_yard_entry_dialog_get_field (dialog, "kernel"),
                                           "error"));
  set_text (dialog, "kernel", "images/test/linux");
  set_text (dialog, "initrds", "images/test/initrd.gz");
  set_text (dialog, "append", "console=ttyS0");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  WAIT_UNTIL (_yard_menu_page_get_dialog (page) == NULL);
  g_assert_true (menu_contains (f, "Test Linux"));
  g_assert_nonnull (server_entry_id (f, "Test Linux", &linux_id));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_strdup_printf ("/menu/entries/%s", linux_id);
    g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "GET", "/menu", NULL, NULL,
                                                         &error);
    JsonArray *entries = json_object_get_array_member (json_node_get_object (node), "entries");
    JsonObject *entry = json_array_get_object_element (entries,
                                                       json_array_get_length (entries) - 1);

    g_assert_no_error (error);
    g_assert_cmpstr (yard_json_get_string (entry, "kind"), ==, "linux");
    g_assert_cmpstr (yard_json_get_string (entry, "kernel"), ==, "images/test/linux");
    g_assert_cmpstr (yard_json_get_string (entry, "append"), ==, "console=ttyS0");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry,
                                                                                  "initrds"), 0),
                     ==, "images/test/initrd.gz");
  }

  /* A second one: local disk. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.add", "s", "localboot"));
  dialog = _yard_menu_page_get_dialog (page);
  set_text (dialog, "label", "Test Disk");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  WAIT_UNTIL (_yard_menu_page_get_dialog (page) == NULL);
  WAIT_UNTIL (menu_contains (f, "Test Disk"));

  /* Edit: the row's action opens the dialog with the entry; a new name goes to the server. */
  WAIT_UNTIL (server_entry_id (f, "Test Linux", &linux_id) != NULL &&
              page_has_entry (page, linux_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.edit", "s", linux_id));
  dialog = _yard_menu_page_get_dialog (page);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_yard_entry_dialog_get_field (dialog,
                                                                                     "kernel"))),
                   ==, "images/test/linux");
  set_text (dialog, "label", "Edited Linux");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  WAIT_UNTIL (_yard_menu_page_get_dialog (page) == NULL);
  WAIT_UNTIL (menu_contains (f, "Edited Linux"));
  g_assert_false (menu_contains (f, "Test Linux"));

  /* Move: select the Linux row, Alt+Down's action puts it after the disk entry. */
  g_clear_pointer (&linux_id, g_free);
  g_assert_nonnull (server_entry_id (f, "Edited Linux", &linux_id));
  expected = g_strdup_printf ("%s%sTest Disk|Edited Linux", before, *before ? "|" : "");
  list = _yard_menu_page_get_list (page);
  WAIT_UNTIL (gtk_list_box_get_row_at_index (list, (int) g_list_model_get_n_items (
                G_LIST_MODEL (_yard_menu_page_get_menu (page))) - 1)
              != NULL && menu_contains (f, "Test Disk"));
  {
    g_autofree char *labels = server_menu_labels (f);
    g_auto(GStrv) parts = g_strsplit (labels, "|", -1);
    guint n = g_strv_length (parts);
    GtkListBoxRow *row;

    /* Wait until the page shows both new rows */
    WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (_yard_menu_page_get_menu (page))) == n);
    row = gtk_list_box_get_row_at_index (list, n - 2);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "entry-id"), ==, linux_id);
    gtk_list_box_select_row (list, row);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.move-down", NULL));
  }
  wait_menu (f, expected);

  /* ...and back up with Alt+Up's action (the moved row stays selected). */
  WAIT_UNTIL (!_yard_menu_page_is_busy (page) && gtk_list_box_get_selected_row (list) != NULL &&
              g_strcmp0 (g_object_get_data (G_OBJECT (gtk_list_box_get_selected_row (list)),
                                            "entry-id"), linux_id) == 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.move-up", NULL));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s%sEdited Linux|Test Disk", before, *before ? "|" : "");
  wait_menu (f, expected);

  /* Drag and drop ends in the same move: the Linux row dropped on the disk row. */
  WAIT_UNTIL (!_yard_menu_page_is_busy (page));
  {
    g_autofree char *disk_id = NULL;
    int disk_index = -1;
    GtkListBoxRow *row;

    g_assert_nonnull (server_entry_id (f, "Test Disk", &disk_id));
    for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "entry-id"), disk_id) == 0)
        disk_index = i;
    g_assert_cmpint (disk_index, >, 0);
    _yard_menu_page_move_entry (page, linux_id, disk_index);
  }
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s%sTest Disk|Edited Linux", before, *before ? "|" : "");
  wait_menu (f, expected);

  /* Delete, then Undo from the toast brings it back in its place. */
  WAIT_UNTIL (!_yard_menu_page_is_busy (page) && page_shows (page, expected));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.delete", "s", linux_id));
  WAIT_UNTIL (!menu_contains (f, "Edited Linux"));
  g_assert_true (menu_contains (f, "Test Disk"));
  WAIT_UNTIL (gtk_widget_activate_action (GTK_WIDGET (page), "menu.undo-delete", NULL) &&
              menu_contains (f, "Edited Linux"));
  wait_menu (f, expected);
}

static gboolean
menu_default_is (Fixture    *f,
                 const char *id)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  return g_strcmp0 (yard_json_get_string (menu, "default"), id) == 0;
}

static gboolean
menu_setting_is (Fixture    *f,
                 const char *member,
                 const char *value)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  return g_strcmp0 (yard_json_get_string (menu, member), value) == 0;
}

static gboolean
menu_loader_is (Fixture    *f,
                const char *loader)
{
  return menu_setting_is (f, "loader", loader);
}

/* The Boot Loader row shows the server's setting and changes it; the preview still works. */
static void
test_menu_loader (Fixture       *f,
                  gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  AdwComboRow *row = _yard_menu_page_get_loader_row (page);

  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  g_assert_true (menu_loader_is (f, "pxelinux"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  adw_combo_row_set_selected (row, 1);
  WAIT_UNTIL (menu_loader_is (f, "ipxe"));
  WAIT_UNTIL (g_strcmp0 (_yard_menu_page_get_loader (page, FALSE),
                         "ipxe") == 0);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);

  /* lpxelinux.0, files over HTTP: a choice that says what it costs */
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                               2),
                   ==, "pxelinux over HTTP (faster; some boots stall)");
  adw_combo_row_set_selected (row, 2);
  WAIT_UNTIL (menu_loader_is (f, "lpxelinux"));
  WAIT_UNTIL (g_strcmp0 (_yard_menu_page_get_loader (page, FALSE), "lpxelinux") == 0);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);

  adw_combo_row_set_selected (row, 0);
  WAIT_UNTIL (menu_loader_is (f, "pxelinux"));

  /* UEFI has its own row: automatic first (the default), shim + GRUB, syslinux, iPXE */
  row = _yard_menu_page_get_uefi_loader_row (page);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_true (menu_setting_is (f, "uefiLoader", "auto"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  adw_combo_row_set_selected (row, 1);
  WAIT_UNTIL (menu_setting_is (f, "uefiLoader", "grub"));
  WAIT_UNTIL (g_strcmp0 (_yard_menu_page_get_loader (page, TRUE),
                         "grub") == 0);
  adw_combo_row_set_selected (row, 2);
  WAIT_UNTIL (menu_setting_is (f, "uefiLoader", "syslinux"));
  WAIT_UNTIL (g_strcmp0 (_yard_menu_page_get_loader (page, TRUE),
                         "syslinux") == 0);
  g_assert_true (menu_loader_is (f, "pxelinux"));
  adw_combo_row_set_selected (row, 0);
  WAIT_UNTIL (menu_setting_is (f, "uefiLoader", "auto"));
}

static void
test_menu_settings (Fixture       *f,
                    gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  g_autoptr(JsonObject) entry = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) added = NULL;

  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  json_object_set_string_member (entry, "label", "Memtest");
  json_object_set_string_member (entry, "kind", "localboot");
  {
    g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), entry);
    g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "POST", "/menu/entries",
                                                         body, NULL, &error);
    g_assert_no_error (error);
    added = json_object_ref (json_node_get_object (node));
  }

  /* The event stream tells the page; then "Make Default" is the row's action. */
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (_yard_menu_page_get_menu (page))) > 0 &&
              gtk_widget_activate_action (GTK_WIDGET (page), "menu.make-default", "s",
                                          yard_json_get_string (added, "id")));
  WAIT_UNTIL (menu_default_is (f, yard_json_get_string (added, "id")));
}

static GtkWidget *find_button (GtkWidget *widget, const char *css_class, const char *label);

/* The server again, on the same port, state and root (its token too), after @before ran
 * while it was stopped; the app reconnects. */
static void
restart_server (Fixture    *f,
                void      (*before) (Fixture *f))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *tftp_port = g_strdup_printf ("%u", f->tftp_port);
  g_autofree char *http_port = g_strdup_printf ("%u", f->port);
  gint64 deadline;

  g_subprocess_send_signal (f->server, SIGTERM);
  g_assert_true (g_subprocess_wait (f->server, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->server);
  before (f);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* The server warns about a broken file, as it should: that is no test failure. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  f->server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BOOTYARD_SERVER"),
                                           "--root", f->root_dir, "--state-dir", f->state_dir,
                                           "--address", "127.0.0.1", "--no-dhcp",
                                           "--tftp-port", tftp_port, "--http-port", http_port,
                                           NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GError) status_error = NULL;
      g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "GET", "/status", NULL,
                                                           NULL, &status_error);

      if (node != NULL)
        break;
      g_assert_nonnull (g_subprocess_get_identifier (f->server));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.reconnect", NULL);
  WAIT_UNTIL (g_strcmp0 (_yard_window_get_visible_child (f->window), "main") == 0);
}

static void
break_hosts_file (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->state_dir, "hosts.json", NULL);

  g_assert_true (g_file_set_contents (path, "{\"hosts\": [{\"mac\": ", -1, NULL));
}

static void
remove_hosts_file (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->state_dir, "hosts.json", NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* A file the server could not use (GET /status "problems") shows in a banner with what to do,
 * for as long as the server lists it. */
static void
test_problems_banner (Fixture       *f,
                      gconstpointer  data)
{
  const char *text;

  g_assert_null (_yard_window_get_problems_text (f->window));
  restart_server (f, break_hosts_file);
  WAIT_UNTIL (_yard_window_get_problems_text (f->window) != NULL);
  text = _yard_window_get_problems_text (f->window);
  g_test_message ("Banner: %s", text);
  g_assert_true (g_str_has_prefix (text, "The boot server could not use this file:"));
  g_assert_nonnull (strstr (text, "hosts.json"));
  g_assert_nonnull (strstr (text, "is broken"));
  /* ... and what to do. */
  g_assert_nonnull (strstr (text, "Fix the copy and put it back"));
  /* (Past the status page's crossfade.) */
  spin (800);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-problems.png");

  restart_server (f, remove_hosts_file);
  WAIT_UNTIL (_yard_window_get_problems_text (f->window) == NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define NETBOOT "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"

static gboolean
same_bytes (const char *a,
            const char *b)
{
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  gsize one_len = 0;
  gsize two_len = 0;

  return g_file_get_contents (a, &one, &one_len, NULL) &&
         g_file_get_contents (b, &two, &two_len, NULL) &&
         one_len == two_len && memcmp (one, two, one_len) == 0;
}

/* Choose… in the Linux entry dialog with Debian's netboot files (outside the boot root): they
 * are copied into the boot root through the API, the fields name the copies, and the saved
 * entry boots them (none missing). A file already inside the boot root is named as it is. */
static void
test_entry_choose_files (Fixture       *f,
                         gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  YardEntryDialog *dialog;
  GtkWidget *kernel_row;
  GtkWidget *initrds_row;
  GtkLabel *copy_label;
  g_autoptr(GFile) kernel = g_file_new_for_path (NETBOOT "/linux");
  g_autoptr(GFile) initrd = g_file_new_for_path (NETBOOT "/initrd.gz");
  g_autofree char *copied_kernel = g_build_filename (f->root_dir, "files", "amd64", "linux",
                                                     NULL);
  g_autofree char *copied_initrd = g_build_filename (f->root_dir, "files", "amd64",
                                                     "initrd.gz", NULL);
  g_autofree char *id = NULL;
  GList *files = NULL;

  if (!g_file_query_exists (kernel, NULL) || !g_file_query_exists (initrd, NULL))
    {
      g_test_fail_printf ("Debian's netboot files are not installed "
                          "(debian-installer-12-netboot-amd64)");
      return;
    }

  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.add", "s", "linux"));
  dialog = _yard_menu_page_get_dialog (page);
  kernel_row = _yard_entry_dialog_get_field (dialog, "kernel");
  initrds_row = _yard_entry_dialog_get_field (dialog, "initrds");
  copy_label = GTK_LABEL (_yard_entry_dialog_get_field (dialog, "copy"));
  WAIT_UNTIL (_yard_entry_dialog_knows_root (dialog));
  set_text (dialog, "label", "Debian netboot");

  /* What the Choose… buttons' choosers hand over. */
  files = g_list_append (NULL, kernel);
  _yard_entry_dialog_take_files (dialog, "kernel", files);
  g_list_free (files);
  files = g_list_append (NULL, initrd);
  _yard_entry_dialog_take_files (dialog, "initrds", files);
  g_list_free (files);
  /* No Save while the files are on their way. */
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "suggested-action",
                                                         NULL)));
  /* (Iterating without WAIT_UNTIL's pauses: 48 MB go in 8 KiB pieces, one per iteration.) */
  {
    guint tick = g_timeout_add (50, tick_cb, NULL);
    gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * 1000;

    while (strstr (gtk_label_get_label (copy_label), "Copied") == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    g_source_remove (tick);
  }
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (initrds_row)),
                         "files/amd64/initrd.gz") == 0 &&
              g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (kernel_row)),
                         "files/amd64/linux") == 0 &&
              gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog), "suggested-action",
                                                     NULL)));
  g_test_message ("%s", gtk_label_get_label (copy_label));
  g_assert_nonnull (strstr (gtk_label_get_label (copy_label), "Copied into the boot root"));
  g_assert_true (same_bytes (NETBOOT "/linux", copied_kernel));
  g_assert_true (same_bytes (NETBOOT "/initrd.gz", copied_initrd));
  spin (300);
  save_screenshot (GTK_WIDGET (dialog), "screenshot-entry-choose.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL));
  WAIT_UNTIL (_yard_menu_page_get_dialog (page) == NULL);
  g_assert_nonnull (server_entry_id (f, "Debian netboot", &id));
  {
    g_autofree char *path = g_strdup_printf ("/menu/entries/%s", id);
    g_autoptr(JsonObject) entry = server_get (f, path);
    JsonObject *support = json_object_get_object_member (entry, "support");

    g_assert_cmpstr (yard_json_get_string (entry, "kernel"), ==, "files/amd64/linux");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (support, "missing")),
                      ==, 0);
  }

  /* A file inside the boot root (this server is on this computer) is named, not copied. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.add", "s", "linux"));
  dialog = _yard_menu_page_get_dialog (page);
  WAIT_UNTIL (_yard_entry_dialog_knows_root (dialog));
  {
    g_autoptr(GFile) inside = g_file_new_for_path (copied_kernel);

    files = g_list_append (NULL, inside);
    _yard_entry_dialog_take_files (dialog, "kernel", files);
    g_list_free (files);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_yard_entry_dialog_get_field (dialog,
                                                                                     "kernel"))),
                   ==, "files/amd64/linux");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_yard_entry_dialog_get_field (dialog,
                                                                                    "copy"))));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Adds an entry through the API, as another client would; its id. */
static char *
server_add_local (Fixture    *f,
                  const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"label\": \"%s\", \"kind\": \"localboot\"}",
                                           label);
  g_autoptr(JsonNode) body = json_from_string (json, NULL);
  g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "POST", "/menu/entries", body,
                                                       NULL, &error);

  g_assert_no_error (error);
  return g_strdup (yard_json_get_string (json_node_get_object (node), "id"));
}

/* The list is bound to the menu: a change another client makes (the server's menu-changed
 * event) remakes only that entry's row, and the selected row stays, the same widget. */
static void
test_menu_selection_stays (Fixture       *f,
                           gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  GtkListBox *list = _yard_menu_page_get_list (page);
  g_autofree char *keep = NULL;
  g_autofree char *other = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;
  int position;

  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL);
  keep = server_add_local (f, "Keep Me");
  other = server_add_local (f, "Change Me");
  WAIT_UNTIL (page_has_entry (page, keep) && page_has_entry (page, other));
  position = yard_boot_menu_get_position (_yard_menu_page_get_menu (page), keep);
  row = gtk_list_box_get_row_at_index (list, position);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "entry-id"), ==, keep);
  gtk_list_box_select_row (list, row);

  path = g_strdup_printf ("/menu/entries/%s", other);
  {
    g_autoptr(JsonNode) body = json_from_string ("{\"label\": \"Changed\"}", NULL);
    g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "PATCH", path, body, NULL,
                                                         &error);
    g_assert_no_error (error);
  }
  WAIT_UNTIL (g_strcmp0 (yard_boot_entry_get_label (yard_boot_menu_find_entry (
                           _yard_menu_page_get_menu (page), other)), "Changed") == 0);
  g_assert_true (gtk_list_box_get_selected_row (list) == row);
  g_assert_true (gtk_list_box_get_row_at_index (list, position) == row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_selected_row (list)),
                                      "entry-id"), ==, keep);
}

static void
server_put_host (Fixture    *f,
                 const char *mac,
                 const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/hosts/%s", mac);
  g_autoptr(JsonNode) body = json_from_string (json, NULL);
  g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "PUT", path, body, NULL,
                                                       &error);

  g_assert_no_error (error);
}

/* The same for hosts (a list without selection): another client renames one host; the row
 * of the other host is not made again, so it keeps its focus and state. */
static void
test_host_selection_stays (Fixture       *f,
                           gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
  GtkListBox *list = _yard_hosts_page_get_list (page);
  GtkListBoxRow *row = NULL;
  int index = -1;

  server_put_host (f, "52:54:00:00:00:0a", "{\"name\": \"keep\"}");
  server_put_host (f, "52:54:00:00:00:0b", "{\"name\": \"change\"}");
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, "52:54:00:00:00:0a") != NULL &&
              _yard_hosts_page_get_subtitle (page, "52:54:00:00:00:0b") != NULL);
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *r = gtk_list_box_get_row_at_index (list, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (r)), "keep") == 0)
        {
          row = r;
          index = i;
        }
    }
  g_assert_nonnull (row);

  server_put_host (f, "52:54:00:00:00:0b", "{\"name\": \"changed\"}");
  WAIT_UNTIL (g_strcmp0 (((YardHost *) g_ptr_array_index (_yard_hosts_page_get_hosts (page),
                                                          1))->name, "changed") == 0 ||
              g_strcmp0 (((YardHost *) g_ptr_array_index (_yard_hosts_page_get_hosts (page),
                                                          0))->name, "changed") == 0);
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, "52:54:00:00:00:0b") != NULL);
  g_assert_true (gtk_list_box_get_row_at_index (list, index) == row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "keep");
}

static gboolean
services_running (Fixture *f)
{
  g_autoptr(JsonObject) status = server_get (f, "/status");
  return json_object_get_boolean_member (status, "servicesRunning");
}

static void
test_services_switch (Fixture       *f,
                      gconstpointer  data)
{
  GtkSwitch *sw = _yard_window_get_services_switch (f->window);
  gboolean running = services_running (f);

  /* The switch shows the server's state... */
  WAIT_UNTIL (gtk_switch_get_state (sw) == running);

  /* ...stops the services... */
  if (running)
    {
      gtk_switch_set_active (sw, FALSE);
      WAIT_UNTIL (!services_running (f));
      WAIT_UNTIL (!gtk_switch_get_state (sw));
    }

  /* ...and starts them. */
  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (services_running (f));
  WAIT_UNTIL (gtk_switch_get_state (sw));
  {
    g_autoptr(JsonObject) status = server_get (f, "/status");
    JsonObject *tftp = json_object_get_object_member (json_object_get_object_member (status,
                                                                                     "services"),
                                                      "tftp");
    g_assert_cmpstr (yard_json_get_string (tftp, "state"), ==, "running");
  }
}

/* A service that cannot start: the banner says why (the server's words, naming the port and
 * what to do), the switch goes back off, and the popover's row for TFTP shows it failed. */
static void
test_services_failure (Fixture       *f,
                       gconstpointer  data)
{
  GtkSwitch *sw = _yard_window_get_services_switch (f->window);
  GtkWidget *banner = _yard_window_get_banner_label (f->window);
  g_autoptr(GSocket) blocker = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->tftp_port);
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", f->tftp_port);

  WAIT_UNTIL (gtk_switch_get_state (sw) && services_running (f));
  gtk_switch_set_active (sw, FALSE);
  WAIT_UNTIL (!services_running (f) && !gtk_switch_get_state (sw));

  /* Someone else takes the TFTP port while the services are stopped. */
  blocker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                          &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (blocker, address, FALSE, &error));
  g_assert_no_error (error);

  gtk_switch_set_active (sw, TRUE);
  WAIT_UNTIL (gtk_widget_get_mapped (banner) && *gtk_label_get_label (GTK_LABEL (banner)) != '\0');
  g_test_message ("Banner: %s", gtk_label_get_label (GTK_LABEL (banner)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)), port_text));
  WAIT_UNTIL (!gtk_switch_get_active (sw));
  g_assert_false (gtk_switch_get_state (sw));
  g_assert_false (services_running (f));
}

/* The first button below @widget with @css_class, or (css_class NULL) with @label. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *css_class,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) &&
      (css_class != NULL ? gtk_widget_has_css_class (widget, css_class)
                         : g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, css_class, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
menu_count_image (Fixture    *f,
                  const char *image)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  JsonArray *entries = json_object_get_array_member (menu, "entries");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (g_strcmp0 (yard_json_get_string (json_array_get_object_element (entries, i), "image"),
                   image) == 0)
      n++;
  return n;
}

static gboolean
menu_has_image (Fixture    *f,
                const char *image)
{
  return menu_count_image (f, image) > 0;
}

static gboolean
server_has_image (Fixture    *f,
                  const char *name)
{
  g_autofree char *path = g_build_filename (f->root_dir, "images", name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static GtkWidget *listed_image_row (YardImagesPage *page, const char *name);

/* The label of the first menu entry that boots image (a path in the root). */
static char *
menu_label_of_image (Fixture    *f,
                     const char *image)
{
  g_autoptr(JsonObject) menu = server_get (f, "/menu");
  JsonArray *entries = json_object_get_array_member (menu, "entries");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_strcmp0 (yard_json_get_string (entry, "image"), image) == 0)
        return g_strdup (yard_json_get_string (entry, "label"));
    }
  return NULL;
}

/* Whether the page's list says which menu entries boot the image name. */
static gboolean
listed_as_in_menu (YardImagesPage *page,
                   const char     *name)
{
  GtkWidget *row = listed_image_row (page, name);
  const char *subtitle = row ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
  static char *last;

  if (g_strcmp0 (last, subtitle) != 0)
    {
      g_free (last);
      last = g_strdup (subtitle);
      g_test_message ("%s: %s", name, subtitle ? subtitle : "(not listed)");
    }
  return subtitle != NULL && strstr (subtitle, "in the menu as") != NULL;
}

static void
drop_file (Fixture *f,
           GFile   *file)
{
  GtkDropTarget *target = _yard_window_get_drop_target (f->window);
  g_autoptr(GSList) files = g_slist_append (NULL, file);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
}

static void
test_drop_uploads (Fixture       *f,
                   gconstpointer  data)
{
  YardImagesPage *page = YARD_IMAGES_PAGE (_yard_window_get_page (f->window, "images"));
  GtkDropTarget *target = _yard_window_get_drop_target (f->window);
  g_autofree char *path = g_build_filename (f->dir, "freedos-test.img", NULL);
  g_autofree char *contents = g_malloc0 (1474560);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSList) files = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  /* A 1.44 MB floppy image with a boot signature. */
  contents[510] = 0x55;
  contents[511] = (char) 0xaa;
  g_assert_true (g_file_set_contents (path, contents, 1474560, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  files = g_slist_append (NULL, file);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  g_assert_true (handled);

  /* The window shows the Images page with the upload in progress... */
  g_assert_cmpuint (_yard_images_page_get_n_uploads (page) + _yard_images_page_get_n_done (page),
                    ==, 1);
  WAIT_UNTIL (_yard_images_page_get_n_done (page) == 1);
  g_assert_cmpuint (_yard_images_page_get_n_uploads (page), ==, 0);
  /* ...whose progress bar reached the end... */
  g_assert_cmpfloat (_yard_images_page_get_max_fraction (page), ==, 1.0);
  /* ...with a result row, and the server has the file, byte for byte. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (_yard_images_page_get_results (page), 0));
  {
    g_autofree char *stored = g_build_filename (f->root_dir, "images", "freedos-test.img", NULL);
    g_autofree char *back = NULL;
    gsize len = 0;
    g_autoptr(JsonObject) images = server_get (f, "/images");
    JsonArray *list = json_object_get_array_member (images, "images");

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (yard_json_get_string (json_array_get_object_element (list, 0), "name"), ==,
                     "freedos-test.img");
    g_assert_true (g_file_get_contents (stored, &back, &len, &error));
    g_assert_cmpuint (len, ==, 1474560);
    g_assert_cmpmem (back, len, contents, 1474560);
  }

  /* One step: the drop put the server's suggested entry in the menu, with no button left to
   * click; the toast's Undo takes the entry and the image away. */
  WAIT_UNTIL (_yard_images_page_get_n_added (page) == 1);
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test.img"), ==, 1);
  g_assert_null (find_button (GTK_WIDGET (gtk_list_box_get_row_at_index (
                                _yard_images_page_get_results (page), 0)),
                              "suggested-action", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "images.undo-add", "s",
                                             "freedos-test.img"));
  WAIT_UNTIL (!menu_has_image (f, "images/freedos-test.img") &&
              !server_has_image (f, "freedos-test.img"));

  /* Dropped again: in the menu again. Then a third time: the name is taken, so the page asks
   * Replace / Keep Both / Cancel (the screenshot shows it). */
  drop_file (f, file);
  WAIT_UNTIL (_yard_images_page_get_n_added (page) == 2);
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test.img"), ==, 1);
  WAIT_UNTIL (listed_as_in_menu (page, "freedos-test.img"));
  drop_file (f, file);
  WAIT_UNTIL (_yard_images_page_get_dialog (page) != NULL);
  {
    AdwMessageDialog *dialog = _yard_images_page_get_dialog (page);

    g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "freedos-test.img"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "freedos-test-2.img"));
    g_assert_true (adw_message_dialog_has_response (dialog, "replace"));
    g_assert_true (adw_message_dialog_has_response (dialog, "keep-both"));
    g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
    spin (500);
    save_screenshot (GTK_WIDGET (f->window), "screenshot-images-replace-window.png");
    save_screenshot (GTK_WIDGET (dialog), "screenshot-images-replace.png");
    /* Keep Both: the new file under the next free name, with its own entry. */
    adw_message_dialog_response (dialog, "keep-both");
  }
  WAIT_UNTIL (_yard_images_page_get_n_added (page) == 3);
  g_assert_true (server_has_image (f, "freedos-test-2.img"));
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test-2.img"), ==, 1);
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test.img"), ==, 1);

  /* Replace: the same name, and no second entry (the one there boots it). */
  {
    guint done = _yard_images_page_get_n_done (page);

    drop_file (f, file);
    WAIT_UNTIL (_yard_images_page_get_dialog (page) != NULL);
    adw_message_dialog_response (_yard_images_page_get_dialog (page), "replace");
    WAIT_UNTIL (_yard_images_page_get_n_done (page) == done + 2);
    g_assert_cmpuint (_yard_images_page_get_n_added (page), ==, 3);
    g_assert_cmpuint (menu_count_image (f, "images/freedos-test.img"), ==, 1);
  }

  /* Delete an image an entry boots: the page asks, naming the entry; Undo keeps both; when
   * the toast goes, the image and its entry go. */
  WAIT_UNTIL (listed_as_in_menu (page, "freedos-test-2.img"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "images.delete", "s",
                                             "freedos-test-2.img"));
  WAIT_UNTIL (_yard_images_page_get_dialog (page) != NULL);
  {
    g_autofree char *label = menu_label_of_image (f, "images/freedos-test-2.img");
    g_autofree char *quoted = g_strdup_printf ("“%s”", label);

    g_assert_nonnull (label);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (_yard_images_page_get_dialog (page)),
                              quoted));
  }
  adw_message_dialog_response (_yard_images_page_get_dialog (page), "delete");
  g_assert_null (listed_image_row (page, "freedos-test-2.img"));
  /* The toast's own Undo button (it lives above the page, in the window's overlay). */
  g_assert_nonnull (_yard_images_page_get_pending_toast (page));
  g_signal_emit_by_name (_yard_images_page_get_pending_toast (page), "button-clicked");
  adw_toast_dismiss (_yard_images_page_get_pending_toast (page));
  g_assert_nonnull (listed_image_row (page, "freedos-test-2.img"));
  spin (200);
  g_assert_true (server_has_image (f, "freedos-test-2.img"));
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test-2.img"), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "images.delete", "s",
                                             "freedos-test-2.img"));
  WAIT_UNTIL (_yard_images_page_get_dialog (page) != NULL);
  adw_message_dialog_response (_yard_images_page_get_dialog (page), "delete");
  g_assert_nonnull (_yard_images_page_get_pending_toast (page));
  adw_toast_dismiss (_yard_images_page_get_pending_toast (page));
  WAIT_UNTIL (!server_has_image (f, "freedos-test-2.img") &&
              !menu_has_image (f, "images/freedos-test-2.img"));
  g_assert_cmpuint (menu_count_image (f, "images/freedos-test.img"), ==, 1);
}

/* The images page's row for @name in the list of the server's images, or NULL. */
static GtkWidget *
listed_image_row (YardImagesPage *page,
                  const char     *name)
{
  GtkListBox *list = _yard_images_page_get_images (page);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (ADW_IS_PREFERENCES_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return GTK_WIDGET (row);
  return NULL;
}

/* Images from an earlier session (here: put into the root by hand) are listed; their Add to
 * Menu asks the server what they are, and adds what it suggests, or says why it cannot. */
static void
test_listed_images (Fixture       *f,
                    gconstpointer  data)
{
  YardImagesPage *page = YARD_IMAGES_PAGE (_yard_window_get_page (f->window, "images"));
  g_autofree char *images = g_build_filename (f->root_dir, "images", NULL);
  g_autofree char *floppy = g_build_filename (images, "old-floppy.img", NULL);
  g_autofree char *junk = g_build_filename (images, "notes.txt", NULL);
  g_autofree char *contents = g_malloc0 (1474560);
  GtkWidget *banner = _yard_window_get_banner_label (f->window);
  GtkWidget *row;

  contents[510] = 0x55;
  contents[511] = (char) 0xaa;
  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_true (g_file_set_contents (floppy, contents, 1474560, NULL));
  g_assert_true (g_file_set_contents (junk, "not an image\n", -1, NULL));

  _yard_images_page_reload (page);
  WAIT_UNTIL (listed_image_row (page, "old-floppy.img") != NULL &&
              listed_image_row (page, "notes.txt") != NULL);

  /* Each says how it boots, as the server inspected it (the same after a restart). */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (listed_image_row (
                              page, "old-floppy.img"))), "Boots from memory with memdisk"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (listed_image_row (
                              page, "notes.txt"))), "Not bootable"));

  /* A floppy: a memdisk entry of type floppy, as the server inspected it. */
  g_assert_false (menu_has_image (f, "images/old-floppy.img"));
  row = listed_image_row (page, "old-floppy.img");
  g_signal_emit_by_name (find_button (row, NULL, "Add to _Menu"), "clicked");
  WAIT_UNTIL (menu_has_image (f, "images/old-floppy.img"));
  {
    g_autoptr(JsonObject) menu = server_get (f, "/menu");
    JsonArray *entries = json_object_get_array_member (menu, "entries");

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        if (g_strcmp0 (yard_json_get_string (entry, "image"), "images/old-floppy.img") == 0)
          {
            g_assert_cmpstr (yard_json_get_string (entry, "kind"), ==, "memdisk");
            g_assert_cmpstr (yard_json_get_string (entry, "imageType"), ==, "floppy");
          }
      }
  }

  /* Add to Menu again: the page says it is there and offers another entry. */
  WAIT_UNTIL (listed_as_in_menu (page, "old-floppy.img"));
  row = listed_image_row (page, "old-floppy.img");
  g_signal_emit_by_name (find_button (row, NULL, "Add to _Menu"), "clicked");
  WAIT_UNTIL (_yard_images_page_get_dialog (page) != NULL);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (_yard_images_page_get_dialog (page)),
                            "Already in the Menu"));
  adw_message_dialog_response (_yard_images_page_get_dialog (page), "add");
  WAIT_UNTIL (menu_count_image (f, "images/old-floppy.img") == 2);

  /* Not a boot image: nothing is added, and the banner says so. */
  {
    g_autofree char *before = server_menu_labels (f);
    g_autofree char *after = NULL;

    row = listed_image_row (page, "notes.txt");
    g_signal_emit_by_name (find_button (row, NULL, "Add to _Menu"), "clicked");
    WAIT_UNTIL (strstr (gtk_label_get_label (GTK_LABEL (banner)), "notes.txt") != NULL);
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)),
                              "cannot be added to the menu"));
    after = server_menu_labels (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static gboolean
directory_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

/* Cancel: the upload stops, the server keeps nothing (no image, no temporary file). */
static void
test_upload_cancel (Fixture       *f,
                    gconstpointer  data)
{
  YardImagesPage *page = YARD_IMAGES_PAGE (_yard_window_get_page (f->window, "images"));
  g_autofree char *path = g_build_filename (f->dir, "big.iso", NULL);
  g_autofree char *images_dir = g_build_filename (f->root_dir, "images", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSList) files = NULL;
  FILE *fp;

  /* 256 MiB, sparse: long enough to be cancelled on the way. */
  fp = fopen (path, "w");
  g_assert_nonnull (fp);
  g_assert_cmpint (fseek (fp, (256 << 20) - 1, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc (0, fp), ==, 0);
  g_assert_cmpint (fclose (fp), ==, 0);
  file = g_file_new_for_path (path);
  files = g_slist_append (NULL, file);

  yard_images_page_upload_files (page, files);
  g_assert_cmpuint (_yard_images_page_get_n_uploads (page), ==, 1);
  WAIT_UNTIL (_yard_images_page_get_max_fraction (page) > 0.0 ||
              _yard_images_page_get_n_done (page) > 0);
  _yard_images_page_cancel_uploads (page);
  WAIT_UNTIL (_yard_images_page_get_n_done (page) == 1);
  g_assert_null (gtk_list_box_get_row_at_index (_yard_images_page_get_results (page), 0));

  /* The server noticed the client going away and removed its temporary file. */
  {
    g_autoptr(JsonObject) images = server_get (f, "/images");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (images, "images")),
                      ==, 0);
  }
  WAIT_UNTIL (directory_is_empty (images_dir));
}

static void
test_host_policy (Fixture       *f,
                  gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
  YardHostDialog *dialog;
  GtkTextBuffer *buffer;
  GtkLabel *problem;
  g_autoptr(JsonObject) host = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "hosts.add", NULL));
  dialog = _yard_hosts_page_get_dialog (page);
  g_assert_nonnull (dialog);
  problem = GTK_LABEL (_yard_host_dialog_get_field (dialog, "problem"));
  gtk_editable_set_text (GTK_EDITABLE (_yard_host_dialog_get_field (dialog, "mac")), "52:54:00");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  gtk_editable_set_text (GTK_EDITABLE (_yard_host_dialog_get_field (dialog, "mac")),
                         "52:54:00:12:34:56");
  gtk_editable_set_text (GTK_EDITABLE (_yard_host_dialog_get_field (dialog, "name")), "lab-1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (_yard_host_dialog_get_field (dialog, "mode")), 1);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (_yard_host_dialog_get_field (dialog,
                                                                                 "script")));
  gtk_text_buffer_set_text (buffer, "echo no shebang\n", -1);
  g_assert_nonnull (strstr (gtk_label_get_label (problem), "#!ipxe"));
  gtk_text_buffer_set_text (buffer, "#!ipxe\nchain http://127.0.0.1/x.ipxe\n", -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  /* A URL is refused by core's rule, in core's words, as the API refuses it. */
  {
    GtkWidget *url_row = _yard_host_dialog_get_field (dialog, "url");
    g_autoptr(GError) url_error = NULL;
    g_autofree char *valid = yard_validate_url ("http://a b/", &url_error);

    g_assert_null (valid);
    adw_combo_row_set_selected (ADW_COMBO_ROW (_yard_host_dialog_get_field (dialog, "mode")), 2);
    gtk_editable_set_text (GTK_EDITABLE (url_row), "http://a b/");
    g_assert_cmpstr (gtk_label_get_label (problem), ==, url_error->message);
    g_assert_true (gtk_widget_has_css_class (url_row, "error"));
    g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.save", NULL) &&
                    _yard_hosts_page_get_dialog (page) == NULL);
    adw_combo_row_set_selected (ADW_COMBO_ROW (_yard_host_dialog_get_field (dialog, "mode")), 1);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  }
  gtk_switch_set_active (GTK_SWITCH (_yard_host_dialog_get_field (dialog, "once")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.save", NULL));
  WAIT_UNTIL (_yard_hosts_page_get_dialog (page) == NULL);

  host = server_get (f, "/hosts/52:54:00:12:34:56");
  g_assert_cmpstr (yard_json_get_string (host, "name"), ==, "lab-1");
  g_assert_cmpstr (yard_json_get_string (host, "mode"), ==, "script");
  g_assert_cmpstr (yard_json_get_string (host, "script"), ==,
                   "#!ipxe\nchain http://127.0.0.1/x.ipxe\n");
  g_assert_true (json_object_get_boolean_member (host, "once"));
  WAIT_UNTIL (_yard_hosts_page_get_hosts (page) != NULL &&
              _yard_hosts_page_get_hosts (page)->len == 1);
}

/* Activates @widget's own shortcut for @keyval + @modifiers, as the key would; FALSE when it
 * has none. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static gboolean
server_has_host (Fixture    *f,
                 const char *mac)
{
  g_autofree char *path = g_strdup_printf ("/hosts/%s", mac);
  g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "GET", path, NULL, NULL,
                                                       NULL);
  return node != NULL;
}

static void
put_host (Fixture    *f,
          const char *mac,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/hosts/%s", mac);
  g_autoptr(JsonNode) body = json_from_string (json, &error);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_no_error (error);
  answer = yard_client_request_sync (f->client, "PUT", path, body, NULL, &error);
  g_assert_no_error (error);
}

/* Delete an entry, then the toast's own button (not the page's action) brings it back on the
 * server, in its place. */
static void
test_menu_undo_toast (Fixture       *f,
                      gconstpointer  data)
{
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"kind\":\"localboot\",\"label\":\"Undo Me\"}",
                                               &error);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *before = NULL;
  g_autofree char *id = NULL;
  AdwToast *toast;

  g_assert_no_error (error);
  answer = yard_client_request_sync (f->client, "POST", "/menu/entries", body, NULL, &error);
  g_assert_no_error (error);
  before = server_menu_labels (f);
  g_assert_nonnull (server_entry_id (f, "Undo Me", &id));
  WAIT_UNTIL (page_shows (page, before) && !_yard_menu_page_is_busy (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.delete", "s", id));
  WAIT_UNTIL (!menu_contains (f, "Undo Me") && _yard_menu_page_get_undo_toast (page) != NULL);
  toast = _yard_menu_page_get_undo_toast (page);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  wait_menu (f, before);
  WAIT_UNTIL (page_shows (page, before));
}

/* Forgetting a host, then Undo: the server has it again with its policy. */
static void
test_host_forget_undo (Fixture       *f,
                       gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
  const char *mac = "52:54:00:ab:cd:ef";
  YardHostDialog *dialog;
  g_autoptr(JsonObject) host = NULL;

  put_host (f, mac, "{\"name\":\"forget-me\",\"mode\":\"script\",\"once\":true,"
                    "\"script\":\"#!ipxe\\nchain http://127.0.0.1/x.ipxe\\n\"}");
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, mac) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "hosts.edit", "s", mac));
  dialog = _yard_hosts_page_get_dialog (page);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.forget", NULL));
  WAIT_UNTIL (_yard_hosts_page_get_dialog (page) == NULL);
  g_assert_false (server_has_host (f, mac));
  WAIT_UNTIL (_yard_hosts_page_get_undo_toast (page) != NULL &&
              _yard_hosts_page_get_subtitle (page, mac) == NULL);
  g_assert_cmpstr (adw_toast_get_title (_yard_hosts_page_get_undo_toast (page)), ==,
                   "“forget-me” forgotten");

  g_signal_emit_by_name (_yard_hosts_page_get_undo_toast (page), "button-clicked");
  WAIT_UNTIL (server_has_host (f, mac));
  host = server_get (f, "/hosts/52:54:00:ab:cd:ef");
  g_assert_cmpstr (yard_json_get_string (host, "name"), ==, "forget-me");
  g_assert_cmpstr (yard_json_get_string (host, "mode"), ==, "script");
  g_assert_cmpstr (yard_json_get_string (host, "script"), ==,
                   "#!ipxe\nchain http://127.0.0.1/x.ipxe\n");
  g_assert_true (json_object_get_boolean_member (host, "once"));
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, mac) != NULL);
}

/* Ctrl+N on the Hosts page opens Add Host, which shows no problem before the first edit;
 * Add Host is reached with Tab; Ctrl+O from any page goes to Images and its chooser. */
static void
test_host_keyboard (Fixture       *f,
                    gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
  GtkWidget *add_button = _yard_hosts_page_get_add_button (page);
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page),
                                                                 ADW_TYPE_VIEW_STACK));
  YardHostDialog *dialog;
  GtkWidget *problem;
  GtkWidget *mac_row;
  GtkWindow *chooser;
  gboolean reached = FALSE;

  adw_view_stack_set_visible_child_name (stack, "hosts");
  put_host (f, "52:54:00:12:34:99", "{\"name\":\"tab-1\"}");
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, "52:54:00:12:34:99") != NULL);

  g_assert_true (press_shortcut (GTK_WIDGET (page), GDK_KEY_n, GDK_CONTROL_MASK));
  dialog = _yard_hosts_page_get_dialog (page);
  g_assert_nonnull (dialog);
  problem = _yard_host_dialog_get_field (dialog, "problem");
  mac_row = _yard_host_dialog_get_field (dialog, "mac");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_false (gtk_widget_has_css_class (mac_row, "error"));
  /* Nothing typed yet, and nothing to save either. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "host.save", NULL) &&
                  _yard_hosts_page_get_dialog (page) == NULL);
  gtk_editable_set_text (GTK_EDITABLE (mac_row), "52:54");
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_has_css_class (mac_row, "error"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (_yard_hosts_page_get_dialog (page));

  /* Tab through the window, from its header bar on, reaches Add Host. */
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  for (guint i = 0; i < 40 && !reached; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (f->window));
      g_test_message ("Tab %u: %s", i, focus ? G_OBJECT_TYPE_NAME (focus) : "(none)");
      reached = focus == add_button;
    }
  g_assert_true (reached);

  /* Ctrl+O from the Hosts page: the window's shortcut. */
  g_assert_true (press_shortcut (GTK_WIDGET (f->window), GDK_KEY_o, GDK_CONTROL_MASK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "images");
  WAIT_UNTIL ((chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
}

static void
curl_boot (Fixture    *f,
           const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/boot/%s", f->url, file);
  const char *argv[] = { "curl", "-sS", "-o", "/dev/null", url, NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
}

static gboolean
subtitle_has (YardHostsPage *page,
              const char    *mac,
              const char    *text)
{
  const char *subtitle = _yard_hosts_page_get_subtitle (page, mac);

  return subtitle != NULL && strstr (subtitle, text) != NULL;
}

/* The server's own doctor: a machine (its iPXE script request, by curl) asks for a kernel that
 * its menu entry names and the boot root lacks (over TFTP, where a refusal is an event); its
 * row says so, with when. */
static void
test_host_verdict (Fixture       *f,
                   gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{\"kind\":\"linux\",\"label\":\"Gone\","
                                               "\"kernel\":\"images/gone/linux\"}", &error);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_no_error (error);
  answer = yard_client_request_sync (f->client, "POST", "/menu/entries", body, NULL, &error);
  g_assert_no_error (error);
  curl_boot (f, "52-54-00-ab-cd-01.ipxe");
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, "52:54:00:ab:cd:01") != NULL);
  g_assert_false (subtitle_has (page, "52:54:00:ab:cd:01", "missing"));
  /* Over TFTP, as firmware and pxelinux ask (curl speaks it too), from the same address. */
  {
    g_autofree char *url = g_strdup_printf ("tftp://127.0.0.1:%u/images/gone/linux",
                                            f->tftp_port);
    const char *argv[] = { "curl", "-s", "-o", "/dev/null", url, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  WAIT_UNTIL (subtitle_has (page, "52:54:00:ab:cd:01", "A file is missing (today at "));
}

/* Wake on a server without an interface: the 409, said in words the app's user can act on. */
static void
test_host_wake (Fixture       *f,
                gconstpointer  data)
{
  YardHostsPage *page = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));

  put_host (f, "52:54:00:12:34:98", "{\"name\":\"wake-1\"}");
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (page, "52:54:00:12:34:98") != NULL);
  g_assert_cmpstr (_yard_hosts_page_get_subtitle (page, "52:54:00:12:34:98"), ==,
                   "52:54:00:12:34:98 · Not booted yet");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "hosts.wake", "s",
                                             "52:54:00:12:34:98"));
  WAIT_UNTIL (_yard_hosts_page_get_wake_message (page) != NULL);
  g_assert_true (g_str_has_prefix (_yard_hosts_page_get_wake_message (page),
                                   "Choose the network’s interface first"));
}


static void
test_unreachable (void)
{
  Fixture fixture = { 0, };
  Fixture *f = &fixture;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bootyard-gui-XXXXXX", NULL);

  /* A port that nothing listens on: bound, never listened. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  token = g_build_filename (dir, "api-token", NULL);
  g_assert_true (g_file_set_contents (token, "0123", -1, NULL));

  open_app (f, url, token);
  /* No empty lists: the window says it cannot reach the server, with Retry. */
  WAIT_UNTIL (yard_connection_get_state (yard_application_get_connection (f->app)) ==
              YARD_CONNECTION_FAILED);
  g_assert_cmpstr (_yard_window_get_visible_child (f->window), ==, "status");
  g_assert_nonnull (yard_connection_get_error_message (yard_application_get_connection (f->app)));
  spin (300);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-unreachable.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.reconnect", NULL));
  g_assert_cmpint (yard_connection_get_state (yard_application_get_connection (f->app)), ==,
                   YARD_CONNECTION_CONNECTING);
  WAIT_UNTIL (yard_connection_get_state (yard_application_get_connection (f->app)) ==
              YARD_CONNECTION_FAILED);

  gtk_window_destroy (GTK_WINDOW (f->window));
  yard_connection_disconnect (yard_application_get_connection (f->app));
  spin (50);
  g_clear_object (&f->app);
  g_unlink (token);
  g_rmdir (dir);
}

static void
emit_event (Fixture    *f,
            const char *kind,
            const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(YardBootEvent) event = NULL;

  g_assert_nonnull (node);
  event = yard_boot_event_new (kind, NULL, json_node_get_object (node));
  g_signal_emit_by_name (yard_application_get_connection (f->app), "event", event);
}

static gboolean
heading_is (YardActivityPage *page,
            const char       *host,
            const char       *expected)
{
  g_autofree char *heading = _yard_activity_page_dup_heading (page, host);

  return g_strcmp0 (heading, expected) == 0;
}

/* A timeline is titled with the host's name from the server, says when it moved, and its
 * details explain themselves (no "(?)"). */
static void
test_activity_words (Fixture       *f,
                     gconstpointer  data)
{
  YardActivityPage *page = YARD_ACTIVITY_PAGE (_yard_window_get_page (f->window, "activity"));
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *heading = NULL;

  /* A name given on the server before the app connected. */
  put_host (f, "52:54:00:aa:bb:01", "{\"name\":\"lab-act\"}");
  yard_connection_disconnect (yard_application_get_connection (f->app));
  yard_connection_connect (yard_application_get_connection (f->app));
  WAIT_UNTIL (yard_connection_get_state (yard_application_get_connection (f->app)) ==
              YARD_CONNECTION_CONNECTED);

  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:aa:bb:01\",\"arch\":\"bios\",\"bootFile\":\"pxelinux.0\","
              "\"address\":\"192.168.1.51\"}");
  now = g_date_time_new_now_local ();
  today = yard_format_time (now, now);
  expected = g_strdup_printf ("lab-act (52:54:00:aa:bb:01)|%s", today);
  WAIT_UNTIL (heading_is (page, "52:54:00:aa:bb:01", expected));
  heading = _yard_activity_page_dup_heading (page, "52:54:00:aa:bb:01");
  g_assert_true (g_str_has_prefix (heading, "lab-act (52:54:00:aa:bb:01)|today at "));
  g_assert_cmpstr (_yard_activity_page_get_detail (page, "52:54:00:aa:bb:01"), ==,
                   "Offered pxelinux.0 to BIOS firmware");

  /* A rename follows; an unknown firmware leaves no "(?)". */
  emit_event (f, "host-changed", "{\"mac\":\"52:54:00:aa:bb:01\",\"name\":\"lab-renamed\"}");
  g_clear_pointer (&heading, g_free);
  heading = _yard_activity_page_dup_heading (page, "52:54:00:aa:bb:01");
  g_assert_true (g_str_has_prefix (heading, "lab-renamed (52:54:00:aa:bb:01)|"));
  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:aa:bb:02\",\"arch\":null,\"bootFile\":\"pxelinux.0\"}");
  g_clear_pointer (&heading, g_free);
  heading = _yard_activity_page_dup_heading (page, "52:54:00:aa:bb:02");
  g_assert_true (g_str_has_prefix (heading, "52:54:00:aa:bb:02|"));
  g_assert_cmpstr (_yard_activity_page_get_detail (page, "52:54:00:aa:bb:02"), ==,
                   "Offered pxelinux.0");
}

static void
test_activity_timeline (Fixture       *f,
                        gconstpointer  data)
{
  YardActivityPage *page = YARD_ACTIVITY_PAGE (_yard_window_get_page (f->window, "activity"));
  const char *mac = "52:54:00:aa:bb:cc";

  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:aa:bb:cc\",\"arch\":\"bios\",\"bootFile\":\"pxelinux.0\","
              "\"address\":\"192.168.1.50\"}");
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_DHCP), ==,
                   YARD_ACTIVITY_STEP_DONE);
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_LOADER), ==,
                   YARD_ACTIVITY_STEP_PENDING);

  emit_event (f, "transfer-started",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.50:2070\",\"file\":\"pxelinux.0\","
              "\"size\":46000}");
  g_assert_cmpuint (_yard_activity_page_get_n_transfers (page), ==, 1);
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_LOADER), ==,
                   YARD_ACTIVITY_STEP_ACTIVE);
  emit_event (f, "transfer-finished",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.50:2070\",\"file\":\"pxelinux.0\","
              "\"size\":46000,\"bytes\":46000,\"duration\":0.05}");
  g_assert_cmpuint (_yard_activity_page_get_n_transfers (page), ==, 0);
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_LOADER), ==,
                   YARD_ACTIVITY_STEP_DONE);

  emit_event (f, "transfer-progress",
              "{\"protocol\":\"http\",\"peer\":\"192.168.1.50:40000\","
              "\"file\":\"images/debian/linux\",\"size\":8000000,\"bytes\":4000000,"
              "\"duration\":0.5}");
  g_assert_cmpuint (_yard_activity_page_get_n_transfers (page), ==, 1);
  /* The config step must have happened for the kernel to be asked for. */
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_CONFIG), ==,
                   YARD_ACTIVITY_STEP_DONE);
  emit_event (f, "transfer-failed",
              "{\"protocol\":\"http\",\"peer\":\"192.168.1.50:40000\","
              "\"file\":\"images/debian/linux\",\"size\":8000000,\"bytes\":4000000,"
              "\"duration\":0.5,\"error\":\"the client closed the connection\"}");
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_KERNEL), ==,
                   YARD_ACTIVITY_STEP_FAILED);

  /* a loader's probe for an optional file is no failure of its step */
  emit_event (f, "transfer-refused",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.50:2071\","
              "\"file\":\"pxelinux.cfg/01-52-54-00-aa-bb-cc\",\"reason\":\"not-found\"}");
  g_assert_cmpint (_yard_activity_page_get_step (page, mac, YARD_BOOT_STEP_CONFIG), ==,
                   YARD_ACTIVITY_STEP_DONE);

  /* the doctor's verdict, in words, under the host's timeline */
  g_assert_null (_yard_activity_page_get_verdict (page, mac));
  emit_event (f, "boot-verdict",
              "{\"mac\":\"52:54:00:aa:bb:cc\",\"address\":\"192.168.1.50\","
              "\"verdict\":\"transfer-stopped\",\"ok\":false,"
              "\"title\":\"A transfer stopped\",\"detail\":\"linux <4 MB> of 8 MB\","
              "\"advice\":\"Check the cable & try again\"}");
  g_assert_cmpstr (_yard_activity_page_get_verdict (page, mac), ==,
                   "A transfer stopped — linux <4 MB> of 8 MB\nWhat to do: Check the cable & try again");
}

/* The timelines are a bound model: an event remakes the row of the timeline it moved, the
 * others stay the widgets they were, newest first. */
static void
test_activity_rows_bound (Fixture       *f,
                          gconstpointer  data)
{
  YardActivityPage *page = YARD_ACTIVITY_PAGE (_yard_window_get_page (f->window, "activity"));
  GtkWidget *first, *second, *first_again, *second_again;

  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:aa:cc:01\",\"arch\":0,\"bootFile\":\"pxelinux.0\"}");
  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:aa:cc:02\",\"arch\":7,\"bootFile\":\"shimx64.efi\"}");
  first = _yard_activity_page_get_row (page, "52:54:00:aa:cc:01");
  second = _yard_activity_page_get_row (page, "52:54:00:aa:cc:02");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  /* newest first */
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (second)), <,
                   gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (first)));
  /* the code the server sends is the firmware's name too */
  g_assert_cmpstr (_yard_activity_page_get_detail (page, "52:54:00:aa:cc:02"), ==,
                   "Offered shimx64.efi to UEFI x86-64 firmware");

  emit_event (f, "boot-verdict",
              "{\"mac\":\"52:54:00:aa:cc:01\",\"address\":null,\"verdict\":\"no-request\","
              "\"ok\":false,\"title\":\"Nothing asked\",\"detail\":\"No file.\","
              "\"advice\":null}");
  first_again = _yard_activity_page_get_row (page, "52:54:00:aa:cc:01");
  second_again = _yard_activity_page_get_row (page, "52:54:00:aa:cc:02");
  g_assert_true (second_again == second);
  g_assert_true (first_again != first);
  g_assert_cmpstr (_yard_activity_page_get_verdict (page, "52:54:00:aa:cc:01"), ==,
                   "Nothing asked — No file.");
  g_assert_null (_yard_activity_page_get_verdict (page, "52:54:00:aa:cc:02"));

  /* a verdict that core does not read changes nothing */
  emit_event (f, "boot-verdict", "{\"mac\":\"52:54:00:aa:cc:02\",\"verdict\":\"exploded\"}");
  g_assert_true (_yard_activity_page_get_row (page, "52:54:00:aa:cc:02") == second);

  gtk_widget_activate_action (GTK_WIDGET (page), "activity.clear", NULL);
  g_assert_null (_yard_activity_page_get_row (page, "52:54:00:aa:cc:01"));
}

/* A real transfer: curl fetches a file from the server's /boot/, the event stream carries it
 * to the Activity page, which marks the kernel step done for 127.0.0.1. */
static void
test_activity_real_transfer (Fixture       *f,
                             gconstpointer  data)
{
  YardActivityPage *page = YARD_ACTIVITY_PAGE (_yard_window_get_page (f->window, "activity"));
  g_autofree char *dir = g_build_filename (f->root_dir, "images", NULL);
  g_autofree char *path = g_build_filename (dir, "test-kernel", NULL);
  g_autofree char *contents = g_malloc0 (4 << 20);
  g_autofree char *url = g_strdup_printf ("%s/boot/images/test-kernel", f->url);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", url, NULL };

  WAIT_UNTIL (services_running (f));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, 4 << 20, &error));
  /* The page listens to the event stream; let it connect. */
  spin (300);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "200");
  WAIT_UNTIL (_yard_activity_page_get_step (page, "127.0.0.1", YARD_BOOT_STEP_KERNEL) ==
              YARD_ACTIVITY_STEP_DONE);
  g_assert_cmpuint (_yard_activity_page_get_n_transfers (page), ==, 0);

  /* A page that starts later (the app started again) shows it too: from the server's
   * history, not from events it heard */
  {
    g_autoptr(YardActivityPage) later = g_object_ref_sink (g_object_new (YARD_TYPE_ACTIVITY_PAGE,
                                                                          NULL));

    g_assert_cmpint (_yard_activity_page_get_step (later, "127.0.0.1", YARD_BOOT_STEP_KERNEL),
                     !=, YARD_ACTIVITY_STEP_DONE);
    yard_activity_page_set_connection (later, yard_application_get_connection (f->app));
    WAIT_UNTIL (_yard_activity_page_get_step (later, "127.0.0.1", YARD_BOOT_STEP_KERNEL) ==
                YARD_ACTIVITY_STEP_DONE);
    /* a finished transfer is no transfer in progress */
    g_assert_cmpuint (_yard_activity_page_get_n_transfers (later), ==, 0);
  }
}

/* screenshot-PAGE.png of each page named, as the window shows it. */
static void
save_page_screenshots (Fixture       *f,
                       AdwViewStack  *stack,
                       const char   **pages)
{
  /* No crossfade from the Connecting page half done in a shot. */
  WAIT_UNTIL (_yard_window_is_connected_and_still (f->window));
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("screenshot-%s.png", pages[i]);

      adw_view_stack_set_visible_child_name (stack, pages[i]);
      spin (700);
      save_screenshot (GTK_WIDGET (f->window), name);
    }
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  static const char *entries[] = {
    "{\"label\":\"Debian 12 installer\",\"kind\":\"linux\","
    "\"kernel\":\"images/debian/linux\",\"initrds\":[\"images/debian/initrd.gz\"],"
    "\"append\":\"vga=788 --- quiet\"}",
    "{\"label\":\"FreeDOS 1.3\",\"kind\":\"memdisk\",\"image\":\"images/freedos.img\","
    "\"imageType\":\"floppy\"}",
    "{\"label\":\"netboot.xyz\",\"kind\":\"chain\",\"url\":\"https://boot.netboot.xyz\"}",
    "{\"label\":\"iPXE shell\",\"kind\":\"ipxe\",\"script\":\"#!ipxe\\nshell\\n\"}",
  };
  YardMenuPage *page = YARD_MENU_PAGE (_yard_window_get_page (f->window, "menu"));
  AdwViewStack *stack;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(JsonNode) body = json_from_string (entries[i], &error);
      g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "POST", "/menu/entries",
                                                           body, NULL, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(JsonNode) body = json_from_string ("{\"name\":\"lab-1\",\"mode\":\"script\","
                                                 "\"script\":\"#!ipxe\\nchain http://10.0.0.1/a.ipxe\\n\","
                                                 "\"once\":true}", NULL);
    g_autoptr(JsonNode) node = yard_client_request_sync (f->client, "PUT",
                                                         "/hosts/52:54:00:12:34:56", body,
                                                         NULL, &error);
    g_assert_no_error (error);
  }
  WAIT_UNTIL (_yard_menu_page_get_menu (page) != NULL &&
              g_list_model_get_n_items (G_LIST_MODEL (_yard_menu_page_get_menu (page))) >= G_N_ELEMENTS (entries));
  /* A machine that really asked for its script: iPXE's request, made by curl. */
  {
    g_autofree char *url = g_strdup_printf ("%s/boot/52-54-00-ab-cd-ef.ipxe", f->url);
    const char *argv[] = { "curl", "-sS", "-o", "/dev/null", url, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
  }
  /* ... and what its script reports of the machine, as iPXE fills it in */
  {
    g_autofree char *url = g_strdup_printf ("%s/boot/52-54-00-ab-cd-ef.machine?manufacturer=LENOVO"
                                            "&product=ThinkCentre%%20M720q&serial=PC1ABCDE"
                                            "&memsize=16384&chip=rtl8168", f->url);
    const char *argv[] = { "curl", "-fsS", "-o", "/dev/null", url, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  /* ... and the kernel of the Debian entry, over TFTP, which the boot root does not have: the
   * doctor's real verdict on that machine's boot */
  {
    g_autofree char *url = g_strdup_printf ("tftp://127.0.0.1:%u/images/debian/linux",
                                            f->tftp_port);
    const char *argv[] = { "curl", "-s", "-o", "/dev/null", url, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  _yard_hosts_page_reload (YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts")));
  WAIT_UNTIL (subtitle_has (YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts")),
                            "52:54:00:ab:cd:ef", "A file is missing") &&
              subtitle_has (YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts")),
                            "52:54:00:ab:cd:ef", "UEFI"));
  WAIT_UNTIL (_yard_hosts_page_get_hosts (YARD_HOSTS_PAGE (_yard_window_get_page (f->window,
                                                                                  "hosts"))) &&
              _yard_hosts_page_get_hosts (YARD_HOSTS_PAGE (
                _yard_window_get_page (f->window, "hosts")))->len == 2);
  WAIT_UNTIL (_yard_hosts_page_get_subtitle (YARD_HOSTS_PAGE (_yard_window_get_page (f->window,
                                                                                     "hosts")),
                                             "52:54:00:ab:cd:ef") != NULL &&
              strstr (_yard_hosts_page_get_subtitle (YARD_HOSTS_PAGE (
                        _yard_window_get_page (f->window, "hosts")), "52:54:00:ab:cd:ef"),
                      "LENOVO ThinkCentre M720q") != NULL);

  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:12:34:56\",\"arch\":\"bios\",\"bootFile\":\"pxelinux.0\","
              "\"address\":\"192.168.1.50\"}");
  emit_event (f, "transfer-finished",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.50:2070\",\"file\":\"pxelinux.0\","
              "\"size\":46000,\"bytes\":46000,\"duration\":0.05}");
  emit_event (f, "transfer-finished",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.50:2071\","
              "\"file\":\"pxelinux.cfg/default\",\"size\":900,\"bytes\":900,\"duration\":0.01}");
  emit_event (f, "transfer-progress",
              "{\"protocol\":\"http\",\"peer\":\"192.168.1.50:40000\","
              "\"file\":\"images/debian/initrd.gz\",\"size\":32000000,\"bytes\":12000000,"
              "\"duration\":0.3}");
  /* a UEFI PC with Secure Boot on, and what the doctor says of it */
  emit_event (f, "dhcp-answered",
              "{\"mac\":\"52:54:00:ab:cd:ef\",\"arch\":7,\"bootFile\":\"efi64/syslinux.efi\","
              "\"address\":\"192.168.1.51\"}");
  emit_event (f, "transfer-finished",
              "{\"protocol\":\"tftp\",\"peer\":\"192.168.1.51:1501\","
              "\"file\":\"efi64/syslinux.efi\",\"size\":200000,\"bytes\":200000,"
              "\"duration\":0.2}");
  emit_event (f, "boot-verdict",
              "{\"mac\":\"52:54:00:ab:cd:ef\",\"address\":\"192.168.1.51\","
              "\"verdict\":\"secure-boot\",\"ok\":false,"
              "\"title\":\"Secure Boot refused the loader\","
              "\"detail\":\"This UEFI client was sent “efi64/syslinux.efi”, which is not signed, "
              "and started over without asking for a menu: its firmware refused the loader.\","
              "\"advice\":\"Choose “Shim and GRUB” (or Automatic) as the UEFI boot loader so "
              "that Secure Boot clients get Debian's signed shim, or turn Secure Boot off in the "
              "client's firmware settings.\"}");

  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page), ADW_TYPE_VIEW_STACK));
  /* Hosts and Activity first: the upload's toast below belongs on the Images page's shot. */
  save_page_screenshots (f, stack, (const char *[]) { "hosts", "activity", NULL });

  /* An image just uploaded, with what the server found out about it. */
  {
    YardImagesPage *images = YARD_IMAGES_PAGE (_yard_window_get_page (f->window, "images"));
    g_autofree char *path = g_build_filename (f->dir, "freedos-1.3.img", NULL);
    g_autofree char *contents = g_malloc0 (1474560);
    g_autoptr(GFile) file = NULL;
    g_autoptr(GSList) files = NULL;

    contents[510] = 0x55;
    contents[511] = (char) 0xaa;
    g_assert_true (g_file_set_contents (path, contents, 1474560, NULL));
    file = g_file_new_for_path (path);
    files = g_slist_append (NULL, file);
    yard_images_page_upload_files (images, files);
    WAIT_UNTIL (_yard_images_page_get_n_done (images) == 1);
  }

  save_page_screenshots (f, stack, (const char *[]) { "menu", "images", NULL });

  /* The whole menu page (with its preview) in the dark style, for a look at it. */
  adw_view_stack_set_visible_child_name (stack, "menu");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 960, 1300);
  spin (800);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-menu-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Narrow, as on a phone or a tiled half screen: the switcher moves to the bottom bar. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 720);
  spin (800);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-menu-narrow.png");
  /* The Activity steps flow onto a new line there, their labels whole. */
  adw_view_stack_set_visible_child_name (stack, "activity");
  spin (500);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-activity-narrow.png");
  adw_view_stack_set_visible_child_name (stack, "hosts");
  spin (500);
  save_screenshot (GTK_WIDGET (f->window), "screenshot-hosts-narrow.png");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 960, 680);

  /* The dialogs, for a look at them (not for the README). */
  adw_view_stack_set_visible_child_name (stack, "menu");
  {
    const char *id = yard_boot_entry_get_id (yard_boot_menu_get_entry (
                       _yard_menu_page_get_menu (page), 1));
    YardHostsPage *hosts = YARD_HOSTS_PAGE (_yard_window_get_page (f->window, "hosts"));
    YardEntryDialog *dialog;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "menu.edit", "s", id));
    dialog = _yard_menu_page_get_dialog (page);
    spin (500);
    save_screenshot (GTK_WIDGET (dialog), "screenshot-entry-dialog.png");
    gtk_window_destroy (GTK_WINDOW (dialog));

    WAIT_UNTIL (_yard_hosts_page_get_hosts (hosts) != NULL &&
                _yard_hosts_page_get_hosts (hosts)->len > 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (hosts), "hosts.edit", "s",
                                               "52:54:00:12:34:56"));
    spin (500);
    save_screenshot (GTK_WIDGET (_yard_hosts_page_get_dialog (hosts)),
                     "screenshot-host-dialog.png");
    gtk_window_destroy (GTK_WINDOW (_yard_hosts_page_get_dialog (hosts)));
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yard/gui-app/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("window-connects", test_window_connects);
  ADD ("menu-entries", test_menu_entries);
  ADD ("menu-default", test_menu_settings);
  ADD ("menu-selection-stays", test_menu_selection_stays);
  ADD ("host-rows-stay", test_host_selection_stays);
  ADD ("menu-loader", test_menu_loader);
  ADD ("entry-choose-files", test_entry_choose_files);
  ADD ("problems-banner", test_problems_banner);
  ADD ("services-switch", test_services_switch);
  g_test_add ("/yard/gui-app/services-failure", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_services_failure, fixture_tear_down);
  ADD ("drop-uploads", test_drop_uploads);
  ADD ("upload-cancel", test_upload_cancel);
  ADD ("listed-images", test_listed_images);
  ADD ("host-policy", test_host_policy);
  ADD ("menu-undo-toast", test_menu_undo_toast);
  ADD ("host-forget-undo", test_host_forget_undo);
  ADD ("host-keyboard", test_host_keyboard);
  ADD ("host-wake", test_host_wake);
  g_test_add ("/yard/gui-app/host-verdict", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_host_verdict, fixture_tear_down);
  ADD ("activity-words", test_activity_words);
  ADD ("activity-timeline", test_activity_timeline);
  ADD ("activity-rows-bound", test_activity_rows_bound);
  ADD ("activity-real-transfer", test_activity_real_transfer);
  g_test_add ("/yard/gui-app/screenshots", Fixture, GINT_TO_POINTER (2), fixture_set_up,
              test_screenshots, fixture_tear_down);
#undef ADD
  g_test_add_func ("/yard/gui-app/unreachable", test_unreachable);

  ret = g_test_run ();
  g_clear_object (&the_app);
  return ret;
}
