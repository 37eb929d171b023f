/* bench-image.c: the program bench/image/run.sh times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-image inspect IMAGE RUNS   inspect RUNS times, print each time, the median and max
 *   bench-image import IMAGE ROOT    import IMAGE into ROOT/images (as the server does)
 *   bench-image upload URL TOKEN-FILE IMAGE
 *                                    upload IMAGE as the app does (libyard-client's
 *                                    yard_client_upload_image_async, with a progress function,
 *                                    replacing), print the seconds and the progress calls
 */

#include "config.h"

#include <stdlib.h>

#include "yard-client.h"
#include "yard-image-import.h"
#include "yard-image.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static int
inspect (const char *path,
         guint       runs)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(YardImage) image = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      image = yard_image_inspect (path, NULL, &error);
      elapsed = g_get_monotonic_time () - start;
      if (image == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (i == 0)
        g_print ("%s: %s, %s, %u files, first run %.3f ms\n", path,
                 yard_image_method_to_string (yard_image_get_method (image)),
                 yard_image_get_distribution (image) ? yard_image_get_distribution (image) : "-",
                 yard_image_get_files (image)->len, elapsed / 1000.0);
      g_array_append_val (times, elapsed);
    }
  g_array_sort (times, compare_gint64);
  g_print ("median %.3f ms, max %.3f ms over %u runs\n",
           g_array_index (times, gint64, times->len / 2) / 1000.0,
           g_array_index (times, gint64, times->len - 1) / 1000.0, runs);
  return 0;
}

static int
import (const char *path,
        const char *root)
{
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;

  image = yard_image_import_sync (root, source, NULL, 0, name, YARD_IMAGE_IMPORT_REPLACE, NULL,
                                  NULL, NULL, NULL, &error);
  if (image == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s: %s\n", name, yard_image_method_to_string (yard_image_get_method (image)));
  return 0;
}

typedef struct
{
  GAsyncResult *result;
  guint         n_progress;
} UploadRun;

static void
upload_progress_cb (goffset  sent,
                    goffset  total,
                    gpointer user_data)
{
  ((UploadRun *) user_data)->n_progress++;
}

static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ((UploadRun *) user_data)->result = g_object_ref (result);
}

static int
upload (const char *url,
        const char *token_file,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YardClient) client = yard_client_new_from_files (url, token_file, &error);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(YardImageFile) answer = NULL;
  UploadRun run = { NULL, 0 };
  gint64 start;

  if (client == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  yard_client_upload_image_async (client, file, NULL, YARD_CLIENT_UPLOAD_REPLACE,
                                  upload_progress_cb, &run, NULL, NULL, upload_done_cb, &run);
  while (run.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = yard_client_upload_image_finish (client, run.result, NULL, &error);
  g_object_unref (run.result);
  if (answer == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%.3f %u\n", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
           run.n_progress);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "inspect"))
    return inspect (argv[2], MAX (1, atoi (argv[3])));
  if (argc == 4 && g_str_equal (argv[1], "import"))
    return import (argv[2], argv[3]);
  if (argc == 5 && g_str_equal (argv[1], "upload"))
    return upload (argv[2], argv[3], argv[4]);
  g_printerr ("Usage: %s inspect IMAGE RUNS | import IMAGE ROOT | upload URL TOKEN-FILE IMAGE\n",
              argv[0]);
  return 2;
}
