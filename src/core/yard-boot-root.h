/* yard-boot-root.h: the managed boot root — bootloaders, the efi64 tree, a starter menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Files are installed in sets; a set always comes whole from one origin (the system's
 * packages or one downloaded release), so a loader never runs with modules of another
 * build. */
typedef enum
{
  YARD_BOOT_ROOT_SET_SYSLINUX_BIOS,  /* pxelinux.0, ldlinux.c32, menu/vesamenu/libutil/libcom32.c32, memdisk */
  YARD_BOOT_ROOT_SET_SYSLINUX_EFI64, /* efi64/syslinux.efi, efi64/ldlinux.e64, efi64 modules */
  YARD_BOOT_ROOT_SET_IPXE,           /* undionly.kpxe, ipxe.efi, snponly.efi */
  YARD_BOOT_ROOT_SET_SHIM_X64,       /* shimx64.efi + grubx64.efi: Debian's signed shim and
                                      * network GRUB for x86-64 UEFI (Secure Boot on or off) */
  YARD_BOOT_ROOT_SET_SHIM_ARM64,     /* shimaa64.efi + grubaa64.efi, the same for ARM64 UEFI */
  YARD_BOOT_ROOT_N_SETS
} YardBootRootSet;

/* Where downloads come from: one archive per project. */
typedef enum
{
  YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, /* a syslinux release tarball (bios/ and efi64/ trees) */
  YARD_BOOT_ROOT_ARCHIVE_IPXE,     /* an archive with bin/undionly.kpxe, bin-x86_64-efi/{ipxe,snponly}.efi,
                                    * or Debian's ipxe .deb (usr/lib/ipxe/...) */
  YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64,   /* debian-installer-12-netboot-amd64 .deb */
  YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64, /* debian-installer-12-netboot-arm64 .deb */
  YARD_BOOT_ROOT_N_ARCHIVES
} YardBootRootArchive;

typedef enum
{
  YARD_BOOT_ROOT_FILE_PRESENT,   /* was there already */
  YARD_BOOT_ROOT_FILE_INSTALLED, /* installed by this run */
  YARD_BOOT_ROOT_FILE_MISSING,   /* could not be installed: see the set's reason */
} YardBootRootFileState;

/* Archives are tarballs (any compression libarchive reads) or Debian packages (.deb: the
 * files are found in data.tar.* under their system paths). Members are matched by path
 * suffix, so a top-level folder such as syslinux-6.03/ does not matter.
 *
 * Defaults: the official syslinux 6.03 release and its SHA-256 (kernel.org sha256sums.asc);
 * iPXE publishes no binary release archive, so its default is Debian 12's ipxe package. */
#define YARD_BOOT_ROOT_SYSLINUX_URL \
  "https://mirrors.edge.kernel.org/pub/linux/utils/boot/syslinux/syslinux-6.03.tar.xz"
#define YARD_BOOT_ROOT_SYSLINUX_SHA256 \
  "26d3986d2bea109d5dc0e4f8c4822a459276cf021125e8c9f23c3cca5d8c850e"
#define YARD_BOOT_ROOT_IPXE_URL \
  "https://deb.debian.org/debian/pool/main/i/ipxe/ipxe_1.0.0+git-20190125.36a4c85-5.1_all.deb"
#define YARD_BOOT_ROOT_IPXE_SHA256 \
  "49dc854857dcfb354292bdc79ce7419e0d72988666723395b2e102d147c3730d"

/* Signed shim and GRUB for the architecture the machine is not (a Raspberry Pi serving PCs, a
 * PC serving ARM64 boards): Debian 12's architecture-independent netboot packages carry both.
 * Large (130 MB each), so fetched only when no package of the system has the files. */
#define YARD_BOOT_ROOT_NETBOOT_X64_URL \
  "https://deb.debian.org/debian/pool/main/d/debian-installer-netboot-images/" \
  "debian-installer-12-netboot-amd64_20230607+deb12u15_all.deb"
#define YARD_BOOT_ROOT_NETBOOT_X64_SHA256 \
  "499e4609976bfd47c1b3025382fb5dddeb023350921142b919c89c4d24bd7f9b"
#define YARD_BOOT_ROOT_NETBOOT_ARM64_URL \
  "https://deb.debian.org/debian/pool/main/d/debian-installer-netboot-images/" \
  "debian-installer-12-netboot-arm64_20230607+deb12u15_all.deb"
#define YARD_BOOT_ROOT_NETBOOT_ARM64_SHA256 \
  "bed5bc20d8f0234fa831cce4dc4ca6ae1647ddabbddeee7c112ca479e181ad17"

/* Where Bootyard writes its GRUB menu (yard-grub.h), relative to the root. Each installed GRUB
 * looks for its configuration under the prefix built into it (Debian's grubnetx64.efi: /grub;
 * the netboot packages' GRUBs: /debian-installer/ARCH/grub); the installer leaves a one-line
 * grub.cfg under every other prefix that sources this one. */
#define YARD_BOOT_ROOT_GRUB_CONFIG "grub/grub.cfg"

#define YARD_TYPE_BOOT_ROOT (yard_boot_root_get_type ())

G_DECLARE_FINAL_TYPE (YardBootRoot, yard_boot_root, YARD, BOOT_ROOT, GObject)

YardBootRoot *yard_boot_root_new             (const char            *root_dir);
const char   *yard_boot_root_get_dir         (YardBootRoot          *self);

/* Prepended to every system path (/usr/lib/PXELINUX/..., /boot/memtest86+*): "" (default)
 * reads the real system; tests point it at a directory to fake or hide the system. */
void          yard_boot_root_set_system_prefix (YardBootRoot        *self,
                                                const char          *prefix);
/* url NULL: never download this archive. sha256 (64 hex digits) is required with a URL:
 * an archive is never unpacked unverified. */
void          yard_boot_root_set_archive     (YardBootRoot          *self,
                                              YardBootRootArchive    archive,
                                              const char            *url,
                                              const char            *sha256);
/* Opens url for reading, blocking (it runs in the install's worker thread), or returns NULL
 * with an error that names the URL. Core has no sockets: the server passes
 * yard_release_fetch (libsoup). The boot root bounds the size and checks the SHA-256 itself. */
typedef GInputStream *(*YardBootRootFetchFunc) (const char    *url,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* NULL (the default): only the system's files are used, nothing is downloaded. */
void          yard_boot_root_set_fetch_func  (YardBootRoot          *self,
                                              YardBootRootFetchFunc  fetch);

/* Installs what the root lacks, writes the starter menu when ROOT/pxelinux.cfg/default does
 * not exist, and links efi64/images -> ../images. Returns FALSE only when the root itself
 * can't be written; a set that can't be installed is reported (see the accessors and
 * to_json) but is not an error: the server still runs with what it has. */
gboolean      yard_boot_root_install_sync    (YardBootRoot          *self,
                                              GCancellable          *cancellable,
                                              GError               **error);
/* Runs the install in a worker thread (blocking downloads and disk work) on a snapshot of
 * the configuration; the object itself is untouched until install_finish, which takes the
 * new report, so accessors may be called at any time from the caller's thread. */
void          yard_boot_root_install_async   (YardBootRoot          *self,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean      yard_boot_root_install_finish  (YardBootRoot          *self,
                                              GAsyncResult          *result,
                                              GError               **error);

/* The report of the last finished install (install_sync, or install_finish). */
gboolean      yard_boot_root_is_complete     (YardBootRoot          *self);
/* NULL when the set is complete; else why it is missing and what to do. */
const char   *yard_boot_root_get_set_error   (YardBootRoot          *self,
                                              YardBootRootSet        set);
/* "system" (with the path), a URL, "root" (was there) or NULL */
const char   *yard_boot_root_get_set_origin  (YardBootRoot          *self,
                                              YardBootRootSet        set);
/* e.g. "6.04 20200816" for syslinux sets, NULL when unknown */
const char   *yard_boot_root_get_set_version (YardBootRoot          *self,
                                              YardBootRootSet        set);
YardBootRootFileState yard_boot_root_get_file_state (YardBootRoot   *self,
                                                     const char     *file);
/* TRUE when this install wrote ROOT/pxelinux.cfg/default from the starter menu. */
gboolean      yard_boot_root_wrote_starter_menu (YardBootRoot       *self);

/* {"complete": bool, "sets": [{"set", "origin", "version", "error", "files":
 *  [{"file", "state"}]}], "starterMenu": bool} — for GET /status and the app. */
JsonNode     *yard_boot_root_to_json         (YardBootRoot          *self);

const char   *yard_boot_root_set_to_string   (YardBootRootSet        set);

G_END_DECLS
