/* yard-image-iso9660.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ISO 9660 / El Torito reader: the volume descriptors from sector 16 (ISO 9660, Joliet,
 * UDF), the El Torito boot catalog, Rock Ridge, and the directory tree through libarchive,
 * with the small files that say what an image is (yard-image-classify.c reads them).
 */

#define G_LOG_DOMAIN "yard-image"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-image-private.h"

#define SECTOR 2048

gboolean
_yard_image_read_at (int      fd,
                     guint64  offset,
                     guint8  *buf,
                     gsize    len,
                     GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (fd, buf + done, len - done, offset + done);

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
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                       "The image ends early (at byte %" G_GUINT64_FORMAT "): it is truncated; "
                       "copy or download it again",
                       offset + done);
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

guint16
_yard_image_le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

char *
_yard_image_trimmed_label (const guint8 *p,
                           gsize         len)
{
  g_autofree char *raw = g_strndup ((const char *) p, len);

  g_strchomp (raw);
  if (!g_utf8_validate (raw, -1, NULL))
    return g_utf8_make_valid (raw, -1);
  return g_steal_pointer (&raw);
}

static char *
ucs2be_label (const guint8 *p,
              gsize         len)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i + 1 < len; i += 2)
    {
      gunichar c = (p[i] << 8) | p[i + 1];

      if (c == 0)
        break;
      if (g_unichar_validate (c))
        g_string_append_unichar (out, c);
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The boot catalog: a validation entry, the initial/default entry, then sections. */
static gboolean
parse_boot_catalog (YardImage     *self,
                    const guint8  *cat,
                    gsize          len,
                    GError       **error)
{
  guint16 sum = 0;
  guint8 platform;
  YardElToritoEntry entry = { 0, };
  gsize pos;

  if (len < 64 || cat[0] != 0x01 || cat[0x1e] != 0x55 || cat[0x1f] != 0xAA)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The El Torito boot catalog is damaged (no validation entry)");
      return FALSE;
    }
  for (guint i = 0; i < 32; i += 2)
    sum += _yard_image_le16 (cat + i);
  if (sum != 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The El Torito boot catalog is damaged (bad checksum)");
      return FALSE;
    }
  platform = cat[1];

  entry.platform = platform;
  entry.bootable = cat[32] == 0x88;
  entry.media = cat[33] & 0x0f;
  entry.sector_count = _yard_image_le16 (cat + 38);
  entry.load_rba = le32 (cat + 40);
  g_array_append_val (self->boot_entries, entry);

  pos = 64;
  while (pos + 32 <= len)
    {
      const guint8 *h = cat + pos;
      guint count;
      gboolean last;

      if (h[0] != 0x90 && h[0] != 0x91)
        break;
      last = h[0] == 0x91;
      platform = h[1];
      count = _yard_image_le16 (h + 2);
      pos += 32;
      for (guint i = 0; i < count && pos + 32 <= len; pos += 32)
        {
          const guint8 *e = cat + pos;

          if (e[0] == 0x44) /* section entry extension */
            continue;
          memset (&entry, 0, sizeof entry);
          entry.platform = platform;
          entry.bootable = e[0] == 0x88;
          entry.media = e[1] & 0x0f;
          entry.sector_count = _yard_image_le16 (e + 6);
          entry.load_rba = le32 (e + 8);
          g_array_append_val (self->boot_entries, entry);
          i++;
        }
      if (last)
        break;
    }
  return TRUE;
}

gboolean
_yard_image_read_volume_descriptors (YardImage  *self,
                                     int         fd,
                                     gboolean   *is_iso,
                                     GError    **error)
{
  guint8 vd[SECTOR];
  guint64 volume_blocks = 0;
  guint32 catalog_lba = 0;
  gboolean terminated = FALSE;

  *is_iso = FALSE;

  for (guint sector = 16; sector < 16 + 64; sector++)
    {
      if ((guint64) (sector + 1) * SECTOR > self->size)
        break;
      if (!_yard_image_read_at (fd, (guint64) sector * SECTOR, vd, SECTOR, error))
        return FALSE;

      if (memcmp (vd + 1, "CD001", 5) == 0)
        {
          *is_iso = TRUE;
          switch (vd[0])
            {
            case 0: /* boot record */
              if (memcmp (vd + 7, "EL TORITO SPECIFICATION", 23) == 0)
                catalog_lba = le32 (vd + 0x47);
              break;
            case 1: /* primary */
              volume_blocks = le32 (vd + 80);
              g_free (self->volume_label);
              self->volume_label = _yard_image_trimmed_label (vd + 40, 32);
              break;
            case 2: /* supplementary: Joliet has an escape sequence %/@, %/C or %/E */
              if (vd[88] == '%' && vd[89] == '/' &&
                  (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E'))
                {
                  g_autofree char *label = ucs2be_label (vd + 40, 32);

                  self->joliet = TRUE;
                  /* Joliet keeps the case that a 9660 label may have lost, but only 16
                   * characters: take it only when it is the same label */
                  if (label[0] != '\0' &&
                      (self->volume_label == NULL || self->volume_label[0] == '\0' ||
                       g_ascii_strcasecmp (label, self->volume_label) == 0))
                    {
                      g_free (self->volume_label);
                      self->volume_label = g_steal_pointer (&label);
                    }
                }
              break;
            case 255:
              terminated = TRUE;
              break;
            default:
              break;
            }
        }
      else if (memcmp (vd + 1, "BEA01", 5) == 0 || memcmp (vd + 1, "NSR02", 5) == 0 ||
               memcmp (vd + 1, "NSR03", 5) == 0 || memcmp (vd + 1, "TEA01", 5) == 0)
        {
          if (memcmp (vd + 1, "NSR0", 4) == 0)
            self->udf = TRUE;
          if (memcmp (vd + 1, "TEA01", 5) == 0)
            break;
        }
      else if (!*is_iso && !self->udf)
        {
          return TRUE; /* not an optical image at all */
        }
      else if (terminated)
        {
          break;
        }
    }

  if (!*is_iso && !self->udf)
    return TRUE;

  if (*is_iso && volume_blocks == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The ISO 9660 image has no primary volume descriptor: it is damaged");
      return FALSE;
    }
  if (volume_blocks * SECTOR > self->size)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The image is truncated: its volume is %" G_GUINT64_FORMAT " bytes but the "
                   "file has only %" G_GUINT64_FORMAT "; copy or download it again",
                   volume_blocks * SECTOR, self->size);
      return FALSE;
    }

  if (catalog_lba != 0)
    {
      guint8 cat[SECTOR];

      if ((guint64) catalog_lba * SECTOR + SECTOR > self->size)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                       "The El Torito boot catalog lies beyond the end of the image: "
                       "the image is truncated or damaged");
          return FALSE;
        }
      if (!_yard_image_read_at (fd, (guint64) catalog_lba * SECTOR, cat, SECTOR, error) ||
          !parse_boot_catalog (self, cat, SECTOR, error))
        return FALSE;
    }

  return TRUE;
}

/* The files that say what an image is, read while the directory is listed (small ones, so
 * this costs a few reads): Debian's and Ubuntu's .disk/info, Fedora's and RHEL's .treeinfo,
 * archiso's arch/version, and memtest86+'s binary, whose version string is its only name.
 * Returns the largest size read for `lower` (0: not wanted). */
#define METADATA_MAX_SIZE ((gsize) 64 << 10)
#define MEMTEST_MAX_SIZE  ((gsize) 4 << 20)

static gsize
metadata_limit (YardImage  *self,
                const char *lower)
{
  if (strcmp (lower, ".disk/info") == 0 || strcmp (lower, ".treeinfo") == 0 ||
      strcmp (lower, "arch/version") == 0)
    return METADATA_MAX_SIZE;
  /* memtest86+'s ISO names its binaries memtest* or (for UEFI) EFI/BOOT/bootx64.efi */
  if ((strstr (lower, "memtest") != NULL && !g_str_has_suffix (lower, ".img")) ||
      (strcmp (lower, "efi/boot/bootx64.efi") == 0 && self->volume_label != NULL &&
       g_str_has_prefix (self->volume_label, "MT86PLUS")))
    return MEMTEST_MAX_SIZE;
  return 0;
}

static GBytes *
read_entry_data (struct archive *a,
                 gsize           size)
{
  g_autofree guint8 *data = g_malloc (size + 1);
  gsize done = 0;

  while (done < size)
    {
      la_ssize_t n = archive_read_data (a, data + done, size - done);

      if (n <= 0)
        return NULL;
      done += n;
    }
  data[size] = '\0';
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

gboolean
_yard_image_read_file_list (YardImage  *self,
                            int         fd,
                            GError    **error)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  int r;

  archive_read_support_format_iso9660 (a);
  lseek (fd, 0, SEEK_SET);
  if (archive_read_open_fd (a, fd, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not read the ISO 9660 directory: %s", archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *path = archive_entry_pathname (entry);

      if (path == NULL)
        continue;
      if (g_str_has_prefix (path, "./"))
        path += 2;
      if (archive_entry_filetype (entry) == AE_IFREG && path[0] != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (path, -1);
          gsize limit = metadata_limit (self, lower);

          g_ptr_array_add (self->files, g_strdup (path));
          if (limit > 0 && archive_entry_size_is_set (entry) &&
              archive_entry_size (entry) <= (la_int64_t) limit)
            {
              GBytes *data = read_entry_data (a, (gsize) archive_entry_size (entry));

              if (data != NULL)
                g_hash_table_replace (self->metadata, g_steal_pointer (&lower), data);
            }
        }
    }

  if (r != ARCHIVE_EOF)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not read the ISO 9660 directory: %s; the image is damaged",
                   archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }

  archive_read_free (a);
  return TRUE;
}

/* Rock Ridge records carry POSIX modes; libarchive shows them but not the extension itself,
 * so look for its "RR"/"PX" signature in the root directory record's system use area. */
void
_yard_image_detect_rock_ridge (YardImage *self,
                               int        fd)
{
  guint8 pvd[SECTOR];
  guint8 dir[SECTOR];
  guint32 root_lba;

  if (!_yard_image_read_at (fd, 16 * SECTOR, pvd, SECTOR, NULL) || pvd[0] != 1)
    return;
  root_lba = le32 (pvd + 156 + 2);
  if ((guint64) root_lba * SECTOR + SECTOR > self->size ||
      !_yard_image_read_at (fd, (guint64) root_lba * SECTOR, dir, SECTOR, NULL))
    return;
  /* the first record is "." — its system use area starts with SP and RR/PX entries */
  for (guint i = 33; i + 2 < MIN ((guint) dir[0], (guint) SECTOR); i++)
    if ((dir[i] == 'S' && dir[i + 1] == 'P') || (dir[i] == 'P' && dir[i + 1] == 'X'))
      {
        self->rock_ridge = TRUE;
        return;
      }
}
