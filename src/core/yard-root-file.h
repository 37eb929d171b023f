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

G_END_DECLS
