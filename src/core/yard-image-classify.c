/* yard-image-classify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How an image boots, from what yard-image-iso9660.c read: floppy and hard disk images, the
 * Linux distributions we know how to boot over the network (Debian, Ubuntu's casper, Fedora
 * and RHEL, archiso, memtest86+ ...) and the rest (memdisk or sanboot), and the image's name
 * for people from the files it carries.
 */

#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "yard-image"

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-image-private.h"

/* A BIOS ISO with no Linux kernel that is larger than this is more likely a big installer
 * than a DOS disk: loading it whole into RAM would be slow, so it gets sanboot. */
#define MEMDISK_ISO_COMFORTABLE_SIZE (G_GUINT64_CONSTANT (512) << 20)

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
  guint16 bytes_per_sector = _yard_image_le16 (bs + 11);
  guint8 per_cluster = bs[13];

  return (bs[0] == 0xEB || bs[0] == 0xE9) &&
         (bytes_per_sector == 512 || bytes_per_sector == 1024 ||
          bytes_per_sector == 2048 || bytes_per_sector == 4096) &&
         per_cluster != 0 && (per_cluster & (per_cluster - 1)) == 0 &&
         _yard_image_le16 (bs + 14) >= 1 && (bs[16] == 1 || bs[16] == 2);
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

gboolean
_yard_image_classify_disk (YardImage  *self,
                           int         fd,
                           GError    **error)
{
  guint8 bs[512];

  if (self->size < 512 || !_yard_image_read_at (fd, 0, bs, sizeof bs, NULL))
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
        self->volume_label = _yard_image_trimmed_label (bs + 43, 11);
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

void
_yard_image_classify_optical (YardImage *self)
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
char *
_yard_image_label_from_metadata (YardImage *self)
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
