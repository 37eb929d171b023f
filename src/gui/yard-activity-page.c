/* yard-activity-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed by the server's event stream only: transfers in progress with their progress and speed,
 * and per machine a timeline DHCP answered → boot file → configuration → kernel/initrd, so a
 * user sees the step where a boot stopped (and its error). A timeline is titled with the
 * host's name when the Hosts list has one (loaded on connect, kept by host-changed events),
 * says when it last moved, and explains its steps in their tooltips.
 */

#define G_LOG_DOMAIN "yard-activity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-activity-page-private.h"
#include "yard-gui-model.h"

struct _YardActivityPage
{
  AdwBin          parent_instance;

  YardConnection *connection;
  GHashTable     *transfers;   /* "protocol peer file" -> Transfer */
  GHashTable     *timelines;   /* host key -> Timeline */
  GHashTable     *macs;        /* address -> MAC, from host-seen and dhcp-answered */
  GHashTable     *names;       /* MAC -> the host's name, from the server's hosts */
  GCancellable   *cancellable;
  GDateTime      *replaying;   /* while the server's history is replayed: its event's time */

  GtkStack       *stack;
  GtkWidget      *transfers_group;
  GtkListBox     *transfers_list;
  GtkListBox     *hosts_list;
};

G_DEFINE_FINAL_TYPE (YardActivityPage, yard_activity_page, ADW_TYPE_BIN)

typedef struct
{
  GtkWidget      *row;
  GtkProgressBar *bar;
  GtkLabel       *detail;
} Transfer;

typedef struct
{
  YardActivityPage    *page;      /* owns it */
  GtkWidget           *row;
  char                *key;       /* the MAC, or the address until the MAC is known */
  GtkLabel            *title;
  GtkLabel            *time;      /* when it last moved */
  GtkLabel            *detail;
  GtkLabel            *verdict;   /* the boot doctor's word on it; hidden until it has one */
  GtkImage            *icons[YARD_N_BOOT_STEPS];
  GtkWidget           *steps[YARD_N_BOOT_STEPS];
  YardActivityStepState states[YARD_N_BOOT_STEPS];
} Timeline;

static void
transfer_free (Transfer *transfer)
{
  g_clear_object (&transfer->row);
  g_free (transfer);
}

static void
timeline_free (Timeline *timeline)
{
  g_clear_object (&timeline->row);
  g_free (timeline->key);
  g_free (timeline);
}

/* "lab-1 (52:54:00:12:34:56)" for a named host, else the MAC or address alone. */
static void
update_title (YardActivityPage *self,
              Timeline         *timeline)
{
  const char *name = g_hash_table_lookup (self->names, timeline->key);
  g_autofree char *title = NULL;

  if (name != NULL && *name != '\0')
    /* TRANSLATORS: a boot timeline's title: the host's name and its MAC address */
    title = g_strdup_printf (_("%s (%s)"), name, timeline->key);
  gtk_label_set_label (timeline->title, title != NULL ? title : timeline->key);
}

static void
touch (Timeline *timeline)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *words = yard_format_time (timeline->page->replaying != NULL
                                             ? timeline->page->replaying : now, now);

  gtk_label_set_label (timeline->time, words);
}

static void
update_stack (YardActivityPage *self)
{
  gboolean empty = g_hash_table_size (self->transfers) == 0 &&
                   g_hash_table_size (self->timelines) == 0;

  gtk_widget_set_visible (self->transfers_group, g_hash_table_size (self->transfers) > 0);
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

/* "192.168.1.50:2070" or "[fe80::1]:2070" -> the address alone */
static char *
peer_address (const char *peer)
{
  const char *colon;

  if (peer == NULL)
    return g_strdup ("");
  if (peer[0] == '[')
    {
      const char *end = strchr (peer, ']');
      return end ? g_strndup (peer + 1, end - peer - 1) : g_strdup (peer);
    }
  colon = strchr (peer, ':');
  if (colon != NULL && strchr (colon + 1, ':') == NULL)
    return g_strndup (peer, colon - peer);
  return g_strdup (peer);
}

static Timeline *
ensure_timeline (YardActivityPage *self,
                 const char       *key)
{
  Timeline *timeline = g_hash_table_lookup (self->timelines, key);
  GtkWidget *box, *steps;

  if (timeline != NULL)
    return timeline;

  timeline = g_new0 (Timeline, 1);
  timeline->page = self;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  timeline->key = g_strdup (key);
  {
    GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

    timeline->title = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_xalign (timeline->title, 0);
    gtk_label_set_wrap (timeline->title, TRUE);
    gtk_label_set_wrap_mode (timeline->title, PANGO_WRAP_WORD_CHAR);
    gtk_label_set_selectable (timeline->title, TRUE);
    gtk_widget_set_hexpand (GTK_WIDGET (timeline->title), TRUE);
    gtk_widget_add_css_class (GTK_WIDGET (timeline->title), "heading");
    gtk_box_append (GTK_BOX (heading), GTK_WIDGET (timeline->title));
    timeline->time = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_xalign (timeline->time, 1);
    gtk_widget_set_valign (GTK_WIDGET (timeline->time), GTK_ALIGN_START);
    gtk_widget_add_css_class (GTK_WIDGET (timeline->time), "dim-label");
    gtk_widget_add_css_class (GTK_WIDGET (timeline->time), "caption");
    gtk_box_append (GTK_BOX (heading), GTK_WIDGET (timeline->time));
    gtk_box_append (GTK_BOX (box), heading);
  }
  update_title (self, timeline);
  touch (timeline);

  /* The steps flow onto more lines when narrow rather than cutting their labels. */
  steps = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (steps), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (steps), YARD_N_BOOT_STEPS);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (steps), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (steps), 6);
  gtk_widget_set_can_focus (steps, FALSE);
  for (guint i = 0; i < YARD_N_BOOT_STEPS; i++)
    {
      GtkWidget *step = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *label = gtk_label_new (yard_boot_step_title (i));

      if (i > 0)
        {
          GtkWidget *arrow = gtk_label_new ("→");
          gtk_widget_add_css_class (arrow, "dim-label");
          gtk_box_append (GTK_BOX (step), arrow);
        }
      timeline->icons[i] = GTK_IMAGE (gtk_image_new_from_icon_name ("content-loading-symbolic"));
      gtk_box_append (GTK_BOX (step), GTK_WIDGET (timeline->icons[i]));
      gtk_box_append (GTK_BOX (step), label);
      gtk_widget_set_tooltip_text (step, yard_boot_step_description (i));
      gtk_widget_add_css_class (step, "dim-label");
      timeline->steps[i] = step;
      gtk_flow_box_append (GTK_FLOW_BOX (steps), step);
      gtk_widget_set_can_focus (gtk_widget_get_parent (step), FALSE);
    }
  gtk_box_append (GTK_BOX (box), steps);

  timeline->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (timeline->detail, 0);
  gtk_label_set_wrap (timeline->detail, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (timeline->detail), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (timeline->detail), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (timeline->detail));

  timeline->verdict = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (timeline->verdict, 0);
  gtk_label_set_wrap (timeline->verdict, TRUE);
  gtk_label_set_selectable (timeline->verdict, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (timeline->verdict), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (timeline->verdict));

  timeline->row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (timeline->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (timeline->row), box);
  gtk_list_box_prepend (self->hosts_list, timeline->row);

  g_hash_table_insert (self->timelines, g_strdup (key), timeline);
  update_stack (self);
  return timeline;
}

static void
set_step (Timeline              *timeline,
          YardBootStep           step,
          YardActivityStepState  state,
          const char            *detail)
{
  static const char *icons[] = {
    [YARD_ACTIVITY_STEP_PENDING] = "content-loading-symbolic",
    [YARD_ACTIVITY_STEP_ACTIVE] = "network-transmit-receive-symbolic",
    [YARD_ACTIVITY_STEP_DONE] = "emblem-ok-symbolic",
    [YARD_ACTIVITY_STEP_FAILED] = "dialog-error-symbolic",
  };
  GtkWidget *widget = timeline->steps[step];

  /* A step that failed stays failed until it works; a later file of the same step that
   * succeeds marks it done. */
  timeline->states[step] = state;
  if (state != YARD_ACTIVITY_STEP_PENDING)
    touch (timeline);
  gtk_image_set_from_icon_name (timeline->icons[step], icons[state]);
  gtk_widget_remove_css_class (widget, "dim-label");
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "accent");
  if (state == YARD_ACTIVITY_STEP_PENDING)
    gtk_widget_add_css_class (widget, "dim-label");
  else if (state == YARD_ACTIVITY_STEP_DONE)
    gtk_widget_add_css_class (widget, "success");
  else if (state == YARD_ACTIVITY_STEP_FAILED)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_add_css_class (widget, "accent");

  /* Earlier steps must have happened for this one to happen. */
  if (state == YARD_ACTIVITY_STEP_ACTIVE || state == YARD_ACTIVITY_STEP_DONE)
    for (guint i = 0; i < (guint) step; i++)
      if (timeline->states[i] == YARD_ACTIVITY_STEP_PENDING &&
          i != YARD_BOOT_STEP_DHCP)
        set_step (timeline, i, YARD_ACTIVITY_STEP_DONE, NULL);

  if (detail != NULL)
    gtk_label_set_label (timeline->detail, detail);
}

static const char *
host_key (YardActivityPage *self,
          const char       *peer)
{
  g_autofree char *address = peer_address (peer);
  const char *mac = g_hash_table_lookup (self->macs, address);

  if (mac != NULL)
    return mac;
  /* Keep the address itself as a key that outlives this call. */
  if (!g_hash_table_contains (self->macs, address))
    g_hash_table_insert (self->macs, g_strdup (address), NULL);
  return g_hash_table_lookup_extended (self->macs, address, (gpointer *) &mac, NULL) ? mac : NULL;
}

static void
transfer_event (YardActivityPage *self,
                const char       *kind,
                JsonObject       *data)
{
  const char *protocol = yard_json_get_string (data, "protocol");
  const char *peer = yard_json_get_string (data, "peer");
  const char *file = yard_json_get_string (data, "file");
  gint64 size = json_object_get_int_member_with_default (data, "size", 0);
  gint64 bytes = json_object_get_int_member_with_default (data, "bytes", 0);
  double duration = json_object_get_double_member_with_default (data, "duration", 0);
  g_autofree char *key = g_strdup_printf ("%s %s %s", protocol, peer, file);
  YardBootStep step = yard_boot_step_for_file (file);
  const char *hkey = host_key (self, peer);
  Timeline *timeline = ensure_timeline (self, hkey);
  Transfer *transfer = g_hash_table_lookup (self->transfers, key);
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *bytes_text = g_format_size (bytes);
  g_autofree char *speed = yard_format_throughput (duration > 0 ? bytes / duration : 0);
  g_autofree char *detail = NULL;

  if (g_str_equal (kind, "transfer-started") || g_str_equal (kind, "transfer-progress"))
    {
      if (transfer == NULL)
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
          GtkWidget *title = gtk_label_new (file);
          g_autofree char *sub = g_strdup_printf ("%s · %s", peer ? peer : "",
                                                  yard_transfer_protocol_title (protocol));
          GtkWidget *where = gtk_label_new (sub);

          transfer = g_new0 (Transfer, 1);
          gtk_widget_set_margin_top (box, 12);
          gtk_widget_set_margin_bottom (box, 12);
          gtk_widget_set_margin_start (box, 12);
          gtk_widget_set_margin_end (box, 12);
          gtk_label_set_xalign (GTK_LABEL (title), 0);
          gtk_label_set_wrap (GTK_LABEL (title), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
          gtk_box_append (GTK_BOX (box), title);
          gtk_label_set_xalign (GTK_LABEL (where), 0);
          gtk_widget_add_css_class (where, "dim-label");
          gtk_widget_add_css_class (where, "caption");
          gtk_box_append (GTK_BOX (box), where);
          transfer->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
          gtk_box_append (GTK_BOX (box), GTK_WIDGET (transfer->bar));
          transfer->detail = GTK_LABEL (gtk_label_new (NULL));
          gtk_label_set_xalign (transfer->detail, 0);
          gtk_widget_add_css_class (GTK_WIDGET (transfer->detail), "caption");
          gtk_box_append (GTK_BOX (box), GTK_WIDGET (transfer->detail));
          transfer->row = g_object_ref_sink (gtk_list_box_row_new ());
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (transfer->row), FALSE);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (transfer->row), box);
          gtk_list_box_append (self->transfers_list, transfer->row);
          g_hash_table_insert (self->transfers, g_strdup (key), transfer);
        }
      if (size > 0)
        gtk_progress_bar_set_fraction (transfer->bar, (double) bytes / (double) size);
      else
        gtk_progress_bar_pulse (transfer->bar);
      /* TRANSLATORS: transfer progress: "1.2 MB of 8.4 MB, 40.2 MB/s" */
      detail = g_strdup_printf (_("%s of %s, %s"), bytes_text, size_text, speed);
      gtk_label_set_label (transfer->detail, detail);
      if (timeline->states[step] != YARD_ACTIVITY_STEP_DONE)
        set_step (timeline, step, YARD_ACTIVITY_STEP_ACTIVE, NULL);
      {
        g_autofree char *what = g_strdup_printf (_("Fetching %s"), file);
        gtk_label_set_label (timeline->detail, what);
      }
    }
  else
    {
      if (transfer != NULL)
        {
          gtk_list_box_remove (self->transfers_list, transfer->row);
          g_hash_table_remove (self->transfers, key);
        }
      if (g_str_equal (kind, "transfer-finished"))
        {
          /* TRANSLATORS: "Fetched linux (8.4 MB, 40.2 MB/s)" */
          detail = g_strdup_printf (_("Fetched %s (%s, %s)"), file, bytes_text, speed);
          set_step (timeline, step, YARD_ACTIVITY_STEP_DONE, detail);
        }
      else
        {
          const char *error = yard_json_get_string (data, "error");
          /* TRANSLATORS: "Failed to fetch linux: the client stopped answering" */
          detail = g_strdup_printf (_("Failed to fetch %s: %s"), file,
                                    error ? error : _("no reason given"));
          set_step (timeline, step, YARD_ACTIVITY_STEP_FAILED, detail);
        }
    }
  update_stack (self);
}

static void
remember_mac (YardActivityPage *self,
              JsonObject       *data)
{
  const char *mac = yard_json_get_string (data, "mac");
  const char *address = yard_json_get_string (data, "address");

  if (mac != NULL && address != NULL && *address != '\0')
    {
      /* A timeline made before we knew the MAC keeps its place under the new name. */
      Timeline *timeline = NULL;
      char *old_key = NULL;

      if (g_hash_table_steal_extended (self->timelines, address, (gpointer *) &old_key,
                                       (gpointer *) &timeline))
        {
          g_free (old_key);
          if (!g_hash_table_contains (self->timelines, mac))
            {
              g_free (timeline->key);
              timeline->key = g_strdup (mac);
              update_title (self, timeline);
              g_hash_table_insert (self->timelines, g_strdup (mac), timeline);
            }
          else
            {
              gtk_list_box_remove (self->hosts_list, timeline->row);
              timeline_free (timeline);
            }
        }
      g_hash_table_insert (self->macs, g_strdup (address), g_strdup (mac));
    }
}

/* The boot doctor's verdict (docs/api.md "Boot verdicts"): under the client's timeline, in
 * words, with what to do. */
static void
verdict_event (YardActivityPage *self,
               JsonObject       *data)
{
  const char *mac = yard_json_get_string (data, "mac");
  const char *address = yard_json_get_string (data, "address");
  const char *advice = yard_json_get_string (data, "advice");
  gboolean ok = json_object_get_boolean_member_with_default (data, "ok", FALSE);
  g_autofree char *title = g_markup_escape_text (yard_json_get_string (data, "title") ?: "", -1);
  g_autofree char *detail = g_markup_escape_text (yard_json_get_string (data, "detail") ?: "", -1);
  g_autofree char *what = advice != NULL ? g_markup_escape_text (advice, -1) : NULL;
  g_autofree char *markup = NULL;
  Timeline *timeline;

  if (mac == NULL && address == NULL)
    return;
  timeline = ensure_timeline (self, mac != NULL ? mac : host_key (self, address));
  if (what != NULL)
    /* TRANSLATORS: a verdict: its title in bold, what happened, then the advice */
    markup = g_strdup_printf (_("<b>%s</b> — %s\nWhat to do: %s"), title, detail, what);
  else
    markup = g_strdup_printf ("<b>%s</b> — %s", title, detail);
  gtk_label_set_markup (timeline->verdict, markup);
  gtk_widget_remove_css_class (GTK_WIDGET (timeline->verdict), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (timeline->verdict), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (timeline->verdict), TRUE);
}

/* A host's name, from the hosts list or a host-changed event: the timelines follow it. */
static void
remember_name (YardActivityPage *self,
               const YardHost   *host)
{
  const char *mac = host->mac;
  const char *name = host->name;
  Timeline *timeline;

  if (name != NULL && *name != '\0')
    g_hash_table_insert (self->names, g_strdup (mac), g_strdup (name));
  else
    g_hash_table_remove (self->names, mac);
  timeline = g_hash_table_lookup (self->timelines, mac);
  if (timeline != NULL)
    update_title (self, timeline);
}

static void
hosts_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(YardActivityPage) self = user_data;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;

  hosts = yard_client_list_hosts_finish (YARD_CLIENT (source), result, &error);
  if (hosts == NULL)
    {
      /* The Hosts page says so; here the timelines keep their MACs. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No host names for the timelines: %s", error->message);
      return;
    }
  for (guint i = 0; i < hosts->len; i++)
    remember_name (self, g_ptr_array_index (hosts, i));
}

static void connection_event_cb (YardActivityPage *self,
                                 const char       *kind,
                                 JsonObject       *data);

/* The server's recent boots (GET /activity), oldest first through the same code as live
 * events, each at its own time: after a restart the page shows where each host's last boot
 * got to. */
static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YardActivityPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *boots;

  answer = yard_client_request_finish (YARD_CLIENT (source), result, &error);
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No boot history: %s", error->message);
      return;
    }
  boots = yard_json_get_array (json_node_get_object (answer), "boots");
  for (guint i = boots != NULL ? json_array_get_length (boots) : 0; i-- > 0;)
    {
      JsonObject *boot = json_array_get_object_element (boots, i);
      JsonArray *events = boot != NULL ? yard_json_get_array (boot, "events") : NULL;
      JsonObject *verdict = boot != NULL ? yard_json_get_object (boot, "verdict") : NULL;

      for (guint j = 0; events != NULL && j < json_array_get_length (events); j++)
        {
          JsonObject *event = json_array_get_object_element (events, j);
          const char *kind = event != NULL ? yard_json_get_string (event, "kind") : NULL;
          const char *time = event != NULL ? yard_json_get_string (event, "time") : NULL;
          JsonObject *data = event != NULL ? yard_json_get_object (event, "data") : NULL;
          g_autoptr(GDateTime) utc = time != NULL ? g_date_time_new_from_iso8601 (time, NULL)
                                                  : NULL;

          /* a start is only a progress row: what became of the transfer follows */
          if (kind == NULL || data == NULL || g_str_equal (kind, "transfer-started"))
            continue;
          g_clear_pointer (&self->replaying, g_date_time_unref);
          self->replaying = utc != NULL ? g_date_time_to_local (utc) : NULL;
          connection_event_cb (self, kind, data);
        }
      if (verdict != NULL)
        connection_event_cb (self, "boot-verdict", verdict);
      g_clear_pointer (&self->replaying, g_date_time_unref);
    }
}

static void
connection_state_cb (YardActivityPage *self)
{
  YardClient *client;

  if (yard_connection_get_state (self->connection) != YARD_CONNECTION_CONNECTED)
    return;
  client = yard_connection_get_client (self->connection);
  yard_client_list_hosts_async (client, self->cancellable, hosts_loaded_cb, g_object_ref (self));
  yard_client_request_async (client, "GET", "/activity", NULL, self->cancellable,
                             history_loaded_cb, g_object_ref (self));
}

static void
connection_event_cb (YardActivityPage *self,
                     const char       *kind,
                     JsonObject       *data)
{
  /* a refused request is a loader's probe for an optional file, or a missing file that the
   * doctor's verdict names: no step of its own */
  if (g_str_equal (kind, "transfer-refused"))
    return;
  if (g_str_equal (kind, "boot-verdict"))
    verdict_event (self, data);
  else if (g_str_has_prefix (kind, "transfer-"))
    transfer_event (self, kind, data);
  else if (g_str_equal (kind, "host-seen"))
    remember_mac (self, data);
  else if (g_str_equal (kind, "host-changed"))
    {
      /* the event carries the host as the API writes it: core reads it back */
      g_autoptr(YardHost) host = yard_host_new_from_json (data, NULL);

      if (host != NULL)
        remember_name (self, host);
    }
  else if (g_str_equal (kind, "dhcp-answered"))
    {
      const char *mac = yard_json_get_string (data, "mac");
      const char *boot_file = yard_json_get_string (data, "bootFile");
      const char *arch = yard_json_get_string (data, "arch");
      g_autofree char *detail = NULL;
      Timeline *timeline;

      remember_mac (self, data);
      if (mac == NULL)
        return;
      timeline = ensure_timeline (self, mac);
      /* A new DHCP answer starts a new boot: the later steps wait again. */
      for (guint i = 0; i < YARD_N_BOOT_STEPS; i++)
        set_step (timeline, i, YARD_ACTIVITY_STEP_PENDING, NULL);
      detail = yard_dhcp_offer_dup_detail (boot_file, arch);
      set_step (timeline, YARD_BOOT_STEP_DHCP, YARD_ACTIVITY_STEP_DONE, detail);
      update_stack (self);
    }
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  YardActivityPage *self = YARD_ACTIVITY_PAGE (widget);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->hosts_list))) != NULL)
    gtk_list_box_remove (self->hosts_list, child);
  g_hash_table_remove_all (self->timelines);
  update_stack (self);
}

static void
yard_activity_page_dispose (GObject *object)
{
  YardActivityPage *self = YARD_ACTIVITY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->transfers, g_hash_table_unref);
  g_clear_pointer (&self->timelines, g_hash_table_unref);
  g_clear_pointer (&self->macs, g_hash_table_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yard_activity_page_parent_class)->dispose (object);
}

static void
yard_activity_page_class_init (YardActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_activity_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, YardActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, YardActivityPage, transfers_group);
  gtk_widget_class_bind_template_child (widget_class, YardActivityPage, transfers_list);
  gtk_widget_class_bind_template_child (widget_class, YardActivityPage, hosts_list);

  gtk_widget_class_install_action (widget_class, "activity.clear", NULL, clear_action);
}

static void
yard_activity_page_init (YardActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->transfers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) transfer_free);
  self->timelines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) timeline_free);
  self->macs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  update_stack (self);
}

void
yard_activity_page_set_connection (YardActivityPage *self,
                                   YardConnection   *connection)
{
  g_return_if_fail (YARD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (YARD_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  g_signal_connect_object (connection, "event", G_CALLBACK (connection_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (connection_state_cb), self,
                           G_CONNECT_SWAPPED);
  connection_state_cb (self);
}

guint
_yard_activity_page_get_n_transfers (YardActivityPage *self)
{
  return g_hash_table_size (self->transfers);
}

YardActivityStepState
_yard_activity_page_get_step (YardActivityPage *self,
                              const char       *host,
                              YardBootStep      step)
{
  Timeline *timeline = g_hash_table_lookup (self->timelines, host);

  return timeline ? timeline->states[step] : YARD_ACTIVITY_STEP_PENDING;
}

/* The verdict shown under host's timeline, as text; NULL when there is none. */
const char *
_yard_activity_page_get_verdict (YardActivityPage *self,
                                 const char       *host)
{
  Timeline *timeline = g_hash_table_lookup (self->timelines, host);

  if (timeline == NULL || !gtk_widget_get_visible (GTK_WIDGET (timeline->verdict)))
    return NULL;
  return gtk_label_get_text (timeline->verdict);
}

/* The timeline's title and time as shown, "TITLE|TIME"; NULL when there is none. */
char *
_yard_activity_page_dup_heading (YardActivityPage *self,
                                 const char       *host)
{
  Timeline *timeline = g_hash_table_lookup (self->timelines, host);

  if (timeline == NULL)
    return NULL;
  return g_strdup_printf ("%s|%s", gtk_label_get_text (timeline->title),
                          gtk_label_get_text (timeline->time));
}

/* The step's detail line as shown. */
const char *
_yard_activity_page_get_detail (YardActivityPage *self,
                                const char       *host)
{
  Timeline *timeline = g_hash_table_lookup (self->timelines, host);

  return timeline != NULL ? gtk_label_get_text (timeline->detail) : NULL;
}
