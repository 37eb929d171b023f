/* yard-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a boot image is: inspection (yard-image-iso9660.c reads an ISO, yard-image-classify.c
 * says how it boots), the accessors and the JSON of an image, extracting the files a Linux
 * entry boots from, and deleting an image. The fields are in yard-image-private.h.
 *
 * Inspection reads only what it needs with pread: the volume descriptors from sector 16, the
 * El Torito boot catalog, and (through libarchive, which seeks past file data) the directory
 * tree. A 4 GiB image costs a few reads. The class decides how the image boots:
 *
 *  - a Linux kernel + initrd we know how to point at its root over HTTP → LINUX;
 *  - floppy / hard disk images, El Torito floppy emulation, small BIOS ISOs → MEMDISK;
 *  - the rest → SANBOOT (iPXE), with the reason memdisk can't do it.
 */

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
#include "yard-image-private.h"

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

  if (!_yard_image_read_volume_descriptors (self, fd, &is_iso, error))
    {
      close (fd);
      return NULL;
    }

  if (is_iso)
    {
      self->format = YARD_IMAGE_FORMAT_ISO9660;
      _yard_image_detect_rock_ridge (self, fd);
      if (!_yard_image_read_file_list (self, fd, error))
        {
          close (fd);
          return NULL;
        }
      _yard_image_classify_optical (self);
      self->label = _yard_image_label_from_metadata (self);
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
  else if (!_yard_image_classify_disk (self, fd, error))
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
