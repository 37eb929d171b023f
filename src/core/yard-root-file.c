/* yard-root-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TFTP and HTTP both hand out files from the boot root to anybody on the network, so the rules
 * for what a name may reach live here, once: a relative name, `\` read as `/` (Windows clients),
 * no `..`, no NUL, nothing longer than YARD_ROOT_NAME_MAX, and only a regular file that stays
 * inside the root after every symlink is followed (openat2 RESOLVE_BENEATH).
 */

#define G_LOG_DOMAIN "yard-root-file"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-root-file.h"

char *
yard_root_normalize_name (const char  *name,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (len == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH, "Empty file name");
      return NULL;
    }
  if (len > YARD_ROOT_NAME_MAX)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                   "File name longer than %d bytes", YARD_ROOT_NAME_MAX);
      return NULL;
    }
  if (memchr (name, '\0', len) != NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH, "File name contains a NUL byte");
      return NULL;
    }

  /* A leading slash names the root, as dnsmasq and tftpd-hpa -s read it: GRUB asks for
   * "/grub/grub.cfg" and shim over HTTP for "//grubx64.efi". Nothing outside is reachable:
   * the name is resolved beneath the root whatever it says. */
  copy = g_strndup (name, len);
  g_strdelimit (copy, "\\", '/');

  out = g_string_new (NULL);
  parts = g_strsplit (copy, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                       "File name “%s” refused: “..” is not allowed", copy);
          return NULL;
        }
      if (out->len > 0)
        g_string_append_c (out, '/');
      g_string_append (out, parts[i]);
    }

  if (out->len == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH, "File name “%s” names no file", copy);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
open_beneath (int         root_fd,
              const char *relative)
{
  struct open_how how = {
    .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
  };

  return (int) syscall (SYS_openat2, root_fd, relative, &how, sizeof how);
}

int
yard_root_open_file (int          root_fd,
                     const char  *name,
                     gsize        len,
                     struct stat *st_out,
                     GError     **error)
{
  g_autofree char *relative = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (root_fd >= 0, -1);

  relative = yard_root_normalize_name (name, len, error);
  if (relative == NULL)
    return -1;

  fd = open_beneath (root_fd, relative);
  if (fd < 0 && errno == ENOSYS)
    {
      /* Kernels before 5.6: walk without following any symlink at all. */
      fd = openat (root_fd, relative, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
      if (fd >= 0 && strchr (relative, '/') != NULL)
        {
          g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
          g_autofree char *real = g_file_read_link (link, NULL);
          g_autofree char *root_link = g_strdup_printf ("/proc/self/fd/%d", root_fd);
          g_autofree char *root_real = g_file_read_link (root_link, NULL);
          if (real == NULL || root_real == NULL ||
              !g_str_has_prefix (real, root_real) || real[strlen (root_real)] != '/')
            {
              close (fd);
              fd = -1;
              errno = EXDEV;
            }
        }
    }

  if (fd < 0)
    {
      int saved = errno;
      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, "File “%s” not found", relative);
      else if (saved == EXDEV || saved == ELOOP)
        g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                     "File “%s” refused: it leads out of the boot root", relative);
      else if (saved == EACCES || saved == EPERM)
        g_set_error (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                     "File “%s” is not readable by the server", relative);
      else
        g_set_error (error, YARD_ERROR, YARD_ERROR_FAILED,
                     "Cannot open “%s”: %s", relative, g_strerror (saved));
      return -1;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                   "“%s” is not a regular file", relative);
      return -1;
    }

  /* O_NONBLOCK only kept a FIFO from blocking the open; regular files ignore it. */
  if (st_out != NULL)
    *st_out = st;
  return fd;
}

gboolean
yard_root_write_file (const char  *path,
                      const char  *data,
                      gssize       len,
                      GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

char *
yard_root_prepare_upload (const char  *root,
                          const char  *path,
                          char       **relative_out,
                          GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *target = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *dir = NULL;
  struct stat st;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  name = yard_root_normalize_name (path, strlen (path), error);
  if (name == NULL)
    return NULL;
  relative = g_build_filename (YARD_ROOT_FILES_DIR, name, NULL);

  /* Each folder from the root down: made when missing, and never followed if it is a link. */
  parts = g_strsplit (relative, "/", -1);
  dir = g_strdup (root);
  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      g_autofree char *next = g_build_filename (dir, parts[i], NULL);

      if (g_mkdir (next, 0755) != 0 && errno != EEXIST)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "Cannot create the folder “%s”: %s", next, g_strerror (saved));
          return NULL;
        }
      if (g_lstat (next, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                       "“%s” refused: “%s” in the boot root is not a folder", path, parts[i]);
          return NULL;
        }
      g_free (dir);
      dir = g_steal_pointer (&next);
    }

  target = g_build_filename (root, relative, NULL);
  if (g_lstat (target, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_EXISTS,
                   "“%s” exists in the boot root and is not a file: choose another name",
                   relative);
      return NULL;
    }
  if (relative_out != NULL)
    *relative_out = g_steal_pointer (&relative);
  return g_steal_pointer (&target);
}
