/* yard-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which server the app manages: this computer's (default), or a remote one by URL and token
 * file, and the ports of the one it starts here. Settings change only when applied, so the
 * app does not reconnect on every keystroke.
 */

#define G_LOG_DOMAIN "yard-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-client.h"
#include "yard-error.h"
#include "yard-validate.h"
#include "yard-preferences-window-private.h"

struct _YardPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;
  GCancellable         *probe;     /* asking a remote URL whether it answers */
  char                 *probing;    /* the URL being asked */
  char                 *unanswered; /* the URL that did not answer, for the problem label */

  GtkSwitch            *remote_switch;
  AdwEntryRow          *url_row;
  AdwEntryRow          *token_row;
  GtkLabel             *problem_label;
  GtkWidget            *root_group;
  AdwActionRow         *root_row;
  GtkWidget            *ports_group;
  AdwEntryRow          *tftp_port_row;
  AdwEntryRow          *http_port_row;
  GtkLabel             *ports_problem_label;
};

G_DEFINE_FINAL_TYPE (YardPreferencesWindow, yard_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gboolean
url_is_valid (const char *url)
{
  g_autofree char *valid = yard_validate_url (url, NULL);

  return valid != NULL;
}

static void
update (YardPreferencesWindow *self)
{
  gboolean remote = gtk_switch_get_active (self->remote_switch);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  gboolean malformed = remote && *url != '\0' && !url_is_valid (url);
  gboolean silent = remote && !malformed && g_strcmp0 (url, self->unanswered) == 0;
  gboolean bad = malformed || silent;
  g_autofree char *silent_text = NULL;

  if (silent)
    silent_text = g_strdup_printf (_("Nothing answers at %s: check the address and that "
                                     "bootyard-server runs there. Bootyard keeps managing the "
                                     "server on this computer until it does."), url);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), remote);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), remote);
  /* A remote server's ports are its own command line's. */
  gtk_widget_set_sensitive (self->ports_group, !remote);
  gtk_label_set_label (self->problem_label,
                       malformed ? _("Give the server’s URL as http://HOST:PORT, e.g. http://raspberrypi.local:8067")
                                 : silent ? silent_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), bad);
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
}

static void
save (YardPreferencesWindow *self)
{
  gboolean remote = gtk_switch_get_active (self->remote_switch);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "server-url", remote ? url : "");
  g_settings_set_string (self->settings, "token-file", remote ? token : "");
  g_settings_apply (self->settings);
}

/* A remote server replaces the local one (and its running services) only once its URL
 * answers: an answer without our token (401) still says that a Bootyard server is there. */
static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  YardPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardServerStatus) status = yard_client_get_status_finish (YARD_CLIENT (source),
                                                                      result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->probe);
  g_clear_pointer (&self->unanswered, g_free);
  if (status == NULL && !g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      self->unanswered = g_steal_pointer (&self->probing);
      update (self);
      return;
    }
  update (self);
  save (self);
}

static void
apply (YardPreferencesWindow *self)
{
  gboolean remote = gtk_switch_get_active (self->remote_switch);
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  g_autoptr(YardClient) client = NULL;

  g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  g_clear_pointer (&self->unanswered, g_free);
  update (self);
  if (!remote)
    {
      save (self);
      return;
    }
  if (!url_is_valid (url))
    return;

  client = yard_client_new (url, NULL);
  g_free (self->probing);
  self->probing = g_strdup (url);
  self->probe = g_cancellable_new ();
  /* The window outlives its probe: dispose cancels it, and a cancelled probe touches nothing. */
  yard_client_get_status_async (client, self->probe, probe_cb, self);
}

/* A port row's text, checked by core's one rule for ports, becomes its setting. */
static void
apply_port (YardPreferencesWindow *self,
            AdwEntryRow           *row)
{
  const char *key = row == self->tftp_port_row ? "tftp-port" : "http-port";
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  if (!yard_validate_port (gtk_editable_get_text (GTK_EDITABLE (row)), &port, &error))
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", title, error->message);

      gtk_label_set_label (self->ports_problem_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->ports_problem_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->ports_problem_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (g_settings_get_uint (self->settings, key) != port)
    g_settings_set_uint (self->settings, key, port);
}

static void
remote_changed_cb (YardPreferencesWindow *self)
{
  update (self);
  /* Back to this computer at once; a remote server waits for its URL. */
  if (!gtk_switch_get_active (self->remote_switch) ||
      url_is_valid (gtk_editable_get_text (GTK_EDITABLE (self->url_row))))
    apply (self);
}

static void
chooser_response_cb (GtkNativeDialog       *dialog,
                     int                    response,
                     YardPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->token_row), path);
          apply (self);
        }
    }
  g_clear_object (&self->chooser);
}

static void
choose_token_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  YardPreferencesWindow *self = YARD_PREFERENCES_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose the API Token File"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
yard_preferences_window_dispose (GObject *object)
{
  YardPreferencesWindow *self = YARD_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  g_clear_pointer (&self->unanswered, g_free);
  g_clear_pointer (&self->probing, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (yard_preferences_window_parent_class)->dispose (object);
}

static void
yard_preferences_window_class_init (YardPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, remote_switch);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, root_group);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, root_row);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, ports_group);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, tftp_port_row);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow, http_port_row);
  gtk_widget_class_bind_template_child (widget_class, YardPreferencesWindow,
                                        ports_problem_label);

  gtk_widget_class_install_action (widget_class, "prefs.choose-token", NULL,
                                   choose_token_action);
}

static void
yard_preferences_window_init (YardPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

YardPreferencesWindow *
yard_preferences_window_new (GSettings *settings)
{
  YardPreferencesWindow *self;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (YARD_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  url = g_settings_get_string (settings, "server-url");
  token = g_settings_get_string (settings, "token-file");

  gtk_switch_set_active (self->remote_switch, *url != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token);
  {
    g_autofree char *tftp = g_strdup_printf ("%u", g_settings_get_uint (settings, "tftp-port"));
    g_autofree char *http = g_strdup_printf ("%u", g_settings_get_uint (settings, "http-port"));

    gtk_editable_set_text (GTK_EDITABLE (self->tftp_port_row), tftp);
    gtk_editable_set_text (GTK_EDITABLE (self->http_port_row), http);
  }
  update (self);

  g_signal_connect_swapped (self->remote_switch, "notify::active",
                            G_CALLBACK (remote_changed_cb), self);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->url_row, "apply", G_CALLBACK (apply), self);
  g_signal_connect_swapped (self->token_row, "apply", G_CALLBACK (apply), self);
  g_signal_connect_swapped (self->tftp_port_row, "apply", G_CALLBACK (apply_port), self);
  g_signal_connect_swapped (self->http_port_row, "apply", G_CALLBACK (apply_port), self);
  return self;
}

/* Where the connected server keeps its boot files (GET /status "root"): the files that menu
 * entries name are relative to it. NULL hides the row (no server yet). */
void
yard_preferences_window_set_boot_root (YardPreferencesWindow *self,
                                       const char            *root,
                                       gboolean               is_local)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (YARD_IS_PREFERENCES_WINDOW (self));

  gtk_widget_set_visible (self->root_group, root != NULL);
  if (root == NULL)
    return;
  subtitle = is_local ? g_strdup (root)
                      : g_strdup_printf (_("%s (on the server’s machine)"), root);
  adw_action_row_set_subtitle (self->root_row, subtitle);
}

AdwActionRow *
_yard_preferences_window_get_root_row (YardPreferencesWindow *self)
{
  return self->root_row;
}

GtkSwitch *
_yard_preferences_window_get_remote_switch (YardPreferencesWindow *self)
{
  return self->remote_switch;
}

AdwEntryRow *
_yard_preferences_window_get_url_row (YardPreferencesWindow *self)
{
  return self->url_row;
}

GtkLabel *
_yard_preferences_window_get_problem_label (YardPreferencesWindow *self)
{
  return self->problem_label;
}

AdwEntryRow *
_yard_preferences_window_get_port_row (YardPreferencesWindow *self,
                                       const char            *key)
{
  return g_str_equal (key, "tftp-port") ? self->tftp_port_row : self->http_port_row;
}

GtkLabel *
_yard_preferences_window_get_ports_problem_label (YardPreferencesWindow *self)
{
  return self->ports_problem_label;
}
