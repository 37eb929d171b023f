/* bootyardctl-doctor.c: doctor, activity and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* doctor */

/* text for a line: NULL as "" */
static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static void
print_responders (YardNetworkReport *report)
{
  GPtrArray *responders = yard_network_report_get_responders (report);

  g_print (_("Network on %s (%s):\n"), text_or_empty (yard_network_report_get_interface (report)),
           text_or_empty (yard_network_report_get_time (report)));
  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);
      const char *file = text_or_empty (r->boot_file);

      g_print ("  %-16s %s%s%s%s\n", text_or_empty (r->address),
               r->pxe && r->dhcp ? _("DHCP and PXE boot server") : r->pxe ? _("PXE boot server")
                                                                        : _("DHCP server"),
               *file != '\0' ? ", " : "", file, r->self ? _(" (this Bootyard)") : "");
    }
  if (responders->len == 0)
    g_print (_("  Nobody answered a PXE client's DHCP request.\n"));
  else if (yard_network_report_count_other_servers (report) > 0)
    g_print (_("  Another boot server answers here: clients may boot from it instead.\n"));
}

/* GET COLLECTION, or COLLECTION/MAC for one client's part (doctor, activity), as sent: what
 * --json prints. */
static int
print_for_mac (Ctl        *ctl,
               const char *collection,
               const char *mac)
{
  g_autofree char *path = mac != NULL ? segment_path (collection, mac, "")
                                      : g_strndup (collection, strlen (collection) - 1);

  return print_raw_answer (ctl, "GET", path, NULL);
}

int
cmd_doctor (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(YardNetworkReport) report = NULL;
  gboolean network = FALSE;
  const GOptionEntry entries[] = {
    { "network", 0, 0, G_OPTION_ARG_NONE, &network,
      N_("Ask the network now who answers DHCP and PXE (takes a few seconds)"), NULL },
    { NULL }
  };
  const char *mac;
  int ret;

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 1)) >= 0)
    return ret;
  if (argc == 2 && !check_mac (argv[1], &error))
    return fail (error);
  mac = argc == 2 ? argv[1] : NULL;

  if (network)
    {
      if (ctl->json)
        return print_raw_answer (ctl, "POST", "/doctor/network", NULL);
      yard_client_probe_network_async (ctl->client, ctl->cancellable, result_cb, &result);
      report = yard_client_probe_network_finish (ctl->client, wait_for (&result), &error);
      if (report == NULL)
        return fail (error);
      print_responders (report);
      return EXIT_SUCCESS;
    }

  if (ctl->json)
    return print_for_mac (ctl, "/doctor/", mac);
  yard_client_get_doctor_async (ctl->client, mac, ctl->cancellable, result_cb, &result);
  verdicts = yard_client_get_doctor_finish (ctl->client, wait_for (&result), &report, &error);
  if (verdicts == NULL)
    return fail (error);

  if (verdicts->len == 0)
    g_print (_("No boot to report yet.\n"));
  for (guint i = 0; i < verdicts->len; i++)
    {
      YardBootVerdict *v = g_ptr_array_index (verdicts, i);
      const char *address = text_or_empty (yard_boot_verdict_get_address (v));
      const char *advice = text_or_empty (yard_boot_verdict_get_advice (v));

      g_print ("%s %s%s%s%s  %s\n", text_or_empty (yard_boot_verdict_get_time (v)),
               text_or_empty (yard_boot_verdict_get_mac (v)), *address ? " (" : "", address,
               *address ? ")" : "", text_or_empty (yard_boot_verdict_get_title (v)));
      g_print ("  %s\n", text_or_empty (yard_boot_verdict_get_detail (v)));
      if (*advice != '\0')
        g_print (_("  What to do: %s\n"), advice);
    }
  if (mac == NULL && report != NULL)
    print_responders (report);
  return EXIT_SUCCESS;
}

/* activity */

/* "2026-12-03T04:40:12Z" -> "2026-12-03 05:40" in local time; the text itself if it does not
 * parse. */
static char *
local_time_text (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (iso ? iso : "?");
}

/* "efi-x64" -> "UEFI x86-64" (yard-arch.h); the name itself when the table has none. */
static const char *
arch_words (const char *name)
{
  const YardClientArch *arch;
  guint code;

  if (name == NULL || !yard_client_arch_from_name (name, &code) ||
      (arch = yard_client_arch_lookup (code)) == NULL)
    return name;
  return arch->display;
}

static void
print_boot (YardBootRecord *boot)
{
  YardBootVerdict *verdict = yard_boot_record_get_verdict (boot);
  GPtrArray *events = yard_boot_record_get_events (boot);
  g_autofree char *started = local_time_text (yard_boot_record_get_started (boot));
  g_autoptr(GString) who = g_string_new (yard_boot_record_get_name (boot));
  g_autoptr(GString) steps = g_string_new (NULL);
  const char *arch = arch_words (yard_boot_record_get_arch (boot));
  const char *mac = text_or_empty (yard_boot_record_get_mac (boot));
  const char *address = text_or_empty (yard_boot_record_get_address (boot));

  if (*mac != '\0')
    g_string_append_printf (who, who->len > 0 ? " (%s)" : "%s", mac);
  if (*address != '\0')
    g_string_append_printf (who, who->len > 0 ? " %s" : "%s", address);
  g_print ("%s  %s%s%s  %s\n", started, who->str, arch != NULL ? ", " : "", arch ? arch : "",
           verdict != NULL ? text_or_empty (yard_boot_verdict_get_title (verdict))
                           : _("(no verdict yet)"));

  /* what went out, in order: the boot file offered, then each file sent */
  for (guint i = 0; i < events->len; i++)
    {
      YardBootEvent *event = g_ptr_array_index (events, i);
      const char *kind = yard_boot_event_get_kind (event);
      const char *file = NULL;

      if (g_str_equal (kind, "dhcp-answered"))
        file = yard_boot_event_get_boot_file (event);
      else if (g_str_equal (kind, "transfer-finished"))
        file = yard_boot_event_get_file (event);
      else if (g_str_equal (kind, "transfer-failed"))
        {
          g_string_append_printf (steps, "%s%s (%s)", steps->len > 0 ? ", " : "",
                                  text_or_empty (yard_boot_event_get_file (event)), _("stopped"));
          continue;
        }
      if (file == NULL || *file == '\0')
        continue;
      g_string_append_printf (steps, "%s%s%s", steps->len > 0 ? ", " : "",
                              g_str_equal (kind, "dhcp-answered") ? _("offered ") : "", file);
    }
  if (steps->len > 0)
    g_print ("  %s\n", steps->str);
  if (verdict != NULL && !yard_boot_verdict_get_ok (verdict))
    {
      const char *advice = text_or_empty (yard_boot_verdict_get_advice (verdict));

      g_print ("  %s\n", text_or_empty (yard_boot_verdict_get_detail (verdict)));
      if (*advice != '\0')
        g_print (_("  What to do: %s\n"), advice);
    }
}

int
cmd_activity (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) boots = NULL;
  int count = 20;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      N_("Show the N most recent boots (default 20; 0: all the server keeps)"), N_("N") },
    { NULL }
  };
  const char *mac;
  int ret;

  if ((ret = parse_command (ctl, entries,
                            _("Lists the recent network boots, newest first: who booted, what "
                              "went out, and the boot doctor's verdict. The server keeps the "
                              "last 200 across restarts."),
                            &argc, &argv, 0, 1)) >= 0)
    return ret;
  if (count < 0)
    {
      g_printerr ("bootyardctl: --count must be 0 or more\n");
      return EXIT_USAGE;
    }
  if (argc == 2 && !check_mac (argv[1], &error))
    return fail (error);
  mac = argc == 2 ? argv[1] : NULL;
  if (ctl->json)
    return print_for_mac (ctl, "/activity/", mac);
  yard_client_get_activity_async (ctl->client, mac, ctl->cancellable, result_cb, &result);
  boots = yard_client_get_activity_finish (ctl->client, wait_for (&result), &error);
  if (boots == NULL)
    return fail (error);
  if (boots->len == 0)
    g_print (_("No boot yet.\n"));
  for (guint i = 0; i < boots->len && (count == 0 || i < (guint) count); i++)
    print_boot (g_ptr_array_index (boots, i));
  return EXIT_SUCCESS;
}

/* events */

typedef struct
{
  Ctl       *ctl;
  GMainLoop *loop;
  gint64     remaining;  /* --count: events left to print, or -1 */
  gboolean   ever_connected;
  int        status;
} Follow;

static void
follow_event_cb (YardEventStream *stream,
                 YardBootEvent   *event,
                 gpointer         user_data)
{
  Follow *follow = user_data;
  const char *kind = yard_boot_event_get_kind (event);
  JsonObject *data = yard_boot_event_get_data (event);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  if (follow->ctl->json)
    {
      g_autoptr(JsonObject) line = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;
      g_autofree char *iso = g_date_time_format_iso8601 (now);

      json_object_set_string_member (line, "time", iso);
      json_object_set_string_member (line, "kind", kind);
      json_object_set_object_member (line, "data", json_object_ref (data));
      json_node_set_object (node, line);
      text = json_to_string (node, FALSE);
      g_print ("%s\n", text);
    }
  else
    {
      g_autoptr(GList) members = json_object_get_members (data);
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "%s %s", time, kind);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (data, l->data);
          g_autofree char *value = NULL;

          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              const char *s = json_node_get_string (node);
              /* Quote only what would not read as one word. */
              value = (*s == '\0' || strpbrk (s, " \t\n\"=") != NULL) ? json_to_string (node, FALSE)
                                                                      : g_strdup (s);
            }
          else
            value = json_to_string (node, FALSE);
          g_string_append_printf (line, " %s=%s", (const char *) l->data, value);
        }
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
  /* One line per event, as it happens, also into a pipe. */
  fflush (stdout);

  if (follow->remaining > 0 && --follow->remaining == 0)
    {
      follow->status = EXIT_SUCCESS;
      g_main_loop_quit (follow->loop);
    }
}

static void
follow_notify_connected_cb (YardEventStream *stream,
                            GParamSpec      *pspec,
                            gpointer         user_data)
{
  Follow *follow = user_data;

  if (yard_event_stream_get_connected (stream))
    follow->ever_connected = TRUE;
}

static void
follow_disconnected_cb (YardEventStream *stream,
                        const GError    *error,
                        gpointer         user_data)
{
  Follow *follow = user_data;

  /* Before the first connection, or with a refused token, there is nothing to follow; a
   * stream that worked once comes back by itself (a server restart). */
  if (!follow->ever_connected || g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      follow->status = fail (error);
      g_main_loop_quit (follow->loop);
      return;
    }
  g_printerr ("bootyardctl: %s; reconnecting\n", error->message);
}

static gboolean
follow_interrupt_cb (gpointer user_data)
{
  Follow *follow = user_data;

  follow->status = EXIT_SUCCESS;
  g_main_loop_quit (follow->loop);
  return G_SOURCE_CONTINUE;
}

int
cmd_events (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(YardEventStream) stream = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GError) error = NULL;
  Follow follow = { ctl, NULL, -1, FALSE, EXIT_SUCCESS };
  guint sigint_id;
  int ret;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count,
      N_("Exit after N events (the first is always “hello”)"), N_("N") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Prints one line per event until interrupted: the time, the "
                              "event's kind and its fields. With --json, one JSON object per "
                              "line: {\"time\", \"kind\", \"data\"}."),
                            &argc, &argv, 0, 0)) >= 0)
    return ret;

  if (count != NULL)
    {
      guint64 n;
      if (!parse_count ("--count", count, G_MAXINT32, &n, &error))
        return fail (error);
      if (n == 0)
        return usage_error (ctl, "--count must be at least 1");
      follow.remaining = n;
    }

  follow.loop = g_main_loop_new (NULL, FALSE);
  stream = yard_event_stream_new (ctl->client);
  g_signal_connect (stream, "event", G_CALLBACK (follow_event_cb), &follow);
  g_signal_connect (stream, "disconnected", G_CALLBACK (follow_disconnected_cb), &follow);
  g_signal_connect (stream, "notify::connected", G_CALLBACK (follow_notify_connected_cb),
                    &follow);
  /* Ctrl+C ends following normally: it is how one stops it. */
  sigint_id = g_unix_signal_add (SIGINT, follow_interrupt_cb, &follow);

  yard_event_stream_start (stream);
  g_main_loop_run (follow.loop);

  g_source_remove (sigint_id);
  g_signal_handlers_disconnect_by_data (stream, &follow);
  yard_event_stream_stop (stream);
  g_main_loop_unref (follow.loop);
  return follow.status;
}
