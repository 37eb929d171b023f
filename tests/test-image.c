/* test-image.c: image inspection on images that the test builds with xorriso and mtools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-image.h"
#include "test-dirs.h"
#include "test-image-util.h"

static void
test_floppy (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_floppy (tmpdir, "freedos.img");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "freedos.img", &error);
  g_autofree char *root_path = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_format (image), ==, YARD_IMAGE_FORMAT_FLOPPY);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_MEMDISK);
  g_assert_cmpint (yard_image_get_memdisk_type (image), ==, YARD_IMAGE_MEMDISK_FLOPPY);
  g_assert_cmpstr (yard_image_get_memdisk_append (image), ==, "floppy raw");
  g_assert_true (yard_image_is_bootable (image));
  g_assert_cmpstr (yard_image_get_volume_label (image), ==, "FREEDOS");
  g_assert_cmpuint (yard_image_get_size (image), ==, 1474560);
  root_path = yard_image_dup_root_path (image);
  g_assert_cmpstr (root_path, ==, "images/freedos.img");
}

static void
test_dos_floppy_emulation_iso (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_dos_iso (tmpdir, "msdos.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "msdos.iso", &error);
  GArray *boot;
  YardElToritoEntry *e;

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_format (image), ==, YARD_IMAGE_FORMAT_ISO9660);
  g_assert_cmpstr (yard_image_get_volume_label (image), ==, "MSDOS622");
  g_assert_true (yard_image_has_rock_ridge (image)); /* xorriso always writes it */
  g_assert_false (yard_image_has_joliet (image));
  boot = yard_image_get_boot_entries (image);
  g_assert_cmpuint (boot->len, ==, 1);
  e = &g_array_index (boot, YardElToritoEntry, 0);
  g_assert_cmpint (e->platform, ==, YARD_EL_TORITO_PLATFORM_BIOS);
  g_assert_cmpint (e->media, ==, YARD_EL_TORITO_FLOPPY_1_44);
  g_assert_true (e->bootable);
  g_assert_true (yard_image_boots_on_bios (image));
  g_assert_false (yard_image_boots_on_uefi (image));
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_MEMDISK);
  g_assert_cmpint (yard_image_get_memdisk_type (image), ==, YARD_IMAGE_MEMDISK_ISO);
  g_assert_cmpstr (yard_image_get_memdisk_append (image), ==, "iso raw");
  g_assert_null (yard_image_get_distribution (image));
}

static void
test_debian_live (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "debian-live.iso", DISTRO_DEBIAN_LIVE);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "debian-live.iso", &error);
  GPtrArray *initrds;
  GArray *boot;

  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_volume_label (image), ==, "d-live 12.8.0 gn amd64");
  g_assert_true (yard_image_has_joliet (image));
  g_assert_true (yard_image_has_rock_ridge (image));
  boot = yard_image_get_boot_entries (image);
  g_assert_cmpuint (boot->len, ==, 2);
  g_assert_cmpint (g_array_index (boot, YardElToritoEntry, 0).platform, ==,
                   YARD_EL_TORITO_PLATFORM_BIOS);
  g_assert_cmpint (g_array_index (boot, YardElToritoEntry, 0).media, ==,
                   YARD_EL_TORITO_NO_EMULATION);
  g_assert_cmpint (g_array_index (boot, YardElToritoEntry, 1).platform, ==,
                   YARD_EL_TORITO_PLATFORM_UEFI);
  g_assert_true (yard_image_boots_on_uefi (image));

  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "debian-live");
  g_assert_cmpstr (yard_image_get_kernel (image), ==,
                   "images/debian-live/live/vmlinuz-6.1.0-26-amd64");
  initrds = yard_image_get_initrds (image);
  g_assert_cmpuint (initrds->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (initrds, 0), ==,
                   "images/debian-live/live/initrd.img-6.1.0-26-amd64");
  /* no ip=: live-boot would write it into the live system's /etc/network/interfaces as a
   * static configuration (live-boot(7)); its initramfs does DHCP for fetch= by itself */
  g_assert_cmpstr (yard_image_get_append (image), ==,
                   "boot=live components fetch=${bootyard_http}/images/debian-live.iso");
}

/* live-boot fetches only URLs ending in .iso, .squashfs, .tgz or .tar (lower case): an image
 * named otherwise boots through its extracted squashfs */
static void
test_debian_live_other_name (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "DEBIAN-LIVE.ISO", DISTRO_DEBIAN_LIVE);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "DEBIAN-LIVE.ISO", &error);
  GPtrArray *extract;

  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "debian-live");
  g_assert_cmpstr (yard_image_get_append (image), ==,
                   "boot=live components "
                   "fetch=${bootyard_http}/images/DEBIAN-LIVE/live/filesystem.squashfs");
  extract = yard_image_get_extract_files (image);
  g_assert_true (g_ptr_array_find_with_equal_func (extract, "live/filesystem.squashfs",
                                                   g_str_equal, NULL));
}

static void
link_in_tree (const char *tree,
              const char *target,
              const char *name)
{
  g_autofree char *path = g_build_filename (tree, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_no_errno (link (target, path));
}

/* live-build's hard-linked kernel names (and xorriso, which records hard links and, even as
 * mkisofs, lays them out on one extent): libarchive gives the data with one name only, and
 * the others as hard links without data; each name wanted comes out whole */
static void
test_extract_hard_links (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *tree = g_build_filename (tmpdir, "hardlinks.tree", NULL);
  g_autofree char *iso = g_build_filename (tmpdir, "hardlinks.iso", NULL);
  g_autofree char *root = g_build_filename (tmpdir, "hardlinks-root", NULL);
  g_autofree char *kernel = g_build_filename (tree, "live/vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (tree, "live/initrd.img-6.1.0-26-amd64", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *big = g_malloc (300 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  const char *names[] = { "live/vmlinuz", "live/vmlinuz-6.1.0-26-amd64", "isolinux/vmlinuz",
                          "live/initrd.img", "live/initrd.img-6.1.0-26-amd64" };

  for (gsize i = 0; i < 300 * 1024; i++)
    big[i] = (char) (i * 7 + i / 251);
  write_file (tree, "live/vmlinuz", big, 300 * 1024);
  write_file (tree, "live/initrd.img-6.1.0-26-amd64", "initrd (fake)", -1);
  write_file (tree, "live/filesystem.squashfs", "squashfs (fake)", -1);
  /* the data holder sorts first (isolinux/, the versioned initrd): the names the recipe
   * wants, live/vmlinuz and live/initrd.img, are the hard links */
  link_in_tree (tree, kernel, "isolinux/vmlinuz");
  link_in_tree (tree, kernel, "live/vmlinuz-6.1.0-26-amd64");
  link_in_tree (tree, initrd, "live/initrd.img");
  cmd = g_strdup_printf ("xorriso -as mkisofs -quiet -R -J -o '%s' '%s'", iso, tree);
  run_or_fail (cmd);

  image = yard_image_inspect (iso, "hardlinks.iso", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/hardlinks/live/vmlinuz");
  g_assert_cmpstr (g_ptr_array_index (yard_image_get_initrds (image), 0), ==,
                   "images/hardlinks/live/initrd.img");
  g_assert_true (yard_image_extract (image, iso, root, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *extracted = g_build_filename (root, "images/hardlinks", names[i], NULL);
      g_autofree char *want = g_build_filename (tree, names[i], NULL);
      g_autofree char *got_data = NULL;
      g_autofree char *want_data = NULL;
      gsize got_len = 0, want_len = 0;

      if (!g_file_test (extracted, G_FILE_TEST_EXISTS))
        continue; /* not wanted */
      g_assert_true (g_file_get_contents (extracted, &got_data, &got_len, NULL));
      g_assert_true (g_file_get_contents (want, &want_data, &want_len, NULL));
      g_assert_cmpmem (got_data, got_len, want_data, want_len);
    }
  {
    g_autofree char *k = g_build_filename (root, "images/hardlinks/live/vmlinuz", NULL);
    g_autofree char *i = g_build_filename (root, "images/hardlinks/live/initrd.img", NULL);

    g_assert_true (g_file_test (k, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (i, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_ubuntu_casper (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "ubuntu 24.04.iso", DISTRO_UBUNTU);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "ubuntu 24.04.iso", &error);
  g_autofree char *dir = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "ubuntu");
  /* the space never reaches a KERNEL line or a URL unescaped */
  dir = yard_image_dup_extract_dir (image);
  g_assert_cmpstr (dir, ==, "images/ubuntu_24.04");
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/ubuntu_24.04/casper/vmlinuz");
  g_assert_cmpstr (g_ptr_array_index (yard_image_get_initrds (image), 0), ==,
                   "images/ubuntu_24.04/casper/initrd");
  g_assert_nonnull (strstr (yard_image_get_append (image), "boot=casper netboot=url"));
  g_assert_nonnull (strstr (yard_image_get_append (image),
                            "url=${bootyard_http}/images/ubuntu%2024.04.iso"));
}

static void
test_fedora (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "fedora.iso", DISTRO_FEDORA);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "fedora.iso", &error);
  GPtrArray *extract;

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "fedora");
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/fedora/images/pxeboot/vmlinuz");
  g_assert_nonnull (strstr (yard_image_get_append (image),
                            "inst.stage2=${bootyard_http}/images/fedora"));
  extract = yard_image_get_extract_files (image);
  g_assert_true (g_ptr_array_find_with_equal_func (extract, "images/install.img",
                                                   g_str_equal, NULL));
}

static void
test_fedora_live (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "fedora-live.iso", DISTRO_FEDORA_LIVE);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "fedora-live.iso", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "fedora");
  g_assert_nonnull (strstr (yard_image_get_append (image),
                            "root=live:${bootyard_http}/images/fedora-live.iso"));
  g_assert_cmpuint (yard_image_get_extract_files (image)->len, ==, 2);
}

/* dracut's livenet loop-mounts the download only when its name ends in ".iso" (livenetroot.sh);
 * under any other name the image's LiveOS/squashfs.img is what root=live: fetches. */
static void
test_fedora_live_not_iso_name (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "fedora-live.iso", DISTRO_FEDORA_LIVE);
  const char *names[] = { "Fedora-Live.ISO", "fedora-live", "fedora-live.img" };
  const char *dirs[] = { "images/Fedora-Live", "images/fedora-live.files", "images/fedora-live" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(YardImage) image = yard_image_inspect (path, names[i], &error);
      g_autofree char *append = g_strdup_printf ("root=live:${bootyard_http}/%s/LiveOS/squashfs.img "
                                                 "rd.live.image ip=dhcp", dirs[i]);
      GPtrArray *extract;

      g_assert_no_error (error);
      g_assert_cmpstr (yard_image_get_distribution (image), ==, "fedora");
      g_assert_cmpstr (yard_image_get_append (image), ==, append);
      extract = yard_image_get_extract_files (image);
      g_assert_cmpuint (extract->len, ==, 3);
      g_assert_true (g_ptr_array_find_with_equal_func (extract, "LiveOS/squashfs.img",
                                                       g_str_equal, NULL));
    }
}

static void
test_arch (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "archlinux-2024.11.01-x86_64.iso", DISTRO_ARCH);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "archlinux-2024.11.01-x86_64.iso",
                                                   &error);
  GPtrArray *extract;

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "arch");
  g_assert_cmpstr (yard_image_get_kernel (image), ==,
                   "images/archlinux-2024.11.01-x86_64/arch/boot/x86_64/vmlinuz-linux");
  g_assert_nonnull (strstr (yard_image_get_append (image),
                            "archisobasedir=arch archiso_http_srv="
                            "${bootyard_http}/images/archlinux-2024.11.01-x86_64/"));
  /* the root file system is fetched by the initramfs from the extracted tree */
  extract = yard_image_get_extract_files (image);
  g_assert_true (g_ptr_array_find_with_equal_func (extract, "arch/x86_64/airootfs.sfs",
                                                   g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (extract, "arch/x86_64/airootfs.sha512",
                                                   g_str_equal, NULL));
}

static void
test_debian_installer (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "debian-12.8.0-amd64-netinst.iso",
                                          DISTRO_DEBIAN_INSTALLER);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "debian-12.8.0-amd64-netinst.iso",
                                                   &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "debian-installer");
  g_assert_cmpstr (yard_image_get_kernel (image), ==,
                   "images/debian-12.8.0-amd64-netinst/install.amd/vmlinuz");
  /* honest about what happens next */
  g_assert_nonnull (strstr (yard_image_get_reason (image), "netboot"));
}

static void
test_debian_mini (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "mini.iso", DISTRO_DEBIAN_MINI);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "mini.iso", &error);

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "debian-installer-netboot");
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/mini/linux");
  g_assert_cmpstr (g_ptr_array_index (yard_image_get_initrds (image), 0), ==,
                   "images/mini/initrd.gz");
  g_assert_null (yard_image_get_reason (image));
}

static void
test_memtest (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "mt86plus.iso", DISTRO_MEMTEST);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "mt86plus.iso", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "memtest86+");
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/mt86plus/boot/memtest86+x64.bin");
  g_assert_cmpuint (yard_image_get_initrds (image)->len, ==, 0);
}

static void
test_harddisk (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_harddisk (tmpdir, "dos-hd.img");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "dos-hd.img", &error);

  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_format (image), ==, YARD_IMAGE_FORMAT_HARDDISK);
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_MEMDISK);
  g_assert_cmpstr (yard_image_get_memdisk_append (image), ==, "harddisk raw");
  g_assert_true (yard_image_boots_on_bios (image));
}

/* xorriso writes no UDF: a UDF-only volume recognition sequence (ECMA-167: BEA01, NSR02,
 * TEA01 from sector 16) made by hand. libarchive can't list UDF, so it can only be sanbooted. */
static void
test_udf_only (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = g_build_filename (tmpdir, "udf.iso", NULL);
  gsize size = 1024 * 1024;
  g_autofree char *data = g_malloc0 (size);
  static const char *ids[] = { "BEA01", "NSR02", "TEA01" };
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      memcpy (data + (16 + i) * 2048 + 1, ids[i], 5);
      data[(16 + i) * 2048 + 6] = 1;
    }
  g_assert_true (g_file_set_contents (path, data, size, NULL));

  image = yard_image_inspect (path, "udf.iso", &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_format (image), ==, YARD_IMAGE_FORMAT_UDF);
  g_assert_true (yard_image_has_udf (image));
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_SANBOOT);
  g_assert_nonnull (strstr (yard_image_get_reason (image), "UDF"));
}

static void
test_json (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_dos_iso (tmpdir, "json.iso");
  g_autoptr(YardImage) image = yard_image_inspect (path, "json.iso", NULL);
  g_autoptr(JsonNode) node = yard_image_to_json (image);
  JsonObject *o = json_node_get_object (node);
  JsonArray *el;

  g_assert_cmpstr (json_object_get_string_member (o, "class"), ==, "memdisk");
  g_assert_cmpstr (json_object_get_string_member (o, "volumeLabel"), ==, "MSDOS622");
  g_assert_true (json_object_get_boolean_member (o, "bootable"));
  g_assert_true (json_object_get_null_member (o, "reason"));
  g_assert_true (json_object_get_null_member (o, "distribution"));
  g_assert_cmpstr (json_object_get_string_member (o, "image"), ==, "images/json.iso");
  g_assert_cmpstr (json_object_get_string_member (o, "imageType"), ==, "iso");
  el = json_object_get_array_member (o, "elTorito");
  g_assert_cmpuint (json_array_get_length (el), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (el, 0),
                                                  "emulation"), ==, "floppy");
}

static void
test_data_iso_sanboot (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_data_iso (tmpdir, "data.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "data.iso", &error);
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (yard_image_get_boot_entries (image)->len, ==, 0);
  g_assert_cmpuint (yard_image_get_files (image)->len, ==, 2);
  g_assert_false (yard_image_has_rock_ridge (image)); /* plain ISO 9660 names */
  g_assert_true (g_ptr_array_find_with_equal_func (yard_image_get_files (image),
                                                   "PHOTOS/ONE.TXT", g_str_equal, NULL));
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_SANBOOT);
  g_assert_false (yard_image_is_bootable (image));
  g_assert_nonnull (strstr (yard_image_get_reason (image), "no El Torito"));
  url = yard_image_dup_sanboot_url (image);
  g_assert_cmpstr (url, ==, "${bootyard_http}/images/data.iso");
}

static void
test_truncated (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_linux_iso (tmpdir, "cut-source.iso", DISTRO_DEBIAN_LIVE);
  g_autofree char *cut1 = g_build_filename (tmpdir, "cut-after-pvd.iso", NULL);
  g_autofree char *cut2 = g_build_filename (tmpdir, "cut-before-pvd.iso", NULL);
  g_autofree char *cmd1 = g_strdup_printf ("sh -c 'head -c 40000 \"%s\" > \"%s\"'", path, cut1);
  g_autofree char *cmd2 = g_strdup_printf ("sh -c 'head -c 20000 \"%s\" > \"%s\"'", path, cut2);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image1 = NULL;
  g_autoptr(YardImage) image2 = NULL;

  run_or_fail (cmd1);
  run_or_fail (cmd2);

  image1 = yard_image_inspect (cut1, NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE);
  g_assert_null (image1);
  g_assert_nonnull (strstr (error->message, "truncated"));
  g_clear_error (&error);

  image2 = yard_image_inspect (cut2, NULL, &error);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE);
  g_assert_null (image2);
}

static void
test_random_file (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *path = make_random_file (tmpdir, "random.iso", 300000);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, NULL, &error);

  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE);
  g_assert_null (image);
  g_assert_nonnull (strstr (error->message, "random.iso"));
}

static void
test_sparse_4gib (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  g_autofree char *linux_path = make_linux_iso (tmpdir, "big-live.iso", DISTRO_DEBIAN_LIVE);
  g_autofree char *dos_path = make_dos_iso (tmpdir, "big-dos.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) live = NULL;
  g_autoptr(YardImage) dos = NULL;
  gint64 start;

  g_assert_no_errno (truncate (linux_path, G_GINT64_CONSTANT (4) << 30));
  g_assert_no_errno (truncate (dos_path, G_GINT64_CONSTANT (4) << 30));

  start = g_get_monotonic_time ();
  live = yard_image_inspect (linux_path, "big-live.iso", &error);
  g_test_message ("4 GiB sparse inspection: %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time () - start);
  g_assert_no_error (error);
  g_assert_cmpuint (yard_image_get_size (live), ==, G_GUINT64_CONSTANT (4) << 30);
  g_assert_cmpint (yard_image_get_method (live), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (live), ==, "debian-live");

  /* a DOS image over 2 GiB can't go through memdisk: sanboot, and the reason says why */
  dos = yard_image_inspect (dos_path, "big-dos.iso", &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_image_get_method (dos), ==, YARD_IMAGE_METHOD_SANBOOT);
  g_assert_true (yard_image_is_bootable (dos));
  g_assert_nonnull (strstr (yard_image_get_reason (dos), "2 GiB"));
}

static void
test_debian_ipxe_iso (void)
{
  const char *path = "/usr/lib/ipxe/ipxe.iso";
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *report = NULL;
  g_autofree char *expect_line = NULL;
  GArray *boot;
  YardElToritoEntry *bios;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Debian's ipxe package is not installed");
      return;
    }

  image = yard_image_inspect (path, "ipxe.iso", &error);
  g_assert_cmpstr (yard_image_get_label (image), ==, "ipxe"); /* not "iPXE" or a volume label */
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (yard_image_get_files (image), "ipxe.krn",
                                                   g_str_equal, NULL));
  boot = yard_image_get_boot_entries (image);
  g_assert_cmpuint (boot->len, ==, 2);
  bios = &g_array_index (boot, YardElToritoEntry, 0);
  g_assert_cmpint (bios->platform, ==, YARD_EL_TORITO_PLATFORM_BIOS);
  g_assert_cmpint (g_array_index (boot, YardElToritoEntry, 1).platform, ==,
                   YARD_EL_TORITO_PLATFORM_UEFI);

  /* cross-check the catalog with xorriso's own reading of it */
  report = run_output ("xorriso -indev /usr/lib/ipxe/ipxe.iso -report_el_torito plain");
  expect_line = g_strdup_printf (" %u\n", bios->load_rba);
  g_assert_nonnull (strstr (report, "BIOS  y   none"));
  g_assert_nonnull (strstr (strstr (report, "BIOS  y   none"), expect_line));

  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_MEMDISK);
  g_assert_true (yard_image_is_bootable (image));
}

static void
test_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (256, 'a');
  g_autofree char *stem = NULL;

  g_assert_true (yard_image_name_is_valid ("debian-12.iso", NULL));
  g_assert_true (yard_image_name_is_valid ("Ubuntu 24.04 Desktop.iso", NULL));
  g_assert_false (yard_image_name_is_valid ("../x.iso", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (yard_image_name_is_valid ("a/b.iso", NULL));
  g_assert_false (yard_image_name_is_valid ("a\\b.iso", NULL));
  g_assert_false (yard_image_name_is_valid (".hidden.iso", NULL));
  g_assert_false (yard_image_name_is_valid ("", NULL));
  g_assert_false (yard_image_name_is_valid (long_name, NULL));
  g_assert_false (yard_image_name_is_valid ("a\nb", NULL));
  g_assert_false (yard_image_name_is_valid ("\xff\xfe.iso", NULL));

  stem = yard_image_stem_for_name ("noext");
  g_assert_cmpstr (stem, ==, "noext.files");

  {
    static const struct { const char *in, *out; } cases[] = {
      { "MS-DOS 6.22.iso", "MS-DOS_6.22.iso" },
      { "/home/me/Downloads/debian-12.8.0-amd64-netinst.iso", "debian-12.8.0-amd64-netinst.iso" },
      { ".hidden.img", "hidden.img" },
      { "Ünïcode  disk.img", "n_code_disk.img" },
      { "...", "image" },
      { "a\"b'c;d$e.iso", "a_b_c_d_e.iso" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *name = yard_image_suggest_name (cases[i].in);

        g_assert_cmpstr (name, ==, cases[i].out);
        g_assert_true (yard_image_name_is_valid (name, NULL));
      }
  }
}

/* Names for people: what the image says it is, else its file name; never a volume label. */
static void
test_labels (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  static const struct
  {
    const char *name;
    Distro      distro;
    const char *label;
  } cases[] = {
    { "debian-live-12.8.0-amd64-gnome.iso", DISTRO_DEBIAN_LIVE,
      "Debian GNU/Linux 12.8.0 \"Bookworm\"" },
    { "ubuntu-24.04.1-desktop-amd64.iso", DISTRO_UBUNTU,
      "Ubuntu 24.04.1 LTS \"Noble Numbat\"" },
    { "Fedora-Server-dvd-x86_64-41-1.4.iso", DISTRO_FEDORA, "Fedora 41" },
    { "archlinux-2024.11.01-x86_64.iso", DISTRO_ARCH, "Arch Linux 2024.11.01" },
    { "debian-12.8.0-amd64-netinst.iso", DISTRO_DEBIAN_INSTALLER,
      "Debian GNU/Linux 12.8.0 \"Bookworm\"" },
    { "mt86plus.iso", DISTRO_MEMTEST, "Memtest86+ 6.10" },
    /* no metadata: the file name, not "ISOIMAGE" or "Fedora-WS-Live-41-1-4" */
    { "mini.iso", DISTRO_DEBIAN_MINI, "mini" },
    { "Fedora-Workstation-Live-41.iso", DISTRO_FEDORA_LIVE, "Fedora-Workstation-Live-41" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = make_linux_iso (tmpdir, cases[i].name, cases[i].distro);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardImage) image = yard_image_inspect (path, cases[i].name, &error);
      g_autoptr(JsonNode) json = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (yard_image_get_label (image), ==, cases[i].label);
      json = yard_image_to_json (image);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "label"), ==,
                       cases[i].label);
    }
}

/* The old productmd format ([general] only), a .disk/info without " - ", and metadata that
 * says nothing (blank, control characters only): the file name then. */
static void
test_label_metadata_forms (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image");
  static const struct
  {
    const char *file;
    const char *contents;
    const char *label;
  } cases[] = {
    { ".treeinfo", "[general]\nfamily = CentOS\nversion = 7\narch = x86_64\n", "CentOS 7" },
    { ".treeinfo", "[general]\nname = Red Hat Enterprise Linux 9.4\n",
      "Red Hat Enterprise Linux 9.4" },
    { ".treeinfo", "[images-x86_64]\nkernel = images/pxeboot/vmlinuz\n", "plain" },
    { ".disk/info", "Kali Linux 2024.3\nsecond line\n", "Kali Linux 2024.3" },
    { ".disk/info", "  \t \n", "plain" },
    { "arch/version", "\n", "plain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *iso = g_strdup_printf ("plain-%u.iso", i);
      g_autofree char *path = g_build_filename (tmpdir, iso, NULL);
      g_autofree char *tree = g_strconcat (path, ".tree", NULL);
      g_autofree char *cmd = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(YardImage) image = NULL;

      write_file (tree, "README", "data", -1);
      write_file (tree, cases[i].file, cases[i].contents, -1);
      cmd = g_strdup_printf ("xorriso -as mkisofs -quiet -R -J -V CDROM -o '%s' '%s'", path,
                             tree);
      run_or_fail (cmd);
      image = yard_image_inspect (path, "plain.iso", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (yard_image_get_volume_label (image), ==, "CDROM");
      g_assert_cmpstr (yard_image_get_label (image), ==, cases[i].label);
    }
}

/* Debian's memtest86+x64.iso: EFI/BOOT/bootx64.efi (memtest.efi, with the Linux boot header)
 * and boot/floppy.img. It boots as a kernel on both firmwares, named by its version. */
static void
test_debian_memtest_iso (void)
{
  const char *path = "/usr/lib/memtest86+/memtest86+x64.iso";
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autofree char *version = NULL;
  g_autofree char *expect = NULL;
  char *dash;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Debian's memtest86+ package is not installed");
      return;
    }

  image = yard_image_inspect (path, "memtest86+x64.iso", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yard_image_get_volume_label (image), ==, "MT86PLUS_64");
  g_assert_cmpint (yard_image_get_method (image), ==, YARD_IMAGE_METHOD_LINUX);
  g_assert_cmpstr (yard_image_get_distribution (image), ==, "memtest86+");
  g_assert_cmpstr (yard_image_get_kernel (image), ==, "images/memtest86+x64/EFI/BOOT/bootx64.efi");
  g_assert_cmpuint (yard_image_get_initrds (image)->len, ==, 0);

  /* the package's upstream version, e.g. 6.10 of "6.10-4" */
  version = run_output ("dpkg-query -W -f=${Version} memtest86+");
  dash = strchr (version, '-');
  if (dash != NULL)
    *dash = '\0';
  expect = g_strdup_printf ("Memtest86+ %s", version);
  g_assert_cmpstr (yard_image_get_label (image), ==, expect);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!tools_available ())
    {
      g_print ("1..0 # SKIP xorriso, mkfs.fat or mtools missing (build-aux/dev installs them)\n");
      return 77;
    }

  g_test_add_func ("/yard/image/floppy", test_floppy);
  g_test_add_func ("/yard/image/dos-floppy-emulation-iso", test_dos_floppy_emulation_iso);
  g_test_add_func ("/yard/image/debian-live", test_debian_live);
  g_test_add_func ("/yard/image/debian-live-other-name", test_debian_live_other_name);
  g_test_add_func ("/yard/image/extract-hard-links", test_extract_hard_links);
  g_test_add_func ("/yard/image/ubuntu-casper", test_ubuntu_casper);
  g_test_add_func ("/yard/image/fedora", test_fedora);
  g_test_add_func ("/yard/image/fedora-live", test_fedora_live);
  g_test_add_func ("/yard/image/fedora-live-not-iso-name", test_fedora_live_not_iso_name);
  g_test_add_func ("/yard/image/arch", test_arch);
  g_test_add_func ("/yard/image/debian-installer", test_debian_installer);
  g_test_add_func ("/yard/image/debian-mini", test_debian_mini);
  g_test_add_func ("/yard/image/memtest", test_memtest);
  g_test_add_func ("/yard/image/harddisk", test_harddisk);
  g_test_add_func ("/yard/image/udf-only", test_udf_only);
  g_test_add_func ("/yard/image/json", test_json);
  g_test_add_func ("/yard/image/data-iso-sanboot", test_data_iso_sanboot);
  g_test_add_func ("/yard/image/truncated", test_truncated);
  g_test_add_func ("/yard/image/random-file", test_random_file);
  g_test_add_func ("/yard/image/sparse-4gib", test_sparse_4gib);
  g_test_add_func ("/yard/image/debian-ipxe-iso", test_debian_ipxe_iso);
  g_test_add_func ("/yard/image/names", test_names);
  g_test_add_func ("/yard/image/labels", test_labels);
  g_test_add_func ("/yard/image/label-metadata-forms", test_label_metadata_forms);
  g_test_add_func ("/yard/image/debian-memtest-iso", test_debian_memtest_iso);

  return g_test_run ();
}
