/* yard-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-application"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-application.h"
#include "yard-window.h"

struct _YardApplication
{
  AdwApplication parent_instance;
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
yard_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (yard_window_new (YARD_APPLICATION (app)));
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
yard_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "quit", quit_action_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (yard_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
yard_application_class_init (YardApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = yard_application_handle_local_options;
  app_class->activate = yard_application_activate;
  app_class->startup = yard_application_startup;
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
