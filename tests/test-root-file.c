/* test-root-file.c: what a network client may name in the boot root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "yard-error.h"
#include "yard-root-file.h"

#include "test-dirs.h"

typedef struct
{
  char *outside;  /* a directory holding root/ and a secret beside it */
  char *root;
  int   root_fd;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *file = NULL;
  g_autofree char *link_out = NULL;
  g_autofree char *link_in = NULL;
  g_autofree char *fifo = NULL;

  f->outside = yard_test_make_dir ("root");
  f->root = g_build_filename (f->outside, "root", NULL);
  sub = g_build_filename (f->root, "pxelinux.cfg", NULL);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);

  secret = g_build_filename (f->outside, "secret", NULL);
  g_assert_true (g_file_set_contents (secret, "secret", -1, NULL));
  file = g_build_filename (sub, "default", NULL);
  g_assert_true (g_file_set_contents (file, "DEFAULT local\n", -1, NULL));

  link_out = g_build_filename (f->root, "escape", NULL);
  g_assert_cmpint (symlink ("../secret", link_out), ==, 0);
  link_in = g_build_filename (f->root, "menu", NULL);
  g_assert_cmpint (symlink ("pxelinux.cfg/default", link_in), ==, 0);
  fifo = g_build_filename (f->root, "fifo", NULL);
  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);

  f->root_fd = open (f->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (f->root_fd, >=, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close (f->root_fd);
  g_free (f->root);
  g_free (f->outside);
}

static void
assert_refused (Fixture    *f,
                const char *name,
                gsize       len,
                int         code)
{
  g_autoptr(GError) error = NULL;
  int fd = yard_root_open_file (f->root_fd, name, len, NULL, &error);

  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, YARD_ERROR, code);
}

static void
assert_reads (Fixture    *f,
              const char *name,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  struct stat st;
  char buf[64] = { 0 };
  int fd = yard_root_open_file (f->root_fd, name, strlen (name), &st, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (st.st_size, ==, strlen (expected));
  g_assert_cmpint (read (fd, buf, sizeof buf - 1), ==, strlen (expected));
  g_assert_cmpstr (buf, ==, expected);
  close (fd);
}

static void
test_allowed (Fixture       *f,
              gconstpointer  data)
{
  assert_reads (f, "pxelinux.cfg/default", "DEFAULT local\n");
  assert_reads (f, "pxelinux.cfg\\default", "DEFAULT local\n"); /* Windows clients */
  assert_reads (f, "./pxelinux.cfg//default", "DEFAULT local\n");
  assert_reads (f, "menu", "DEFAULT local\n");                   /* a symlink inside */
  assert_reads (f, "/pxelinux.cfg/default", "DEFAULT local\n");  /* GRUB's names */
  assert_reads (f, "//menu", "DEFAULT local\n");                 /* shim's over HTTP */
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (YARD_ROOT_NAME_MAX + 1, 'a');
  g_autofree char *absolute = g_build_filename (f->outside, "secret", NULL);

  assert_refused (f, "../secret", 9, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "pxelinux.cfg/../../secret", 25, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "..\\secret", 9, YARD_ERROR_UNSAFE_PATH);
  /* a leading slash is the root: the machine's own files are not there */
  assert_refused (f, absolute, strlen (absolute), YARD_ERROR_NOT_FOUND);
  assert_refused (f, "/etc/passwd", 11, YARD_ERROR_NOT_FOUND);
  assert_refused (f, "/../secret", 10, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "pxelinux.cfg/default\0x", 22, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, long_name, strlen (long_name), YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "", 0, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "escape", 6, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "pxelinux.cfg", 12, YARD_ERROR_UNSAFE_PATH);  /* a directory */
  assert_refused (f, "fifo", 4, YARD_ERROR_UNSAFE_PATH);
  assert_refused (f, "missing", 7, YARD_ERROR_NOT_FOUND);
}

static void
test_normalize (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = yard_root_normalize_name ("boot\\x86//vmlinuz", 17, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "boot/x86/vmlinuz");
  g_assert_null (yard_root_normalize_name ("./", 2, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH);
}

/* Uploads land in ROOT/files/, folders made on the way, never through a link out. */
static void
test_prepare_upload (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *target = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *files = g_build_filename (f->root, "files", NULL);
  g_autofree char *link = g_build_filename (files, "out", NULL);
  g_autofree char *dir = g_build_filename (files, "amd64", NULL);
  g_autofree char *escaped = g_build_filename (f->outside, "linux", NULL);
  char *path;

  target = yard_root_prepare_upload (f->root, "amd64/linux", &relative, &error);
  g_assert_no_error (error);
  expected = g_build_filename (f->root, "files", "amd64", "linux", NULL);
  g_assert_cmpstr (target, ==, expected);
  g_assert_cmpstr (relative, ==, "files/amd64/linux");
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_clear_pointer (&relative, g_free);
  g_clear_pointer (&target, g_free);

  /* A leading slash or a backslash names the same file, as TFTP reads names. */
  target = yard_root_prepare_upload (f->root, "/amd64\\linux", &relative, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relative, ==, "files/amd64/linux");

  path = yard_root_prepare_upload (f->root, "../linux", NULL, &error);
  g_assert_null (path);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH);
  g_clear_error (&error);

  /* A folder that is a link (here: out of the root) is not followed. */
  g_assert_cmpint (symlink ("../..", link), ==, 0);
  path = yard_root_prepare_upload (f->root, "out/linux", NULL, &error);
  g_assert_null (path);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH);
  g_clear_error (&error);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));

  /* A folder where the file would go. */
  path = yard_root_prepare_upload (f->root, "amd64", NULL, &error);
  g_assert_null (path);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/yard/root-file/allowed", Fixture, NULL, fixture_set_up, test_allowed,
              fixture_tear_down);
  g_test_add ("/yard/root-file/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add_func ("/yard/root-file/normalize", test_normalize);
  g_test_add ("/yard/root-file/prepare-upload", Fixture, NULL, fixture_set_up,
              test_prepare_upload, fixture_tear_down);
  return g_test_run ();
}
