/* test-cleanup.c: the temporary files interrupted writes left, removed at start, and only they
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <utime.h>

#include "yard-cleanup.h"

#include "test-dirs.h"

static char *
make (const char *dir,
      const char *name,
      gboolean    old)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  if (old)
    {
      struct utimbuf times = { time (NULL) - 3600, time (NULL) - 3600 };

      g_assert_cmpint (g_utime (path, &times), ==, 0);
    }
  return g_steal_pointer (&path);
}

static void
test_stale (void)
{
  g_autofree char *base = yard_test_make_dir ("cleanup");
  g_autofree char *root = g_build_filename (base, "root", NULL);
  g_autofree char *state = g_build_filename (base, "state", NULL);
  const char *gone[][2] = {
    { "state", "hosts.json.Ab3dE9" },
    { "root", "pxelinux.cfg/default.XyZ12a" },
    { "root", "efi64/pxelinux.cfg/default.Q1w2E3" },
    { "root", "boot/menu.ipxe.M3nUab" },
    { "root", "grub/grub.cfg.G7hJk1" },
    { "root", "pxelinux.0.P0o9I8" },
    { "root", ".bootyard-download-Kq29Zx" },
    { "root", "images/.upload-Rt5Yu7" },
    { "root", "images/.bootyard-import-Hh7Gg6" },
    { "root", "images/debian/install.amd/.bootyard-Pp0Oo9" },
    { "root", "images/.vmlinuz.upload-0badf00d" },
    { "root", ".goutputstream-AB12cd" },
  };
  const char *kept_old[][2] = {
    { "state", "hosts.json" },
    { "root", "pxelinux.cfg/default" },
    { "root", "efi64/pxelinux.cfg/default" },
    { "root", "boot/menu.ipxe" },
    { "root", "grub/grub.cfg" },
    { "root", "pxelinux.0" },
    { "root", "pxelinux.cfg/default.backup" },    /* a word: the user's */
    { "root", "pxelinux.cfg/default.BACKUP" },
    { "root", "pxelinux.cfg/orphan.Ab12Cd" },     /* nothing beside it */
    { "root", "images/user.iso" },
    { "root", "images/user.iso.Ab12Cd" },         /* not a directory we write */
    { "root", "sub/default.Ab12Cd" },             /* nor this one */
    { "root", "sub/default" },
    { "root", "images/a/b/c/d/e/.bootyard-AbC123" }, /* deeper than imports write */
  };
  g_autofree char *fresh = NULL;
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kept_old); i++)
    g_free (make (g_str_equal (kept_old[i][0], "root") ? root : state, kept_old[i][1], TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    g_free (make (g_str_equal (gone[i][0], "root") ? root : state, gone[i][1], TRUE));
  /* A write that may still run (another server on this root) is younger. */
  fresh = make (root, "pxelinux.cfg/default.NewW12", FALSE);
  /* A symlink with our name is not ours, and is never followed. */
  target = make (base, "outside", TRUE);
  link = g_build_filename (root, "images", ".bootyard-import-link", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);

  g_assert_cmpuint (yard_cleanup_stale_temporaries (root, state, YARD_CLEANUP_MIN_AGE_S), ==,
                    G_N_ELEMENTS (gone));

  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    {
      g_autofree char *path = g_build_filename (g_str_equal (gone[i][0], "root") ? root : state,
                                                gone[i][1], NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("%s was not removed", path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept_old); i++)
    {
      g_autofree char *path = g_build_filename (g_str_equal (kept_old[i][0], "root") ? root
                                                                                  : state,
                                                kept_old[i][1], NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("%s was removed", path);
    }
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (target, G_FILE_TEST_EXISTS));

  /* Nothing left to do the second time; missing directories are no error. */
  g_assert_cmpuint (yard_cleanup_stale_temporaries (root, state, YARD_CLEANUP_MIN_AGE_S), ==, 0);
  g_assert_cmpuint (yard_cleanup_stale_temporaries ("/nonexistent/root", "/nonexistent/state",
                                                    YARD_CLEANUP_MIN_AGE_S), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/cleanup/stale", test_stale);

  return g_test_run ();
}
