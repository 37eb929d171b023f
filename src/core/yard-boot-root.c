/* yard-boot-root.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boot root must hold bootloaders that the clients' firmware can run. They come from
 * the distribution's packages (pxelinux, syslinux-common, syslinux-efi, ipxe) or, where
 * those are missing, from a release archive that the caller's fetch function opens (core has
 * no sockets: the server passes yard_release_fetch), verified here against its SHA-256 and
 * unpacked with libarchive.
 *
 * ldlinux.c32 and the COM32 modules must come from the very build of the loader that runs
 * them (syslinux refuses or crashes otherwise), so files are handled in sets: a set is
 * installed whole from one origin, and an origin is accepted only when its loader carries the
 * same version as its memdisk (shipped with the modules in syslinux-common): a pxelinux
 * package from one release and syslinux-common from another are refused.
 */

#define G_LOG_DOMAIN "yard-boot-root"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "yard-arch.h"
#include "yard-boot-menu.h"
#include "yard-boot-root.h"
#include "yard-error.h"
#include "yard-pxelinux.h"

/* Bigger than any release tarball we expect (syslinux 6.03 is 6.6 MiB): a wrong URL that
 * streams forever stops here. */
#define DOWNLOAD_MAX  (256 * 1024 * 1024)
#define MEMBER_MAX    (32 * 1024 * 1024)

typedef struct
{
  const char      *file;      /* relative to the root */
  YardBootRootSet  set;
  const char      *system;    /* absolute, before the prefix */
  const char      *member;    /* path suffix inside the release archive */
  gboolean         optional;
  const char      *alt;       /* another suffix (Debian's ipxe.efi is a symlink to /boot) */
  const char      *system_alt; /* another system path (another package with the same file) */
} FileSpec;

#define DI_X64   "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/"
#define DI_ARM64 "/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64/"


static const FileSpec files[] = {
  { "pxelinux.0", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/PXELINUX/pxelinux.0", "bios/core/pxelinux.0", FALSE },
  /* The same loader with a TCP stack: it reads http:// paths (DHCP option 210 points it at our
   * HTTP port), so kernels and initrds do not crawl over TFTP. */
  { "lpxelinux.0", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/PXELINUX/lpxelinux.0", "bios/core/lpxelinux.0", FALSE },
  { "ldlinux.c32", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/modules/bios/ldlinux.c32", "bios/com32/elflink/ldlinux/ldlinux.c32", FALSE },
  { "menu.c32", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/modules/bios/menu.c32", "bios/com32/menu/menu.c32", FALSE },
  { "vesamenu.c32", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/modules/bios/vesamenu.c32", "bios/com32/menu/vesamenu.c32", FALSE },
  { "libutil.c32", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/modules/bios/libutil.c32", "bios/com32/libutil/libutil.c32", FALSE },
  { "libcom32.c32", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/modules/bios/libcom32.c32", "bios/com32/lib/libcom32.c32", FALSE },
  { "memdisk", YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,
    "/usr/lib/syslinux/memdisk", "bios/memdisk/memdisk", FALSE },

  { "efi64/syslinux.efi", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi", "efi64/efi/syslinux.efi", FALSE },
  { "efi64/ldlinux.e64", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/syslinux/modules/efi64/ldlinux.e64", "efi64/com32/elflink/ldlinux/ldlinux.e64", FALSE },
  { "efi64/menu.c32", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/syslinux/modules/efi64/menu.c32", "efi64/com32/menu/menu.c32", FALSE },
  { "efi64/vesamenu.c32", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/syslinux/modules/efi64/vesamenu.c32", "efi64/com32/menu/vesamenu.c32", FALSE },
  { "efi64/libutil.c32", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/syslinux/modules/efi64/libutil.c32", "efi64/com32/libutil/libutil.c32", FALSE },
  { "efi64/libcom32.c32", YARD_BOOT_ROOT_SET_SYSLINUX_EFI64,
    "/usr/lib/syslinux/modules/efi64/libcom32.c32", "efi64/com32/lib/libcom32.c32", FALSE },

  { "undionly.kpxe", YARD_BOOT_ROOT_SET_IPXE,
    "/usr/lib/ipxe/undionly.kpxe", "bin/undionly.kpxe", FALSE },
  { "ipxe.efi", YARD_BOOT_ROOT_SET_IPXE,
    "/usr/lib/ipxe/ipxe.efi", "bin-x86_64-efi/ipxe.efi", FALSE, "boot/ipxe.efi" },
  { "snponly.efi", YARD_BOOT_ROOT_SET_IPXE,
    "/usr/lib/ipxe/snponly.efi", "bin-x86_64-efi/snponly.efi", TRUE },
  /* pxelinux runs CHAIN entries as "KERNEL ipxe.lkrn" + "APPEND dhcp && chain URL". */
  { "ipxe.lkrn", YARD_BOOT_ROOT_SET_IPXE,
    "/usr/lib/ipxe/ipxe.lkrn", "bin/ipxe.lkrn", TRUE },

  /* Debian's shim asks TFTP for grubx64.efi at the root (over HTTP: beside itself, which is
   * the root's URL too), so both live at the root. shim-signed and grub-efi-*-signed first;
   * the netboot packages have the same signed files for either architecture. */
  { "shimx64.efi", YARD_BOOT_ROOT_SET_SHIM_X64,
    "/usr/lib/shim/shimx64.efi.signed", "amd64/text/debian-installer/amd64/bootnetx64.efi", FALSE,
    NULL, DI_X64 "bootnetx64.efi" },
  { "grubx64.efi", YARD_BOOT_ROOT_SET_SHIM_X64,
    "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed",
    "amd64/text/debian-installer/amd64/grubx64.efi", FALSE, NULL, DI_X64 "grubx64.efi" },
  { "shimaa64.efi", YARD_BOOT_ROOT_SET_SHIM_ARM64,
    "/usr/lib/shim/shimaa64.efi.signed", "arm64/text/debian-installer/arm64/bootnetaa64.efi",
    FALSE, NULL, DI_ARM64 "bootnetaa64.efi" },
  { "grubaa64.efi", YARD_BOOT_ROOT_SET_SHIM_ARM64,
    "/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed",
    "arm64/text/debian-installer/arm64/grubaa64.efi", FALSE, NULL, DI_ARM64 "grubaa64.efi" },
};

/* The loaders of each syslinux set (the first names the set's version) and the file that
 * travels with its modules (memdisk is in syslinux-common with the modules; pxelinux.0,
 * lpxelinux.0 and syslinux.efi are in their own packages): each loader must be the modules'
 * release. */
#define MAX_LOADERS 2

typedef struct
{
  const char *loader_system[MAX_LOADERS];
  const char *loader_member[MAX_LOADERS];
  const char *modules_system;
  const char *modules_member;
} VersionCheck;

static const VersionCheck version_checks[YARD_BOOT_ROOT_N_SETS] = {
  [YARD_BOOT_ROOT_SET_SYSLINUX_BIOS] = {
    { "/usr/lib/PXELINUX/pxelinux.0", "/usr/lib/PXELINUX/lpxelinux.0" },
    { "bios/core/pxelinux.0", "bios/core/lpxelinux.0" },
    "/usr/lib/syslinux/memdisk", "bios/memdisk/memdisk" },
  [YARD_BOOT_ROOT_SET_SYSLINUX_EFI64] = {
    { "/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi" }, { "efi64/efi/syslinux.efi" },
    "/usr/lib/syslinux/memdisk", "bios/memdisk/memdisk" },
  [YARD_BOOT_ROOT_SET_IPXE] = { { NULL }, { NULL }, NULL, NULL },
  [YARD_BOOT_ROOT_SET_SHIM_X64] = { { NULL }, { NULL }, NULL, NULL },
  [YARD_BOOT_ROOT_SET_SHIM_ARM64] = { { NULL }, { NULL }, NULL, NULL },
};

static const YardBootRootArchive set_archive[YARD_BOOT_ROOT_N_SETS] = {
  [YARD_BOOT_ROOT_SET_SYSLINUX_BIOS] = YARD_BOOT_ROOT_ARCHIVE_SYSLINUX,
  [YARD_BOOT_ROOT_SET_SYSLINUX_EFI64] = YARD_BOOT_ROOT_ARCHIVE_SYSLINUX,
  [YARD_BOOT_ROOT_SET_IPXE] = YARD_BOOT_ROOT_ARCHIVE_IPXE,
  [YARD_BOOT_ROOT_SET_SHIM_X64] = YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64,
  [YARD_BOOT_ROOT_SET_SHIM_ARM64] = YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64,
};

static const char *set_packages[YARD_BOOT_ROOT_N_SETS] = {
  [YARD_BOOT_ROOT_SET_SYSLINUX_BIOS] = "pxelinux syslinux-common",
  [YARD_BOOT_ROOT_SET_SYSLINUX_EFI64] = "syslinux-efi syslinux-common",
  [YARD_BOOT_ROOT_SET_IPXE] = "ipxe",
  /* installable on any architecture, unlike shim-signed and grub-efi-*-signed */
  [YARD_BOOT_ROOT_SET_SHIM_X64] = "debian-installer-12-netboot-amd64",
  [YARD_BOOT_ROOT_SET_SHIM_ARM64] = "debian-installer-12-netboot-arm64",
};

typedef struct
{
  char       *origin;
  char       *version;
  char       *error;
} SetReport;

typedef struct
{
  char       *path;    /* the downloaded file, deleted at the end of the install */
  GHashTable *members; /* member suffix -> GBytes */
  char       *error;   /* why it could not be used */
} Download;

/* One install: a snapshot of the configuration, and the report it fills. The worker thread
 * works on its own Job (its task data) and never touches the object; the object takes the
 * finished Job as its report in the caller's thread, so the accessors never race. */
typedef struct
{
  char       *dir;
  char       *prefix;
  char       *urls[YARD_BOOT_ROOT_N_ARCHIVES];
  char       *sha256s[YARD_BOOT_ROOT_N_ARCHIVES];
  YardBootRootFetchFunc fetch; /* NULL: never download */

  SetReport   sets[YARD_BOOT_ROOT_N_SETS];
  GHashTable *file_states; /* file -> GINT_TO_POINTER (YardBootRootFileState) */
  gboolean    wrote_starter;
} Job;

struct _YardBootRoot
{
  GObject     parent_instance;

  Job        *job; /* the configuration, and the report of the last install */
};

G_DEFINE_FINAL_TYPE (YardBootRoot, yard_boot_root, G_TYPE_OBJECT)

static Job *
job_new (void)
{
  Job *job = g_new0 (Job, 1);

  job->prefix = g_strdup ("");
  job->file_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return job;
}

/* A fresh job with the configuration of `from` and an empty report. */
static Job *
job_copy_config (const Job *from)
{
  Job *job = job_new ();

  job->dir = g_strdup (from->dir);
  g_free (job->prefix);
  job->prefix = g_strdup (from->prefix);
  job->fetch = from->fetch;
  for (guint i = 0; i < YARD_BOOT_ROOT_N_ARCHIVES; i++)
    {
      job->urls[i] = g_strdup (from->urls[i]);
      job->sha256s[i] = g_strdup (from->sha256s[i]);
    }
  return job;
}

static void
job_free (Job *job)
{
  for (guint i = 0; i < YARD_BOOT_ROOT_N_SETS; i++)
    {
      g_free (job->sets[i].origin);
      g_free (job->sets[i].version);
      g_free (job->sets[i].error);
    }
  g_hash_table_unref (job->file_states);
  g_free (job->dir);
  g_free (job->prefix);
  for (guint i = 0; i < YARD_BOOT_ROOT_N_ARCHIVES; i++)
    {
      g_free (job->urls[i]);
      g_free (job->sha256s[i]);
    }
  g_free (job);
}

static void
yard_boot_root_finalize (GObject *object)
{
  YardBootRoot *self = YARD_BOOT_ROOT (object);

  g_clear_pointer (&self->job, job_free);

  G_OBJECT_CLASS (yard_boot_root_parent_class)->finalize (object);
}

static void
yard_boot_root_class_init (YardBootRootClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yard_boot_root_finalize;
}

static void
yard_boot_root_init (YardBootRoot *self)
{
  self->job = job_new ();
  self->job->urls[YARD_BOOT_ROOT_ARCHIVE_SYSLINUX] = g_strdup (YARD_BOOT_ROOT_SYSLINUX_URL);
  self->job->sha256s[YARD_BOOT_ROOT_ARCHIVE_SYSLINUX] = g_strdup (YARD_BOOT_ROOT_SYSLINUX_SHA256);
  self->job->urls[YARD_BOOT_ROOT_ARCHIVE_IPXE] = g_strdup (YARD_BOOT_ROOT_IPXE_URL);
  self->job->sha256s[YARD_BOOT_ROOT_ARCHIVE_IPXE] = g_strdup (YARD_BOOT_ROOT_IPXE_SHA256);
  self->job->urls[YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64] = g_strdup (YARD_BOOT_ROOT_NETBOOT_X64_URL);
  self->job->sha256s[YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64] =
    g_strdup (YARD_BOOT_ROOT_NETBOOT_X64_SHA256);
  self->job->urls[YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64] =
    g_strdup (YARD_BOOT_ROOT_NETBOOT_ARM64_URL);
  self->job->sha256s[YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64] =
    g_strdup (YARD_BOOT_ROOT_NETBOOT_ARM64_SHA256);
}

YardBootRoot *
yard_boot_root_new (const char *root_dir)
{
  YardBootRoot *self;

  g_return_val_if_fail (root_dir != NULL, NULL);

  self = g_object_new (YARD_TYPE_BOOT_ROOT, NULL);
  self->job->dir = g_strdup (root_dir);
  return self;
}

const char *
yard_boot_root_get_dir (YardBootRoot *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), NULL);
  return self->job->dir;
}

void
yard_boot_root_set_system_prefix (YardBootRoot *self,
                                  const char   *prefix)
{
  g_return_if_fail (YARD_IS_BOOT_ROOT (self));
  g_free (self->job->prefix);
  self->job->prefix = g_strdup (prefix ? prefix : "");
}

void
yard_boot_root_set_archive (YardBootRoot        *self,
                            YardBootRootArchive  archive,
                            const char          *url,
                            const char          *sha256)
{
  g_return_if_fail (YARD_IS_BOOT_ROOT (self));
  g_return_if_fail (archive < YARD_BOOT_ROOT_N_ARCHIVES);

  g_free (self->job->urls[archive]);
  g_free (self->job->sha256s[archive]);
  self->job->urls[archive] = g_strdup (url);
  self->job->sha256s[archive] = sha256 ? g_ascii_strdown (sha256, -1) : NULL;
}

void
yard_boot_root_set_fetch_func (YardBootRoot          *self,
                               YardBootRootFetchFunc  fetch)
{
  g_return_if_fail (YARD_IS_BOOT_ROOT (self));
  self->job->fetch = fetch;
}

/* Versions -------------------------------------------------------------------------------- */

/* "PXELINUX 6.04 PXE 20200816", "Syslinux 6.04 (EFI; 20200816)", "MEMDISK 6.03 2014-10-06"
 * → "6.04 20200816". NULL when the bytes carry no syslinux banner. */
static char *
find_syslinux_version (GBytes *bytes)
{
  static const char *markers[] = { "PXELINUX ", "Syslinux ", "SYSLINUX ", "MEMDISK " };
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; i < len; i++)
    for (guint m = 0; m < G_N_ELEMENTS (markers); m++)
      {
        gsize mlen = strlen (markers[m]);
        g_autoptr(GString) version = NULL;
        g_autoptr(GString) date = NULL;
        gsize p;

        if (i + mlen + 1 >= len || memcmp (data + i, markers[m], mlen) != 0 ||
            !g_ascii_isdigit (data[i + mlen]))
          continue;

        version = g_string_new (NULL);
        for (p = i + mlen; p < len && (g_ascii_isdigit (data[p]) || data[p] == '.' ||
                                       data[p] == '-' || g_ascii_isalpha (data[p])); p++)
          g_string_append_c (version, data[p]);

        /* a date within the rest of the banner line */
        date = g_string_new (NULL);
        for (; p < len && p < i + 64 && data[p] != '\0' && data[p] != '\n'; p++)
          {
            if (g_ascii_isdigit (data[p]))
              g_string_append_c (date, data[p]);
            else if (data[p] != '-' && date->len != 8)
              g_string_truncate (date, 0);
            if (date->len == 8)
              break;
          }
        if (date->len == 8)
          return g_strdup_printf ("%s %s", version->str, date->str);
        return g_strdup (version->str);
      }
  return NULL;
}

/* Same release: the same version, and the same date when both carry one. */
static gboolean
same_release (const char *a,
              const char *b)
{
  g_auto(GStrv) pa = NULL;
  g_auto(GStrv) pb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  pa = g_strsplit (a, " ", 2);
  pb = g_strsplit (b, " ", 2);
  if (g_strcmp0 (pa[0], pb[0]) != 0)
    return FALSE;
  return pa[1] == NULL || pb[1] == NULL || g_strcmp0 (pa[1], pb[1]) == 0;
}

/* Writing --------------------------------------------------------------------------------- */

static gboolean
write_root_file (Job           *self,
                 const char    *file,
                 GBytes        *bytes,
                 GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, file, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create “%s”: %s", parent, g_strerror (saved));
      return FALSE;
    }
  /* temporary file + fsync + rename: a crash leaves the old file or the new one */
  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static GBytes *
read_system_file (Job           *self,
                  const char    *system_path,
                  GError       **error)
{
  g_autofree char *path = g_strconcat (self->prefix, system_path, NULL);
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return g_bytes_new_take (data, len);
}

/* Downloads ------------------------------------------------------------------------------- */

static void
download_free (Download *d)
{
  if (d->path != NULL)
    g_unlink (d->path);
  g_free (d->path);
  g_clear_pointer (&d->members, g_hash_table_unref);
  g_free (d->error);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Download, download_free)

static gboolean
fetch_archive (Job            *self,
               const char     *url,
               const char     *sha256,
               const char     *path,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *buf = g_malloc (64 * 1024);
  guint64 total = 0;

  in = self->fetch (url, cancellable, error);
  if (in == NULL)
    return FALSE;

  out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                                         error));
  if (out == NULL)
    return FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, 64 * 1024, cancellable, error);

      if (n < 0)
        {
          g_prefix_error (error, "Could not download %s: ", url);
          return FALSE;
        }
      if (n == 0)
        break;
      total += n;
      if (total > DOWNLOAD_MAX)
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       "The download from %s is larger than %d MiB: it is not a bootloader "
                       "release; check the URL", url, DOWNLOAD_MAX >> 20);
          return FALSE;
        }
      g_checksum_update (checksum, (const guchar *) buf, n);
      if (!g_output_stream_write_all (out, buf, n, NULL, cancellable, error))
        return FALSE;
    }
  if (!g_output_stream_close (out, cancellable, error))
    return FALSE;

  if (g_strcmp0 (g_checksum_get_string (checksum), sha256) != 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The download from %s has SHA-256 %s, not the expected %s: it is damaged "
                   "or not the expected release, so nothing from it was installed",
                   url, g_checksum_get_string (checksum), sha256);
      return FALSE;
    }
  return TRUE;
}

static gboolean
member_matches (const char *name,
                const char *suffix)
{
  gsize nlen = strlen (name);
  gsize slen = strlen (suffix);

  if (nlen == slen)
    return strcmp (name, suffix) == 0;
  return nlen > slen && name[nlen - slen - 1] == '/' && strcmp (name + nlen - slen, suffix) == 0;
}

typedef struct
{
  struct archive *outer;
  char            buf[64 * 1024];
} Nested;

static la_ssize_t
nested_read_cb (struct archive  *inner,
                void            *client_data,
                const void     **buffer)
{
  Nested *nested = client_data;

  *buffer = nested->buf;
  return archive_read_data (nested->outer, nested->buf, sizeof nested->buf);
}

static gboolean unpack_from (struct archive  *a,
                             const char     **wanted,
                             GHashTable      *members,
                             guint            depth,
                             GError         **error);

/* A Debian package is an ar archive holding data.tar.*: read that one in place. */
static gboolean
unpack_nested (struct archive  *outer,
               const char     **wanted,
               GHashTable      *members,
               guint            depth,
               GError         **error)
{
  struct archive *inner = archive_read_new ();
  g_autofree Nested *nested = g_new0 (Nested, 1);
  gboolean ok;

  nested->outer = outer;
  archive_read_support_filter_all (inner);
  archive_read_support_format_tar (inner);
  if (archive_read_open (inner, nested, NULL, nested_read_cb, NULL) != ARCHIVE_OK)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not open the package's data: %s", archive_error_string (inner));
      archive_read_free (inner);
      return FALSE;
    }
  ok = unpack_from (inner, wanted, members, depth + 1, error);
  archive_read_free (inner);
  return ok;
}

/* Keeps the members whose paths end with one of `wanted` (as archive paths, or as the
 * system path inside a package's data). */
static gboolean
unpack_from (struct archive  *a,
             const char     **wanted,
             GHashTable      *members,
             guint            depth,
             GError         **error)
{
  struct archive_entry *entry;
  int r;

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = archive_entry_pathname (entry);

      if (name == NULL || archive_entry_filetype (entry) != AE_IFREG)
        continue;
      if (depth == 0 && g_str_has_prefix (name, "data.tar") &&
          (archive_format (a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_AR)
        {
          if (!unpack_nested (a, wanted, members, depth, error))
            return FALSE;
          continue;
        }
      for (guint i = 0; wanted[i] != NULL; i++)
        {
          la_int64_t size = archive_entry_size (entry);
          g_autofree char *data = NULL;
          la_ssize_t n;

          if (!member_matches (name, wanted[i]) || g_hash_table_contains (members, wanted[i]))
            continue;
          if (size < 0 || size > MEMBER_MAX)
            break;
          data = g_malloc (size + 1);
          n = archive_read_data (a, data, size);
          if (n != size)
            {
              g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                           "Could not unpack %s from the downloaded archive: %s", name,
                           archive_error_string (a));
              return FALSE;
            }
          g_hash_table_insert (members, (gpointer) wanted[i],
                               g_bytes_new_take (g_steal_pointer (&data), size));
          break;
        }
    }
  if (r != ARCHIVE_EOF)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "The downloaded archive is damaged: %s", archive_error_string (a));
      return FALSE;
    }
  return TRUE;
}

static gboolean
unpack_archive (const char   *path,
                const char  **wanted,
                GHashTable   *members,
                GError      **error)
{
  struct archive *a = archive_read_new ();
  gboolean ok;

  archive_read_support_filter_all (a);
  archive_read_support_format_all (a);
  if (archive_read_open_filename (a, path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE,
                   "Could not open the downloaded archive: %s", archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }
  ok = unpack_from (a, wanted, members, 0, error);
  archive_read_free (a);
  return ok;
}

static Download *
get_download (Job                  *self,
              YardBootRootArchive   archive,
              Download            **cache,
              GCancellable         *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autofree char *tmpl = NULL;
  Download *d;
  int fd;

  if (cache[archive] != NULL)
    return cache[archive];

  d = cache[archive] = g_new0 (Download, 1);
  d->members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) g_bytes_unref);

  if (self->fetch == NULL)
    {
      d->error = g_strdup ("downloading is turned off");
      return d;
    }
  if (self->urls[archive] == NULL)
    {
      d->error = g_strdup ("no download URL is configured");
      return d;
    }
  if (self->sha256s[archive] == NULL || strlen (self->sha256s[archive]) != 64)
    {
      d->error = g_strdup_printf ("no SHA-256 is configured for %s, and Bootyard never "
                                  "installs unverified bootloaders",
                                  self->urls[archive]);
      return d;
    }

  tmpl = g_build_filename (self->dir, ".bootyard-download-XXXXXX", NULL);
  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      d->error = g_strdup_printf ("could not create a file in %s: %s", self->dir,
                                  g_strerror (errno));
      return d;
    }
  close (fd);
  d->path = g_steal_pointer (&tmpl);

  g_info ("Downloading %s", self->urls[archive]);
  if (!fetch_archive (self, self->urls[archive], self->sha256s[archive], d->path, cancellable,
                      &error))
    {
      d->error = g_strdup (error->message);
      return d;
    }

  wanted = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (set_archive[files[i].set] == archive)
      {
        g_ptr_array_add (wanted, (gpointer) files[i].member);
        g_ptr_array_add (wanted, (gpointer) (files[i].system + 1));
        if (files[i].alt != NULL)
          g_ptr_array_add (wanted, (gpointer) files[i].alt);
        if (files[i].system_alt != NULL)
          g_ptr_array_add (wanted, (gpointer) (files[i].system_alt + 1));
      }
  for (guint i = 0; i < YARD_BOOT_ROOT_N_SETS; i++)
    if (set_archive[i] == archive && version_checks[i].modules_member != NULL)
      {
        g_ptr_array_add (wanted, (gpointer) version_checks[i].modules_member);
        g_ptr_array_add (wanted, (gpointer) (version_checks[i].modules_system + 1));
      }
  g_ptr_array_add (wanted, NULL);
  if (!unpack_archive (d->path, (const char **) wanted->pdata, d->members, &error))
    d->error = g_strdup (error->message);
  return d;
}

static GBytes *
download_member (Download       *d,
                 const FileSpec *spec_member,
                 const char     *member,
                 const char     *system)
{
  GBytes *b = g_hash_table_lookup (d->members, member);

  (void) spec_member;
  if (b == NULL)
    b = g_hash_table_lookup (d->members, system + 1);
  return b;
}

/* Sets ------------------------------------------------------------------------------------ */

/* The root's copy of a file of the set, and its syslinux banner. */
static char *
version_of_root_file (Job        *self,
                      const char *system_path)
{
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (g_strcmp0 (files[i].system, system_path) == 0)
      {
        g_autofree char *path = g_build_filename (self->dir, files[i].file, NULL);
        g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
        g_autoptr(GBytes) bytes = NULL;

        if (mapped == NULL)
          return NULL;
        bytes = g_mapped_file_get_bytes (mapped);
        return find_syslinux_version (bytes);
      }
  return NULL;
}

static char *
version_of_root_loader (Job            *self,
                        YardBootRootSet set)
{
  if (version_checks[set].loader_system[0] == NULL)
    return NULL;
  return version_of_root_file (self, version_checks[set].loader_system[0]);
}

/* Every file there, and (for the BIOS set, whose memdisk travels with the modules) the
 * loaders of the same release as the modules: a root where someone dropped another
 * pxelinux.0 or lpxelinux.0 over our files is reinstalled whole. */
static gboolean
set_complete_in_root (Job            *self,
                      YardBootRootSet set)
{
  const VersionCheck *check = &version_checks[set];

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = NULL;

      if (files[i].set != set || files[i].optional)
        continue;
      path = g_build_filename (self->dir, files[i].file, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }

  if (set == YARD_BOOT_ROOT_SET_SYSLINUX_BIOS)
    {
      g_autofree char *modules = version_of_root_file (self, check->modules_system);

      for (guint l = 0; l < MAX_LOADERS && check->loader_system[l] != NULL; l++)
        {
          g_autofree char *loader = version_of_root_file (self, check->loader_system[l]);

          if (loader != NULL && modules != NULL && !same_release (loader, modules))
            {
              g_message ("The boot root's %s is syslinux %s but its memdisk and modules "
                         "are %s: reinstalling them together",
                         strrchr (check->loader_system[l], '/') + 1, loader, modules);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Collects the set's files from one origin into `out` (file -> GBytes). lookup returns the
 * bytes for a system path + member, or NULL. On failure, *reason says why. */
typedef GBytes *(*LookupFunc) (Job            *self,
                               gpointer        origin,
                               const FileSpec *spec);

static GBytes *
lookup_system (Job            *self,
               gpointer        origin,
               const FileSpec *spec)
{
  GBytes *b = read_system_file (self, spec->system, NULL);

  if (b == NULL && spec->system_alt != NULL)
    b = read_system_file (self, spec->system_alt, NULL);
  return b;
}

static GBytes *
lookup_download (Job            *self,
                 gpointer        origin,
                 const FileSpec *spec)
{
  GHashTable *members = ((Download *) origin)->members;
  GBytes *b = download_member (origin, NULL, spec->member, spec->system);

  if (b == NULL && spec->alt != NULL)
    b = g_hash_table_lookup (members, spec->alt);
  if (b == NULL && spec->system_alt != NULL)
    b = g_hash_table_lookup (members, spec->system_alt + 1);

  return b ? g_bytes_ref (b) : NULL;
}

static GHashTable *
collect_set (Job              *self,
             YardBootRootSet   set,
             LookupFunc        lookup,
             gpointer          origin,
             const char       *origin_name,
             char            **version,
             char            **reason)
{
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                     (GDestroyNotify) g_bytes_unref);
  g_autoptr(GString) missing = g_string_new (NULL);
  const VersionCheck *check = &version_checks[set];

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      GBytes *b;

      if (files[i].set != set)
        continue;
      b = lookup (self, origin, &files[i]);
      if (b != NULL)
        g_hash_table_insert (out, (gpointer) files[i].file, b);
      else if (!files[i].optional)
        g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", files[i].file);
    }
  if (missing->len > 0)
    {
      *reason = g_strdup_printf ("%s lacks %s", origin_name, missing->str);
      return NULL;
    }

  for (guint l = 0; l < MAX_LOADERS && check->loader_system[l] != NULL; l++)
    {
      const FileSpec loader_spec = { .system = check->loader_system[l],
                                     .member = check->loader_member[l] };
      const FileSpec modules_spec = { .system = check->modules_system,
                                      .member = check->modules_member };
      g_autoptr(GBytes) loader = lookup (self, origin, &loader_spec);
      g_autoptr(GBytes) modules = lookup (self, origin, &modules_spec);
      g_autofree char *loader_version = loader ? find_syslinux_version (loader) : NULL;
      g_autofree char *modules_version = modules ? find_syslinux_version (modules) : NULL;

      if (loader_version == NULL || modules_version == NULL)
        {
          *reason = g_strdup_printf ("%s: the version of the loader or of the modules can't "
                                     "be read (no syslinux banner in %s%s)", origin_name,
                                     loader_version ? "" : check->loader_member[l],
                                     modules_version ? "" : " memdisk");
          return NULL;
        }
      if (!same_release (loader_version, modules_version))
        {
          *reason = g_strdup_printf ("%s: the loader %s is syslinux %s but the modules are "
                                     "%s; a loader runs only with the modules of its own "
                                     "build (install matching %s packages)",
                                     origin_name, strrchr (check->loader_member[l], '/') + 1,
                                     loader_version, modules_version, set_packages[set]);
          return NULL;
        }
      if (l == 0)
        *version = g_steal_pointer (&loader_version);
    }
  return g_steal_pointer (&out);
}

static gboolean
install_set (Job              *self,
             YardBootRootSet   set,
             Download        **cache,
             GCancellable     *cancellable,
             GError          **error)
{
  SetReport *report = &self->sets[set];
  g_autoptr(GHashTable) chosen = NULL;
  g_autofree char *system_reason = NULL;
  g_autofree char *download_reason = NULL;
  g_autofree char *version = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (set_complete_in_root (self, set))
    {
      report->origin = g_strdup ("root");
      report->version = version_of_root_loader (self, set);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        if (files[i].set == set)
          {
            g_autofree char *path = g_build_filename (self->dir, files[i].file, NULL);

            g_hash_table_insert (self->file_states, g_strdup (files[i].file),
                                 GINT_TO_POINTER (g_file_test (path, G_FILE_TEST_EXISTS) ?
                                                  YARD_BOOT_ROOT_FILE_PRESENT :
                                                  YARD_BOOT_ROOT_FILE_MISSING));
          }
      return TRUE;
    }

  chosen = collect_set (self, set, lookup_system, NULL, "The system", &version, &system_reason);
  if (chosen != NULL)
    {
      report->origin = g_strdup ("system");
    }
  else
    {
      YardBootRootArchive archive = set_archive[set];
      Download *d;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      d = get_download (self, archive, cache, cancellable);
      if (d->error != NULL)
        download_reason = g_strdup (d->error);
      else
        chosen = collect_set (self, set, lookup_download, d, "The downloaded archive",
                              &version, &download_reason);
      if (chosen != NULL)
        report->origin = g_strdup (self->urls[archive]);
    }

  if (chosen == NULL)
    {
      g_auto(GStrv) packages = g_strsplit (set_packages[set], " ", -1);
      g_autofree char *human = g_strjoinv (" and ", packages);

      report->error = g_strdup_printf ("%s; %s%s. Install Debian's %s package%s (apt install "
                                       "%s)%s.",
                                       system_reason,
                                       download_reason ? "and no download helped: " : "",
                                       download_reason ? download_reason : "no download",
                                       human, packages[1] != NULL ? "s" : "",
                                       set_packages[set],
                                       set_archive[set] == YARD_BOOT_ROOT_ARCHIVE_IPXE ?
                                       " or configure an iPXE archive URL" : "");
      g_message ("%s boot files missing: %s", yard_boot_root_set_to_string (set), report->error);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        if (files[i].set == set)
          {
            g_autofree char *path = g_build_filename (self->dir, files[i].file, NULL);

            g_hash_table_insert (self->file_states, g_strdup (files[i].file),
                                 GINT_TO_POINTER (g_file_test (path, G_FILE_TEST_EXISTS) ?
                                                  YARD_BOOT_ROOT_FILE_PRESENT :
                                                  YARD_BOOT_ROOT_FILE_MISSING));
          }
      return TRUE;
    }

  /* The whole set, so that files already in the root are replaced by the same build. */
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!write_root_file (self, key, value, error))
        {
          g_prefix_error (error, "Could not install %s into the boot root: ", (char *) key);
          return FALSE;
        }
      g_hash_table_insert (self->file_states, g_strdup (key),
                           GINT_TO_POINTER (YARD_BOOT_ROOT_FILE_INSTALLED));
    }
  report->version = g_steal_pointer (&version);
  g_info ("Installed the %s boot files from %s%s%s", yard_boot_root_set_to_string (set),
          report->origin, report->version ? ", version " : "",
          report->version ? report->version : "");
  return TRUE;
}

/* The starter menu and the efi64 tree ------------------------------------------------------ */

/* Whether a memtest86+ build boots on BIOS and on x86-64 UEFI from one file: memtest.efi
 * carries the Linux boot header beside its PE header (yard-image-classify.c imports Debian's
 * memtest ISO by that file for both firmwares), which yard-arch reads as a BIOS kernel and an
 * EFI program. */
static gboolean
memtest_boots_everywhere (const char *path)
{
  YardKernelInfo info;

  return yard_kernel_info_from_file (path, &info, NULL) && info.pe && info.bios &&
         info.cpu == YARD_CPU_X86_64;
}

/* memtest86+ from the system, or NULL: Debian 12's /boot/memtest86+x64.efi, which boots on
 * BIOS and UEFI, else a BIOS-only .bin (memtest86+x64.bin; older: memtest86+.bin). Returns
 * the absolute path. */
static char *
find_memtest (Job          *self)
{
  static const char *dirs[] = { "/boot", "/usr/lib/memtest86+" };
  char *best = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir_path = g_strconcat (self->prefix, dirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;

          if (!g_str_has_prefix (name, "memtest86+"))
            continue;
          path = g_build_filename (dir_path, name, NULL);
          if (g_str_has_suffix (name, ".efi") && memtest_boots_everywhere (path))
            {
              g_free (best);
              return g_steal_pointer (&path);
            }
          if (!g_str_has_suffix (name, ".bin"))
            continue;
          /* a 64-bit build beats the others */
          if (best == NULL || (strstr (name, "x64") != NULL && strstr (best, "x64") == NULL))
            {
              g_free (best);
              best = g_steal_pointer (&path);
            }
        }
      if (best != NULL)
        return best;
    }
  return NULL;
}

static gboolean
write_starter_menu (Job           *self,
                    GError       **error)
{
  g_autofree char *config = g_build_filename (self->dir, "pxelinux.cfg", "default", NULL);
  g_autofree char *memtest = NULL;
  g_autofree char *memtest_name = NULL;
  g_autoptr(YardBootMenu) menu = NULL;

  if (g_file_test (config, G_FILE_TEST_EXISTS))
    return TRUE;

  memtest = find_memtest (self);
  if (memtest != NULL)
    {
      char *data = NULL;
      gsize len = 0;
      g_autoptr(GBytes) bytes = NULL;

      memtest_name = g_path_get_basename (memtest);
      if (!g_file_get_contents (memtest, &data, &len, error))
        return FALSE;
      bytes = g_bytes_new_take (data, len);
      if (!write_root_file (self, memtest_name, bytes, error))
        return FALSE;
    }

  menu = yard_boot_menu_new_starter (memtest_name);
  if (!yard_pxelinux_save_root (menu, self->dir, error))
    {
      g_prefix_error (error, "Could not write the starter menu: ");
      return FALSE;
    }
  self->wrote_starter = TRUE;
  return TRUE;
}

/* syslinux.efi resolves relative paths from efi64/, so the UEFI menu reaches
 * images/... through efi64/images -> ../images without "..". */
static gboolean
link_efi_images (Job           *self,
                 GError       **error)
{
  g_autofree char *efi = g_build_filename (self->dir, "efi64", NULL);
  g_autofree char *images = g_build_filename (self->dir, "images", NULL);
  g_autofree char *link = g_build_filename (efi, "images", NULL);
  GStatBuf st;

  if (g_mkdir_with_parents (efi, 0755) != 0 || g_mkdir_with_parents (images, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create the folders of the boot root in “%s”: %s", self->dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (g_lstat (link, &st) == 0)
    return TRUE; /* a link or a folder that someone made on purpose */
  if (symlink ("../images", link) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not link “%s” to ../images: %s", link, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* The prefix built into a GRUB image (grub-mkimage -p): its module area holds an object of
 * type 3 (OBJ_TYPE_PREFIX), a 32-bit type and a 32-bit size (header included), then the path.
 * NULL when none is found. */
static char *
find_grub_prefix (const guint8 *data,
                  gsize         len)
{
  for (gsize i = 0; i + 9 < len; i++)
    {
      guint32 type, size;
      const char *path = (const char *) data + i + 8;
      gsize max;

      if (data[i] != 3 || path[0] != '/')
        continue;
      memcpy (&type, data + i, 4);
      memcpy (&size, data + i + 4, 4);
      type = GUINT32_FROM_LE (type);
      size = GUINT32_FROM_LE (size);
      if (type != 3 || size < 10 || size > 4096 || size > len - i)
        continue;
      max = size - 8;
      if (memchr (path, '\0', max) == NULL)
        continue;
      for (const char *c = path; *c != '\0'; c++)
        if (!g_ascii_isgraph (*c))
          return NULL;
      return g_strdup (path);
    }
  return NULL;
}

#define GRUB_REDIRECT_MARK "# Written by Bootyard: its menu is /" YARD_BOOT_ROOT_GRUB_CONFIG

/* Each GRUB at the root reads PREFIX/grub.cfg (Debian's built-in configuration also asks
 * for PREFIX/PLATFORM/grub.cfg, but GRUB's "-e" test is always false on a network device, so
 * over the network only PREFIX/grub.cfg is read). Where its prefix is not Bootyard's grub/, a
 * PREFIX/grub.cfg that sources Bootyard's menu. A file of someone else's there (a Debian
 * netboot tree unpacked into the root) is left alone, and said so. */
static gboolean
lay_out_grub (Job     *self,
              GError **error)
{
  static const char *grubs[] = { "grubx64.efi", "grubaa64.efi" };
  g_autofree char *own_prefix = g_path_get_dirname ("/" YARD_BOOT_ROOT_GRUB_CONFIG);

  for (guint i = 0; i < G_N_ELEMENTS (grubs); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, grubs[i], NULL);
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
      g_autofree char *prefix = NULL;
      g_autofree char *redirect = NULL;
      g_autofree char *current = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (mapped == NULL)
        continue;
      prefix = find_grub_prefix ((const guint8 *) g_mapped_file_get_contents (mapped),
                                 g_mapped_file_get_length (mapped));
      if (prefix == NULL)
        {
          g_message ("%s has no prefix that Bootyard can read: it may not find its menu",
                     grubs[i]);
          continue;
        }
      if (g_str_equal (prefix, own_prefix))
        continue;
      redirect = g_build_filename (prefix + 1, "grub.cfg", NULL);
      {
        g_autofree char *full = g_build_filename (self->dir, redirect, NULL);

        if (g_file_get_contents (full, &current, NULL, NULL) &&
            !g_str_has_prefix (current, GRUB_REDIRECT_MARK))
          {
            g_message ("%s reads %s, which Bootyard did not write: it shows that file's menu, "
                       "not Bootyard's", grubs[i], redirect);
            continue;
          }
      }
      bytes = g_bytes_new_static (GRUB_REDIRECT_MARK "\nsource /" YARD_BOOT_ROOT_GRUB_CONFIG "\n",
                                  strlen (GRUB_REDIRECT_MARK "\nsource /"
                                          YARD_BOOT_ROOT_GRUB_CONFIG "\n"));
      if (!write_root_file (self, redirect, bytes, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
job_install (Job           *self,
             GCancellable  *cancellable,
             GError       **error)
{
  Download *cache[YARD_BOOT_ROOT_N_ARCHIVES] = { NULL, };
  gboolean ok = TRUE;

  if (g_mkdir_with_parents (self->dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create the boot root “%s”: %s", self->dir, g_strerror (saved));
      return FALSE;
    }

  for (guint set = 0; ok && set < YARD_BOOT_ROOT_N_SETS; set++)
    ok = install_set (self, set, cache, cancellable, error);

  for (guint i = 0; i < YARD_BOOT_ROOT_N_ARCHIVES; i++)
    g_clear_pointer (&cache[i], download_free);

  return ok && link_efi_images (self, error) && lay_out_grub (self, error) &&
         write_starter_menu (self, error);
}

gboolean
yard_boot_root_install_sync (YardBootRoot  *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), FALSE);

  job = job_copy_config (self->job);
  ok = job_install (job, cancellable, error);
  job_free (self->job);
  self->job = job;
  return ok;
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (job_install (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
yard_boot_root_install_async (YardBootRoot        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (YARD_IS_BOOT_ROOT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yard_boot_root_install_async);
  g_task_set_task_data (task, job_copy_config (self->job), (GDestroyNotify) job_free);
  g_task_run_in_thread (task, install_thread);
}

gboolean
yard_boot_root_install_finish (YardBootRoot  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  Job *job;

  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* the finished job becomes the report (the configuration set since is kept) */
  job = g_task_get_task_data (G_TASK (result));
  for (guint i = 0; i < YARD_BOOT_ROOT_N_SETS; i++)
    {
      g_free (self->job->sets[i].origin);
      g_free (self->job->sets[i].version);
      g_free (self->job->sets[i].error);
      self->job->sets[i] = job->sets[i];
      memset (&job->sets[i], 0, sizeof job->sets[i]);
    }
  g_hash_table_unref (self->job->file_states);
  self->job->file_states = g_hash_table_ref (job->file_states);
  self->job->wrote_starter = job->wrote_starter;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The report ------------------------------------------------------------------------------ */

gboolean
yard_boot_root_is_complete (YardBootRoot *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), FALSE);

  for (guint i = 0; i < YARD_BOOT_ROOT_N_SETS; i++)
    if (self->job->sets[i].error != NULL || self->job->sets[i].origin == NULL)
      return FALSE;
  return TRUE;
}

const char *
yard_boot_root_get_set_error (YardBootRoot    *self,
                              YardBootRootSet  set)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), NULL);
  g_return_val_if_fail (set < YARD_BOOT_ROOT_N_SETS, NULL);
  return self->job->sets[set].error;
}

const char *
yard_boot_root_get_set_origin (YardBootRoot    *self,
                               YardBootRootSet  set)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), NULL);
  g_return_val_if_fail (set < YARD_BOOT_ROOT_N_SETS, NULL);
  return self->job->sets[set].origin;
}

const char *
yard_boot_root_get_set_version (YardBootRoot    *self,
                                YardBootRootSet  set)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), NULL);
  g_return_val_if_fail (set < YARD_BOOT_ROOT_N_SETS, NULL);
  return self->job->sets[set].version;
}

YardBootRootFileState
yard_boot_root_get_file_state (YardBootRoot *self,
                               const char   *file)
{
  gpointer value;

  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), YARD_BOOT_ROOT_FILE_MISSING);

  if (!g_hash_table_lookup_extended (self->job->file_states, file, NULL, &value))
    return YARD_BOOT_ROOT_FILE_MISSING;
  return GPOINTER_TO_INT (value);
}

gboolean
yard_boot_root_wrote_starter_menu (YardBootRoot *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), FALSE);
  return self->job->wrote_starter;
}

const char *
yard_boot_root_set_to_string (YardBootRootSet set)
{
  switch (set)
    {
    case YARD_BOOT_ROOT_SET_SYSLINUX_BIOS:
      return "syslinux-bios";
    case YARD_BOOT_ROOT_SET_SYSLINUX_EFI64:
      return "syslinux-efi64";
    case YARD_BOOT_ROOT_SET_IPXE:
      return "ipxe";
    case YARD_BOOT_ROOT_SET_SHIM_X64:
      return "shim-grub-x64";
    case YARD_BOOT_ROOT_SET_SHIM_ARM64:
      return "shim-grub-arm64";
    case YARD_BOOT_ROOT_N_SETS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
add_nullable_string (JsonBuilder *b,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
yard_boot_root_to_json (YardBootRoot *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (YARD_IS_BOOT_ROOT (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, yard_boot_root_is_complete (self));
  json_builder_set_member_name (b, "starterMenu");
  json_builder_add_boolean_value (b, self->job->wrote_starter);
  json_builder_set_member_name (b, "sets");
  json_builder_begin_array (b);
  for (guint set = 0; set < YARD_BOOT_ROOT_N_SETS; set++)
    {
      json_builder_begin_object (b);
      add_nullable_string (b, "set", yard_boot_root_set_to_string (set));
      add_nullable_string (b, "origin", self->job->sets[set].origin);
      add_nullable_string (b, "version", self->job->sets[set].version);
      add_nullable_string (b, "error", self->job->sets[set].error);
      json_builder_set_member_name (b, "files");
      json_builder_begin_array (b);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          static const char *states[] = { "present", "installed", "missing" };

          if (files[i].set != set)
            continue;
          json_builder_begin_object (b);
          add_nullable_string (b, "file", files[i].file);
          add_nullable_string (b, "state",
                               states[yard_boot_root_get_file_state (self, files[i].file)]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
