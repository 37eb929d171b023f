/* bootyardctl-host.c: host list, show, set, rm, wake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* hosts */

/* What the server takes (core's one rule), checked before anything is sent. */
gboolean
check_mac (const char  *mac,
           GError     **error)
{
  g_autofree char *normalized = yard_mac_normalize (mac, error);

  return normalized != NULL;
}

/* lastSeen as the API writes it (yard_host_to_json), "-" for never */
static char *
host_last_seen_text (const YardHost *host)
{
  g_autoptr(GDateTime) dt = NULL;

  if (host->last_seen <= 0)
    return g_strdup ("-");
  dt = g_date_time_new_from_unix_utc (host->last_seen);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
print_host (const YardHost *host)
{
  g_autofree char *last_seen = host_last_seen_text (host);
  const struct { const char *title; const char *text; } rows[] = {
    { "MAC", host->mac },
    { "Name", host->name },
    { "Mode", yard_host_mode_to_string (host->mode) },
    { "Once", host->once ? "yes" : "no" },
    { "Script URL", host->script_url },
    { "Arch", host->arch },
    { "Address", host->address },
    { "Last seen", last_seen },
    { "Vendor", host->vendor_class },
    { "UUID", host->uuid },
  };
  YardMachine *machine = host->machine;
  const struct { const char *title; const char *text; } machine_rows[] = {
    { "Maker", machine != NULL ? machine->manufacturer : NULL },
    { "Product", machine != NULL ? machine->product : NULL },
    { "Serial", machine != NULL ? machine->serial : NULL },
    { "SMBIOS UUID", machine != NULL ? machine->uuid : NULL },
    { "NIC", machine != NULL ? machine->nic : NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = text_or_dash (rows[i].text);
      g_print ("%-11s %s\n", rows[i].title, text);
    }
  /* what its iPXE or GRUB reported (yard-machine.h: checked text, memory in bytes) */
  for (guint i = 0; i < G_N_ELEMENTS (machine_rows); i++)
    if (machine_rows[i].text != NULL)
      g_print ("%-11s %s\n", machine_rows[i].title, machine_rows[i].text);
  if (machine != NULL && machine->memory > 0)
    {
      g_autofree char *size = g_format_size_full (machine->memory, G_FORMAT_SIZE_IEC_UNITS);

      g_print ("%-11s %s\n", "Memory", size);
    }

  if (host->script != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (host->script, "\n", -1);
      guint n = g_strv_length (lines);

      /* A trailing newline makes no empty last line. */
      if (n > 0 && lines[n - 1][0] == '\0')
        n--;
      g_print ("Script:\n");
      for (guint i = 0; i < n; i++)
        g_print ("    %s\n", lines[i]);
    }
  else
    g_print ("%-11s -\n", "Script");
}

int
cmd_host_list (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  Table *table;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_list (ctl, "/hosts", "hosts");

  yard_client_list_hosts_async (ctl->client, ctl->cancellable, result_cb, &result);
  hosts = yard_client_list_hosts_finish (ctl->client, wait_for (&result), &error);
  if (hosts == NULL)
    return fail (error);

  if (hosts->len == 0)
    {
      g_print ("No hosts yet: they appear when they PXE boot, or with “bootyardctl host set”.\n");
      return EXIT_SUCCESS;
    }

  table = table_new ("MAC", "NAME", "MODE", "ONCE", "ARCH", "ADDRESS", "LAST SEEN", NULL);
  for (guint i = 0; i < hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (hosts, i);

      table_add_row (table, text_or_dash (host->mac), text_or_dash (host->name),
                     g_strdup (yard_host_mode_to_string (host->mode)),
                     g_strdup (host->once ? "yes" : "no"), text_or_dash (host->arch),
                     text_or_dash (host->address), host_last_seen_text (host));
    }
  table_print_and_free (table);
  return EXIT_SUCCESS;
}

int
cmd_host_show (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardHost) host = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);
  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/hosts/", argv[1], NULL);
      return print_raw_answer (ctl, "GET", path, NULL);
    }

  yard_client_get_host_async (ctl->client, argv[1], ctl->cancellable, result_cb, &result);
  host = yard_client_get_host_finish (ctl->client, wait_for (&result), &error);
  if (host == NULL)
    return fail (error);
  print_host (host);
  return EXIT_SUCCESS;
}

static gboolean
read_script (const char  *path,
             char       **out,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                  &local_error) < 0)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "Cannot read the script from standard input: %s", local_error->message);
          return FALSE;
        }
      g_output_stream_write (mem, "", 1, NULL, NULL);
      *out = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
    }
  else if (!g_file_get_contents (path, out, NULL, &local_error))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "Cannot read the script: %s", local_error->message);
      return FALSE;
    }

  if (!g_utf8_validate (*out, -1, NULL))
    {
      g_clear_pointer (out, g_free);
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The script “%s” is not UTF-8 text", path);
      return FALSE;
    }
  return TRUE;
}

/* A host policy's members from --mode, --script FILE and --url, as PUT /hosts takes them
 * (host set, host wake). */
static gboolean
set_policy_members (JsonObject  *policy,
                    const char  *mode,
                    const char  *script_file,
                    const char  *url,
                    GError     **error)
{
  g_autofree char *script = NULL;

  if (script_file != NULL && !read_script (script_file, &script, error))
    return FALSE;
  if (mode != NULL)
    json_object_set_string_member (policy, "mode", mode);
  if (script != NULL)
    json_object_set_string_member (policy, "script", script);
  if (url != NULL)
    json_object_set_string_member (policy, "scriptUrl", url);
  return TRUE;
}

int
cmd_host_set (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(YardHost) host = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  gboolean once = FALSE;
  gboolean always = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("menu (the shared menu), script (its own), url (chain to a URL), disk (local disk) "
         "or ignore"), N_("MODE") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_file,
      N_("The host's iPXE script, a file starting with #!ipxe (- reads standard input)"),
      N_("FILE") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The http(s) URL of its script"), N_("URL") },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Boot this way once, then from the local disk"), NULL },
    { "always", 0, 0, G_OPTION_ARG_NONE, &always,
      N_("Boot this way every time (undoes --once)"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("A name for people"), N_("NAME") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);

  if (mode != NULL && !yard_host_mode_from_string (mode, &(YardHostMode) { 0 }))
    return usage_error (ctl, "--mode “%s” is not one of menu, script, url, disk, ignore", mode);
  if (once && always)
    return usage_error (ctl, "--once and --always exclude each other");
  if (!set_policy_members (changes, mode, script_file, url, &error))
    return fail (error);

  if (name != NULL)
    json_object_set_string_member (changes, "name", name);
  if (once || always)
    json_object_set_boolean_member (changes, "once", once);

  if (json_object_get_size (changes) == 0)
    return usage_error (ctl, "nothing to change: give --mode, --script, --url, --once, --always "
                        "or --name");

  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/hosts/", argv[1], NULL);
      return print_raw_answer (ctl, "PUT", path, changes);
    }
  yard_client_put_host_async (ctl->client, argv[1], changes, ctl->cancellable, result_cb,
                              &result);
  host = yard_client_put_host_finish (ctl->client, wait_for (&result), &error);
  if (host == NULL)
    return fail (error);
  print_host (host);
  return EXIT_SUCCESS;
}

int
cmd_host_rm (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);

  yard_client_delete_host_async (ctl->client, argv[1], ctl->cancellable, result_cb, &result);
  if (!yard_client_delete_host_finish (ctl->client, wait_for (&result), &error))
    return fail (error);

  return print_removed (ctl, "host", "mac", argv[1]);
}

int
cmd_host_wake (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(JsonObject) policy = json_object_new ();
  g_autofree char *mode = NULL;
  g_autofree char *script_file = NULL;
  g_autofree char *url = NULL;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("Boot this way once (menu, script, url, disk), then from the local disk"), N_("MODE") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script_file,
      N_("The iPXE script for that boot, a file starting with #!ipxe (- reads standard input)"),
      N_("FILE") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The http(s) URL of its script"), N_("URL") },
    { NULL }
  };
  int ret;

  if ((ret = parse_command (ctl, entries,
                            _("Sends the Wake-on-LAN packet. With --mode, --script or --url the "
                              "host first gets that policy for one boot."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;
  if (!check_mac (argv[1], &error))
    return fail (error);
  /* --script or --url alone say the mode */
  if (mode == NULL && (script_file != NULL || url != NULL))
    mode = g_strdup (script_file != NULL ? "script" : "url");
  if (!set_policy_members (policy, mode, script_file, url, &error))
    return fail (error);

  yard_client_wake_host_async (ctl->client, argv[1], policy, ctl->cancellable, result_cb,
                               &result);
  if (!yard_client_wake_host_finish (ctl->client, wait_for (&result), &host, &error))
    return fail (error);
  if (ctl->json)
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      json_object_set_boolean_member (obj, "woken", TRUE);
      json_object_set_string_member (obj, "mac", argv[1]);
      if (host != NULL)
        json_object_set_object_member (obj, "host", yard_host_to_json (host));
      print_json_object (obj);
    }
  else
    {
      if (mode != NULL)
        g_print (_("Host %s boots with “%s” once, then from its disk\n"), argv[1], mode);
      g_print (_("Sent the Wake-on-LAN packet to %s\n"), argv[1]);
    }
  return EXIT_SUCCESS;
}
