/* yard-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what outlives a window: the settings and the connection to the server, so a server
 * the app started is stopped when the app quits, not when a window closes.
 */

#define G_LOG_DOMAIN "yard-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "yard-application.h"
#include "yard-gui-model.h"
#include "yard-preferences-window.h"
#include "yard-window.h"

struct _YardApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
  YardConnection *connection;
};

G_DEFINE_FINAL_TYPE (YardApplication, yard_application, ADW_TYPE_APPLICATION)

static int
yard_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("bootyard %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
apply_target (YardApplication *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *token_file = g_settings_get_string (self->settings, "token-file");
  g_autofree char *interface = g_settings_get_string (self->settings, "interface");

  yard_connection_set_target (self->connection, url, token_file);
  yard_connection_set_local_options (self->connection,
                                     (guint16) g_settings_get_uint (self->settings, "http-port"),
                                     (guint16) g_settings_get_uint (self->settings, "tftp-port"),
                                     interface);
}

static void
target_changed_cb (YardApplication *self,
                   const char      *key)
{
  apply_target (self);

  /* A new interface or port takes a restart of the server we started; one that runs as a
   * system service or by hand keeps its own. */
  if (g_strcmp0 (key, "interface") == 0 || g_strcmp0 (key, "tftp-port") == 0 ||
      g_strcmp0 (key, "http-port") == 0)
    {
      if (!yard_connection_get_started_server (self->connection))
        return;
      yard_connection_disconnect (self->connection);
    }
  yard_connection_connect (self->connection);
}

static void
yard_application_activate (GApplication *app)
{
  YardApplication *self = YARD_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (yard_window_new (self));
  if (yard_connection_get_state (self->connection) == YARD_CONNECTION_DISCONNECTED)
    yard_connection_connect (self->connection);
  gtk_window_present (window);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  YardApplication *self = user_data;
  YardPreferencesWindow *prefs = yard_preferences_window_new (self->settings);
  const YardServerStatus *status = yard_connection_get_status (self->connection);

  yard_preferences_window_set_boot_root (prefs, status ? status->root : NULL,
                                         yard_connection_get_is_local (self->connection));

  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  static const char *developers[] = { "The Bootyard developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for",
                        gtk_application_get_active_window (GTK_APPLICATION (user_data)),
                        "application-name", _("Bootyard"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Bootyard developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Boot the computers on your network from ISOs, "
                                      "kernels and iPXE scripts"),
                        "website", "https://github.com/bootyard/bootyard",
                        "issue-url", "https://github.com/bootyard/bootyard/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* TRANSLATORS: your name and e-mail, one translator per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* Logging out or Ctrl+C in a terminal: quit as from the menu, so that a server we started
 * is stopped. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
yard_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "quit", quit_action_cb },
    { "preferences", preferences_action_cb },
    { "about", about_action_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  YardApplication *self = YARD_APPLICATION (app);

  G_APPLICATION_CLASS (yard_application_parent_class)->startup (app);

  /* Dark style follows the system: AdwStyleManager's default color scheme, never forced. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         prefs_accels);

  g_unix_signal_add (SIGTERM, quit_signal_cb, app);
  g_unix_signal_add (SIGINT, quit_signal_cb, app);

  self->settings = g_settings_new (APP_ID);
  self->connection = yard_connection_new ();
  apply_target (self);
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (target_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::token-file",
                           G_CALLBACK (target_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::interface",
                           G_CALLBACK (target_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::tftp-port",
                           G_CALLBACK (target_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::http-port",
                           G_CALLBACK (target_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
yard_application_shutdown (GApplication *app)
{
  YardApplication *self = YARD_APPLICATION (app);

  /* Stops the server if we started it (a system service or a remote one keeps running). */
  if (self->connection != NULL)
    yard_connection_disconnect (self->connection);

  G_APPLICATION_CLASS (yard_application_parent_class)->shutdown (app);
}

static void
yard_application_dispose (GObject *object)
{
  YardApplication *self = YARD_APPLICATION (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (yard_application_parent_class)->dispose (object);
}

static void
yard_application_class_init (YardApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = yard_application_dispose;
  app_class->handle_local_options = yard_application_handle_local_options;
  app_class->activate = yard_application_activate;
  app_class->startup = yard_application_startup;
  app_class->shutdown = yard_application_shutdown;
}

static void
yard_application_init (YardApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 'V', 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

YardApplication *
yard_application_new (void)
{
  return g_object_new (YARD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/bootyard/Bootyard",
                       NULL);
}

YardConnection *
yard_application_get_connection (YardApplication *self)
{
  g_return_val_if_fail (YARD_IS_APPLICATION (self), NULL);
  return self->connection;
}

GSettings *
yard_application_get_settings (YardApplication *self)
{
  g_return_val_if_fail (YARD_IS_APPLICATION (self), NULL);
  return self->settings;
}
