/* yard-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inspection reads only what it needs with pread: the volume descriptors from sector 16, the
 * El Torito boot catalog, and (through libarchive, which seeks past file data) the directory
 * tree. A 4 GiB image costs a few reads. The class decides how the image boots:
 *
 *  - a Linux kernel + initrd we know how to point at its root over HTTP → LINUX;
 *  - floppy / hard disk images, El Torito floppy emulation, small BIOS ISOs → MEMDISK;
 *  - the rest → SANBOOT (iPXE), with the reason memdisk can't do it.
 */

#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "yard-image"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-image.h"

#define SECTOR 2048
/* A BIOS ISO with no Linux kernel that is larger than this is more likely a big installer
 * than a DOS disk: loading it whole into RAM would be slow, so it gets sanboot. */
#define MEMDISK_ISO_COMFORTABLE_SIZE (G_GUINT64_CONSTANT (512) << 20)

struct _YardImage
{
  GObject               parent_instance;

  char                 *name;
  guint64               size;
  YardImageFormat       format;
  char                 *volume_label;
  gboolean              joliet;
  gboolean              rock_ridge;
  gboolean              udf;
  GArray               *boot_entries;  /* YardElToritoEntry */
  GPtrArray            *files;         /* char *, ISO paths */
  GHashTable           *metadata;      /* lower-cased ISO path -> GBytes: what names it */
  char                 *label;         /* the name for people; NULL: the file name's stem */

  YardImageMethod       method;
  gboolean              bootable;
  char                 *distribution;
  char                 *reason;
  YardImageMemdiskType  memdisk_type;
  char                 *kernel;        /* relative to the root */
  GPtrArray            *initrds;       /* relative to the root */
  char                 *append;
  GPtrArray            *extract;       /* ISO paths */
};

G_DEFINE_FINAL_TYPE (YardImage, yard_image, G_TYPE_OBJECT)

static void
yard_image_finalize (GObject *object)
{
  YardImage *self = YARD_IMAGE (object);

  g_free (self->name);
  g_free (self->volume_label);
  g_clear_pointer (&self->boot_entries, g_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_free (self->label);
  g_free (self->distribution);
  g_free (self->reason);
  g_free (self->kernel);
  g_clear_pointer (&self->initrds, g_ptr_array_unref);
  g_free (self->append);
  g_clear_pointer (&self->extract, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_image_parent_class)->finalize (object);
}

static void
yard_image_class_init (YardImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yard_image_finalize;
}

static void
yard_image_init (YardImage *self)
{
  self->boot_entries = g_array_new (FALSE, TRUE, sizeof (YardElToritoEntry));
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
  self->initrds = g_ptr_array_new_with_free_func (g_free);
  self->extract = g_ptr_array_new_with_free_func (g_free);
}

/* Names ---------------------------------------------------------------------------------- */

gboolean
yard_image_name_is_valid (const char  *name,
                          GError     **error)
{
  gsize len;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The image needs a name, such as “freedos.img”");
      return FALSE;
    }
  len = strlen (name);
  if (len > 255)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The image name is longer than 255 bytes: choose a shorter one");
      return FALSE;
    }
  if (!g_utf8_validate (name, len, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The image name is not valid UTF-8: rename the file");
      return FALSE;
    }
  if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The image name “%s” contains a slash: give a plain file name", name);
      return FALSE;
    }
  if (name[0] == '.')
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The image name “%s” starts with a dot: give a plain, visible file name",
                   name);
      return FALSE;
    }
  for (const char *p = name; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "The image name contains a control character: rename the file");
          return FALSE;
        }
    }
  return TRUE;
}

char *
yard_image_suggest_name (const char *file_name)
{
  g_autofree char *base = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (file_name != NULL, NULL);

  base = g_path_get_basename (file_name);
  for (const char *p = base; *p && out->len < 255; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '_' || *p == '+')
        g_string_append_c (out, *p);
      else if (out->len == 0 || out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && (out->str[0] == '.' || out->str[0] == '_'))
    g_string_erase (out, 0, 1);
  if (out->len == 0 || g_str_equal (out->str, "/"))
    return g_strdup ("image");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
yard_image_stem_for_name (const char *name)
{
  const char *dot;
  char *stem;

  g_return_val_if_fail (name != NULL, NULL);

  /* The directory's name goes into KERNEL/INITRD lines and kernel arguments, where spaces
   * and shell-ish characters would split or inject: keep it to a portable file name. */
  dot = strrchr (name, '.');
  if (dot == NULL || dot == name)
    stem = g_strconcat (name, ".files", NULL);
  else
    stem = g_strndup (name, dot - name);
  for (char *p = stem; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_' && *p != '+')
      *p = '_';
  return stem;
}

/* Reading -------------------------------------------------------------------------------- */

static gboolean
read_at (int      fd,
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

static guint16
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static char *
trimmed_label (const guint8 *p,
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
    sum += le16 (cat + i);
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
  entry.sector_count = le16 (cat + 38);
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
      count = le16 (h + 2);
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
          entry.sector_count = le16 (e + 6);
          entry.load_rba = le32 (e + 8);
          g_array_append_val (self->boot_entries, entry);
          i++;
        }
      if (last)
        break;
    }
  return TRUE;
}

static gboolean
read_volume_descriptors (YardImage  *self,
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
      if (!read_at (fd, (guint64) sector * SECTOR, vd, SECTOR, error))
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
              self->volume_label = trimmed_label (vd + 40, 32);
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
      if (!read_at (fd, (guint64) catalog_lba * SECTOR, cat, SECTOR, error) ||
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

/* "6.10" when the ISO file `lower` (read by metadata_limit()) is memtest86+ 6 or later, which
 * carries "Memtest86+ v6.10" (its screen's title); else NULL. */
static char *
memtest_version (YardImage  *self,
                 const char *lower)
{
  static const char marker[] = "Memtest86+ v";
  GBytes *bytes = g_hash_table_lookup (self->metadata, lower);
  const char *data;
  const char *hit;
  gsize size;
  gsize n = 0;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  hit = memmem (data, size, marker, sizeof marker - 1);
  if (hit == NULL)
    return NULL;
  hit += sizeof marker - 1;
  while (hit + n < data + size && n < 16 && (g_ascii_isdigit (hit[n]) || hit[n] == '.'))
    n++;
  if (n == 0 || !g_ascii_isdigit (hit[0]))
    return NULL;
  return g_strndup (hit, n);
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

static gboolean
read_file_list (YardImage  *self,
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
static void
detect_rock_ridge (YardImage *self,
                   int        fd)
{
  guint8 pvd[SECTOR];
  guint8 dir[SECTOR];
  guint32 root_lba;

  if (!read_at (fd, 16 * SECTOR, pvd, SECTOR, NULL) || pvd[0] != 1)
    return;
  root_lba = le32 (pvd + 156 + 2);
  if ((guint64) root_lba * SECTOR + SECTOR > self->size ||
      !read_at (fd, (guint64) root_lba * SECTOR, dir, SECTOR, NULL))
    return;
  /* the first record is "." — its system use area starts with SP and RR/PX entries */
  for (guint i = 33; i + 2 < MIN ((guint) dir[0], (guint) SECTOR); i++)
    if ((dir[i] == 'S' && dir[i + 1] == 'P') || (dir[i] == 'P' && dir[i + 1] == 'X'))
      {
        self->rock_ridge = TRUE;
        return;
      }
}

/* Floppy and hard disk images ------------------------------------------------------------ */

static gboolean
is_floppy_size (guint64 size)
{
  static const guint64 sizes[] = {
    163840, 184320, 327680, 368640, 737280, 1228800, 1474560, 1720320, 1763328, 2949120,
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (size == sizes[i])
      return TRUE;
  return FALSE;
}

static gboolean
has_fat_bpb (const guint8 *bs)
{
  guint16 bytes_per_sector = le16 (bs + 11);
  guint8 per_cluster = bs[13];

  return (bs[0] == 0xEB || bs[0] == 0xE9) &&
         (bytes_per_sector == 512 || bytes_per_sector == 1024 ||
          bytes_per_sector == 2048 || bytes_per_sector == 4096) &&
         per_cluster != 0 && (per_cluster & (per_cluster - 1)) == 0 &&
         le16 (bs + 14) >= 1 && (bs[16] == 1 || bs[16] == 2);
}

static gboolean
has_mbr_partitions (const guint8 *bs)
{
  gboolean any = FALSE;

  if (bs[510] != 0x55 || bs[511] != 0xAA)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      const guint8 *p = bs + 446 + 16 * i;

      if (p[0] != 0x00 && p[0] != 0x80)
        return FALSE;
      if (p[4] != 0)
        any = TRUE;
    }
  return any;
}

static gboolean
classify_disk (YardImage  *self,
               int         fd,
               GError    **error)
{
  guint8 bs[512];

  if (self->size < 512 || !read_at (fd, 0, bs, sizeof bs, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "“%s” is not an ISO 9660 image or a disk image (it is too small)",
                   self->name);
      return FALSE;
    }

  if (is_floppy_size (self->size) && (has_fat_bpb (bs) || (bs[510] == 0x55 && bs[511] == 0xAA)))
    {
      self->format = YARD_IMAGE_FORMAT_FLOPPY;
      self->memdisk_type = YARD_IMAGE_MEMDISK_FLOPPY;
      if (has_fat_bpb (bs) && memcmp (bs + 43, "NO NAME    ", 11) != 0 && bs[38] == 0x29)
        self->volume_label = trimmed_label (bs + 43, 11);
    }
  else if (self->size % 512 == 0 && has_mbr_partitions (bs))
    {
      self->format = YARD_IMAGE_FORMAT_HARDDISK;
      self->memdisk_type = YARD_IMAGE_MEMDISK_HARDDISK;
    }
  else if (has_fat_bpb (bs) && bs[510] == 0x55 && bs[511] == 0xAA &&
           self->size <= 2949120)
    {
      /* an odd-sized floppy (memdisk computes the geometry from the BPB) */
      self->format = YARD_IMAGE_FORMAT_FLOPPY;
      self->memdisk_type = YARD_IMAGE_MEMDISK_FLOPPY;
    }
  else
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "“%s” is neither an ISO 9660 image nor a floppy or hard disk image "
                   "(no volume descriptor, no boot sector): it may be truncated or of "
                   "another kind",
                   self->name);
      return FALSE;
    }

  if (self->size > YARD_IMAGE_MEMDISK_MAX_SIZE)
    {
      self->method = YARD_IMAGE_METHOD_SANBOOT;
      self->bootable = TRUE;
      self->reason = g_strdup ("memdisk cannot load images over 2 GiB; iPXE boots it with "
                               "sanboot over HTTP (memdisk does not run on UEFI clients "
                               "either)");
      return TRUE;
    }

  self->method = YARD_IMAGE_METHOD_MEMDISK;
  self->bootable = bs[510] == 0x55 && bs[511] == 0xAA;
  if (!self->bootable)
    self->reason = g_strdup ("The image has no boot sector signature (0x55AA): the BIOS "
                             "will refuse to boot it");
  return TRUE;
}

/* Linux distributions -------------------------------------------------------------------- */

/* The first file (in sorted order) whose lower-cased path matches the glob. */
static const char *
find_file (YardImage  *self,
           const char *glob)
{
  g_autoptr(GPatternSpec) spec = g_pattern_spec_new (glob);
  const char *best = NULL;

  for (guint i = 0; i < self->files->len; i++)
    {
      const char *path = g_ptr_array_index (self->files, i);
      g_autofree char *lower = g_ascii_strdown (path, -1);

      if (g_pattern_spec_match_string (spec, lower) &&
          (best == NULL || strcmp (path, best) < 0))
        best = path;
    }
  return best;
}

/* A kernel and the initrd that belongs to it in `dir`: the plain names first ("vmlinuz",
 * "initrd"), else the first kernel in sorted order, and the initrd with the same suffix
 * (live/vmlinuz-6.1.0-26-amd64 goes with live/initrd.img-6.1.0-26-amd64; Ubuntu's
 * casper/hwe-vmlinuz never pairs with casper/initrd). */
static gboolean
find_kernel_pair (YardImage   *self,
                  const char  *dir,
                  const char  *kernel_prefix,
                  const char  *initrd_prefix,
                  const char **kernel_out,
                  const char **initrd_out)
{
  g_autofree char *kernel_glob = g_strdup_printf ("%s/%s*", dir, kernel_prefix);
  g_autofree char *exact = g_strdup_printf ("%s/%s", dir, kernel_prefix);
  const char *kernel = find_file (self, exact);
  const char *suffix;
  const char *initrd = NULL;

  if (kernel == NULL)
    kernel = find_file (self, kernel_glob);
  if (kernel == NULL)
    return FALSE;

  /* the part after "vmlinuz" in the kernel's name, e.g. "-6.1.0-26-amd64" or ".efi" */
  suffix = kernel + strlen (dir) + 1 + strlen (kernel_prefix);
  if (*suffix != '\0' && *suffix != '.')
    {
      g_autofree char *glob = g_strdup_printf ("%s/%s*%s", dir, initrd_prefix, suffix);
      g_autofree char *lower = g_ascii_strdown (glob, -1);

      initrd = find_file (self, lower);
    }
  if (initrd == NULL)
    {
      static const char *exts[] = { "", ".img", ".lz", ".gz", ".zst", ".xz" };

      for (guint i = 0; initrd == NULL && i < G_N_ELEMENTS (exts); i++)
        {
          g_autofree char *name = g_strdup_printf ("%s/%s%s", dir, initrd_prefix, exts[i]);

          initrd = find_file (self, name);
        }
    }
  if (initrd == NULL)
    {
      g_autofree char *glob = g_strdup_printf ("%s/%s*", dir, initrd_prefix);

      initrd = find_file (self, glob);
    }
  if (initrd == NULL)
    return FALSE;

  *kernel_out = kernel;
  *initrd_out = initrd;
  return TRUE;
}

static void
set_linux (YardImage  *self,
           const char *distribution,
           const char *kernel,
           const char *initrd,
           const char *append)
{
  g_autofree char *dir = yard_image_dup_extract_dir (self);

  self->method = YARD_IMAGE_METHOD_LINUX;
  self->bootable = TRUE;
  self->distribution = g_strdup (distribution);
  self->kernel = g_build_filename (dir, kernel, NULL);
  g_ptr_array_add (self->extract, g_strdup (kernel));
  if (initrd != NULL)
    {
      g_ptr_array_add (self->initrds, g_build_filename (dir, initrd, NULL));
      g_ptr_array_add (self->extract, g_strdup (initrd));
    }
  self->append = g_strdup (append);
}

static gboolean
classify_linux (YardImage *self)
{
  g_autofree char *iso_url = yard_image_dup_sanboot_url (self);
  g_autofree char *dir = yard_image_dup_extract_dir (self);
  g_autofree char *memtest = NULL;
  const char *kernel;
  const char *initrd;

  /* Ubuntu (casper): the arguments of Ubuntu's own "Netbooting the live server installer"
   * guide (Ubuntu Server documentation, 20.04 and later: casper's kernel and initrd with
   * `ip=dhcp url=http://.../ISO`) and of casper(7) (`netboot=url` names the method): the
   * initrd brings the network up by DHCP, downloads the whole ISO into RAM (hence
   * support.memoryNeeded) and mounts it. iso-url= is the name newer desktop images also read.
   * ip=dhcp stays, unlike live-boot: casper's manual calls DHCP the default, but Ubuntu's
   * guide passes it and users of casper 1.445 report netboot=url failing without it. */
  if (find_kernel_pair (self, "casper", "vmlinuz", "initrd", &kernel, &initrd) ||
      find_kernel_pair (self, "casper", "hwe-vmlinuz", "hwe-initrd", &kernel, &initrd))
    {
      g_autofree char *append = g_strdup_printf ("boot=casper netboot=url ip=dhcp url=%s "
                                                 "iso-url=%s",
                                                 iso_url, iso_url);

      set_linux (self, "ubuntu", kernel, initrd, append);
      return TRUE;
    }

  /* Debian live (live-boot(7), /lib/live/boot/9990-mount-http.sh): fetch=URL downloads the
   * ISO into RAM with busybox wget ("You may also use the live iso image in place of the
   * squashfs image"; the URL has to end in .iso and name the server by its address, which
   * ours does) and mounts live/filesystem.squashfs from it. The initramfs brings the network
   * up by DHCP by itself for fetch= (9990-select-eth-device.sh, 9990-networking.sh). No
   * ip=: live-boot reads it as the live system's static configuration ("Do not specify this
   * if you want to use dhcp (default)"), and ip=dhcp gave it "iface dhcp inet static" with
   * "address dhcp" in /etc/network/interfaces instead of its NIC by DHCP
   * (9990-netbase.sh); tests/e2e/test-live-boot.sh boots it.
   * live-boot takes a download by the URL's extension, "iso|squashfs|tgz|tar" in lower case,
   * and gives up on any other ("Unrecognized archive extension"): an image whose name does
   * not end in ".iso" (DEBIAN-LIVE.ISO from a FAT stick) gets its live/filesystem.squashfs
   * extracted and fetched instead, which live-boot puts in live/ of a RAM disk and mounts. */
  if (find_kernel_pair (self, "live", "vmlinuz", "initrd", &kernel, &initrd))
    {
      const char *squashfs = find_file (self, "live/filesystem.squashfs");
      gboolean fetch_iso = g_str_has_suffix (self->name, ".iso") || squashfs == NULL;
      g_autofree char *url = fetch_iso ? g_strdup (iso_url) :
                             g_strdup_printf ("%s/%s/%s", YARD_IMAGE_HTTP_PLACEHOLDER, dir,
                                              squashfs);
      g_autofree char *append = g_strdup_printf ("boot=live components fetch=%s", url);

      set_linux (self, "debian-live", kernel, initrd, append);
      if (!fetch_iso)
        g_ptr_array_add (self->extract, g_strdup (squashfs));
      return TRUE;
    }

  /* Debian's netboot mini.iso: linux + initrd.gz at the top; that initrd is the netboot
   * installer, which needs nothing from the image and installs from a mirror. */
  if (find_file (self, "linux") != NULL && find_file (self, "initrd.gz") != NULL)
    {
      set_linux (self, "debian-installer-netboot", find_file (self, "linux"),
                 find_file (self, "initrd.gz"), "vga=788 --- quiet");
      return TRUE;
    }

  /* Debian installer CD: the kernel and initrd boot, but this initrd looks for the CD
   * itself (and loads its components from it), which a network client does not have. The
   * entry is offered with that warning; Debian's netboot files are the way to install over
   * the network. */
  if ((kernel = find_file (self, "install.amd/vmlinuz")) &&
      (initrd = find_file (self, "install.amd/initrd.gz")))
    {
      set_linux (self, "debian-installer", kernel, initrd, "vga=788 --- quiet");
      self->reason = g_strdup ("The Debian installer on this CD looks for the CD after it "
                               "starts and will not find it on a network client; to install "
                               "over the network use Debian's netboot files "
                               "(debian-installer-12-netboot-amd64) instead");
      return TRUE;
    }

  /* Fedora / RHEL: live images have LiveOS/squashfs.img (dracut's livenet downloads the ISO,
   * or that squashfs: root=live:URL, below); installer images have images/install.img, which anaconda fetches from
   * inst.stage2=URL/images/install.img, so it is extracted too. */
  if ((kernel = find_file (self, "images/pxeboot/vmlinuz")) &&
      (initrd = find_file (self, "images/pxeboot/initrd.img")))
    {
      const char *stage2 = find_file (self, "images/install.img");

      if (stage2 != NULL)
        {
          g_autofree char *append = g_strdup_printf ("inst.stage2=%s/%s ip=dhcp",
                                                     YARD_IMAGE_HTTP_PLACEHOLDER, dir);

          set_linux (self, "fedora", kernel, initrd, append);
          g_ptr_array_add (self->extract, g_strdup (stage2));
          if (find_file (self, ".treeinfo") != NULL)
            g_ptr_array_add (self->extract, g_strdup (find_file (self, ".treeinfo")));
        }
      else
        {
          /* dracut.cmdline(7) (dracut 059): "root=live:<url> Boots a live image retrieved
           * from <url>. Requires the dracut livenet module. Valid handlers: http, https, ftp,
           * torrent, tftp." livenet's livenetroot.sh loop-mounts the download (and looks for
           * LiveOS/squashfs.img in it) only when the name curl saved it under, the URL's last
           * segment, ends in ".iso"; any other name it takes for the root image itself, and
           * an ISO's iso9660 never has /sbin/init. So an image whose name does not end in
           * ".iso" gets its LiveOS/squashfs.img extracted, which dracut mounts directly (its
           * other documented form, root=live:http://example.com/liveboot.img). */
          const char *squashfs = find_file (self, "liveos/squashfs.img");
          gboolean fetch_iso = g_str_has_suffix (self->name, ".iso") || squashfs == NULL;
          g_autofree char *root = fetch_iso ? g_strdup (iso_url) :
                                  g_strdup_printf ("%s/%s/%s", YARD_IMAGE_HTTP_PLACEHOLDER, dir,
                                                   squashfs);
          g_autofree char *append = g_strdup_printf ("root=live:%s rd.live.image ip=dhcp",
                                                     root);

          set_linux (self, "fedora", kernel, initrd, append);
          if (!fetch_iso)
            g_ptr_array_add (self->extract, g_strdup (squashfs));
        }
      return TRUE;
    }

  /* Arch: as the ISO's own PXE entries (archiso's syslinux/archiso_pxe-linux.cfg:
   * `archisobasedir=arch archiso_http_srv=http://SERVER/` with SYSAPPEND 3 for the network)
   * and archiso's docs/README.bootparams (hooks/archiso_pxe_http) say: the initramfs fetches
   * SRV + archisobasedir + /x86_64/airootfs.sfs (or .erofs, newer releases) and its checksum
   * file; ip=dhcp stands in for pxelinux's SYSAPPEND, which iPXE and GRUB do not have. */
  if (find_kernel_pair (self, "arch/boot/x86_64", "vmlinuz-linux", "initramfs-linux",
                        &kernel, &initrd))
    {
      const char *rootfs = find_file (self, "arch/x86_64/airootfs.*");
      g_autofree char *append = g_strdup_printf ("archisobasedir=arch archiso_http_srv=%s/%s/ "
                                                 "ip=dhcp",
                                                 YARD_IMAGE_HTTP_PLACEHOLDER, dir);

      set_linux (self, "arch", kernel, initrd, append);
      if (rootfs != NULL)
        g_ptr_array_add (self->extract, g_strdup (rootfs));
      for (guint i = 0; i < self->files->len; i++)
        {
          const char *path = g_ptr_array_index (self->files, i);
          g_autofree char *lower = g_ascii_strdown (path, -1);

          if (g_str_has_prefix (lower, "arch/x86_64/airootfs.") && path != rootfs)
            g_ptr_array_add (self->extract, g_strdup (path)); /* .sig, .sha512 */
        }
      return TRUE;
    }

  /* memtest86+: a Linux-boot-protocol binary that pxelinux loads with KERNEL. */
  if ((kernel = find_file (self, "*memtest*.bin")) || (kernel = find_file (self, "*/memtest")) ||
      (kernel = find_file (self, "memtest")))
    {
      set_linux (self, "memtest86+", kernel, NULL, "");
      return TRUE;
    }

  /* Debian's memtest86+x64.iso holds only EFI/BOOT/bootx64.efi and a floppy image. That .efi
   * is memtest.efi, which memtest86+'s README says boots "as if it were a Linux kernel":
   * besides the PE header it carries the Linux boot header and setup code (HdrS at 0x202,
   * 64-bit and EFI handover entry points), so one extracted file serves pxelinux and iPXE
   * (BIOS, as a kernel) and UEFI, where memdisk could serve only BIOS. */
  memtest = memtest_version (self, "efi/boot/bootx64.efi");
  if (memtest != NULL && (kernel = find_file (self, "efi/boot/bootx64.efi")) != NULL)
    {
      set_linux (self, "memtest86+", kernel, NULL, "");
      return TRUE;
    }

  return FALSE;
}

static void
classify_optical (YardImage *self)
{
  gboolean bios = yard_image_boots_on_bios (self);
  gboolean floppy = FALSE;

  for (guint i = 0; i < self->boot_entries->len; i++)
    {
      YardElToritoEntry *e = &g_array_index (self->boot_entries, YardElToritoEntry, i);

      if (e->bootable && e->platform == YARD_EL_TORITO_PLATFORM_BIOS &&
          e->media >= YARD_EL_TORITO_FLOPPY_1_2 && e->media <= YARD_EL_TORITO_HARD_DISK)
        floppy = TRUE;
    }

  if (classify_linux (self))
    return;

  self->memdisk_type = YARD_IMAGE_MEMDISK_ISO;

  if (self->size > YARD_IMAGE_MEMDISK_MAX_SIZE)
    {
      self->method = YARD_IMAGE_METHOD_SANBOOT;
      self->bootable = bios || yard_image_boots_on_uefi (self);
      self->reason = g_strdup ("memdisk cannot load images over 2 GiB into memory; iPXE boots "
                               "it with sanboot over HTTP (memdisk does not run on UEFI "
                               "clients either)");
      return;
    }
  if (bios && (floppy || self->size <= MEMDISK_ISO_COMFORTABLE_SIZE))
    {
      self->method = YARD_IMAGE_METHOD_MEMDISK;
      self->bootable = TRUE;
      return;
    }

  self->method = YARD_IMAGE_METHOD_SANBOOT;
  if (yard_image_boots_on_uefi (self) && !bios)
    {
      self->bootable = TRUE;
      self->reason = g_strdup ("The image boots only on UEFI, where memdisk (a BIOS program) "
                               "cannot run; iPXE boots it with sanboot over HTTP");
    }
  else if (bios)
    {
      self->bootable = TRUE;
      self->reason = g_strdup ("The image is larger than 512 MiB and has no Linux kernel that "
                               "Bootyard knows how to boot over the network; iPXE boots it "
                               "with sanboot over HTTP instead of copying it whole into RAM "
                               "(memdisk does not run on UEFI clients either)");
    }
  else
    {
      self->bootable = FALSE;
      self->reason = g_strdup ("The image has no El Torito boot record: it is a data disc. "
                               "memdisk needs a BIOS boot entry; a sanboot entry is offered "
                               "but the firmware will find nothing to boot");
    }
}

/* Names for people ----------------------------------------------------------------------- */

static const char *
metadata_text (YardImage  *self,
               const char *lower)
{
  GBytes *data = g_hash_table_lookup (self->metadata, lower);

  /* read_entry_data() NUL-terminates; text with a NUL inside ends there */
  return data != NULL ? g_bytes_get_data (data, NULL) : NULL;
}

/* A label has to fit a menu line: one line, valid UTF-8, no control characters, not blank. */
static char *
clean_label (const char *text,
             gssize      len)
{
  g_autofree char *raw = NULL;
  g_autofree char *valid = NULL;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strcspn (text, "\r\n");
  raw = g_strndup (text, len);
  valid = g_utf8_make_valid (raw, -1);
  for (char *p = valid; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_strstrip (valid);
  if (valid[0] == '\0')
    return NULL;
  return g_steal_pointer (&valid);
}

/* Debian and Ubuntu write one line: `Debian GNU/Linux 12.8.0 "Bookworm" - Official amd64
 * NETINST with firmware 20241109-11:05`, `Ubuntu 24.04.1 LTS "Noble Numbat" - Release amd64
 * (20240827.1)`. The part before " - " is the distribution and its version. */
static char *
label_from_disk_info (const char *text)
{
  gsize len;
  const char *dash;

  if (text == NULL)
    return NULL;
  len = strcspn (text, "\r\n");
  dash = g_strstr_len (text, len, " - ");
  return clean_label (text, dash != NULL ? dash - text : (gssize) len);
}

/* .treeinfo (productmd's format, Fedora/RHEL/CentOS): `[release]` name + version in
 * productmd 1.0+, `[general]` family (or name) + version in the older one. */
static char *
label_from_treeinfo (const char *text)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *release_name = NULL;
  g_autofree char *release_version = NULL;
  g_autofree char *general_name = NULL;
  g_autofree char *general_version = NULL;
  const char *section = "";

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;
      char **slot = NULL;

      if (line[0] == '[')
        {
          section = strcmp (line, "[release]") == 0 ? "release" :
                    strcmp (line, "[general]") == 0 ? "general" : "";
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL || section[0] == '\0')
        continue;
      *eq = '\0';
      g_strstrip (line);
      if (strcmp (section, "release") == 0)
        slot = strcmp (line, "name") == 0 ? &release_name :
               strcmp (line, "version") == 0 ? &release_version : NULL;
      else if (strcmp (line, "family") == 0 || (strcmp (line, "name") == 0 &&
                                                 general_name == NULL))
        slot = &general_name;
      else if (strcmp (line, "version") == 0)
        slot = &general_version;
      if (slot != NULL)
        {
          g_free (*slot);
          *slot = clean_label (g_strstrip (eq + 1), -1);
        }
    }

  if (release_name != NULL)
    return release_version != NULL ? g_strdup_printf ("%s %s", release_name, release_version)
                                   : g_steal_pointer (&release_name);
  if (general_name != NULL)
    return general_version != NULL ? g_strdup_printf ("%s %s", general_name, general_version)
                                   : g_steal_pointer (&general_name);
  return NULL;
}

/* memtest86+'s only name is in its binary. */
static char *
label_from_memtest (YardImage *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->metadata);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *version = memtest_version (self, key);

      if (version != NULL)
        return g_strdup_printf ("Memtest86+ %s", version);
    }
  return NULL;
}

/* What the image says it is, in the order the distributions write it; NULL when it says
 * nothing (the volume label is not a name: "ISOIMAGE", "CDROM", "MT86PLUS_64"...). */
static char *
label_from_metadata (YardImage *self)
{
  char *label;
  const char *text;

  if ((label = label_from_disk_info (metadata_text (self, ".disk/info"))) != NULL)
    return label;
  if ((label = label_from_treeinfo (metadata_text (self, ".treeinfo"))) != NULL)
    return label;
  /* archiso writes the release date, its version, as the only line of arch/version */
  if ((text = metadata_text (self, "arch/version")) != NULL)
    {
      g_autofree char *version = clean_label (text, -1);

      if (version != NULL)
        return g_strdup_printf ("Arch Linux %s", version);
    }
  return label_from_memtest (self);
}

YardImage *
yard_image_inspect (const char  *path,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(YardImage) self = NULL;
  g_autofree char *basename = NULL;
  struct stat st;
  gboolean is_iso = FALSE;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (name == NULL)
    name = basename = g_path_get_basename (path);

  self = g_object_new (YARD_TYPE_IMAGE, NULL);
  self->name = g_strdup (name);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not open the image “%s”: %s", path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "“%s” is not a regular file", path);
      close (fd);
      return NULL;
    }
  self->size = st.st_size;

  if (!read_volume_descriptors (self, fd, &is_iso, error))
    {
      close (fd);
      return NULL;
    }

  if (is_iso)
    {
      self->format = YARD_IMAGE_FORMAT_ISO9660;
      detect_rock_ridge (self, fd);
      if (!read_file_list (self, fd, error))
        {
          close (fd);
          return NULL;
        }
      classify_optical (self);
      self->label = label_from_metadata (self);
    }
  else if (self->udf)
    {
      /* libarchive has no UDF reader: we can't look for a kernel, but the firmware can boot
       * the El Torito record of a UDF image through sanboot. */
      self->format = YARD_IMAGE_FORMAT_UDF;
      self->method = YARD_IMAGE_METHOD_SANBOOT;
      self->bootable = self->boot_entries->len > 0;
      self->reason = g_strdup ("A UDF-only image (no ISO 9660 directory): memdisk can't "
                               "emulate it as a CD for DOS, so iPXE boots it with sanboot "
                               "over HTTP");
    }
  else if (!classify_disk (self, fd, error))
    {
      close (fd);
      return NULL;
    }

  close (fd);
  return g_steal_pointer (&self);
}

/* Accessors ------------------------------------------------------------------------------ */

const char *
yard_image_get_name (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->name;
}

guint64
yard_image_get_size (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), 0);
  return self->size;
}

YardImageFormat
yard_image_get_format (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), 0);
  return self->format;
}

const char *
yard_image_get_volume_label (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->volume_label;
}

gboolean
yard_image_has_joliet (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  return self->joliet;
}

gboolean
yard_image_has_rock_ridge (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  return self->rock_ridge;
}

gboolean
yard_image_has_udf (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  return self->udf;
}

GArray *
yard_image_get_boot_entries (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->boot_entries;
}

static gboolean
boots_on (YardImage *self,
          guint8     platform)
{
  for (guint i = 0; i < self->boot_entries->len; i++)
    {
      YardElToritoEntry *e = &g_array_index (self->boot_entries, YardElToritoEntry, i);

      if (e->bootable && e->platform == platform)
        return TRUE;
    }
  return FALSE;
}

gboolean
yard_image_boots_on_bios (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  if (self->format == YARD_IMAGE_FORMAT_FLOPPY || self->format == YARD_IMAGE_FORMAT_HARDDISK)
    return self->bootable;
  return boots_on (self, YARD_EL_TORITO_PLATFORM_BIOS);
}

gboolean
yard_image_boots_on_uefi (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  return boots_on (self, YARD_EL_TORITO_PLATFORM_UEFI);
}

GPtrArray *
yard_image_get_files (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->files;
}

YardImageMethod
yard_image_get_method (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), 0);
  return self->method;
}

gboolean
yard_image_is_bootable (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  return self->bootable;
}

const char *
yard_image_get_distribution (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->distribution;
}

const char *
yard_image_get_reason (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->reason;
}

const char *
yard_image_get_label (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);

  /* The file name without its extension, when the image does not say what it is: a
   * volume label is no name ("ISOIMAGE", "CDROM" and an empty one are the norm). */
  if (self->label == NULL)
    {
      const char *dot = strrchr (self->name, '.');

      if (dot != NULL && dot != self->name)
        self->label = g_strndup (self->name, dot - self->name);
      else
        self->label = g_strdup (self->name);
    }
  return self->label;
}

YardImageMemdiskType
yard_image_get_memdisk_type (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), 0);
  return self->memdisk_type;
}

char *
yard_image_dup_root_path (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return g_strconcat ("images/", self->name, NULL);
}

const char *
yard_image_get_memdisk_append (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  switch (self->memdisk_type)
    {
    case YARD_IMAGE_MEMDISK_FLOPPY:
      return "floppy raw";
    case YARD_IMAGE_MEMDISK_HARDDISK:
      return "harddisk raw";
    case YARD_IMAGE_MEMDISK_ISO:
    default:
      return "iso raw";
    }
}

const char *
yard_image_get_kernel (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->kernel;
}

GPtrArray *
yard_image_get_initrds (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->initrds;
}

const char *
yard_image_get_append (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->append;
}

char *
yard_image_dup_extract_dir (YardImage *self)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  stem = yard_image_stem_for_name (self->name);
  return g_strconcat ("images/", stem, NULL);
}

GPtrArray *
yard_image_get_extract_files (YardImage *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  return self->extract;
}

char *
yard_image_dup_sanboot_url (YardImage *self)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);
  escaped = g_uri_escape_string (self->name, NULL, FALSE);
  return g_strconcat (YARD_IMAGE_HTTP_PLACEHOLDER "/images/", escaped, NULL);
}

const char *
yard_image_method_to_string (YardImageMethod method)
{
  switch (method)
    {
    case YARD_IMAGE_METHOD_MEMDISK:
      return "memdisk";
    case YARD_IMAGE_METHOD_LINUX:
      return "linux";
    case YARD_IMAGE_METHOD_SANBOOT:
      return "sanboot";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
yard_image_format_to_string (YardImageFormat format)
{
  switch (format)
    {
    case YARD_IMAGE_FORMAT_ISO9660:
      return "iso9660";
    case YARD_IMAGE_FORMAT_UDF:
      return "udf";
    case YARD_IMAGE_FORMAT_FLOPPY:
      return "floppy";
    case YARD_IMAGE_FORMAT_HARDDISK:
      return "harddisk";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
media_to_string (guint8 media)
{
  switch (media)
    {
    case YARD_EL_TORITO_NO_EMULATION:
      return "no-emulation";
    case YARD_EL_TORITO_FLOPPY_1_2:
    case YARD_EL_TORITO_FLOPPY_1_44:
    case YARD_EL_TORITO_FLOPPY_2_88:
      return "floppy";
    case YARD_EL_TORITO_HARD_DISK:
      return "harddisk";
    default:
      return "unknown";
    }
}

JsonNode *
yard_image_to_json (YardImage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (YARD_IS_IMAGE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) self->size);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, yard_image_format_to_string (self->format));
  json_builder_set_member_name (b, "class");
  json_builder_add_string_value (b, yard_image_method_to_string (self->method));
  json_builder_set_member_name (b, "volumeLabel");
  if (self->volume_label != NULL)
    json_builder_add_string_value (b, self->volume_label);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, yard_image_get_label (self));
  json_builder_set_member_name (b, "distribution");
  if (self->distribution != NULL)
    json_builder_add_string_value (b, self->distribution);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "bootable");
  json_builder_add_boolean_value (b, self->bootable);
  json_builder_set_member_name (b, "reason");
  if (self->reason != NULL)
    json_builder_add_string_value (b, self->reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "bios");
  json_builder_add_boolean_value (b, yard_image_boots_on_bios (self));
  json_builder_set_member_name (b, "uefi");
  json_builder_add_boolean_value (b, yard_image_boots_on_uefi (self));

  json_builder_set_member_name (b, "elTorito");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->boot_entries->len; i++)
    {
      YardElToritoEntry *e = &g_array_index (self->boot_entries, YardElToritoEntry, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "platform");
      json_builder_add_string_value (b, e->platform == YARD_EL_TORITO_PLATFORM_BIOS ? "bios" :
                                        e->platform == YARD_EL_TORITO_PLATFORM_UEFI ? "uefi" :
                                        "other");
      json_builder_set_member_name (b, "emulation");
      json_builder_add_string_value (b, media_to_string (e->media));
      json_builder_set_member_name (b, "bootable");
      json_builder_add_boolean_value (b, e->bootable);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  switch (self->method)
    {
    case YARD_IMAGE_METHOD_MEMDISK:
      {
        g_autofree char *image = yard_image_dup_root_path (self);

        json_builder_set_member_name (b, "image");
        json_builder_add_string_value (b, image);
        json_builder_set_member_name (b, "imageType");
        json_builder_add_string_value (b, self->memdisk_type == YARD_IMAGE_MEMDISK_FLOPPY ?
                                          "floppy" :
                                          self->memdisk_type == YARD_IMAGE_MEMDISK_HARDDISK ?
                                          "harddisk" : "iso");
      }
      break;
    case YARD_IMAGE_METHOD_LINUX:
      json_builder_set_member_name (b, "kernel");
      json_builder_add_string_value (b, self->kernel);
      json_builder_set_member_name (b, "initrds");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->initrds->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (self->initrds, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "append");
      json_builder_add_string_value (b, self->append);
      break;
    case YARD_IMAGE_METHOD_SANBOOT:
    default:
      {
        g_autofree char *url = yard_image_dup_sanboot_url (self);

        json_builder_set_member_name (b, "url");
        json_builder_add_string_value (b, url);
      }
      break;
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* Extraction ----------------------------------------------------------------------------- */

static gboolean
copy_entry_data (struct archive  *a,
                 int              out_fd,
                 GCancellable    *cancellable,
                 GError         **error)
{
  for (;;)
    {
      const void *buf;
      size_t len;
      la_int64_t offset;
      int r = archive_read_data_block (a, &buf, &len, &offset);

      if (r == ARCHIVE_EOF)
        return TRUE;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                       "Could not read a file from the image: %s", archive_error_string (a));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (size_t done = 0; done < len;)
        {
          ssize_t n = pwrite (out_fd, (const char *) buf + done, len - done, offset + done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            {
              int saved = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           "Could not write a file extracted from the image: %s%s",
                           g_strerror (saved),
                           saved == ENOSPC ? " (free some space and import again)" : "");
              return FALSE;
            }
          done += n;
        }
    }
}

/* An ISO path as libarchive gives it, without its "./". */
static const char *
iso_path (const char *name)
{
  return name != NULL && g_str_has_prefix (name, "./") ? name + 2 : name;
}

static struct archive *
open_iso (const char  *path,
          GError     **error)
{
  struct archive *a = archive_read_new ();

  archive_read_support_format_iso9660 (a);
  if (archive_read_open_filename (a, path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not open the image to extract its kernel: %s",
                   archive_error_string (a));
      archive_read_free (a);
      return NULL;
    }
  return a;
}

/* The current entry's data into `dest` (its directories made), by a temporary + rename. */
static gboolean
extract_entry (struct archive        *a,
               struct archive_entry  *entry,
               const char            *dest,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autofree char *dest_dir = g_path_get_dirname (dest);
  g_autofree char *tmp = NULL;
  int fd;

  if (g_mkdir_with_parents (dest_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create “%s”: %s", dest_dir, g_strerror (saved));
      return FALSE;
    }
  tmp = g_build_filename (dest_dir, ".bootyard-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create a file in “%s”: %s", dest_dir, g_strerror (saved));
      return FALSE;
    }
  if (!copy_entry_data (a, fd, cancellable, error) ||
      ftruncate (fd, archive_entry_size (entry)) != 0 ||
      rename (tmp, dest) != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "Could not write “%s”: %s", dest, g_strerror (errno));
      close (fd);
      g_unlink (tmp);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
yard_image_extract (YardImage     *self,
                    const char    *path,
                    const char    *root,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *rel_dir = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GHashTable) source = NULL;
  struct archive *a;
  struct archive_entry *entry;
  guint found = 0;
  int r;

  g_return_val_if_fail (YARD_IS_IMAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  if (self->method != YARD_IMAGE_METHOD_LINUX || self->extract->len == 0)
    return TRUE;

  rel_dir = yard_image_dup_extract_dir (self);
  dir = g_build_filename (root, rel_dir, NULL);
  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->extract->len; i++)
    g_hash_table_add (wanted, g_ptr_array_index (self->extract, i));

  /* libarchive gives a hard-linked file's data with one of its names only; its other names
   * come as hardlink entries without data. xorriso records files that are hard links as such
   * (and, even in its mkisofs mode, lays them out on one extent, which libarchive reads the
   * same way): live/vmlinuz beside live/vmlinuz-6.1.0-26-amd64, say. So first the headers:
   * a wanted name that is a hard link is extracted from the entry that has the data. */
  source = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  if ((a = open_iso (path, error)) == NULL)
    return FALSE;
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = iso_path (archive_entry_pathname (entry));
      const char *target = iso_path (archive_entry_hardlink (entry));

      if (name != NULL && target != NULL && g_hash_table_contains (wanted, name))
        g_hash_table_insert (source, (gpointer) g_hash_table_lookup (wanted, name),
                             g_strdup (target));
    }
  archive_read_free (a);

  if ((a = open_iso (path, error)) == NULL)
    return FALSE;
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = iso_path (archive_entry_pathname (entry));
      g_autofree char *first = NULL;
      GHashTableIter iter;
      gpointer key;

      if (name == NULL || archive_entry_hardlink (entry) != NULL)
        continue;
      g_hash_table_iter_init (&iter, wanted);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const char *want = key;
          const char *from = g_hash_table_lookup (source, want);
          g_autofree char *dest = NULL;

          if (strcmp (from != NULL ? from : want, name) != 0)
            continue;
          dest = g_build_filename (dir, want, NULL);
          if (first == NULL)
            {
              if (!extract_entry (a, entry, dest, cancellable, error))
                {
                  archive_read_free (a);
                  return FALSE;
                }
              first = g_steal_pointer (&dest);
            }
          else
            {
              /* two wanted names of one file: the data is read once */
              g_autoptr(GFile) src = g_file_new_for_path (first);
              g_autoptr(GFile) dst = g_file_new_for_path (dest);
              g_autofree char *dest_dir = g_path_get_dirname (dest);

              if (g_mkdir_with_parents (dest_dir, 0755) != 0 ||
                  !g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                                error))
                {
                  if (error != NULL && *error == NULL)
                    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                                 "Could not create “%s”: %s", dest_dir, g_strerror (errno));
                  archive_read_free (a);
                  return FALSE;
                }
            }
          found++;
        }
    }

  archive_read_free (a);
  if (r != ARCHIVE_EOF)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not read the image to extract its kernel; it is damaged");
      return FALSE;
    }
  if (found != g_hash_table_size (wanted))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The image lists a kernel or initrd it does not contain; it is damaged");
      return FALSE;
    }
  return TRUE;
}

static gboolean
remove_tree (GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileEnumerator) en = NULL;
  g_autoptr(GError) local_error = NULL;

  en = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable,
                                  &local_error);
  if (en != NULL)
    {
      for (;;)
        {
          GFileInfo *info;
          GFile *child;

          if (!g_file_enumerator_iterate (en, &info, &child, cancellable, error))
            return FALSE;
          if (info == NULL)
            break;
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              if (!remove_tree (child, cancellable, error))
                return FALSE;
            }
          else if (!g_file_delete (child, cancellable, error))
            {
              return FALSE;
            }
        }
    }
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return g_file_delete (file, cancellable, error);
}

gboolean
yard_image_delete (const char  *root,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *stem = NULL;
  g_autoptr(GFile) image = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (root != NULL, FALSE);

  if (!yard_image_name_is_valid (name, error))
    return FALSE;

  stem = yard_image_stem_for_name (name);
  image = g_file_new_build_filename (root, "images", name, NULL);
  dir = g_file_new_build_filename (root, "images", stem, NULL);

  if (!g_file_delete (image, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, "There is no image “%s”", name);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    "Could not delete the image “%s”: ", name);
      return FALSE;
    }
  if (g_file_query_file_type (dir, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) ==
      G_FILE_TYPE_DIRECTORY)
    return remove_tree (dir, NULL, error);
  return TRUE;
}
