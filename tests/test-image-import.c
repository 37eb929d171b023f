/* test-image-import.c: importing images into a boot root, with progress, cancel and errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-image-import.h"
#include "test-dirs.h"
#include "test-image-util.h"

typedef struct
{
  char *dir;   /* sources */
  char *root;  /* the boot root */
} Fixture;

typedef struct
{
  guint         calls;
  guint64       last_done;
  guint64       last_total;
  GCancellable *cancel_on_progress;
  gint          freed;   /* set from whichever thread drops the task last */
} ProgressLog;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = yard_test_make_dir ("image-import");
  f->root = g_build_filename (f->dir, "root", NULL);
  g_assert_no_errno (g_mkdir_with_parents (f->root, 0755));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->dir);
  g_free (f->root);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_true (done >= log->last_done);
  log->calls++;
  log->last_done = done;
  log->last_total = total;
  if (log->cancel_on_progress != NULL && done > 0)
    g_cancellable_cancel (log->cancel_on_progress);
}

static void
progress_free (gpointer user_data)
{
  ProgressLog *log = user_data;

  g_atomic_int_set (&log->freed, 1);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static YardImage *
import (Fixture               *f,
        GFile                 *source,
        GInputStream          *stream,
        guint64                size,
        const char            *name,
        YardImageImportFlags   flags,
        GCancellable          *cancellable,
        ProgressLog           *log,
        YardBootEntry        **entry,
        gboolean              *replaced,
        GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  YardImage *image;

  g_atomic_int_set (&log->freed, 0);
  yard_image_import_async (f->root, source, stream, size, name, flags, cancellable,
                           progress_cb, log, progress_free, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* let the last progress idle run */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  image = yard_image_import_finish (result, entry, replaced, error);
  g_clear_object (&result);

  /* The progress data is freed with the task, possibly by the worker thread holding the last
   * reference: wait for it, since `log` lives on the caller's stack. */
  for (guint i = 0; i < 500 && !g_atomic_int_get (&log->freed); i++)
    g_usleep (10000);
  g_assert_true (g_atomic_int_get (&log->freed));
  return image;
}

static char *
images_listing (Fixture *f)
{
  g_autofree char *images = g_build_filename (f->root, "images", NULL);

  if (!g_file_test (images, G_FILE_TEST_IS_DIR))
    return g_strdup ("");
  return list_tree (images);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpmem (da, la, db, lb);
}

static void
test_floppy_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *src = make_floppy (f->dir, "freedos.img");
  g_autoptr(GFile) source = g_file_new_for_path (src);
  g_autofree char *dest = g_build_filename (f->root, "images", "freedos.img", NULL);
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *listing = NULL;
  ProgressLog log = { 0, };
  gboolean replaced = TRUE;

  image = import (f, source, NULL, 0, "freedos.img", YARD_IMAGE_IMPORT_NONE, NULL, &log,
                  &entry, &replaced, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_false (replaced);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_MEMDISK);
  assert_same_file (src, dest);

  g_assert_nonnull (entry);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_MEMDISK);
  g_assert_cmpstr (yard_boot_entry_get_image (entry), ==, "images/freedos.img");
  g_assert_cmpint (yard_boot_entry_get_image_type (entry), ==, YARD_MEMDISK_FLOPPY);
  g_assert_true (yard_boot_entry_get_raw (entry));
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, "freedos");

  g_assert_cmpuint (log.calls, >=, 1);
  g_assert_cmpuint (log.last_done, ==, 1474560);
  g_assert_cmpuint (log.last_total, ==, 1474560);

  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "./freedos.img\n");
}

static void
test_linux_stream (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *src = make_linux_iso (f->dir, "debian-live.iso", DISTRO_DEBIAN_LIVE);
  g_autoptr(GFile) file = g_file_new_for_path (src);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *tree_kernel = g_strconcat (src, ".tree/live/vmlinuz-6.1.0-26-amd64", NULL);
  g_autofree char *listing = NULL;
  const char * const *initrds;
  ProgressLog log = { 0, };
  GStatBuf st;

  g_assert_no_errno (g_stat (src, &st));
  image = import (f, NULL, G_INPUT_STREAM (stream), st.st_size, "debian-live.iso",
                  YARD_IMAGE_IMPORT_NONE, NULL, &log, &entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);

  /* the kernel and initrd extracted beside the image, byte for byte */
  kernel = g_build_filename (f->root, yard_image_get_kernel (image), NULL);
  assert_same_file (tree_kernel, kernel);

  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_LINUX);
  g_assert_cmpstr (yard_boot_entry_get_kernel (entry), ==,
                   "images/debian-live/live/vmlinuz-6.1.0-26-amd64");
  initrds = yard_boot_entry_get_initrds (entry);
  g_assert_cmpstr (initrds[0], ==, "images/debian-live/live/initrd.img-6.1.0-26-amd64");
  g_assert_null (initrds[1]);
  g_assert_nonnull (strstr (yard_boot_entry_get_append (entry),
                            "fetch=${bootyard_http}/images/debian-live.iso"));
  g_assert_cmpuint (log.last_done, ==, (guint64) st.st_size);

  listing = images_listing (f);
  g_assert_cmpstr (listing, ==,
                   "./debian-live\n"
                   "./debian-live.iso\n"
                   "./debian-live/live\n"
                   "./debian-live/live/initrd.img-6.1.0-26-amd64\n"
                   "./debian-live/live/vmlinuz-6.1.0-26-amd64\n");

  /* deleting removes the image and what was extracted for it */
  g_assert_true (yard_image_delete (f->root, "debian-live.iso", &error));
  g_assert_no_error (error);
  g_free (listing);
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_sanboot_entry (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *src = make_data_iso (f->dir, "backup.iso");
  g_autoptr(GFile) source = g_file_new_for_path (src);
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  ProgressLog log = { 0, };

  image = import (f, source, NULL, 0, "backup.iso", YARD_IMAGE_IMPORT_NONE, NULL, &log,
                  &entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_SANBOOT);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT);
  g_assert_cmpstr (yard_boot_entry_get_script (entry), ==,
                   "#!ipxe\nsanboot ${bootyard_http}/images/backup.iso\n");
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *src = make_random_file (f->dir, "random.iso", 4 * 1024 * 1024);
  g_autoptr(GFile) source = g_file_new_for_path (src);
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *listing = NULL;
  ProgressLog log = { 0, };

  image = import (f, source, NULL, 0, "random.iso", YARD_IMAGE_IMPORT_NONE, NULL, &log,
                  &entry, NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE);
  g_assert_null (image);
  g_assert_null (entry);
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");
}

/* A stream that ends before the size it announced: an upload cut short. */
static void
test_short_stream (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *src = make_floppy (f->dir, "short.img");
  g_autoptr(GFile) file = g_file_new_for_path (src);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *listing = NULL;
  ProgressLog log = { 0, };

  image = import (f, NULL, G_INPUT_STREAM (stream), 2 * 1474560, "short.img",
                  YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL, NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE);
  g_assert_nonnull (strstr (error->message, "cut short"));
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_names_and_exists (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *src = make_floppy (f->dir, "dos.img");
  g_autofree char *src2 = make_dos_iso (f->dir, "dos2.iso");
  g_autoptr(GFile) source = g_file_new_for_path (src);
  g_autoptr(GFile) source2 = g_file_new_for_path (src2);
  g_autofree char *dest = g_build_filename (f->root, "images", "dos.img", NULL);
  g_autofree char *escape = g_build_filename (f->dir, "x.img", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  ProgressLog log = { 0, };
  gboolean replaced = FALSE;

  image = import (f, source, NULL, 0, "../x.img", YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL,
                  NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_false (g_file_test (escape, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  image = import (f, source, NULL, 0, ".hidden.img", YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL,
                  NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  image = import (f, source, NULL, 0, "dos.img", YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL,
                  NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&image);

  /* same name again: refused, the first one untouched */
  image = import (f, source2, NULL, 0, "dos.img", YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL,
                  NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_EXISTS);
  g_clear_error (&error);
  assert_same_file (src, dest);

  image = import (f, source2, NULL, 0, "dos.img", YARD_IMAGE_IMPORT_REPLACE, NULL, &log, NULL,
                  &replaced, &error);
  g_assert_no_error (error);
  g_assert_true (replaced);
  assert_same_file (src2, dest);
}

static void
test_move_source (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *images = g_build_filename (f->root, "images", NULL);
  g_autofree char *src = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.img", NULL);
  g_autofree char *dest = g_build_filename (images, "moved.img", NULL);
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *cmd = NULL;
  ProgressLog log = { 0, };

  g_assert_no_errno (g_mkdir_with_parents (images, 0755));
  src = make_floppy (images, ".upload-1234");
  cmd = g_strdup_printf ("cp '%s' '%s'", src, copy);
  run_or_fail (cmd);
  source = g_file_new_for_path (src);

  image = import (f, source, NULL, 0, "moved.img", YARD_IMAGE_IMPORT_MOVE_SOURCE, NULL, &log,
                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (src, G_FILE_TEST_EXISTS));
  assert_same_file (copy, dest);
}

/* The worker blocks reading a pipe that the test keeps open; cancelling wakes it, and nothing
 * is left in the images folder. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *chunk = g_malloc0 (65536);
  g_autofree char *listing = NULL;
  g_autofree char *images = g_build_filename (f->root, "images", NULL);
  ProgressLog log = { 0, };
  int fds[2];

  g_assert_no_errno (pipe (fds));
  g_assert_no_errno (fcntl (fds[1], F_SETFL, O_NONBLOCK));
  g_assert_cmpint (write (fds[1], chunk, 65536), >, 0);
  stream = g_unix_input_stream_new (fds[0], TRUE);
  log.cancel_on_progress = cancellable;

  image = import (f, NULL, stream, 100 * 1024 * 1024, "slow.iso", YARD_IMAGE_IMPORT_NONE,
                  cancellable, &log, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (image);
  g_assert_cmpuint (log.calls, >=, 1);
  close (fds[1]);

  /* the images folder exists (made by the import) and is empty: no temporary file */
  g_assert_true (g_file_test (images, G_FILE_TEST_IS_DIR));
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");
}

/* A 1 MiB tmpfs as the boot root: a 3 MiB image does not fit. Both paths are tested: a file
 * (space reserved up front) and a stream of unknown size (fails while writing). */
static void
test_no_space (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *small = g_build_filename (f->dir, "small", NULL);
  g_autofree char *src = make_dos_iso (f->dir, "big.iso");
  g_autoptr(GFile) source = g_file_new_for_path (src);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *saved_root = NULL;
  ProgressLog log = { 0, };

  if (getuid () != 0)
    {
      g_test_skip ("mounting a small tmpfs needs root (CI runs as root)");
      return;
    }
  g_assert_no_errno (truncate (src, 3 * 1024 * 1024));
  g_assert_no_errno (g_mkdir_with_parents (small, 0755));
  if (mount ("bootyard-test", small, "tmpfs", 0, "size=1m") != 0)
    {
      g_test_skip ("could not mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
      return;
    }

  saved_root = f->root;
  f->root = g_strdup (small);

  image = import (f, source, NULL, 0, "big.iso", YARD_IMAGE_IMPORT_NONE, NULL, &log, NULL,
                  NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");

  stream = g_file_read (source, NULL, NULL);
  image = import (f, NULL, G_INPUT_STREAM (stream), 0, "big.iso", YARD_IMAGE_IMPORT_NONE,
                  NULL, &log, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_free (listing);
  listing = images_listing (f);
  g_assert_cmpstr (listing, ==, "");

  g_assert_no_errno (umount (small));
  g_free (f->root);
  f->root = g_steal_pointer (&saved_root);
}

/* Debian's memtest86+x64.iso, imported as a user drops it: its .efi (memtest.efi, which has
 * the Linux boot header too) is copied out as the kernel of a Linux entry named by memtest's
 * version, byte for byte the package's /boot/memtest86+x64.efi; no memdisk. */
static void
test_debian_memtest (Fixture       *f,
                     gconstpointer  data)
{
  const char *iso = "/usr/lib/memtest86+/memtest86+x64.iso";
  g_autoptr(GFile) source = g_file_new_for_path (iso);
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  ProgressLog log = { 0, };

  if (!g_file_test (iso, G_FILE_TEST_EXISTS) ||
      !g_file_test ("/boot/memtest86+x64.efi", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Debian's memtest86+ package is not installed");
      return;
    }

  image = import (f, source, NULL, 0, "memtest86+x64.iso", YARD_IMAGE_IMPORT_NONE, NULL, &log,
                  &entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_LINUX);
  g_assert_cmpstr (yard_boot_entry_get_kernel (entry), ==,
                   "images/memtest86+x64/EFI/BOOT/bootx64.efi");
  g_assert_true (g_str_has_prefix (yard_boot_entry_get_label (entry), "Memtest86+ "));
  g_assert_true (g_ascii_isdigit (yard_boot_entry_get_label (entry)[strlen ("Memtest86+ ")]));
  kernel = g_build_filename (f->root, yard_boot_entry_get_kernel (entry), NULL);
  assert_same_file ("/boot/memtest86+x64.efi", kernel);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!tools_available ())
    {
      g_print ("1..0 # SKIP xorriso, mkfs.fat or mtools missing (build-aux/dev installs them)\n");
      return 77;
    }

#define ADD(path, func) \
  g_test_add ("/yard/image-import/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("floppy-file", test_floppy_file);
  ADD ("linux-stream", test_linux_stream);
  ADD ("sanboot-entry", test_sanboot_entry);
  ADD ("invalid", test_invalid);
  ADD ("short-stream", test_short_stream);
  ADD ("names-and-exists", test_names_and_exists);
  ADD ("move-source", test_move_source);
  ADD ("cancel", test_cancel);
  ADD ("no-space", test_no_space);
  ADD ("debian-memtest", test_debian_memtest);
#undef ADD

  return g_test_run ();
}
