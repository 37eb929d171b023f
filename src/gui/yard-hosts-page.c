/* yard-hosts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every machine the server has seen, with what it will boot. The list follows the event
 * stream (host-seen, host-changed, host-removed), so a machine appears as it asks to boot and
 * a "once" host shows its switch to the local disk by itself.
 */

#define G_LOG_DOMAIN "yard-hosts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-gui-model.h"
#include "yard-host-dialog.h"
#include "yard-hosts-page-private.h"
#include "yard-window.h"

struct _YardHostsPage
{
  AdwBin          parent_instance;

  YardConnection *connection;
  GCancellable   *cancellable;
  JsonArray      *hosts;
  YardHostDialog *dialog;        /* weak */
  guint           reload_id;

  GtkStack       *stack;
  GtkListBox     *hosts_list;
};

G_DEFINE_FINAL_TYPE (YardHostsPage, yard_hosts_page, ADW_TYPE_BIN)

static YardClient *
get_client (YardHostsPage *self)
{
  return self->connection ? yard_connection_get_client (self->connection) : NULL;
}

static char *
host_subtitle (JsonObject *host)
{
  const char *arch = yard_json_get_string (host, "arch");
  const char *address = yard_json_get_string (host, "address");
  const char *name = yard_json_get_string (host, "name");
  g_autofree char *seen = yard_format_last_seen (yard_json_get_string (host, "lastSeen"));
  g_autoptr(GString) text = g_string_new (NULL);

  if (name != NULL && *name != '\0')
    g_string_append_printf (text, "%s · ", yard_json_get_string (host, "mac"));
  if (arch != NULL)
    g_string_append_printf (text, "%s · ", arch);
  if (address != NULL && *address != '\0')
    g_string_append_printf (text, "%s · ", address);
  /* TRANSLATORS: when a host last asked to boot, e.g. "Last boot: 21/11/26 21:30:00" */
  g_string_append_printf (text, _("Last boot: %s"), seen);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill (YardHostsPage *self)
{
  GtkWidget *child;
  guint n = self->hosts ? json_array_get_length (self->hosts) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hosts_list))) != NULL)
    gtk_list_box_remove (self->hosts_list, child);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *host = json_array_get_object_element (self->hosts, i);
      const char *mac = yard_json_get_string (host, "mac");
      const char *name = yard_json_get_string (host, "name");
      const char *mode = yard_json_get_string (host, "mode");
      gboolean once = json_object_get_boolean_member_with_default (host, "once", FALSE);
      g_autofree char *title = g_markup_escape_text (name && *name ? name : mac, -1);
      g_autofree char *subtitle_text = host_subtitle (host);
      g_autofree char *subtitle = g_markup_escape_text (subtitle_text, -1);
      g_autofree char *policy = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("computer-symbolic"));
      /* TRANSLATORS: a host's policy that applies to one boot only, e.g. "Own iPXE Script, once" */
      policy = once && g_strcmp0 (mode, "disk") != 0
               ? g_strdup_printf (_("%s, once"), yard_host_mode_title (mode))
               : g_strdup (yard_host_mode_title (mode));
      label = gtk_label_new (policy);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "hosts.edit");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", mac);
      gtk_list_box_append (self->hosts_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
hosts_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(YardHostsPage) self = user_data;
  g_autoptr(JsonArray) hosts = NULL;
  g_autoptr(GError) error = NULL;

  hosts = yard_client_list_hosts_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (hosts == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      g_autofree char *message = g_strdup_printf (_("Could not list the hosts: %s"),
                                                  error->message);
      if (YARD_IS_WINDOW (root))
        yard_window_show_error (YARD_WINDOW (root), message);
      return;
    }
  g_clear_pointer (&self->hosts, json_array_unref);
  self->hosts = g_steal_pointer (&hosts);
  fill (self);
}

void
_yard_hosts_page_reload (YardHostsPage *self)
{
  YardClient *client = get_client (self);

  if (client != NULL)
    yard_client_list_hosts_async (client, self->cancellable, hosts_loaded_cb,
                                  g_object_ref (self));
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  YardHostsPage *self = user_data;

  self->reload_id = 0;
  _yard_hosts_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
open_dialog (YardHostsPage *self,
             JsonObject    *host)
{
  YardClient *client = get_client (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (client == NULL)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = yard_host_dialog_new (client, host);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->dialog), GTK_WINDOW (root));
  g_signal_connect_object (self->dialog, "saved", G_CALLBACK (_yard_hosts_page_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dialog, "forgotten", G_CALLBACK (_yard_hosts_page_reload),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (widget);
  const char *mac = g_variant_get_string (param, NULL);

  for (guint i = 0; self->hosts != NULL && i < json_array_get_length (self->hosts); i++)
    {
      JsonObject *host = json_array_get_object_element (self->hosts, i);

      if (g_strcmp0 (yard_json_get_string (host, "mac"), mac) == 0)
        {
          open_dialog (self, host);
          return;
        }
    }
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_dialog (YARD_HOSTS_PAGE (widget), NULL);
}

static void
connection_event_cb (YardHostsPage *self,
                     const char    *kind,
                     JsonObject    *data)
{
  /* A booting machine sends several events at once: one reload for them all. */
  if (g_str_has_prefix (kind, "host-") && self->reload_id == 0)
    self->reload_id = g_timeout_add (250, reload_timeout_cb, self);
}

static void
connection_state_cb (YardHostsPage *self)
{
  if (yard_connection_get_state (self->connection) == YARD_CONNECTION_CONNECTED)
    _yard_hosts_page_reload (self);
  else if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
}

static void
yard_hosts_page_dispose (GObject *object)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yard_hosts_page_parent_class)->dispose (object);
}

static void
yard_hosts_page_finalize (GObject *object)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hosts, json_array_unref);

  G_OBJECT_CLASS (yard_hosts_page_parent_class)->finalize (object);
}

static void
yard_hosts_page_class_init (YardHostsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_hosts_page_dispose;
  object_class->finalize = yard_hosts_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-hosts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, YardHostsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, YardHostsPage, hosts_list);

  gtk_widget_class_install_action (widget_class, "hosts.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "hosts.add", NULL, add_action);
}

static void
yard_hosts_page_init (YardHostsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
yard_hosts_page_set_connection (YardHostsPage  *self,
                                YardConnection *connection)
{
  g_return_if_fail (YARD_IS_HOSTS_PAGE (self));
  g_return_if_fail (YARD_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (connection_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "event", G_CALLBACK (connection_event_cb), self,
                           G_CONNECT_SWAPPED);
  connection_state_cb (self);
}

YardHostDialog *
_yard_hosts_page_get_dialog (YardHostsPage *self)
{
  return self->dialog;
}

JsonArray *
_yard_hosts_page_get_hosts (YardHostsPage *self)
{
  return self->hosts;
}
