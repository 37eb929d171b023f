/* yard-cleanup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file Bootyard writes goes to a temporary beside it and is renamed into place, so a
 * crash (kill -9, power) leaves the old file whole, and the temporary too. Those pile up in
 * served directories and the state directory; at start they go, and only they:
 *
 *  - NAME.XXXXXX beside NAME (g_file_set_contents_full's template: pxelinux.cfg/default,
 *    hosts.json, the menus, the bootloaders), only in the directories Bootyard writes itself
 *    (the state directory, the root's top level, pxelinux.cfg/, efi64/, boot/, grub/);
 *  - our own dot names: .bootyard-download-*, .bootyard-import-*, .bootyard-XXXXXX (an image's
 *    files being extracted), .upload-XXXXXX (an API upload), .NAME.upload-xxxxxxxx (a TFTP
 *    upload) and GIO's .goutputstream-XXXXXX, there and in images/ down to a few levels,
 *    where imports write.
 *
 * Only regular files older than a few minutes, never followed through a symlink. A user's
 * "default.backup" looks like a template, so a NAME.XXXXXX must also mix an uppercase letter
 * with a lowercase one or a digit, as the random template almost always does (95%): a
 * leftover kept now and then is better than a user's file lost.
 */

#define G_LOG_DOMAIN "yard-cleanup"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yard-cleanup.h"

#define IMAGES_DEPTH 4

/* The characters of mkstemp's XXXXXX as GLib fills them. */
static gboolean
is_template (const char *s,
             gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_hex (const char *s,
        gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Our dot names, wherever we look. */
static gboolean
is_own_dot_temporary (const char *name)
{
  gsize len = strlen (name);
  const char *upload;

  if (g_str_has_prefix (name, ".bootyard-download-") ||
      g_str_has_prefix (name, ".bootyard-import-"))
    return TRUE;
  if (len == strlen (".bootyard-XXXXXX") && g_str_has_prefix (name, ".bootyard-"))
    return is_template (name + len - 6, 6);
  if (len == strlen (".upload-XXXXXX") && g_str_has_prefix (name, ".upload-"))
    return is_template (name + len - 6, 6);
  if (len == strlen (".goutputstream-XXXXXX") && g_str_has_prefix (name, ".goutputstream-"))
    return is_template (name + len - 6, 6);
  /* ".NAME.upload-%08x" */
  upload = g_strrstr (name, ".upload-");
  return name[0] == '.' && upload != NULL && upload > name + 1 &&
         strlen (upload) == strlen (".upload-") + 8 && is_hex (upload + strlen (".upload-"), 8);
}

/* NAME.XXXXXX with NAME beside it: see the top of the file for the mix of characters. */
static gboolean
is_replace_temporary (int         dir_fd,
                      const char *name)
{
  gsize len = strlen (name);
  const char *suffix;
  g_autofree char *base = NULL;
  gboolean upper = FALSE, other = FALSE;
  struct stat st;

  if (len < 8 || name[len - 7] != '.')
    return FALSE;
  suffix = name + len - 6;
  if (!is_template (suffix, 6))
    return FALSE;
  for (guint i = 0; i < 6; i++)
    {
      if (g_ascii_isupper (suffix[i]))
        upper = TRUE;
      else
        other = TRUE;
    }
  if (!upper || !other)
    return FALSE;
  base = g_strndup (name, len - 7);
  return fstatat (dir_fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG (st.st_mode);
}

typedef struct
{
  gint64 before; /* unix time: only files last changed before it */
  guint  removed;
} Cleanup;

/* @dir_fd is taken. @path is for messages only: nothing is opened by name, so a directory
 * swapped for a symlink meanwhile leads nowhere. */
static void
clean_dir (Cleanup    *c,
           int         dir_fd,
           const char *path,
           gboolean    own_dir,
           guint       depth)
{
  DIR *dir = fdopendir (dir_fd);
  struct dirent *d;

  if (dir == NULL)
    {
      close (dir_fd);
      return;
    }

  while ((d = readdir (dir)) != NULL)
    {
      const char *name = d->d_name;
      struct stat st;

      if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0 ||
          fstatat (dirfd (dir), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      if (S_ISDIR (st.st_mode) && depth > 0)
        {
          g_autofree char *sub = g_build_filename (path, name, NULL);
          int sub_fd = openat (dirfd (dir), name,
                               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

          if (sub_fd >= 0)
            clean_dir (c, sub_fd, sub, FALSE, depth - 1);
          continue;
        }
      if (!S_ISREG (st.st_mode) || st.st_mtime >= c->before)
        continue;
      if (!is_own_dot_temporary (name) &&
          !(own_dir && is_replace_temporary (dirfd (dir), name)))
        continue;
      if (unlinkat (dirfd (dir), name, 0) == 0)
        {
          g_debug ("Removed %s/%s, a temporary file left by an interrupted write", path, name);
          c->removed++;
        }
      else
        {
          int saved = errno;
          g_message ("Could not remove the stale temporary file %s/%s: %s", path, name,
                     g_strerror (saved));
        }
    }
  closedir (dir);
}

static void
clean_path (Cleanup    *c,
            const char *path,
            gboolean    own_dir,
            guint       depth)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    clean_dir (c, fd, path, own_dir, depth);
}

/* Removes the temporaries of interrupted writes older than @min_age_s seconds (usually
 * YARD_CLEANUP_MIN_AGE_S) from the state directory and the boot root's own directories;
 * returns how many. Call it at start, before anything writes. */
guint
yard_cleanup_stale_temporaries (const char *root_dir,
                                const char *state_dir,
                                gint64      min_age_s)
{
  static const char * const own_dirs[] = {
    "", "pxelinux.cfg", "efi64", "efi64/pxelinux.cfg", "boot", "grub",
  };
  Cleanup c = { g_get_real_time () / G_USEC_PER_SEC - min_age_s, 0 };

  if (state_dir != NULL)
    clean_path (&c, state_dir, TRUE, 0);
  if (root_dir != NULL)
    {
      g_autofree char *images = g_build_filename (root_dir, "images", NULL);

      for (guint i = 0; i < G_N_ELEMENTS (own_dirs); i++)
        {
          g_autofree char *dir = g_build_filename (root_dir, own_dirs[i], NULL);

          clean_path (&c, dir, TRUE, 0);
        }
      clean_path (&c, images, FALSE, IMAGES_DEPTH);
    }
  if (c.removed > 0)
    g_message ("Removed %u temporary files that interrupted writes had left (older than %"
               G_GINT64_FORMAT " minutes)", c.removed, min_age_s / 60);
  return c.removed;
}
