/* yard-image.h: what a boot image is and how it can boot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yard-boot-entry.h"

G_BEGIN_DECLS

/* Kernel arguments and sanboot URLs need the server's own HTTP address, which only the writer
 * of the served file knows (it depends on the interface a client came in on). The core writes
 * this placeholder instead; it stands for the URL under which the boot root is served over
 * HTTP, without a trailing slash, e.g. "http://192.168.1.2:8067/boot". The pxelinux writer and
 * the HTTP server substitute it; in an iPXE script it is also a valid variable reference, so a
 * script that does `set bootyard_http http://...` expands it by itself. */
#define YARD_IMAGE_HTTP_PLACEHOLDER "${bootyard_http}"

/* memdisk loads the whole image below 4 GiB of RAM and cannot take images over 2 GiB. */
#define YARD_IMAGE_MEMDISK_MAX_SIZE (G_GUINT64_CONSTANT (2) << 30)

typedef enum
{
  YARD_IMAGE_FORMAT_ISO9660,  /* ISO 9660 (with Joliet / Rock Ridge when present) */
  YARD_IMAGE_FORMAT_UDF,      /* UDF only: no ISO 9660 directory to read */
  YARD_IMAGE_FORMAT_FLOPPY,   /* a floppy disk image (FAT boot sector, floppy size) */
  YARD_IMAGE_FORMAT_HARDDISK, /* a hard disk image (MBR partition table) */
} YardImageFormat;

typedef enum
{
  YARD_IMAGE_METHOD_MEMDISK, /* memdisk loads the whole image into RAM (BIOS only) */
  YARD_IMAGE_METHOD_LINUX,   /* kernel + initrd extracted beside the image */
  YARD_IMAGE_METHOD_SANBOOT, /* iPXE `sanboot` over HTTP */
} YardImageMethod;

typedef enum
{
  YARD_IMAGE_MEMDISK_ISO,
  YARD_IMAGE_MEMDISK_FLOPPY,
  YARD_IMAGE_MEMDISK_HARDDISK,
} YardImageMemdiskType;

/* El Torito (1995) platform ids and emulation types, as stored in the boot catalog. */
#define YARD_EL_TORITO_PLATFORM_BIOS 0x00
#define YARD_EL_TORITO_PLATFORM_UEFI 0xEF

typedef enum
{
  YARD_EL_TORITO_NO_EMULATION = 0,
  YARD_EL_TORITO_FLOPPY_1_2   = 1,
  YARD_EL_TORITO_FLOPPY_1_44  = 2,
  YARD_EL_TORITO_FLOPPY_2_88  = 3,
  YARD_EL_TORITO_HARD_DISK    = 4,
} YardElToritoMedia;

typedef struct
{
  guint8   platform;     /* YARD_EL_TORITO_PLATFORM_* (or another id, kept as read) */
  guint8   media;        /* YardElToritoMedia */
  gboolean bootable;     /* boot indicator 0x88 */
  guint16  sector_count; /* virtual 512-byte sectors loaded (no-emulation) */
  guint32  load_rba;     /* first 2048-byte block of the boot image */
} YardElToritoEntry;

#define YARD_TYPE_IMAGE (yard_image_get_type ())

G_DECLARE_FINAL_TYPE (YardImage, yard_image, YARD, IMAGE, GObject)

/* Reads the descriptors, the boot catalog and the directory only (seeks past file data), so
 * a multi-GiB image inspects in milliseconds. `name` is the image's file name in ROOT/images/
 * (used for the paths and URLs in the suggested entry). A truncated or unknown file:
 * YARD_ERROR_INVALID_IMAGE. */
YardImage          *yard_image_inspect               (const char    *path,
                                                      const char    *name,
                                                      GError       **error);

const char         *yard_image_get_name              (YardImage     *self);
guint64             yard_image_get_size              (YardImage     *self);
YardImageFormat     yard_image_get_format            (YardImage     *self);
const char         *yard_image_get_volume_label      (YardImage     *self);
gboolean            yard_image_has_joliet            (YardImage     *self);
gboolean            yard_image_has_rock_ridge        (YardImage     *self);
gboolean            yard_image_has_udf               (YardImage     *self);
/* Array of YardElToritoEntry, in catalog order (empty when the image has no catalog). */
GArray             *yard_image_get_boot_entries      (YardImage     *self);
gboolean            yard_image_boots_on_bios         (YardImage     *self);
gboolean            yard_image_boots_on_uefi         (YardImage     *self);
/* Every file path inside an ISO, as libarchive reports it (Rock Ridge / Joliet names). */
GPtrArray          *yard_image_get_files             (YardImage     *self);

YardImageMethod     yard_image_get_method            (YardImage     *self);
gboolean            yard_image_is_bootable           (YardImage     *self);
/* "debian-live", "debian-installer", "debian-installer-netboot", "ubuntu", "fedora", "arch",
 * "memtest86+" or NULL */
const char         *yard_image_get_distribution      (YardImage     *self);
/* Why this class (always set for sanboot, and for a non-bootable image). */
const char         *yard_image_get_reason            (YardImage     *self);
/* A label for the menu: the distribution and version when the image says them
 * (.disk/info, .treeinfo, archiso's arch/version, memtest86+'s version string), else the
 * file name without its extension; never the volume label. */
const char         *yard_image_get_label             (YardImage     *self);

/* MEMDISK */
YardImageMemdiskType yard_image_get_memdisk_type     (YardImage     *self);
/* "images/NAME", relative to the boot root */
char               *yard_image_dup_root_path         (YardImage     *self);
/* "iso raw", "floppy raw" or "harddisk raw" */
const char         *yard_image_get_memdisk_append    (YardImage     *self);

/* LINUX: paths relative to the boot root after extraction (images/DIR/...). */
const char         *yard_image_get_kernel            (YardImage     *self);
GPtrArray          *yard_image_get_initrds           (YardImage     *self);
/* Kernel arguments, with YARD_IMAGE_HTTP_PLACEHOLDER where the server URL goes. */
const char         *yard_image_get_append            (YardImage     *self);
/* The directory (relative to the root) that extraction fills: "images/STEM". */
char               *yard_image_dup_extract_dir       (YardImage     *self);
/* ISO paths that extraction copies out (kernel, initrds, and what the distro fetches). */
GPtrArray          *yard_image_get_extract_files     (YardImage     *self);

/* SANBOOT: "${bootyard_http}/images/NAME" */
char               *yard_image_dup_sanboot_url       (YardImage     *self);

/* The entry to suggest for the menu (not yet in a menu: its id is NULL). MEMDISK →
 * KIND_MEMDISK (image images/NAME, raw); LINUX → KIND_LINUX (extracted kernel, initrds,
 * append with the placeholder); SANBOOT → KIND_IPXE_SCRIPT "#!ipxe\nsanboot URL\n". */
YardBootEntry      *yard_image_create_entry          (YardImage     *self);

/* Copies the files that a LINUX entry needs out of the image at `path` into
 * ROOT/images/STEM/..., each atomically. Nothing to do for other classes. */
gboolean            yard_image_extract               (YardImage     *self,
                                                      const char    *path,
                                                      const char    *root,
                                                      GCancellable  *cancellable,
                                                      GError       **error);

/* The inspection as the API shows it: class, volumeLabel, distribution, bootable, reason,
 * format, size, elTorito [...], kernel/initrds/append, image/imageType, url. (The
 * suggested entry itself is serialized by the menu model.) */
JsonNode           *yard_image_to_json               (YardImage     *self);

const char         *yard_image_method_to_string      (YardImageMethod method);
const char         *yard_image_format_to_string      (YardImageFormat format);

/* 1..255 bytes, UTF-8, no '/', '\\' or NUL, not starting with '.'. YARD_ERROR_INVALID_ARGUMENT. */
gboolean            yard_image_name_is_valid         (const char    *name,
                                                      GError       **error);
/* A valid image name made from any file name (a dropped file, an upload): the base name,
 * with characters that a pxelinux.cfg line can't carry (spaces, quotes, non-ASCII...)
 * replaced by '_', no leading dot, at most 255 bytes; "image" if nothing is left. Clients
 * should use it before PUT /images/{name}: pxelinux has no quoting, so "MS-DOS 6.22.iso"
 * would break the INITRD line of a memdisk entry. */
char               *yard_image_suggest_name          (const char    *file_name);
/* Removes ROOT/images/NAME and what extraction made for it (ROOT/images/STEM/). */
gboolean            yard_image_delete                (const char    *root,
                                                      const char    *name,
                                                      GError       **error);
/* The extraction directory name for an image name: the name without its extension, or
 * NAME.files when that would be empty or the same. */
char               *yard_image_stem_for_name         (const char    *name);

G_END_DECLS
