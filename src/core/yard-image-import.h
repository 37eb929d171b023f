/* yard-image-import.h: copy an image into the boot root, inspect it, extract what it needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "yard-boot-entry.h"
#include "yard-image.h"

G_BEGIN_DECLS

typedef enum
{
  YARD_IMAGE_IMPORT_NONE        = 0,
  YARD_IMAGE_IMPORT_REPLACE     = 1 << 0, /* replace an image of the same name (else EXISTS) */
  YARD_IMAGE_IMPORT_MOVE_SOURCE = 1 << 1, /* source is a local file we may rename away (an
                                           * upload already written under ROOT/images):
                                           * renamed when on the same file system, else
                                           * copied and then deleted */
} YardImageImportFlags;

/* Called in the thread-default main context of the caller of _async, at most about ten
 * times a second and once at the end. total is 0 when the size is unknown (a stream). */
typedef void (*YardImageImportProgress) (guint64  done,
                                         guint64  total,
                                         gpointer user_data);

/* Copies `source` (a GFile) or `stream` (a GInputStream; exactly one of the two) to
 * ROOT/images/NAME through a temporary file in the same directory, which is renamed into
 * place only when the copy, the inspection and the extraction (kernel/initrd for Linux
 * images, into ROOT/images/STEM/) all succeeded; on error or cancellation nothing is left
 * behind. Errors: YARD_ERROR_INVALID_ARGUMENT (bad name), YARD_ERROR_EXISTS,
 * YARD_ERROR_INVALID_IMAGE (truncated, not an image), G_IO_ERROR_NO_SPACE (disk full),
 * G_IO_ERROR_CANCELLED. `size` is the expected size of a stream (0: unknown); when given,
 * space is reserved up front and a stream that ends early is an error. */
void        yard_image_import_async  (const char               *root,
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
                                      gpointer                  user_data);
/* Returns the inspection; *entry (optional) receives the suggested menu entry (new, id
 * NULL: the menu gives it one); *replaced (optional) whether an image was replaced. */
YardImage  *yard_image_import_finish (GAsyncResult             *result,
                                      YardBootEntry           **entry,
                                      gboolean                 *replaced,
                                      GError                  **error);

/* The same, blocking (for a thread of the caller's own). progress is called in the calling
 * thread. */
YardImage  *yard_image_import_sync   (const char               *root,
                                      GFile                    *source,
                                      GInputStream             *stream,
                                      guint64                   size,
                                      const char               *name,
                                      YardImageImportFlags      flags,
                                      GCancellable             *cancellable,
                                      YardImageImportProgress   progress,
                                      gpointer                  progress_data,
                                      gboolean                 *replaced,
                                      GError                  **error);

G_END_DECLS
