/* test-image-util.h: images built by the tests with xorriso, mkfs.fat and mtools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by test-image.c, test-image-import.c and test-boot-root.c (header-only: each test is
 * one executable).
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

typedef enum
{
  DISTRO_DEBIAN_LIVE,
  DISTRO_UBUNTU,
  DISTRO_FEDORA,
  DISTRO_FEDORA_LIVE,
  DISTRO_ARCH,
  DISTRO_DEBIAN_INSTALLER,
  DISTRO_MEMTEST,
  DISTRO_DEBIAN_MINI,
} Distro;

G_GNUC_UNUSED static void
run_or_fail (const char *cmdline)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_command_line_sync (cmdline, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed:\n%s%s", cmdline, out, err);
}

G_GNUC_UNUSED static char *
run_output (const char *cmdline)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok;
  int status = 0;

  ok = g_spawn_command_line_sync (cmdline, &out, &err, &status, NULL);
  g_assert_true (ok);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

G_GNUC_UNUSED static gboolean
tools_available (void)
{
  g_autofree char *xorriso = g_find_program_in_path ("xorriso");
  g_autofree char *mkfs = g_find_program_in_path ("mkfs.fat");
  g_autofree char *mcopy = g_find_program_in_path ("mcopy");

  if (mkfs == NULL && g_file_test ("/usr/sbin/mkfs.fat", G_FILE_TEST_IS_EXECUTABLE))
    mkfs = g_strdup ("/usr/sbin/mkfs.fat");
  return xorriso != NULL && mkfs != NULL && mcopy != NULL;
}

G_GNUC_UNUSED static void
write_file (const char *dir,
            const char *relpath,
            const char *contents,
            gssize      len)
{
  g_autofree char *path = g_build_filename (dir, relpath, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (parent, 0755));
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

/* A FreeDOS-like 1.44 MB floppy: FAT12 with a boot sector (0x55AA) and a KERNEL.SYS. */
G_GNUC_UNUSED static char *
make_floppy (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *kernel = g_build_filename (dir, "KERNEL.SYS", NULL);
  g_autofree char *mkfs = g_strdup_printf ("/usr/sbin/mkfs.fat -C -n FREEDOS '%s' 1440", path);
  g_autofree char *mcopy = g_strdup_printf ("mcopy -i '%s' '%s' ::KERNEL.SYS", path, kernel);

  g_unlink (path);
  g_file_set_contents (kernel, "FreeDOS kernel, for a test", -1, NULL);
  run_or_fail (mkfs);
  run_or_fail (mcopy);
  return g_steal_pointer (&path);
}

/* An MS-DOS boot CD: El Torito 1.44 MB floppy emulation of a FAT floppy. */
G_GNUC_UNUSED static char *
make_dos_iso (const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tree = g_strconcat (path, ".tree", NULL);
  g_autofree char *floppy = NULL;
  g_autofree char *cmd = NULL;

  g_assert_no_errno (g_mkdir_with_parents (tree, 0755));
  floppy = make_floppy (tree, "floppy.img");
  write_file (tree, "README.TXT", "MS-DOS 6.22 boot disk\r\n", -1);
  cmd = g_strdup_printf ("xorriso -as mkisofs -quiet -V MSDOS622 -o '%s' -b floppy.img "
                         "-c boot.cat '%s'", path, tree);
  g_unlink (path);
  run_or_fail (cmd);
  return g_steal_pointer (&path);
}

/* A Linux ISO with the layout of each distribution (small fake kernel files), BIOS
 * no-emulation boot + an UEFI El Torito entry, Rock Ridge and Joliet. */
G_GNUC_UNUSED static char *
make_linux_iso (const char *dir,
                const char *name,
                Distro      distro)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tree = g_strconcat (path, ".tree", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *efi = g_malloc0 (64 * 1024);
  g_autofree char *big = g_malloc (300 * 1024);
  const char *label = NULL;

  for (guint i = 0; i < 300 * 1024; i++)
    big[i] = (char) (i * 7 + i / 4096);

  write_file (tree, "isolinux/isolinux.bin", "isolinux (fake)", -1);
  write_file (tree, "efi.img", efi, 64 * 1024);

  switch (distro)
    {
    case DISTRO_DEBIAN_LIVE:
      label = "d-live 12.8.0 gn amd64";
      write_file (tree, "live/vmlinuz-6.1.0-26-amd64", big, 300 * 1024);
      write_file (tree, "live/initrd.img-6.1.0-26-amd64", "initrd (fake)", -1);
      /* a stray initrd that sorts first: the kernel's own must be chosen */
      write_file (tree, "live/initrd.img-6.1.0-25-amd64", "old initrd (fake)", -1);
      write_file (tree, "live/filesystem.squashfs", "squashfs (fake)", -1);
      /* as debian-live-12.8.0-amd64-gnome.iso writes it */
      write_file (tree, ".disk/info", "Debian GNU/Linux 12.8.0 \"Bookworm\" - Official Live "
                  "amd64 gnome 20241109-11:05", -1);
      break;
    case DISTRO_UBUNTU:
      label = "Ubuntu 24.04 LTS amd64";
      write_file (tree, "casper/vmlinuz", big, 300 * 1024);
      write_file (tree, "casper/initrd", "initrd (fake)", -1);
      /* the HWE pair sorts first; the plain pair is the default one */
      write_file (tree, "casper/hwe-vmlinuz", "hwe kernel (fake)", -1);
      write_file (tree, "casper/hwe-initrd", "hwe initrd (fake)", -1);
      write_file (tree, "casper/filesystem.squashfs", "squashfs (fake)", -1);
      /* as ubuntu-24.04.1-desktop-amd64.iso writes it (no newline at the end) */
      write_file (tree, ".disk/info", "Ubuntu 24.04.1 LTS \"Noble Numbat\" - Release amd64 "
                  "(20240827.1)", -1);
      break;
    case DISTRO_FEDORA:
      label = "Fedora-S-dvd-x86_64-41";
      write_file (tree, "images/pxeboot/vmlinuz", big, 300 * 1024);
      write_file (tree, "images/pxeboot/initrd.img", "initrd (fake)", -1);
      write_file (tree, "images/install.img", "stage2 (fake)", -1);
      /* productmd 1.2, as Fedora-Server-dvd-x86_64-41-1.4.iso writes it (shortened) */
      write_file (tree, ".treeinfo", "[header]\ntype = productmd.treeinfo\nversion = 1.2\n\n"
                  "[release]\nname = Fedora\nshort = Fedora\nversion = 41\n\n"
                  "[general]\narch = x86_64\nfamily = Fedora\nname = Fedora 41\n"
                  "platforms = x86_64,xen\nversion = 41\n", -1);
      break;
    case DISTRO_FEDORA_LIVE:
      label = "Fedora-WS-Live-41-1-4";
      write_file (tree, "images/pxeboot/vmlinuz", big, 300 * 1024);
      write_file (tree, "images/pxeboot/initrd.img", "initrd (fake)", -1);
      write_file (tree, "LiveOS/squashfs.img", "squashfs (fake)", -1);
      break;
    case DISTRO_ARCH:
      label = "ARCH_202411";
      write_file (tree, "arch/boot/x86_64/vmlinuz-linux", big, 300 * 1024);
      write_file (tree, "arch/boot/x86_64/initramfs-linux.img", "initramfs (fake)", -1);
      write_file (tree, "arch/x86_64/airootfs.sfs", "airootfs (fake)", -1);
      write_file (tree, "arch/x86_64/airootfs.sha512", "sha512 (fake)", -1);
      /* archiso's build.sh: the ISO's version, one line */
      write_file (tree, "arch/version", "2024.11.01\n", -1);
      break;
    case DISTRO_DEBIAN_INSTALLER:
      label = "Debian 12.8.0 amd64 n";
      write_file (tree, "install.amd/vmlinuz", big, 300 * 1024);
      write_file (tree, "install.amd/initrd.gz", "initrd (fake)", -1);
      write_file (tree, "pool/main/x.deb", "deb (fake)", -1);
      write_file (tree, ".disk/info", "Debian GNU/Linux 12.8.0 \"Bookworm\" - Official amd64 "
                  "NETINST with firmware 20241109-11:04\n", -1);
      break;
    case DISTRO_DEBIAN_MINI:
      label = "ISOIMAGE";
      write_file (tree, "linux", big, 300 * 1024);
      write_file (tree, "initrd.gz", "netboot initrd (fake)", -1);
      write_file (tree, "txt.cfg", "label install\n", -1);
      break;
    case DISTRO_MEMTEST:
      label = "MT86PLUS_64";
      /* the version string sits in the binary, where memtest86+ 6 keeps its screen title */
      memcpy (big + 70000, "Memtest86+ v6.10\0", 17);
      write_file (tree, "boot/memtest86+x64.bin", big, 300 * 1024);
      break;
    default:
      g_assert_not_reached ();
    }

  cmd = g_strdup_printf ("xorriso -as mkisofs -quiet -R -J -V '%s' -o '%s' "
                         "-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot "
                         "-boot-load-size 4 -eltorito-alt-boot -e efi.img -no-emul-boot '%s'",
                         label, path, tree);
  g_unlink (path);
  run_or_fail (cmd);
  return g_steal_pointer (&path);
}

/* A 4 MiB hard disk image: an MBR with one active FAT16 partition. */
G_GNUC_UNUSED static char *
make_harddisk (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size = 4 * 1024 * 1024;
  g_autofree guint8 *data = g_malloc0 (size);
  guint8 *p = data + 446;

  data[0] = 0xFA; /* cli: boot code starts here */
  p[0] = 0x80;    /* active */
  p[4] = 0x06;    /* FAT16 */
  p[8] = 63;      /* first LBA */
  p[12] = (size / 512 - 63) & 0xff;
  p[13] = ((size / 512 - 63) >> 8) & 0xff;
  data[510] = 0x55;
  data[511] = 0xAA;
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  return g_steal_pointer (&path);
}

/* A data disc: no El Torito record, plain ISO 9660 (no Rock Ridge, no Joliet). */
G_GNUC_UNUSED static char *
make_data_iso (const char *dir,
               const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tree = g_strconcat (path, ".tree", NULL);
  g_autofree char *cmd = NULL;

  write_file (tree, "photos/one.txt", "one", -1);
  write_file (tree, "two.txt", "two", -1);
  cmd = g_strdup_printf ("xorriso -report_about SORRY -rockridge off -joliet off "
                         "-volid BACKUP -outdev '%s' -map '%s' /", path, tree);
  g_unlink (path);
  run_or_fail (cmd);
  return g_steal_pointer (&path);
}

/* Pseudo-random bytes from a fixed seed: never an ISO, a FAT or an MBR by chance. */
G_GNUC_UNUSED static char *
make_random_file (const char *dir,
                  const char *name,
                  gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;
  data[510] = 0x12; /* no boot signature */
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  return g_steal_pointer (&path);
}

/* Every regular file under dir, relative, sorted, newline-separated. */
G_GNUC_UNUSED static char *
list_tree (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("sh -c 'cd \"%s\" && find . -mindepth 1 | sort'", dir);

  return run_output (cmd);
}
