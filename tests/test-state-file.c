/* test-state-file.c: the boot history's writer, off the main loop, newest wins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "yard-state-file.h"

#include "test-dirs.h"

static char *
temp_path (char **dir_out)
{
  *dir_out = yard_test_make_dir ("state");
  return g_build_filename (*dir_out, "activity.json", NULL);
}

/* The file is alone in its directory: no temporary file was left beside it. */
static void
assert_alone (const char *dir,
              const char *path)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autofree char *name = g_path_get_basename (path);

  g_assert_nonnull (listing);
  g_assert_cmpstr (g_dir_read_name (listing), ==, name);
  g_assert_null (g_dir_read_name (listing));
}

static char *
contents_of (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* Many saves from the main thread, handed to workers that may run in any order: the file
 * ends with the last one asked for, and is private. */
static void
test_newest_wins (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(YardStateFile) file = yard_state_file_new (path);
  g_autofree char *text = NULL;
  struct stat st;

  for (int i = 1; i <= 200; i++)
    yard_state_file_save_async (file, g_strdup_printf ("{\"save\": %d}", i));
  yard_state_file_wait (file);
  text = contents_of (path);
  g_assert_cmpstr (text, ==, "{\"save\": 200}");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  assert_alone (dir, path);
}

/* The save at stop is the last word: saves still queued behind it are older and lose. */
static void
test_save_now_is_last (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(YardStateFile) file = yard_state_file_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (int i = 1; i <= 200; i++)
    yard_state_file_save_async (file, g_strdup_printf ("{\"save\": %d}", i));
  g_assert_true (yard_state_file_save (file, "{\"save\": \"at stop\"}", &error));
  g_assert_no_error (error);
  yard_state_file_wait (file);
  text = contents_of (path);
  g_assert_cmpstr (text, ==, "{\"save\": \"at stop\"}");
  assert_alone (dir, path);
}

/* A directory that is gone: the save at stop says so; a worker's save warns and the next
 * save, once the directory is back, writes the newest text. */
static void
test_failure_then_retry (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(YardStateFile) file = yard_state_file_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_false (yard_state_file_save (file, "{}", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_test_expect_message ("yard-state-file", G_LOG_LEVEL_WARNING, "Could not save*");
  yard_state_file_save_async (file, g_strdup ("{\"save\": 1}"));
  yard_state_file_wait (file);
  g_test_assert_expected_messages ();

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  yard_state_file_save_async (file, g_strdup ("{\"save\": 2}"));
  yard_state_file_wait (file);
  text = contents_of (path);
  g_assert_cmpstr (text, ==, "{\"save\": 2}");
  assert_alone (dir, path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/yard/state-file/newest-wins", test_newest_wins);
  g_test_add_func ("/yard/state-file/save-now-is-last", test_save_now_is_last);
  g_test_add_func ("/yard/state-file/failure-then-retry", test_failure_then_retry);
  return g_test_run ();
}
