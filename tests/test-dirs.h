/* test-dirs.h: the directories a test writes in, inside the tree GLib gives each test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test program that includes this calls
 *   g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
 * GLib then points HOME and the XDG directories of each test into a temporary tree of its
 * own, removes that tree once the test has passed and keeps it after a failure, to be looked
 * at. A directory made here lies in that tree, so no test removes what it wrote, and nothing is
 * left behind in /tmp by a test that passed.
 *
 * The tree exists only while a test runs (inside g_test_run (), in a fixture's setup or in
 * the test itself): in main () the XDG directories are /dev/null and the helper fails.
 * (g_get_tmp_dir () is not redirected: g_dir_make_tmp () would still write in /tmp.)
 *
 * Header-only: each test is one executable.
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

/* A new, empty directory for the running test, named after name (a word, no slash): the
 * caller frees the path. Each call gives another directory, within a test and across tests. */
G_GNUC_UNUSED static char *
yard_test_make_dir (const char *name)
{
  static guint serial;
  const char *cache = g_get_user_cache_dir ();
  char *path;

  g_assert_nonnull (name);
  g_assert_null (strchr (name, G_DIR_SEPARATOR));
  /* Outside a test, or without the option, this would be the user's own cache. */
  g_assert_true (g_test_initialized ());
  g_assert_true (g_str_has_prefix (cache, g_get_tmp_dir ()));

  g_assert_no_errno (g_mkdir_with_parents (cache, 0755));
  path = g_strdup_printf ("%s%cyard-%s-%u", cache, G_DIR_SEPARATOR, name, ++serial);
  /* g_mkdir, not g_mkdir_with_parents: a directory already there is an error. */
  g_assert_no_errno (g_mkdir (path, 0755));
  return path;
}

/* For a test that opens HTTP connections (libsoup, GSocketClient), before g_test_init (). The
 * isolated XDG data directories hide the system's GSettings schemas, GNOME's proxy settings
 * among them, and the GNOME proxy resolver of glib-networking aborts without them. These tests
 * connect to 127.0.0.1 only: GIO's resolver that uses no proxy is the right one. */
G_GNUC_UNUSED static void
yard_test_no_proxy_resolver (void)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

/* Removes path and all below it, without following links, for the tests that cannot take the
 * option: the GUI tests, whose app and server subprocesses need a HOME and XDG directories
 * of their own, made by the test before GTK starts. FALSE, with what failed, when something
 * stays. */
G_GNUC_UNUSED static gboolean
yard_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  gboolean ok = TRUE;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) ==
      G_FILE_TYPE_DIRECTORY)
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
      while (children != NULL &&
             (info = g_file_enumerator_next_file (children, NULL, &error)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          ok = yard_test_remove_tree (child) && ok;
          g_object_unref (info);
        }
    }
  if (error == NULL)
    g_file_delete (file, NULL, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_printerr ("Could not remove %s: %s\n", path, error->message);
      return FALSE;
    }
  return ok;
}
