/* yard-root-file.h: open files strictly inside the boot root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* The longest request name we accept, in bytes. */
#define YARD_ROOT_NAME_MAX 1024

char *yard_root_normalize_name (const char  *name,
                                gsize        len,
                                GError     **error);
int   yard_root_open_file      (int          root_fd,
                                const char  *name,
                                gsize        len,
                                struct stat *st_out,
                                GError     **error);
/* Writes a file the server makes (a menu, a config) at path, creating its folders: temporary
 * file + fsync + rename, so a crash leaves the old file or the new one, never half of one. */
gboolean yard_root_write_file  (const char  *path,
                                const char  *data,
                                gssize       len,
                                GError     **error);

/* The folder of the boot root that PUT /api/v1/files/PATH writes to. */
#define YARD_ROOT_FILES_DIR "files"

/* Where an uploaded file named PATH goes: ROOT/files/PATH, PATH read as TFTP reads names
 * (yard_root_normalize_name: relative, no ".."), every folder on the way made when missing and
 * a real folder, never a symlink, so nothing lands outside the root. Returns the full path of
 * the file to write and, in relative_out, the name that menu entries use ("files/PATH").
 * A folder that is a file or a symlink: YARD_ERROR_UNSAFE_PATH; the target there and not a
 * regular file: YARD_ERROR_EXISTS. */
char    *yard_root_prepare_upload (const char  *root,
                                   const char  *path,
                                   char       **relative_out,
                                   GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
