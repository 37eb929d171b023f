/* yard-activity-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed by the server's event stream and its boot history (core's YardBootEvent,
 * YardBootVerdict and YardBootRecord): transfers in progress with their progress and speed,
 * and per machine a timeline DHCP answered → boot file → configuration → kernel/initrd, so a
 * user sees the step where a boot stopped (and its error). A timeline is titled with the
 * host's name when the Hosts list has one (loaded on connect, kept by host-changed events),
 * says when it last moved, and explains its steps in their tooltips.
 *
 * The timelines are a model: a GListStore of their keys, newest first, bound to the list and
 * kept by yard_list_store_sync, so an event remakes only the row whose timeline it moved.
 */

#define G_LOG_DOMAIN "yard-activity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-activity-page-private.h"
#include "yard-boot-record.h"
#include "yard-gui-model.h"

struct _YardActivityPage
{
  AdwBin          parent_instance;

  YardConnection *connection;
  GHashTable     *transfers;   /* "protocol peer file" -> Transfer */
  GHashTable     *timelines;   /* host key -> Timeline */
  GListStore     *rows;        /* GtkStringObject: each timeline's key, newest first */
  GPtrArray      *shown;       /* what each row of rows shows, to compare with the next */
  guint64         next_order;  /* for the newest timeline */
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

/* One machine's latest boot, as its row shows it */
typedef struct
{
  char                  *key;      /* the MAC, or the address until the MAC is known */
  guint64                order;    /* when it was made: the newest first */
  GDateTime             *moved;    /* when it last moved (local time) */
  char                  *detail;   /* the last step's words */
  YardBootVerdict       *verdict;  /* the boot doctor's word on it, or NULL */
  YardActivityStepState  states[YARD_N_BOOT_STEPS];
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
  g_free (timeline->key);
  g_clear_pointer (&timeline->moved, g_date_time_unref);
  g_free (timeline->detail);
  g_clear_object (&timeline->verdict);
  g_free (timeline);
}

/* "lab-1 (52:54:00:12:34:56)" for a named host, else the MAC or address alone. */
static char *
timeline_dup_title (YardActivityPage *self,
                    Timeline         *timeline)
{
  const char *name = g_hash_table_lookup (self->names, timeline->key);

  if (name != NULL && *name != '\0')
    /* TRANSLATORS: a boot timeline's title: the host's name and its MAC address */
    return g_strdup_printf (_("%s (%s)"), name, timeline->key);
  return g_strdup (timeline->key);
}

static char *
timeline_dup_time (Timeline *timeline)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return yard_format_time (timeline->moved != NULL ? timeline->moved : now, now);
}

/* The verdict as markup: its title in bold, what happened, then the advice. */
static char *
verdict_dup_markup (YardBootVerdict *verdict)
{
  const char *advice = yard_boot_verdict_get_advice (verdict);
  g_autofree char *title = g_markup_escape_text (yard_boot_verdict_get_title (verdict) ?: "", -1);
  g_autofree char *detail = g_markup_escape_text (yard_boot_verdict_get_detail (verdict) ?: "",
                                                  -1);
  g_autofree char *what = advice != NULL ? g_markup_escape_text (advice, -1) : NULL;

  if (what != NULL)
    /* TRANSLATORS: a verdict: its title in bold, what happened, then the advice */
    return g_strdup_printf (_("<b>%s</b> — %s\nWhat to do: %s"), title, detail, what);
  return g_strdup_printf ("<b>%s</b> — %s", title, detail);
}

/* gtk_list_box_bind_model's row for one timeline of rows */
static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  static const char *icons[] = {
    [YARD_ACTIVITY_STEP_PENDING] = "content-loading-symbolic",
    [YARD_ACTIVITY_STEP_ACTIVE] = "network-transmit-receive-symbolic",
    [YARD_ACTIVITY_STEP_DONE] = "emblem-ok-symbolic",
    [YARD_ACTIVITY_STEP_FAILED] = "dialog-error-symbolic",
  };
  static const char *classes[] = {
    [YARD_ACTIVITY_STEP_PENDING] = "dim-label",
    [YARD_ACTIVITY_STEP_ACTIVE] = "accent",
    [YARD_ACTIVITY_STEP_DONE] = "success",
    [YARD_ACTIVITY_STEP_FAILED] = "error",
  };
  YardActivityPage *self = user_data;
  const char *key = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  Timeline *timeline = g_hash_table_lookup (self->timelines, key);
  g_autofree char *title_text = NULL;
  g_autofree char *time_text = NULL;
  GtkWidget *row, *box, *heading, *steps;
  GtkLabel *title, *time, *detail, *verdict;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* rows are spliced in only after the timelines hold them (sync_rows) */
  if (timeline == NULL)
    return row;
  title_text = timeline_dup_title (self, timeline);
  time_text = timeline_dup_time (timeline);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  title = GTK_LABEL (gtk_label_new (title_text));
  gtk_label_set_xalign (title, 0);
  gtk_label_set_wrap (title, TRUE);
  gtk_label_set_wrap_mode (title, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (title, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (title), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (title), "heading");
  gtk_box_append (GTK_BOX (heading), GTK_WIDGET (title));
  time = GTK_LABEL (gtk_label_new (time_text));
  gtk_label_set_xalign (time, 1);
  gtk_widget_set_valign (GTK_WIDGET (time), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (time), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (time), "caption");
  gtk_box_append (GTK_BOX (heading), GTK_WIDGET (time));
  gtk_box_append (GTK_BOX (box), heading);

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
      gtk_box_append (GTK_BOX (step),
                      gtk_image_new_from_icon_name (icons[timeline->states[i]]));
      gtk_box_append (GTK_BOX (step), label);
      gtk_widget_set_tooltip_text (step, yard_boot_step_description (i));
      gtk_widget_add_css_class (step, classes[timeline->states[i]]);
      gtk_flow_box_append (GTK_FLOW_BOX (steps), step);
      gtk_widget_set_can_focus (gtk_widget_get_parent (step), FALSE);
    }
  gtk_box_append (GTK_BOX (box), steps);

  detail = GTK_LABEL (gtk_label_new (timeline->detail));
  gtk_label_set_xalign (detail, 0);
  gtk_label_set_wrap (detail, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (detail), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (detail), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (detail));

  verdict = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (verdict, 0);
  gtk_label_set_wrap (verdict, TRUE);
  gtk_label_set_selectable (verdict, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (verdict), timeline->verdict != NULL);
  if (timeline->verdict != NULL)
    {
      g_autofree char *markup = verdict_dup_markup (timeline->verdict);

      gtk_label_set_markup (verdict, markup);
      gtk_widget_add_css_class (GTK_WIDGET (verdict),
                                yard_boot_verdict_get_ok (timeline->verdict) ? "success" : "error");
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (verdict));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* what the private getters read back, as shown */
  g_object_set_data (G_OBJECT (row), "title", title);
  g_object_set_data (G_OBJECT (row), "time", time);
  g_object_set_data (G_OBJECT (row), "detail", detail);
  g_object_set_data (G_OBJECT (row), "verdict", verdict);
  return row;
}

/* What a timeline's row shows, to tell whether it must be made again */
static char *
row_text (YardActivityPage *self,
          Timeline         *timeline)
{
  g_autofree char *title = timeline_dup_title (self, timeline);
  g_autofree char *time = timeline_dup_time (timeline);
  g_autofree char *verdict = timeline->verdict != NULL
                             ? verdict_dup_markup (timeline->verdict) : NULL;
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n%s\n%s\n%s\n%d", title, time, timeline->detail ?: "",
                          verdict ?: "",
                          timeline->verdict != NULL && yard_boot_verdict_get_ok (timeline->verdict));
  for (guint i = 0; i < YARD_N_BOOT_STEPS; i++)
    g_string_append_printf (text, "\n%d", timeline->states[i]);
  return g_string_free (text, FALSE);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Timeline *ta = *(const Timeline **) a;
  const Timeline *tb = *(const Timeline **) b;

  return ta->order < tb->order ? 1 : ta->order > tb->order ? -1 : 0;
}

static void
update_stack (YardActivityPage *self)
{
  gboolean empty = g_hash_table_size (self->transfers) == 0 &&
                   g_hash_table_size (self->timelines) == 0;

  gtk_widget_set_visible (self->transfers_group, g_hash_table_size (self->transfers) > 0);
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

/* The rows follow the timelines: only those whose timeline changed are made again. While the
 * history is replayed, once at its end. */
static void
sync_rows (YardActivityPage *self)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Timeline *timeline;

  if (self->replaying != NULL)
    return;
  g_hash_table_iter_init (&iter, self->timelines);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &timeline))
    g_ptr_array_add (list, timeline);
  g_ptr_array_sort (list, compare_newest_first);
  for (guint i = 0; i < list->len; i++)
    {
      timeline = g_ptr_array_index (list, i);
      g_ptr_array_add (keys, timeline->key);
      g_ptr_array_add (texts, row_text (self, timeline));
    }
  yard_list_store_sync (self->rows, self->shown, keys, texts);
  update_stack (self);
}

static void
touch (YardActivityPage *self,
       Timeline         *timeline)
{
  g_clear_pointer (&timeline->moved, g_date_time_unref);
  timeline->moved = self->replaying != NULL ? g_date_time_ref (self->replaying)
                                            : g_date_time_new_now_local ();
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

  if (timeline != NULL)
    return timeline;
  timeline = g_new0 (Timeline, 1);
  timeline->key = g_strdup (key);
  timeline->order = self->next_order++;
  touch (self, timeline);
  g_hash_table_insert (self->timelines, g_strdup (key), timeline);
  return timeline;
}

static void
set_step (YardActivityPage      *self,
          Timeline              *timeline,
          YardBootStep           step,
          YardActivityStepState  state,
          const char            *detail)
{
  /* A step that failed stays failed until it works; a later file of the same step that
   * succeeds marks it done. */
  timeline->states[step] = state;
  if (state != YARD_ACTIVITY_STEP_PENDING)
    touch (self, timeline);

  /* Earlier steps must have happened for this one to happen. */
  if (state == YARD_ACTIVITY_STEP_ACTIVE || state == YARD_ACTIVITY_STEP_DONE)
    for (guint i = 0; i < (guint) step; i++)
      if (timeline->states[i] == YARD_ACTIVITY_STEP_PENDING && i != YARD_BOOT_STEP_DHCP)
        timeline->states[i] = YARD_ACTIVITY_STEP_DONE;

  if (detail != NULL)
    {
      g_free (timeline->detail);
      timeline->detail = g_strdup (detail);
    }
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
                YardBootEvent    *event)
{
  const char *kind = yard_boot_event_get_kind (event);
  const char *protocol = yard_boot_event_get_protocol (event);
  const char *peer = yard_boot_event_get_peer (event);
  const char *file = yard_boot_event_get_file (event);
  gint64 size = yard_boot_event_get_size (event);
  gint64 bytes = yard_boot_event_get_bytes (event);
  double duration = yard_boot_event_get_duration (event);
  g_autofree char *key = g_strdup_printf ("%s %s %s", protocol, peer, file);
  YardBootStep step = yard_boot_step_for_file (file);
  Timeline *timeline = ensure_timeline (self, host_key (self, peer));
  Transfer *transfer = g_hash_table_lookup (self->transfers, key);
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *bytes_text = g_format_size (bytes);
  g_autofree char *speed = yard_format_throughput (duration > 0 ? bytes / duration : 0);
  g_autofree char *detail = NULL;

  if (g_str_equal (kind, "transfer-started") || g_str_equal (kind, "transfer-progress"))
    {
      g_autofree char *what = g_strdup_printf (_("Fetching %s"), file);

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
        set_step (self, timeline, step, YARD_ACTIVITY_STEP_ACTIVE, NULL);
      g_free (timeline->detail);
      timeline->detail = g_steal_pointer (&what);
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
          set_step (self, timeline, step, YARD_ACTIVITY_STEP_DONE, detail);
        }
      else
        {
          const char *error = yard_boot_event_get_error (event);
          /* TRANSLATORS: "Failed to fetch linux: the client stopped answering" */
          detail = g_strdup_printf (_("Failed to fetch %s: %s"), file,
                                    error ? error : _("no reason given"));
          set_step (self, timeline, step, YARD_ACTIVITY_STEP_FAILED, detail);
        }
    }
}

static void
remember_mac (YardActivityPage *self,
              YardBootEvent    *event)
{
  const char *mac = yard_boot_event_get_mac (event);
  const char *address = yard_boot_event_get_address (event);

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
              g_hash_table_insert (self->timelines, g_strdup (mac), timeline);
            }
          else
            timeline_free (timeline);
        }
      g_hash_table_insert (self->macs, g_strdup (address), g_strdup (mac));
    }
}

/* The boot doctor's verdict (docs/api.md "Boot verdicts"): under the client's timeline, in
 * words, with what to do. */
static void
show_verdict (YardActivityPage *self,
              YardBootVerdict  *verdict)
{
  const char *mac = yard_boot_verdict_get_mac (verdict);
  const char *address = yard_boot_verdict_get_address (verdict);
  Timeline *timeline;

  if (mac == NULL && address == NULL)
    return;
  timeline = ensure_timeline (self, mac != NULL ? mac : host_key (self, address));
  g_set_object (&timeline->verdict, verdict);
}

/* A host's name, from the hosts list or a host-changed event: the timelines follow it. */
static void
remember_name (YardActivityPage *self,
               const YardHost   *host)
{
  if (host->name != NULL && *host->name != '\0')
    g_hash_table_insert (self->names, g_strdup (host->mac), g_strdup (host->name));
  else
    g_hash_table_remove (self->names, host->mac);
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
  sync_rows (self);
}

/* One event, live or from the history: the timelines and transfers it moves. */
static void
handle_event (YardActivityPage *self,
              YardBootEvent    *event)
{
  const char *kind = yard_boot_event_get_kind (event);

  /* a refused request is a loader's probe for an optional file, or a missing file that the
   * doctor's verdict names: no step of its own */
  if (g_str_equal (kind, "transfer-refused"))
    return;
  if (g_str_equal (kind, "boot-verdict"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(YardBootVerdict) verdict =
        yard_boot_verdict_new_from_json (yard_boot_event_get_data (event), &error);

      if (verdict == NULL)
        g_debug ("A verdict that does not read: %s", error->message);
      else
        show_verdict (self, verdict);
    }
  else if (g_str_has_prefix (kind, "transfer-"))
    transfer_event (self, event);
  else if (g_str_equal (kind, "host-seen"))
    remember_mac (self, event);
  else if (g_str_equal (kind, "host-changed"))
    {
      /* the event carries the host as the API writes it: core reads it back */
      g_autoptr(YardHost) host = yard_host_new_from_json (yard_boot_event_get_data (event), NULL);

      if (host != NULL)
        remember_name (self, host);
    }
  else if (g_str_equal (kind, "dhcp-answered"))
    {
      const char *mac = yard_boot_event_get_mac (event);
      g_autofree char *arch = yard_boot_event_dup_arch_name (event);
      g_autofree char *detail = NULL;
      Timeline *timeline;

      remember_mac (self, event);
      if (mac == NULL)
        return;
      timeline = ensure_timeline (self, mac);
      /* A new DHCP answer starts a new boot: the later steps wait again. */
      for (guint i = 0; i < YARD_N_BOOT_STEPS; i++)
        timeline->states[i] = YARD_ACTIVITY_STEP_PENDING;
      detail = yard_dhcp_offer_dup_detail (yard_boot_event_get_boot_file (event), arch);
      set_step (self, timeline, YARD_BOOT_STEP_DHCP, YARD_ACTIVITY_STEP_DONE, detail);
    }
}

static void
connection_event_cb (YardActivityPage *self,
                     YardBootEvent    *event)
{
  /* disposed: the connection's handler goes with the page's finalization */
  if (self->timelines == NULL)
    return;
  handle_event (self, event);
  sync_rows (self);
}

/* The server's recent boots (GET /activity), oldest first through the same code as live
 * events, each at its own time: after a restart the page shows where each host's last boot
 * got to. */
static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YardActivityPage) self = user_data;
  g_autoptr(GPtrArray) boots = NULL;
  g_autoptr(GError) error = NULL;

  boots = yard_client_get_activity_finish (YARD_CLIENT (source), result, &error);
  if (boots == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No boot history: %s", error->message);
      return;
    }
  for (guint i = boots->len; i-- > 0;)
    {
      YardBootRecord *boot = g_ptr_array_index (boots, i);
      GPtrArray *events = yard_boot_record_get_events (boot);
      YardBootVerdict *verdict = yard_boot_record_get_verdict (boot);

      for (guint j = 0; j < events->len; j++)
        {
          YardBootEvent *event = g_ptr_array_index (events, j);
          const char *time = yard_boot_event_get_time (event);
          g_autoptr(GDateTime) utc = time != NULL ? g_date_time_new_from_iso8601 (time, NULL)
                                                  : NULL;

          /* a start is only a progress row: what became of the transfer follows */
          if (g_str_equal (yard_boot_event_get_kind (event), "transfer-started"))
            continue;
          g_clear_pointer (&self->replaying, g_date_time_unref);
          self->replaying = utc != NULL ? g_date_time_to_local (utc)
                                        : g_date_time_new_now_local ();
          handle_event (self, event);
        }
      if (verdict != NULL)
        show_verdict (self, verdict);
      g_clear_pointer (&self->replaying, g_date_time_unref);
    }
  sync_rows (self);
}

static void
connection_state_cb (YardActivityPage *self)
{
  YardClient *client;

  if (yard_connection_get_state (self->connection) != YARD_CONNECTION_CONNECTED)
    return;
  client = yard_connection_get_client (self->connection);
  yard_client_list_hosts_async (client, self->cancellable, hosts_loaded_cb, g_object_ref (self));
  yard_client_get_activity_async (client, NULL, self->cancellable, history_loaded_cb,
                                  g_object_ref (self));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  YardActivityPage *self = YARD_ACTIVITY_PAGE (widget);

  g_hash_table_remove_all (self->timelines);
  sync_rows (self);
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
  g_clear_pointer (&self->replaying, g_date_time_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yard_activity_page_parent_class)->dispose (object);
}

static void
yard_activity_page_finalize (GObject *object)
{
  YardActivityPage *self = YARD_ACTIVITY_PAGE (object);

  /* the list's rows are made from the timelines until the list goes, in dispose */
  g_clear_object (&self->rows);
  g_clear_pointer (&self->shown, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_activity_page_parent_class)->finalize (object);
}

static void
yard_activity_page_class_init (YardActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_activity_page_dispose;
  object_class->finalize = yard_activity_page_finalize;

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
  self->rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->shown = g_ptr_array_new_with_free_func (g_free);
  gtk_list_box_bind_model (self->hosts_list, G_LIST_MODEL (self->rows), create_row_cb, self,
                           NULL);
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

/* The row that shows host's timeline, or NULL */
GtkWidget *
_yard_activity_page_get_row (YardActivityPage *self,
         const char       *host)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (g_strcmp0 (gtk_string_object_get_string (item), host) == 0)
        return GTK_WIDGET (gtk_list_box_get_row_at_index (self->hosts_list, (int) i));
    }
  return NULL;
}

static const char *
row_label_text (YardActivityPage *self,
                const char       *host,
                const char       *label)
{
  GtkWidget *row = _yard_activity_page_get_row (self, host);
  GtkLabel *widget = row != NULL ? g_object_get_data (G_OBJECT (row), label) : NULL;

  if (widget == NULL || !gtk_widget_get_visible (GTK_WIDGET (widget)))
    return NULL;
  return gtk_label_get_text (widget);
}

/* The verdict shown under host's timeline, as text; NULL when there is none. */
const char *
_yard_activity_page_get_verdict (YardActivityPage *self,
                                 const char       *host)
{
  return row_label_text (self, host, "verdict");
}

/* The timeline's title and time as shown, "TITLE|TIME"; NULL when there is none. */
char *
_yard_activity_page_dup_heading (YardActivityPage *self,
                                 const char       *host)
{
  const char *title = row_label_text (self, host, "title");
  const char *time = row_label_text (self, host, "time");

  if (title == NULL)
    return NULL;
  return g_strdup_printf ("%s|%s", title, time);
}

/* The step's detail line as shown. */
const char *
_yard_activity_page_get_detail (YardActivityPage *self,
                                const char       *host)
{
  return row_label_text (self, host, "detail");
}
