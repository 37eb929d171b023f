/* yard-hosts-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every machine the server has seen, with what it will boot. The list follows the event
 * stream (host-seen, host-changed, host-removed), so a machine appears as it asks to boot and
 * a "once" host shows its switch to the local disk by itself. Each row has the boot doctor's
 * latest verdict for the machine (GET /doctor, and boot-verdict events) and a Wake button;
 * a forgotten host comes back with the toast's Undo.
 */

#define G_LOG_DOMAIN "yard-hosts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-error.h"
#include "yard-gui-model.h"
#include "yard-host-dialog.h"
#include "yard-hosts-page-private.h"
#include "yard-window.h"

struct _YardHostsPage
{
  AdwBin          parent_instance;

  YardConnection *connection;
  GCancellable   *cancellable;
  GPtrArray      *hosts;         /* YardHost, as the server last listed them */
  GListStore     *rows;          /* GtkStringObject: each host's MAC, bound to hosts_list */
  GPtrArray      *shown;         /* what each row of rows shows, to compare with the next */
  GHashTable     *verdicts;      /* mac -> YardBootVerdict, the doctor's latest for it */
  YardHost       *forgotten;     /* the last forgotten host, for Undo */
  AdwToast       *undo_toast;    /* weak: the toast that offers it */
  YardHostDialog *dialog;        /* weak */
  guint           reload_id;
  char           *wake_message;  /* what the last Wake answered, in words */

  GtkStack       *stack;
  GtkListBox     *hosts_list;
  GtkWidget      *add_button;
};

G_DEFINE_FINAL_TYPE (YardHostsPage, yard_hosts_page, ADW_TYPE_BIN)

static YardClient *
get_client (YardHostsPage *self)
{
  return self->connection ? yard_connection_get_client (self->connection) : NULL;
}

static char *
host_subtitle (const YardHost *host)
{
  const char *address = host->address;
  const char *name = host->name;
  g_autofree char *arch = yard_client_arch_dup_title (host->arch);
  g_autoptr(GDateTime) last_seen = host->last_seen > 0
                                   ? g_date_time_new_from_unix_utc (host->last_seen) : NULL;
  g_autofree char *iso = last_seen ? g_date_time_format_iso8601 (last_seen) : NULL;
  g_autofree char *seen = yard_format_last_seen (iso);
  g_autofree char *machine = yard_machine_dup_title (host->machine);
  g_autoptr(GString) text = g_string_new (NULL);

  if (name != NULL && *name != '\0')
    g_string_append_printf (text, "%s · ", host->mac);
  if (machine != NULL)
    g_string_append_printf (text, "%s · ", machine);
  if (arch != NULL)
    g_string_append_printf (text, "%s · ", arch);
  if (address != NULL && *address != '\0')
    g_string_append_printf (text, "%s · ", address);
  if (host->last_seen <= 0)
    g_string_append (text, _("Not booted yet"));
  else
    /* TRANSLATORS: when a host last asked to boot, e.g. "Last boot today at 15:53" */
    g_string_append_printf (text, _("Last boot %s"), seen);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The doctor's latest verdict for the row, in words; NULL when it has none. */
static char *
dup_verdict_text (YardHostsPage *self,
                  const char    *mac)
{
  YardBootVerdict *verdict = self->verdicts ? g_hash_table_lookup (self->verdicts, mac) : NULL;
  const char *title = verdict != NULL ? yard_boot_verdict_get_title (verdict) : NULL;
  const char *time = verdict != NULL ? yard_boot_verdict_get_time (verdict) : NULL;
  g_autofree char *when = NULL;

  if (title == NULL)
    return NULL;
  if (time == NULL)
    return g_strdup (title);
  when = yard_format_last_seen (time);
  /* TRANSLATORS: the boot doctor's verdict on a host's latest boot and when, e.g.
   * "Secure Boot refused the loader (today at 15:53)" */
  return g_strdup_printf (_("%s (%s)"), title, when);
}

static const YardHost *
find_host (YardHostsPage *self,
           const char    *mac)
{
  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (self->hosts, i);

      if (g_strcmp0 (host->mac, mac) == 0)
        return host;
    }
  return NULL;
}

/* gtk_list_box_bind_model's row for one host of rows */
static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  YardHostsPage *self = user_data;
  const char *mac = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  const YardHost *host = find_host (self, mac);
  g_autofree char *title = NULL;
  g_autofree char *subtitle_text = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *verdict = NULL;
  YardBootVerdict *verdict_object = NULL;
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *wake;

  /* rows are spliced in only after self->hosts holds their hosts (fill) */
  if (host == NULL)
    return gtk_list_box_row_new ();
  title = g_markup_escape_text (host->name && *host->name ? host->name : mac, -1);
  subtitle_text = host_subtitle (host);
  subtitle = g_markup_escape_text (subtitle_text, -1);
  policy = yard_host_dup_policy_title (host);
  verdict = dup_verdict_text (self, mac);
  verdict_object = g_hash_table_lookup (self->verdicts, mac);
  row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("computer-symbolic"));
  if (verdict != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (verdict, -1);
      g_autofree char *both = g_strdup_printf ("%s\n%s", subtitle, escaped);

      /* The subtitle shows it on a line of its own; the advice is the tooltip. */
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), both);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (verdict_object != NULL && yard_boot_verdict_get_advice (verdict_object) != NULL)
        gtk_widget_set_tooltip_text (row, yard_boot_verdict_get_advice (verdict_object));
    }
  label = gtk_label_new (policy);
  /* Wraps only when the row is too narrow for it, never cut. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  /* TRANSLATORS: a button that sends the Wake-on-LAN packet to the host */
  wake = gtk_button_new_with_label (C_("host", "Wake"));
  gtk_widget_set_valign (wake, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (wake, "flat");
  gtk_widget_set_tooltip_text (wake, _("Switch this machine on with Wake-on-LAN"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (wake), "hosts.wake");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (wake), "s", mac);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), wake);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "hosts.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", mac);
  return row;
}

/* What a host's row shows, to tell whether it must be made again */
static char *
row_text (YardHostsPage  *self,
          const YardHost *host)
{
  g_autoptr(JsonObject) json = yard_host_to_json (host);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *verdict = dup_verdict_text (self, host->mac);
  YardBootVerdict *verdict_object = g_hash_table_lookup (self->verdicts, host->mac);
  const char *advice = verdict_object != NULL ? yard_boot_verdict_get_advice (verdict_object)
                                              : NULL;

  return g_strconcat (text, "\n", verdict ? verdict : "", "\n", advice ?: "", NULL);
}

/* The rows follow the hosts: only those of hosts that changed are made again (one
 * items-changed between the first and the last that differ), so the others, the selected
 * one among them, stay as they are. */
static void
fill (YardHostsPage *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint n = self->hosts ? self->hosts->len : 0;

  for (guint i = 0; i < n; i++)
    {
      const YardHost *host = g_ptr_array_index (self->hosts, i);

      g_ptr_array_add (keys, host->mac);
      g_ptr_array_add (texts, row_text (self, host));
    }
  yard_list_store_sync (self->rows, self->shown, keys, texts);

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
hosts_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(YardHostsPage) self = user_data;
  g_autoptr(GPtrArray) hosts = NULL;
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
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  self->hosts = g_steal_pointer (&hosts);
  fill (self);
}

static void
doctor_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YardHostsPage) self = user_data;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;

  verdicts = yard_client_get_doctor_finish (YARD_CLIENT (source), result, NULL, &error);
  if (verdicts == NULL)
    {
      /* The rows stand without it: the verdicts are an addition, not the page. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No verdicts from the boot doctor: %s", error->message);
      return;
    }
  g_hash_table_remove_all (self->verdicts);
  /* Newest first (docs/api.md): the first one of each client wins. */
  for (guint i = 0; i < verdicts->len; i++)
    {
      YardBootVerdict *verdict = g_ptr_array_index (verdicts, i);
      const char *mac = yard_boot_verdict_get_mac (verdict);

      if (mac != NULL && !g_hash_table_contains (self->verdicts, mac))
        g_hash_table_insert (self->verdicts, g_strdup (mac), g_object_ref (verdict));
    }
  fill (self);
}

void
_yard_hosts_page_reload (YardHostsPage *self)
{
  YardClient *client = get_client (self);

  if (client == NULL)
    return;
  yard_client_list_hosts_async (client, self->cancellable, hosts_loaded_cb,
                                g_object_ref (self));
  yard_client_get_doctor_async (client, NULL, self->cancellable, doctor_loaded_cb,
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
show_toast (YardHostsPage *self,
            AdwToast      *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (YARD_IS_WINDOW (root))
    yard_window_add_toast (YARD_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(YardHostsPage) self = user_data;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  host = yard_client_put_host_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (host == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      g_autofree char *message = g_strdup_printf (_("Could not restore the host: %s"),
                                                  error->message);
      if (YARD_IS_WINDOW (root))
        yard_window_show_error (YARD_WINDOW (root), message);
    }
  _yard_hosts_page_reload (self);
}

void
_yard_hosts_page_undo_forget (YardHostsPage *self)
{
  YardClient *client = get_client (self);
  g_autoptr(YardHost) host = g_steal_pointer (&self->forgotten);
  g_autoptr(JsonObject) body = NULL;

  if (client == NULL || host == NULL)
    return;
  /* Its policy as it was, as core writes a host (the host dialog sends the same): the server
   * takes the writable members and ignores what it saw itself (address, firmware), which
   * comes back with the host's next boot. */
  body = yard_host_to_json (host);
  yard_client_put_host_async (client, host->mac, body, self->cancellable, restored_cb,
                              g_object_ref (self));
}

static void
forgotten_cb (YardHostsPage *self,
              const char    *mac)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_clear_pointer (&self->forgotten, yard_host_free);
  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (self->hosts, i);

      if (g_strcmp0 (host->mac, mac) == 0)
        self->forgotten = yard_host_copy (host);
    }
  _yard_hosts_page_reload (self);
  if (self->forgotten == NULL)
    return;

  {
    const char *name = self->forgotten->name;

    /* TRANSLATORS: a toast after a host was removed, e.g. "“lab-1” forgotten" */
    title = g_strdup_printf (_("“%s” forgotten"), name != NULL && *name != '\0' ? name : mac);
  }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* The toast lives in the window's overlay, which cannot see "hosts." actions. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (_yard_hosts_page_undo_forget),
                           self, G_CONNECT_SWAPPED);
  g_clear_weak_pointer (&self->undo_toast);
  g_set_weak_pointer (&self->undo_toast, toast);
  show_toast (self, toast);
}

static void
woken_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(YardHostsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean woken;

  woken = yard_client_wake_host_finish (YARD_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (woken)
    message = g_strdup (_("Wake-on-LAN sent: the machine starts if its firmware allows it"));
  else if (g_error_matches (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG))
    /* 409: the server has no interface to send it on */
    message = g_strdup (_("Choose the network’s interface first (Interface, under the "
                          "Services switch): Wake-on-LAN goes out on it"));
  else
    message = g_strdup_printf (_("Could not wake the machine: %s"), error->message);
  g_free (self->wake_message);
  self->wake_message = g_strdup (message);
  show_toast (self, adw_toast_new (message));
}

static void
wake_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (widget);
  YardClient *client = get_client (self);

  if (client == NULL)
    return;
  yard_client_wake_host_async (client, g_variant_get_string (param, NULL), NULL,
                               self->cancellable, woken_cb, g_object_ref (self));
}

static void
open_dialog (YardHostsPage  *self,
             const YardHost *host)
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
  g_signal_connect_object (self->dialog, "forgotten", G_CALLBACK (forgotten_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (widget);
  const char *mac = g_variant_get_string (param, NULL);

  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (self->hosts, i);

      if (g_strcmp0 (host->mac, mac) == 0)
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
                     YardBootEvent *event)
{
  const char *kind = yard_boot_event_get_kind (event);

  /* A booting machine sends several events at once: one reload for them all. */
  if ((g_str_has_prefix (kind, "host-") || g_str_equal (kind, "boot-verdict")) &&
      self->reload_id == 0)
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
  g_clear_weak_pointer (&self->undo_toast);

  G_OBJECT_CLASS (yard_hosts_page_parent_class)->dispose (object);
}

static void
yard_hosts_page_finalize (GObject *object)
{
  YardHostsPage *self = YARD_HOSTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->verdicts, g_hash_table_unref);
  g_clear_pointer (&self->forgotten, yard_host_free);
  g_clear_pointer (&self->wake_message, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, YardHostsPage, add_button);

  gtk_widget_class_install_action (widget_class, "hosts.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "hosts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "hosts.wake", "s", wake_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "hosts.add", NULL);
}

static void
yard_hosts_page_init (YardHostsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->shown = g_ptr_array_new_with_free_func (g_free);
  gtk_list_box_bind_model (self->hosts_list, G_LIST_MODEL (self->rows), create_row_cb, self,
                           NULL);
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

GPtrArray *
_yard_hosts_page_get_hosts (YardHostsPage *self)
{
  return self->hosts;
}

AdwToast *
_yard_hosts_page_get_undo_toast (YardHostsPage *self)
{
  return self->undo_toast;
}

const char *
_yard_hosts_page_get_wake_message (YardHostsPage *self)
{
  return self->wake_message;
}

/* The row's subtitle for @mac, as shown; NULL when there is no such row. */
const char *
_yard_hosts_page_get_subtitle (YardHostsPage *self,
                               const char    *mac)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->hosts_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row));

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), mac) == 0)
        return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    }
  return NULL;
}

GtkListBox *
_yard_hosts_page_get_list (YardHostsPage *self)
{
  return self->hosts_list;
}

GtkWidget *
_yard_hosts_page_get_add_button (YardHostsPage *self)
{
  return self->add_button;
}
