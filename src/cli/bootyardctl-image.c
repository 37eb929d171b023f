/* bootyardctl-image.c: image add, list, rm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* images */

typedef struct
{
  char     *name;
  gboolean  tty;
  gint64    started;      /* monotonic µs */
  gint64    last_draw;
  int       last_percent; /* plain output: the last quarter printed */
} Progress;

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_free (progress->name);
  g_free (progress);
}

/* g_format_size() puts a no-break space before the unit; the progress line counts bytes. */
static char *
format_size_ascii (guint64 size)
{
  g_autofree char *text = g_format_size (size);
  GString *s = g_string_new (text);

  g_string_replace (s, "\u00a0", " ", 0);
  return g_string_free (s, FALSE);
}

static int
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 80;
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();
  int percent = total > 0 ? (int) (sent * 100 / total) : 100;

  if (progress->started == 0)
    progress->started = now;

  if (progress->tty)
    {
      g_autofree char *done = NULL;
      g_autofree char *all = NULL;
      g_autofree char *rate = NULL;
      g_autofree char *tail = NULL;
      GString *line;
      double seconds = (now - progress->started) / (double) G_USEC_PER_SEC;
      int bar;
      int filled;

      /* Redraw at most ten times a second, and always at the end. */
      if (sent < total && now - progress->last_draw < G_USEC_PER_SEC / 10)
        return;
      progress->last_draw = now;

      done = format_size_ascii (sent);
      all = format_size_ascii (total);
      rate = seconds > 0.2 ? format_size_ascii ((guint64) (sent / seconds)) : g_strdup ("");
      /* Fixed widths, so the bar does not jitter as the numbers change. */
      tail = g_strdup_printf (" %3d%%  %9s / %-9s  %9s%s", percent, done, all, rate,
                              *rate ? "/s" : "  ");

      line = g_string_new ("\r");
      g_string_append_printf (line, "%-16.16s [", progress->name);
      bar = terminal_width () - 16 - 3 - (int) strlen (tail) - 1;
      bar = CLAMP (bar, 10, 60);
      filled = total > 0 ? (int) (bar * sent / total) : bar;
      for (int i = 0; i < bar; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append_printf (line, "]%s\033[K", tail);
      fputs (line->str, stderr);
      fflush (stderr);
      g_string_free (line, TRUE);
    }
  else if (percent / 25 > progress->last_percent / 25 || (sent == 0 && progress->last_percent < 0))
    {
      /* A log, not an animation: one line at the start and each quarter. */
      g_autofree char *done = g_format_size (sent);
      g_autofree char *all = g_format_size (total);

      progress->last_percent = percent;
      g_printerr ("Uploading %s: %d%% (%s of %s)\n", progress->name, percent, done, all);
    }
}

static void
print_inspection (const YardImageFile *image)
{
  YardImageInspection *inspection = image->inspection;
  YardBootEntry *suggested = inspection != NULL ? yard_image_inspection_get_entry (inspection)
                                                : NULL;
  g_autofree char *size = g_format_size (image->size);

  g_print ("Image:      %s\n", image->name ? image->name : "?");
  g_print ("Size:       %s\n", size);
  if (inspection == NULL)
    return;
  /* the human name (what an entry is called), not the ISO volume label ("ISOIMAGE") */
  if (yard_image_inspection_get_label (inspection) != NULL)
    g_print ("Name:       %s\n", yard_image_inspection_get_label (inspection));
  if (yard_image_inspection_get_volume_label (inspection) != NULL)
    g_print ("Volume label: %s\n", yard_image_inspection_get_volume_label (inspection));
  if (yard_image_inspection_get_distribution (inspection) != NULL)
    g_print ("System:     %s\n", yard_image_inspection_get_distribution (inspection));
  g_print ("Bootable:   %s\n", yard_image_inspection_get_bootable (inspection) ? "yes" : "no");
  if (yard_image_inspection_get_image_class (inspection) != NULL)
    g_print ("Boots with: %s\n", yard_image_inspection_get_image_class (inspection));
  if (yard_image_inspection_get_reason (inspection) != NULL)
    g_print ("Why:        %s\n", yard_image_inspection_get_reason (inspection));
  if (suggested != NULL)
    {
      g_autofree char *details = entry_details (suggested);

      g_print ("Suggested:  “%s” (%s: %s)\n", yard_boot_entry_get_label (suggested) ?: "?",
               yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (suggested)), details);
    }
}

int
cmd_image_add (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(YardImageFile) image = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(YardBootEntry) added = NULL;
  g_autoptr(JsonObject) added_answer = NULL;
  g_autofree char *name = NULL;
  gboolean no_entry = FALSE;
  gboolean replace = FALSE;
  Progress *progress;
  int ret;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("Name on the server (default: the file's name)"), N_("NAME") },
    { "no-entry", 0, 0, G_OPTION_ARG_NONE, &no_entry,
      N_("Only upload: add no boot menu entry"), NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace an image of that name on the server"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Uploads the file into the boot root's images/ directory, shows "
                              "what it is and how it will boot, and adds its boot menu "
                              "entry. An image of that name already there is left alone "
                              "unless --replace."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;

  file = g_file_new_for_commandline_arg (argv[1]);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            ctl->cancellable, &error);
  if (info == NULL)
    {
      g_printerr ("bootyardctl: cannot read “%s”: %s\n", argv[1], error->message);
      return EXIT_USAGE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_printerr ("bootyardctl: “%s” is not a regular file: give an ISO or disk image\n",
                  argv[1]);
      return EXIT_USAGE;
    }

  progress = g_new0 (Progress, 1);
  progress->name = name ? g_strdup (name) : g_file_get_basename (file);
  progress->tty = isatty (STDERR_FILENO);
  progress->last_percent = -1;

  yard_client_upload_image_async (ctl->client, file, name,
                                  replace ? YARD_CLIENT_UPLOAD_REPLACE : YARD_CLIENT_UPLOAD_NONE,
                                  progress_cb, progress, progress_free, ctl->cancellable,
                                  result_cb, &result);
  image = yard_client_upload_image_finish (ctl->client, wait_for (&result), &answer, &error);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  if (image == NULL)
    {
      /* A local read error is the caller's; anything else is the server's or the network's. */
      if (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED)
        {
          g_printerr ("bootyardctl: %s\n", error->message);
          return EXIT_USAGE;
        }
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_EXISTS))
        {
          g_printerr ("bootyardctl: %s (--replace, or --name NAME)\n", error->message);
          return EXIT_CONFLICT;
        }
      return fail (error);
    }

  /* One step, as a drop in the app: the entry the server suggests goes into the menu, unless
   * entries boot it already (a replaced image keeps its entries: they name the same files). */
  if (!no_entry && image->menu_entries->len == 0)
    {
      YardBootEntry *suggested = image->inspection != NULL
                                 ? yard_image_inspection_get_entry (image->inspection) : NULL;
      g_autoptr(GAsyncResult) result2 = NULL;

      if (suggested == NULL)
        {
          const char *reason = image->inspection != NULL
                               ? yard_image_inspection_get_reason (image->inspection) : NULL;

          g_printerr ("bootyardctl: the image was uploaded, but the server suggests no menu "
                      "entry for it (%s); “bootyardctl image rm %s” removes it\n",
                      reason != NULL ? reason : "not bootable", image->name);
          return EXIT_SERVER_FAILED;
        }
      yard_client_add_menu_entry_async (ctl->client, suggested, -1, ctl->cancellable, result_cb,
                                        &result2);
      added = yard_client_add_menu_entry_finish (ctl->client, wait_for (&result2), &added_answer,
                                                 &error);
      if (added == NULL)
        {
          g_prefix_error (&error, "The image was uploaded, but adding its entry failed: ");
          return fail (error);
        }
    }

  if (ctl->json)
    {
      /* the server's two answers as it sent them */
      if (added_answer != NULL)
        json_object_set_object_member (answer, "addedEntry", g_steal_pointer (&added_answer));
      print_json_object (answer);
    }
  else
    {
      print_inspection (image);
      if (added != NULL)
        g_print ("Added entry %s to the menu\n", yard_boot_entry_get_id (added));
      for (guint i = 0; !no_entry && added == NULL && i < image->menu_entries->len; i++)
        g_print ("Already in the menu: %s\n",
                 ((YardImageEntryRef *) g_ptr_array_index (image->menu_entries, i))->id);
    }
  return EXIT_SUCCESS;
}

int
cmd_image_list (Ctl   *ctl,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) images = NULL;
  Table *table;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_list (ctl, "/images", "images");

  yard_client_list_images_async (ctl->client, ctl->cancellable, result_cb, &result);
  images = yard_client_list_images_finish (ctl->client, wait_for (&result), &error);
  if (images == NULL)
    return fail (error);

  if (images->len == 0)
    {
      g_print ("No images: upload one with “bootyardctl image add FILE”.\n");
      return EXIT_SUCCESS;
    }

  table = table_new ("NAME", "SIZE", "BYTES", "MODIFIED", NULL);
  for (guint i = 0; i < images->len; i++)
    {
      const YardImageFile *image = g_ptr_array_index (images, i);
      g_autoptr(GDateTime) modified = image->modified > 0
                                      ? g_date_time_new_from_unix_utc (image->modified) : NULL;

      table_add_row (table, text_or_dash (image->name), g_format_size (image->size),
                     g_strdup_printf ("%" G_GUINT64_FORMAT, image->size),
                     modified ? g_date_time_format (modified, "%Y-%m-%dT%H:%M:%SZ")
                              : g_strdup ("-"));
    }
  table_print_and_free (table);
  return EXIT_SUCCESS;
}

int
cmd_image_rm (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean with_entries = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "with-entries", 0, 0, G_OPTION_ARG_NONE, &with_entries,
      N_("Also remove the boot menu entries that boot it"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries,
                            _("Deletes an image and what was copied out of it. An image that "
                              "boot menu entries use is kept, naming them, unless "
                              "--with-entries."),
                            &argc, &argv, 1, 1)) >= 0)
    return ret;

  yard_client_delete_image_async (ctl->client, argv[1], with_entries, ctl->cancellable,
                                  result_cb, &result);
  if (!yard_client_delete_image_finish (ctl->client, wait_for (&result), &error))
    {
      if (g_error_matches (error, YARD_ERROR, YARD_ERROR_IN_USE))
        {
          g_printerr ("bootyardctl: %s (--with-entries)\n", error->message);
          return EXIT_CONFLICT;
        }
      return fail (error);
    }

  return print_removed (ctl, "image", "name", argv[1]);
}
