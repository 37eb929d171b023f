/* yard-image-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import is: a temporary file in ROOT/images (same directory, so the final rename is
 * atomic), space reserved up front when the size is known (a full disk fails at once, not
 * after minutes), the copy (copy_file_range between local files, as cp does; a read/write loop
 * for streams), fsync, inspection, extraction of the kernel and initrd for Linux images, and
 * only then the rename. Every failure path unlinks the temporary file and what the
 * extraction made.
 */

#define G_LOG_DOMAIN "yard-image-import"
#define _GNU_SOURCE /* copy_file_range */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-image-import.h"

#define COPY_CHUNK    (16 * 1024 * 1024)
#define BUFFER_SIZE   (1024 * 1024)
#define PROGRESS_USEC (100 * 1000)

/* The suggested entry lives here (not in yard-image.c) so that inspecting an image does not
 * pull the menu model into programs that only inspect. */
YardBootEntry *
yard_image_create_entry (YardImage *self)
{
  g_autofree char *image = NULL;
  g_autofree char *url = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GPtrArray) initrds = NULL;
  GPtrArray *own_initrds;
  const char *label;

  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);

  label = yard_image_get_label (self);
  switch (yard_image_get_method (self))
    {
    case YARD_IMAGE_METHOD_MEMDISK:
      image = yard_image_dup_root_path (self);
      switch (yard_image_get_memdisk_type (self))
        {
        case YARD_IMAGE_MEMDISK_FLOPPY:
          return yard_boot_entry_new_memdisk (NULL, label, image, YARD_MEMDISK_FLOPPY, TRUE);
        case YARD_IMAGE_MEMDISK_HARDDISK:
          return yard_boot_entry_new_memdisk (NULL, label, image, YARD_MEMDISK_HARDDISK, TRUE);
        case YARD_IMAGE_MEMDISK_ISO:
        default:
          return yard_boot_entry_new_memdisk (NULL, label, image, YARD_MEMDISK_ISO, TRUE);
        }

    case YARD_IMAGE_METHOD_LINUX:
      own_initrds = yard_image_get_initrds (self);
      initrds = g_ptr_array_new ();
      for (guint i = 0; i < own_initrds->len; i++)
        g_ptr_array_add (initrds, g_ptr_array_index (own_initrds, i));
      g_ptr_array_add (initrds, NULL);
      return yard_boot_entry_new_linux (NULL, label, yard_image_get_kernel (self),
                                        (const char * const *) initrds->pdata,
                                        yard_image_get_append (self));

    case YARD_IMAGE_METHOD_SANBOOT:
    default:
      /* iPXE boots it; the URL carries YARD_IMAGE_HTTP_PLACEHOLDER for the writer */
      url = yard_image_dup_sanboot_url (self);
      script = g_strdup_printf ("#!ipxe\nsanboot %s\n", url);
      return yard_boot_entry_new_ipxe_script (NULL, label, script);
    }
}

/* The copy -------------------------------------------------------------------------------- */

typedef struct
{
  YardImageImportProgress  func;
  gpointer                 data;
  gint64                   last;
  guint64                  total;
} Progress;

static void
progress_report (Progress *p,
                 guint64   done,
                 gboolean  force)
{
  gint64 now;

  if (p->func == NULL)
    return;
  now = g_get_monotonic_time ();
  if (force || now - p->last >= PROGRESS_USEC)
    {
      p->last = now;
      p->func (done, p->total, p->data);
    }
}

static void
set_write_error (GError     **error,
                 int          saved,
                 const char  *images_dir)
{
  if (saved == ENOSPC || saved == EDQUOT)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                 "The disk holding “%s” is full: free some space (or choose a boot root on a "
                 "bigger disk) and import the image again",
                 images_dir);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "Could not write the image into “%s”: %s", images_dir, g_strerror (saved));
}

static gboolean
write_all (int          fd,
           const char  *buf,
           gsize        len,
           const char  *images_dir,
           GError     **error)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_write_error (error, errno, images_dir);
          return FALSE;
        }
      buf += n;
      len -= n;
    }
  return TRUE;
}

/* The image is fsynced before it is renamed into place. Rather than pay for the whole
 * writeback at the end (a copy then a flush, one after the other), start writing each chunk
 * back as soon as it is copied, and wait only for what is more than WRITEBACK_WINDOW behind:
 * the disk writes while we copy, and dirty memory stays bounded. */
#define WRITEBACK_WINDOW (64 * 1024 * 1024)

static void
writeback (int      fd,
           guint64  copied,
           guint64 *queued,
           guint64 *waited)
{
  if (copied > *queued)
    {
      sync_file_range (fd, *queued, copied - *queued, SYNC_FILE_RANGE_WRITE);
      *queued = copied;
    }
  if (copied > *waited + WRITEBACK_WINDOW)
    {
      guint64 upto = copied - WRITEBACK_WINDOW;

      sync_file_range (fd, *waited, upto - *waited,
                       SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                       SYNC_FILE_RANGE_WAIT_AFTER);
      *waited = upto;
    }
}

static gboolean
copy_stream (GInputStream  *stream,
             int            out_fd,
             const char    *images_dir,
             Progress      *progress,
             guint64       *copied,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *buf = g_malloc (BUFFER_SIZE);
  guint64 queued = 0, waited = 0;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, BUFFER_SIZE, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!write_all (out_fd, buf, n, images_dir, error))
        return FALSE;
      *copied += n;
      if (*copied - queued >= COPY_CHUNK)
        writeback (out_fd, *copied, &queued, &waited);
      progress_report (progress, *copied, FALSE);
    }
}

static gboolean
copy_fd (int            in_fd,
         int            out_fd,
         const char    *images_dir,
         Progress      *progress,
         guint64       *copied,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autofree char *buf = NULL;
  guint64 queued = 0, waited = 0;

  /* copy_file_range: the kernel copies (or reflinks) without a trip through user space */
  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = copy_file_range (in_fd, NULL, out_fd, NULL, COPY_CHUNK, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && *copied == 0 &&
          (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP ||
           errno == EBADF))
        break;
      if (n < 0)
        {
          set_write_error (error, errno, images_dir);
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      *copied += n;
      writeback (out_fd, *copied, &queued, &waited);
      progress_report (progress, *copied, FALSE);
    }

  buf = g_malloc (BUFFER_SIZE);
  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = read (in_fd, buf, BUFFER_SIZE);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not read the image: %s", g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      if (!write_all (out_fd, buf, n, images_dir, error))
        return FALSE;
      *copied += n;
      if (*copied - queued >= COPY_CHUNK)
        writeback (out_fd, *copied, &queued, &waited);
      progress_report (progress, *copied, FALSE);
    }
}

/* Removes what a failed import made: the temporary file, and the extraction directory when
 * the import created it. */
static void
cleanup (const char *tmp_path,
         const char *extract_dir,
         gboolean    extract_dir_was_new)
{
  if (tmp_path != NULL)
    g_unlink (tmp_path);
  if (extract_dir != NULL && extract_dir_was_new)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (extract_dir);
      g_autoptr(GFileEnumerator) en = NULL;

      /* depth-first removal of what the extraction wrote */
      GPtrArray *stack = g_ptr_array_new_with_free_func (g_object_unref);
      GPtrArray *dirs = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (stack, g_object_ref (dir));
      while (stack->len > 0)
        {
          GFile *d = g_ptr_array_steal_index (stack, stack->len - 1);

          g_ptr_array_add (dirs, d);
          en = g_file_enumerate_children (d, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
          while (en != NULL)
            {
              GFileInfo *info;
              GFile *child;

              if (!g_file_enumerator_iterate (en, &info, &child, NULL, NULL) || info == NULL)
                break;
              if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
                g_ptr_array_add (stack, g_object_ref (child));
              else
                g_file_delete (child, NULL, NULL);
            }
          g_clear_object (&en);
        }
      for (guint i = dirs->len; i > 0; i--)
        g_file_delete (g_ptr_array_index (dirs, i - 1), NULL, NULL);
      g_ptr_array_unref (stack);
      g_ptr_array_unref (dirs);
    }
}

YardImage *
yard_image_import_sync (const char               *root,
                        GFile                    *source,
                        GInputStream             *stream,
                        guint64                   size,
                        const char               *name,
                        YardImageImportFlags      flags,
                        GCancellable             *cancellable,
                        YardImageImportProgress   progress_func,
                        gpointer                  progress_data,
                        gboolean                 *replaced,
                        GError                  **error)
{
  g_autofree char *images_dir = NULL;
  g_autofree char *final_path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *source_path = NULL;
  g_autofree char *extract_rel = NULL;
  g_autofree char *extract_dir = NULL;
  g_autoptr(YardImage) image = NULL;
  Progress progress = { progress_func, progress_data, 0, size };
  gboolean extract_dir_was_new;
  gboolean moved = FALSE;
  gboolean exists;
  guint64 copied = 0;
  struct stat st;
  int out_fd;
  int in_fd = -1;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail ((source == NULL) != (stream == NULL), NULL);

  if (!yard_image_name_is_valid (name, error))
    return NULL;

  images_dir = g_build_filename (root, "images", NULL);
  final_path = g_build_filename (images_dir, name, NULL);
  if (g_mkdir_with_parents (images_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create “%s”: %s", images_dir, g_strerror (saved));
      return NULL;
    }

  exists = g_lstat (final_path, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_EXISTS,
                   "“%s” exists in the images folder and is not an image file: choose "
                   "another name", name);
      return NULL;
    }
  if (exists && !(flags & YARD_IMAGE_IMPORT_REPLACE))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_EXISTS,
                   "An image named “%s” exists already: delete it first or choose another "
                   "name", name);
      return NULL;
    }
  if (replaced != NULL)
    *replaced = exists;

  if (source != NULL)
    {
      source_path = g_file_get_path (source);
      if (source_path != NULL)
        {
          in_fd = g_open (source_path, O_RDONLY | O_CLOEXEC, 0);
          if (in_fd < 0)
            {
              int saved = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           "Could not open “%s”: %s", source_path, g_strerror (saved));
              return NULL;
            }
          if (fstat (in_fd, &st) == 0)
            progress.total = size = st.st_size;
        }
    }

  tmp_path = g_build_filename (images_dir, ".bootyard-import-XXXXXX", NULL);
  out_fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0644);
  if (out_fd < 0)
    {
      int saved = errno;

      set_write_error (error, saved, images_dir);
      if (in_fd >= 0)
        close (in_fd);
      g_clear_pointer (&tmp_path, g_free);
      return NULL;
    }

  /* An upload that already sits on this file system moves into place instead of copying. */
  if ((flags & YARD_IMAGE_IMPORT_MOVE_SOURCE) && source_path != NULL &&
      rename (source_path, tmp_path) == 0)
    {
      moved = TRUE;
      copied = size;
    }
  else
    {
      if (size > 0)
        {
          /* fallocate(2), not posix_fallocate: where the file system can't reserve space,
           * glibc would emulate it by writing the whole file once more */
          int r = fallocate (out_fd, 0, 0, size) == 0 ? 0 : errno;

          if (r == ENOSPC || r == EDQUOT)
            {
              set_write_error (error, r, images_dir);
              close (out_fd);
              if (in_fd >= 0)
                close (in_fd);
              cleanup (tmp_path, NULL, FALSE);
              return NULL;
            }
        }

      if (in_fd >= 0)
        {
          if (!copy_fd (in_fd, out_fd, images_dir, &progress, &copied, cancellable, error))
            {
              close (out_fd);
              close (in_fd);
              cleanup (tmp_path, NULL, FALSE);
              return NULL;
            }
        }
      else
        {
          g_autoptr(GInputStream) in = NULL;

          if (stream != NULL)
            in = g_object_ref (stream);
          else if ((in = G_INPUT_STREAM (g_file_read (source, cancellable, error))) == NULL)
            {
              close (out_fd);
              cleanup (tmp_path, NULL, FALSE);
              return NULL;
            }
          if (!copy_stream (in, out_fd, images_dir, &progress, &copied, cancellable, error))
            {
              close (out_fd);
              cleanup (tmp_path, NULL, FALSE);
              return NULL;
            }
        }

      if (size > 0 && copied != size)
        {
          if (copied < size)
            g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                         "The image ended after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                         " bytes: the upload was cut short; send it again",
                         copied, size);
          else
            g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                         "The image is larger than the %" G_GUINT64_FORMAT " bytes announced: "
                         "send it again with its real size", size);
          close (out_fd);
          if (in_fd >= 0)
            close (in_fd);
          cleanup (tmp_path, NULL, FALSE);
          return NULL;
        }
      /* fallocate may have reserved more than a short stream filled */
      if (ftruncate (out_fd, copied) != 0 || fsync (out_fd) != 0)
        {
          set_write_error (error, errno, images_dir);
          close (out_fd);
          if (in_fd >= 0)
            close (in_fd);
          cleanup (tmp_path, NULL, FALSE);
          return NULL;
        }
    }
  close (out_fd);
  if (in_fd >= 0)
    close (in_fd);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      cleanup (tmp_path, NULL, FALSE);
      return NULL;
    }

  image = yard_image_inspect (tmp_path, name, error);
  if (image == NULL)
    {
      cleanup (tmp_path, NULL, FALSE);
      return NULL;
    }

  extract_rel = yard_image_dup_extract_dir (image);
  extract_dir = g_build_filename (root, extract_rel, NULL);
  extract_dir_was_new = !g_file_test (extract_dir, G_FILE_TEST_EXISTS);
  if (!yard_image_extract (image, tmp_path, root, cancellable, error))
    {
      cleanup (tmp_path, extract_dir, extract_dir_was_new);
      return NULL;
    }

  if (rename (tmp_path, final_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not move the image into place as “%s”: %s", final_path,
                   g_strerror (saved));
      cleanup (tmp_path, extract_dir, extract_dir_was_new);
      return NULL;
    }

  if (moved)
    g_debug ("Moved %s into place as %s", source_path, final_path);
  else if ((flags & YARD_IMAGE_IMPORT_MOVE_SOURCE) && source_path != NULL)
    g_unlink (source_path);

  progress_report (&progress, copied, TRUE);
  return g_steal_pointer (&image);
}

/* Async ----------------------------------------------------------------------------------- */

typedef struct
{
  char                    *root;
  GFile                   *source;
  GInputStream            *stream;
  guint64                  size;
  char                    *name;
  YardImageImportFlags     flags;
  YardImageImportProgress  progress;
  gpointer                 progress_data;
  GDestroyNotify           progress_data_free;
  GMainContext            *context;
  /* written by the worker, read in the caller's context */
  guint64                  done;
  guint64                  total;
  gint                     progress_pending;
  gboolean                 replaced;
  YardBootEntry           *entry;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *d = data;

  g_free (d->root);
  g_clear_object (&d->source);
  g_clear_object (&d->stream);
  g_free (d->name);
  if (d->progress_data_free != NULL)
    d->progress_data_free (d->progress_data);
  g_main_context_unref (d->context);
  g_clear_object (&d->entry);
  g_free (d);
}

static gboolean
dispatch_progress_cb (gpointer user_data)
{
  GTask *task = user_data;
  ImportData *d = g_task_get_task_data (task);
  guint64 done, total;

  g_atomic_int_set (&d->progress_pending, 0);
  done = __atomic_load_n (&d->done, __ATOMIC_ACQUIRE);
  total = __atomic_load_n (&d->total, __ATOMIC_ACQUIRE);
  d->progress (done, total, d->progress_data);
  return G_SOURCE_REMOVE;
}

static void
worker_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  GTask *task = user_data;
  ImportData *d = g_task_get_task_data (task);

  __atomic_store_n (&d->done, done, __ATOMIC_RELEASE);
  __atomic_store_n (&d->total, total, __ATOMIC_RELEASE);
  if (g_atomic_int_compare_and_exchange (&d->progress_pending, 0, 1))
    g_main_context_invoke_full (d->context, G_PRIORITY_DEFAULT, dispatch_progress_cb,
                                g_object_ref (task), g_object_unref);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *d = task_data;
  GError *error = NULL;
  YardImage *image;

  image = yard_image_import_sync (d->root, d->source, d->stream, d->size, d->name, d->flags,
                                  cancellable, d->progress ? worker_progress_cb : NULL, task,
                                  &d->replaced, &error);
  if (image == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  d->entry = yard_image_create_entry (image);
  g_task_return_pointer (task, image, g_object_unref);
}

void
yard_image_import_async (const char               *root,
                         GFile                    *source,
                         GInputStream             *stream,
                         guint64                   size,
                         const char               *name,
                         YardImageImportFlags      flags,
                         GCancellable             *cancellable,
                         YardImageImportProgress   progress,
                         gpointer                  progress_data,
                         GDestroyNotify            progress_data_free,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *d;

  g_return_if_fail (root != NULL);
  g_return_if_fail ((source == NULL) != (stream == NULL));

  d = g_new0 (ImportData, 1);
  d->root = g_strdup (root);
  d->source = source ? g_object_ref (source) : NULL;
  d->stream = stream ? g_object_ref (stream) : NULL;
  d->size = size;
  d->name = g_strdup (name);
  d->flags = flags;
  d->progress = progress;
  d->progress_data = progress_data;
  d->progress_data_free = progress_data_free;
  d->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, yard_image_import_async);
  g_task_set_task_data (task, d, import_data_free);
  g_task_run_in_thread (task, import_thread);
}

YardImage *
yard_image_import_finish (GAsyncResult   *result,
                          YardBootEntry **entry,
                          gboolean       *replaced,
                          GError        **error)
{
  ImportData *d;
  YardImage *image;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yard_image_import_async,
                        NULL);

  image = g_task_propagate_pointer (G_TASK (result), error);
  if (image == NULL)
    return NULL;
  d = g_task_get_task_data (G_TASK (result));
  if (entry != NULL)
    *entry = g_steal_pointer (&d->entry);
  if (replaced != NULL)
    *replaced = d->replaced;
  return image;
}
