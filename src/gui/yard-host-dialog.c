/* yard-host-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One machine's boot policy, as OVHcloud and Equinix Metal offer it: the shared menu, its own
 * iPXE script, a script URL, or its local disk; once or always. Checked as the user types by
 * core's rule for a host (yard_host_form_apply); the server's refusal is shown in the same
 * place.
 */

#define G_LOG_DOMAIN "yard-host-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-gui-model.h"
#include "yard-host-dialog-private.h"

struct _YardHostDialog
{
  AdwWindow       parent_instance;

  YardClient     *client;
  YardHost       *host;          /* NULL for a new one */
  GCancellable   *cancellable;
  gboolean        busy;
  gboolean        edited;        /* problems are shown after the first edit, not before */

  AdwWindowTitle *window_title;
  AdwEntryRow    *mac_row;
  AdwEntryRow    *name_row;
  AdwComboRow    *mode_row;
  GtkSwitch      *once_switch;
  GtkWidget      *once_row;
  AdwEntryRow    *url_row;
  GtkWidget      *script_group;
  GtkTextView    *script_view;
  GtkLabel       *problem_label;
  GtkWidget      *forget_button;
};

G_DEFINE_FINAL_TYPE (YardHostDialog, yard_host_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  SIGNAL_FORGOTTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The mode row's items, in order */
static const YardHostMode modes[] = {
  YARD_HOST_MODE_MENU, YARD_HOST_MODE_SCRIPT, YARD_HOST_MODE_URL, YARD_HOST_MODE_DISK,
  YARD_HOST_MODE_IGNORE,
};

static YardHostMode
get_mode (YardHostDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->mode_row);

  return selected < G_N_ELEMENTS (modes) ? modes[selected] : YARD_HOST_MODE_MENU;
}

static char *
dup_script (YardHostDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->script_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
mac (YardHostDialog *self)
{
  return self->host ? self->host->mac : gtk_editable_get_text (GTK_EDITABLE (self->mac_row));
}

/* The host the form describes, checked by core's rule; NULL with its message and field. */
static YardHost *
dup_form_host (YardHostDialog  *self,
               const char     **field,
               GError         **error)
{
  g_autofree char *script = dup_script (self);

  return yard_host_form_apply (self->host, mac (self),
                               gtk_editable_get_text (GTK_EDITABLE (self->name_row)),
                               get_mode (self), script,
                               gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                               gtk_switch_get_active (self->once_switch), field, error);
}

static void
validate (YardHostDialog *self)
{
  YardHostMode mode = get_mode (self);
  g_autoptr(YardHost) form = NULL;
  g_autoptr(GError) error = NULL;
  const char *field = NULL;
  const char *problem = NULL;

  gtk_widget_set_visible (self->script_group, mode == YARD_HOST_MODE_SCRIPT);
  gtk_widget_set_visible (GTK_WIDGET (self->url_row), mode == YARD_HOST_MODE_URL);
  gtk_widget_set_visible (self->once_row, mode != YARD_HOST_MODE_DISK &&
                                          mode != YARD_HOST_MODE_IGNORE);

  form = dup_form_host (self, &field, &error);
  if (form == NULL)
    problem = error->message;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.save", problem == NULL && !self->busy);
  if (!self->edited)
    problem = field = NULL;
  gtk_label_set_label (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  if (g_strcmp0 (field, "mac") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->mac_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->mac_row), "error");
  if (g_strcmp0 (field, "scriptUrl") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  if (g_strcmp0 (field, "script") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->script_view), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->script_view), "error");
}

static void
edited_cb (YardHostDialog *self)
{
  self->edited = TRUE;
  validate (self);
}

static void
show_server_error (YardHostDialog *self,
                   const char     *what,
                   GError         *error)
{
  /* TRANSLATORS: "what failed: why" */
  g_autofree char *message = g_strdup_printf (_("%s: %s"), what, error->message);

  self->busy = FALSE;
  gtk_label_set_label (self->problem_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "host.save", TRUE);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(YardHostDialog) self = user_data;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  host = yard_client_put_host_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (host == NULL)
    {
      show_server_error (self, _("The server did not save the host"), error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, host);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardHostDialog *self = YARD_HOST_DIALOG (widget);
  g_autoptr(YardHost) form = NULL;
  g_autoptr(JsonObject) body = NULL;

  if (self->busy || (form = dup_form_host (self, NULL, NULL)) == NULL)
    return;

  /* As core writes a host: the server takes its writable members and ignores the rest. */
  body = yard_host_to_json (form);
  self->busy = TRUE;
  gtk_widget_action_set_enabled (widget, "host.save", FALSE);
  yard_client_put_host_async (self->client, form->mac, body, self->cancellable, saved_cb,
                              g_object_ref (self));
}

static void
forgotten_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(YardHostDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!yard_client_delete_host_finish (YARD_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_server_error (self, _("The server did not forget the host"), error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_FORGOTTEN], 0, mac (self));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
forget_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  YardHostDialog *self = YARD_HOST_DIALOG (widget);

  if (self->host == NULL || self->busy)
    return;
  self->busy = TRUE;
  yard_client_delete_host_async (self->client, mac (self), self->cancellable, forgotten_cb,
                                 g_object_ref (self));
}

static void
yard_host_dialog_dispose (GObject *object)
{
  YardHostDialog *self = YARD_HOST_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (yard_host_dialog_parent_class)->dispose (object);
}

static void
yard_host_dialog_finalize (GObject *object)
{
  YardHostDialog *self = YARD_HOST_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->host, yard_host_free);

  G_OBJECT_CLASS (yard_host_dialog_parent_class)->finalize (object);
}

static void
yard_host_dialog_class_init (YardHostDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_host_dialog_dispose;
  object_class->finalize = yard_host_dialog_finalize;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, YARD_TYPE_HOST);
  signals[SIGNAL_FORGOTTEN] =
    g_signal_new ("forgotten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-host-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, mac_row);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, once_switch);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, once_row);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, script_group);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, script_view);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, YardHostDialog, forget_button);

  gtk_widget_class_install_action (widget_class, "host.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "host.forget", NULL, forget_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "host.save", NULL);
}

static void
yard_host_dialog_init (YardHostDialog *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    gtk_string_list_append (titles, yard_host_mode_title (modes[i]));
  adw_combo_row_set_model (self->mode_row, G_LIST_MODEL (titles));

  g_signal_connect_swapped (self->mac_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->script_view), "changed",
                            G_CALLBACK (edited_cb), self);
}

YardHostDialog *
yard_host_dialog_new (YardClient     *client,
                      const YardHost *host)
{
  YardHostDialog *self;
  const char *script = host != NULL ? host->script : NULL;

  g_return_val_if_fail (YARD_IS_CLIENT (client), NULL);

  self = g_object_new (YARD_TYPE_HOST_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->host = host ? yard_host_copy (host) : NULL;

  if (host != NULL)
    {
      const char *name = host->name;

      adw_window_title_set_title (self->window_title, name && *name ? name : host->mac);
      adw_window_title_set_subtitle (self->window_title, host->mac);
      gtk_editable_set_text (GTK_EDITABLE (self->mac_row), host->mac);
      gtk_editable_set_editable (GTK_EDITABLE (self->mac_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->mac_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), host->script_url ?: "");
      gtk_switch_set_active (self->once_switch, host->once);
      for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
        if (host->mode == modes[i])
          adw_combo_row_set_selected (self->mode_row, i);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Host"));
      gtk_widget_set_visible (self->forget_button, FALSE);
    }

  /* A starting point that a user only has to fill in. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->script_view),
                            script ? script
                                   : "#!ipxe\nkernel ${bootyard_server}/boot/images/vmlinuz\n"
                                     "initrd ${bootyard_server}/boot/images/initrd.img\nboot\n",
                            -1);
  self->edited = FALSE;
  validate (self);
  return self;
}

GtkWidget *
_yard_host_dialog_get_field (YardHostDialog *self,
                             const char     *field)
{
  struct { const char *name; gpointer widget; } fields[] = {
    { "mac", self->mac_row },
    { "name", self->name_row },
    { "url", self->url_row },
    { "script", self->script_view },
    { "mode", self->mode_row },
    { "once", self->once_switch },
    { "problem", self->problem_label },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, field))
      return fields[i].widget;
  g_return_val_if_reached (NULL);
}
