/* test-boot-support.c: what boots where, from real kernels in a boot root
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verdicts must be the writers' own: an entry that a loader's file leaves out is the one
 * the API says that loader leaves out, and the other way round.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yard-boot-support.h"
#include "yard-grub.h"
#include "yard-pxelinux.h"
#include "test-dirs.h"
#include "test-image-util.h"

#define DI_X64   "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/"
#define DI_ARM64 "/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64/"

typedef struct
{
  char *root;
} Fixture;

static void
link_into (const char *root,
           const char *source,
           const char *name)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *real = NULL;

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: build-aux/dev test installs the package that has it", source);
  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  /* a link, not a symlink: only files inside the root are served */
  real = realpath (source, NULL);
  g_assert_nonnull (real);
  if (link (real, path) != 0)
    {
      g_autoptr(GFile) from = g_file_new_for_path (real);
      g_autoptr(GFile) to = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;

      g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->root = yard_test_make_dir ("boot-support");
  link_into (f->root, DI_X64 "linux", "images/d-i-amd64/linux");
  link_into (f->root, DI_X64 "initrd.gz", "images/d-i-amd64/initrd.gz");
  link_into (f->root, DI_ARM64 "linux", "images/d-i-arm64/linux");
  link_into (f->root, DI_ARM64 "initrd.gz", "images/d-i-arm64/initrd.gz");
  link_into (f->root, "/usr/lib/ipxe/ipxe.efi", "images/unsigned.efi");
  link_into (f->root, "/usr/lib/ipxe/ipxe.iso", "images/ipxe.iso");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->root);
}

static YardBootMenu *
lab_menu (void)
{
  YardBootMenu *menu = yard_boot_menu_new ();
  const char *x64_initrds[] = { "images/d-i-amd64/initrd.gz", NULL };
  const char *arm_initrds[] = { "images/d-i-arm64/initrd.gz", NULL };
  YardBootEntry *entries[] = {
    yard_boot_entry_new_linux ("x64", "Debian installer (x86-64)", "images/d-i-amd64/linux",
                               x64_initrds, "---"),
    yard_boot_entry_new_linux ("arm", "Debian installer (ARM64)", "images/d-i-arm64/linux",
                               arm_initrds, "---"),
    yard_boot_entry_new_linux ("unsigned", "An unsigned EFI kernel", "images/unsigned.efi",
                               NULL, NULL),
    yard_boot_entry_new_memdisk ("dos", "iPXE by memdisk", "images/ipxe.iso",
                                 YARD_MEMDISK_ISO, TRUE),
    yard_boot_entry_new_linux ("gone", "Deleted kernel", "images/gone/linux", NULL, NULL),
    yard_boot_entry_new_local ("local", "Local disk"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (yard_boot_menu_add_entry (menu, entries[i], -1, NULL, &error));
      g_assert_no_error (error);
      g_object_unref (entries[i]);
    }
  return menu;
}

static JsonObject *
support_of (JsonObject *menu_json,
            const char *id)
{
  JsonArray *entries = json_object_get_array_member (menu_json, "entries");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "id"), id) == 0)
        return json_object_get_object_member (entry, "support");
    }
  g_assert_not_reached ();
}

static const char *
loader_verdict (JsonObject *support,
                const char *loader)
{
  return json_object_get_string_member (json_object_get_object_member (support, "loaders"),
                                        loader);
}

static void
test_real_kernels (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(YardBootMenu) menu = lab_menu ();
  g_autoptr(JsonNode) node = yard_boot_menu_to_json (menu);
  JsonObject *json = json_node_get_object (node);
  JsonObject *s;

  yard_boot_menu_add_support_json (menu, json, f->root);

  /* Debian's installer kernels: their CPU from the header, signed, so Secure Boot stays on */
  s = support_of (json, "x64");
  g_assert_cmpstr (json_object_get_string_member (s, "arch"), ==, "x86-64");
  g_assert_true (json_object_get_boolean_member (s, "secureBoot"));
  g_assert_null (json_object_get_string_member (s, "secureBootReason"));
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    g_assert_null (loader_verdict (s, yard_loader_to_string (i)));

  s = support_of (json, "arm");
  g_assert_cmpstr (json_object_get_string_member (s, "arch"), ==, "arm64");
  g_assert_true (json_object_get_boolean_member (s, "secureBoot"));
  g_assert_nonnull (strstr (loader_verdict (s, "pxelinux"), "ARM64"));
  g_assert_nonnull (strstr (loader_verdict (s, "syslinux"), "ARM64"));
  g_assert_null (loader_verdict (s, "grub"));

  /* an unsigned EFI program boots only with Secure Boot off */
  s = support_of (json, "unsigned");
  g_assert_false (json_object_get_boolean_member (s, "secureBoot"));
  g_assert_cmpstr (json_object_get_string_member (s, "secureBootReason"), ==,
                   "the kernel is not signed");

  s = support_of (json, "dos");
  g_assert_null (json_object_get_member (s, "arch") ? json_object_get_string_member (s, "arch")
                                                    : NULL);
  g_assert_false (json_object_get_boolean_member (s, "secureBoot"));
  g_assert_null (loader_verdict (s, "pxelinux"));
  g_assert_nonnull (loader_verdict (s, "grub"));
  g_assert_nonnull (loader_verdict (s, "syslinux"));
  g_assert_null (loader_verdict (s, "ipxe"));

  s = support_of (json, "gone");
  g_assert_nonnull (strstr (loader_verdict (s, "grub"), "missing"));
  g_assert_nonnull (strstr (loader_verdict (s, "syslinux"), "images/gone/linux is missing"));
  {
    JsonArray *missing = json_object_get_array_member (s, "missing");

    g_assert_cmpuint (json_array_get_length (missing), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "images/gone/linux");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (support_of (json, "x64"),
                                                                           "missing")), ==, 0);
  }
  g_assert_nonnull (strstr (json_object_get_string_member (s, "secureBootReason"),
                            "cannot read"));

  s = support_of (json, "local");
  g_assert_true (json_object_get_boolean_member (s, "secureBoot"));

  g_assert_finalize_object (g_steal_pointer (&menu));
}

/* What the API says a loader leaves out is what that loader's file leaves out. */
static void
test_same_as_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(YardBootMenu) menu = lab_menu ();
  YardGrubOptions options = { .root_dir = f->root, .http_port = 8067 };
  g_autofree char *grub = yard_grub_menu_config (menu, &options);
  g_autofree char *efi = yard_pxelinux_to_efi_data (menu, f->root);

  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *id = yard_boot_entry_get_id (entry);
      g_autofree char *grub_why = yard_boot_entry_unsupported_by (entry, YARD_LOADER_GRUB,
                                                                  f->root);
      g_autofree char *efi_why = yard_boot_entry_unsupported_by (entry,
                                                                 YARD_LOADER_SYSLINUX_EFI,
                                                                 f->root);
      g_autofree char *grub_entry = g_strdup_printf ("--id='%s'", id);
      g_autofree char *efi_label = g_strdup_printf ("LABEL %s\n", id);

      g_test_message ("%s: grub %s, syslinux.efi %s", id, grub_why ? grub_why : "in",
                      efi_why ? efi_why : "in");
      g_assert_cmpint (strstr (grub, grub_entry) != NULL, ==, grub_why == NULL);
      g_assert_cmpint (strstr (efi, efi_label) != NULL, ==, efi_why == NULL);
    }
  g_assert_finalize_object (g_steal_pointer (&menu));
}

static void
write_sized (const char *root,
             const char *name,
             gsize       size)
{
  g_autofree char *data = g_malloc0 (size);

  write_file (root, name, data, size);
}

static char *
firmware_verdict (YardBootEntry *entry,
                  gboolean       uefi,
                  const char    *root)
{
  return yard_boot_entry_firmware_unsupported (entry, uefi, root);
}

/* Each firmware's verdict, from real files: memtest86+'s .efi (the Linux boot header and an
 * EFI program) boots on both, its .bin on BIOS only, memdisk on BIOS only unless the ISO has
 * a UEFI record that iPXE's sanboot can start. */
static void
test_firmware (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dos_iso = make_dos_iso (f->root, "images/msdos.iso");
  g_autofree char *floppy = make_floppy (f->root, "images/freedos.img");
  g_autoptr(YardBootEntry) efi = NULL;
  g_autoptr(YardBootEntry) bin = NULL;
  g_autoptr(YardBootEntry) ipxe_iso = NULL;
  g_autoptr(YardBootEntry) dos = NULL;
  g_autoptr(YardBootEntry) fd = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *firmware;
  char *reason;

  link_into (f->root, "/boot/memtest86+x64.efi", "images/memtest86+x64/EFI/BOOT/bootx64.efi");
  link_into (f->root, "/boot/memtest86+x64.bin", "images/memtest86+x64.bin");
  efi = yard_boot_entry_new_linux ("mt", "Memtest86+", "images/memtest86+x64/EFI/BOOT/bootx64.efi",
                                   NULL, "");
  bin = yard_boot_entry_new_linux ("mtbin", "Memtest86+", "images/memtest86+x64.bin", NULL, "");
  ipxe_iso = yard_boot_entry_new_memdisk ("ipxe", "iPXE", "images/ipxe.iso", YARD_MEMDISK_ISO,
                                          TRUE);
  dos = yard_boot_entry_new_memdisk ("dos", "DOS", "images/msdos.iso", YARD_MEMDISK_ISO, TRUE);
  fd = yard_boot_entry_new_memdisk ("fd", "FreeDOS", "images/freedos.img", YARD_MEMDISK_FLOPPY,
                                    TRUE);

  g_assert_null (firmware_verdict (efi, FALSE, f->root));
  g_assert_null (firmware_verdict (efi, TRUE, f->root));
  g_assert_null (firmware_verdict (bin, FALSE, f->root));
  reason = firmware_verdict (bin, TRUE, f->root);
  g_assert_nonnull (strstr (reason, "no EFI program"));
  g_free (reason);

  g_assert_null (firmware_verdict (ipxe_iso, FALSE, f->root));
  g_assert_null (firmware_verdict (ipxe_iso, TRUE, f->root)); /* sanboot of its UEFI record */
  reason = firmware_verdict (dos, TRUE, f->root);
  g_assert_nonnull (strstr (reason, "no UEFI boot record"));
  g_free (reason);
  reason = firmware_verdict (fd, TRUE, f->root);
  g_assert_nonnull (strstr (reason, "memdisk is a BIOS program"));
  g_free (reason);
  g_assert_null (firmware_verdict (fd, FALSE, f->root));

  /* the same in the JSON, with Secure Boot's own verdict: memtest's .efi is not signed */
  json = yard_boot_entry_support_to_json (fd, f->root);
  firmware = json_object_get_object_member (json_node_get_object (json), "firmware");
  g_assert_true (json_object_get_null_member (firmware, "bios"));
  g_assert_nonnull (strstr (json_object_get_string_member (firmware, "uefi"), "memdisk"));
  g_clear_pointer (&json, json_node_unref);
  json = yard_boot_entry_support_to_json (efi, f->root);
  firmware = json_object_get_object_member (json_node_get_object (json), "firmware");
  g_assert_true (json_object_get_null_member (firmware, "bios"));
  g_assert_true (json_object_get_null_member (firmware, "uefi"));
  g_assert_false (json_object_get_boolean_member (json_node_get_object (json), "secureBoot"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json),
                                                  "secureBootReason"), ==,
                   "the kernel is not signed");
}

/* What a client must hold in RAM: the image (or the root file system its initramfs
 * downloads) + the kernel and initrds + the documented margin; nothing for entries that
 * load no image whole, or whose files are not there. */
static void
test_memory_needed (Fixture       *f,
                    gconstpointer  data)
{
  const char *live_initrds[] = { "images/live/live/initrd.img", NULL };
  const char *arch_initrds[] = { "images/arch/arch/boot/x86_64/initramfs-linux.img", NULL };
  g_autoptr(YardBootEntry) fd = NULL;
  g_autoptr(YardBootEntry) live = NULL;
  g_autoptr(YardBootEntry) casper = NULL;
  g_autoptr(YardBootEntry) dracut = NULL;
  g_autoptr(YardBootEntry) arch = NULL;
  g_autoptr(YardBootEntry) other_server = NULL;
  g_autoptr(YardBootEntry) resolved = NULL;
  g_autoptr(YardBootEntry) escaped = NULL;
  g_autoptr(YardBootEntry) outside = NULL;
  g_autoptr(YardBootEntry) netboot = NULL;
  g_autoptr(YardBootEntry) sanboot = NULL;
  g_autoptr(YardBootEntry) gone = NULL;
  g_autoptr(YardBootEntry) local = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *floppy = make_floppy (f->root, "images/freedos.img");
  const guint64 kernel = 3000, initrd = 5000, iso = 700000, sfs = 400000;

  write_sized (f->root, "images/live.iso", iso);
  write_sized (f->root, "images/live 2.iso", iso);
  write_sized (f->root, "images/live/live/vmlinuz", kernel);
  write_sized (f->root, "images/live/live/initrd.img", initrd);
  write_sized (f->root, "images/arch/arch/boot/x86_64/vmlinuz-linux", kernel);
  write_sized (f->root, "images/arch/arch/boot/x86_64/initramfs-linux.img", initrd);
  write_sized (f->root, "images/arch/arch/x86_64/airootfs.sfs", sfs);

  fd = yard_boot_entry_new_memdisk ("fd", "FreeDOS", "images/freedos.img", YARD_MEMDISK_FLOPPY,
                                    TRUE);
  live = yard_boot_entry_new_linux ("live", "Live", "images/live/live/vmlinuz", live_initrds,
                                    "boot=live components ip=dhcp "
                                    "fetch=${bootyard_http}/images/live.iso");
  casper = yard_boot_entry_new_linux ("casper", "Ubuntu", "images/live/live/vmlinuz",
                                      live_initrds, "boot=casper netboot=url ip=dhcp "
                                      "url=${bootyard_http}/images/live.iso");
  dracut = yard_boot_entry_new_linux ("dracut", "Fedora", "images/live/live/vmlinuz",
                                      live_initrds, "root=live:${bootyard_http}/images/live.iso "
                                      "rd.live.image ip=dhcp");
  arch = yard_boot_entry_new_linux ("arch", "Arch", "images/arch/arch/boot/x86_64/vmlinuz-linux",
                                    arch_initrds, "archisobasedir=arch "
                                    "archiso_http_srv=${bootyard_http}/images/arch/ ip=dhcp");
  other_server = yard_boot_entry_new_linux ("elsewhere", "Elsewhere", "images/live/live/vmlinuz",
                                            live_initrds, "fetch=http://mirror.example/x.iso");
  /* the form the server writes into pxelinux.cfg/default and reads back: its own URL */
  resolved = yard_boot_entry_new_linux ("resolved", "Fedora", "images/live/live/vmlinuz",
                                        live_initrds, "root=live:http://10.77.0.2:8067/boot/"
                                        "images/live.iso rd.live.image ip=dhcp");
  escaped = yard_boot_entry_new_linux ("escaped", "Live 2", "images/live/live/vmlinuz",
                                       live_initrds, "fetch=${bootyard_http}/images/live%202.iso");
  outside = yard_boot_entry_new_linux ("outside", "Outside", "images/live/live/vmlinuz",
                                       live_initrds, "fetch=http://10.77.0.2:8067/boot/%2e%2e/x.iso "
                                       "url=http://10.77.0.2:8067/boot//etc/passwd");
  netboot = yard_boot_entry_new_linux ("di", "Installer", "images/live/live/vmlinuz",
                                       live_initrds, "vga=788 --- quiet");
  sanboot = yard_boot_entry_new_ipxe_script ("san", "sanboot",
                                             "#!ipxe\nsanboot ${bootyard_http}/images/live.iso\n");
  gone = yard_boot_entry_new_memdisk ("gone", "Gone", "images/gone.img", YARD_MEMDISK_FLOPPY,
                                      TRUE);
  local = yard_boot_entry_new_local ("local", "Local disk");

  g_assert_cmpuint (yard_boot_entry_memory_needed (fd, f->root), ==,
                    1474560 + YARD_MEMDISK_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (live, f->root), ==,
                    iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (casper, f->root), ==,
                    iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (dracut, f->root), ==,
                    iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (arch, f->root), ==,
                    sfs + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (other_server, f->root), ==, 0);
  g_assert_cmpuint (yard_boot_entry_memory_needed (resolved, f->root), ==,
                    iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (escaped, f->root), ==,
                    iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN);
  g_assert_cmpuint (yard_boot_entry_memory_needed (outside, f->root), ==, 0);
  g_assert_cmpuint (yard_boot_entry_memory_needed (netboot, f->root), ==, 0);
  g_assert_cmpuint (yard_boot_entry_memory_needed (sanboot, f->root), ==, 0);
  g_assert_cmpuint (yard_boot_entry_memory_needed (gone, f->root), ==, 0);
  g_assert_cmpuint (yard_boot_entry_memory_needed (local, f->root), ==, 0);

  json = yard_boot_entry_support_to_json (live, f->root);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "memoryNeeded"), ==,
                   (gint64) (iso + kernel + initrd + YARD_LINUX_MEMORY_MARGIN));
  g_clear_pointer (&json, json_node_unref);
  json = yard_boot_entry_support_to_json (local, f->root);
  g_assert_true (json_object_get_null_member (json_node_get_object (json), "memoryNeeded"));
}

/* An entry whose files are gone is left out of the UEFI menus, and is back in the next
 * write once they return; its missing list names each one. */
static void
test_missing_comes_back (Fixture       *f,
                         gconstpointer  data)
{
  const char *initrds[] = { "images/back/initrd.gz", NULL };
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
  g_autoptr(YardBootEntry) entry = yard_boot_entry_new_linux ("back", "Comes back",
                                                              "images/back/linux", initrds,
                                                              "---");
  g_autoptr(YardBootEntry) floppy = yard_boot_entry_new_memdisk ("fd", "Floppy",
                                                                 "images/fd.img",
                                                                 YARD_MEMDISK_FLOPPY, TRUE);
  YardGrubOptions options = { .root_dir = f->root, .http_port = 8067 };
  g_autofree char *efi = NULL;
  g_autofree char *grub = NULL;
  g_auto(GStrv) missing = NULL;

  g_assert_true (yard_boot_menu_add_entry (menu, entry, -1, NULL, NULL));

  missing = yard_boot_entry_dup_missing_files (entry, f->root);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, "images/back/linux");
  g_assert_cmpstr (missing[1], ==, "images/back/initrd.gz");
  g_clear_pointer (&missing, g_strfreev);
  missing = yard_boot_entry_dup_missing_files (floppy, f->root);
  g_assert_cmpstrv (missing, ((const char *[]) { "images/fd.img", NULL }));
  g_clear_pointer (&missing, g_strfreev);

  efi = yard_pxelinux_to_efi_data (menu, f->root);
  grub = yard_grub_menu_config (menu, &options);
  g_assert_null (strstr (efi, "LABEL back\n"));
  g_assert_null (strstr (grub, "--id='back'"));
  g_clear_pointer (&efi, g_free);
  g_clear_pointer (&grub, g_free);
  /* the BIOS file keeps it, greyed out, as its loader verdict says */
  {
    g_autofree char *why = yard_boot_entry_unsupported_by (entry, YARD_LOADER_PXELINUX, f->root);
    g_autofree char *bios = yard_pxelinux_to_root_data (menu, f->root);

    g_assert_cmpstr (why, ==, "images/back/linux is missing from the boot root");
    g_assert_nonnull (strstr (bios, "LABEL back\n"));
    g_assert_nonnull (strstr (bios, "MENU LABEL Comes back (file missing)\n  MENU DISABLE\n"));
  }

  /* the kernel alone is not enough: its initrd is still missing */
  link_into (f->root, DI_X64 "linux", "images/back/linux");
  missing = yard_boot_entry_dup_missing_files (entry, f->root);
  g_assert_cmpstrv (missing, ((const char *[]) { "images/back/initrd.gz", NULL }));
  g_clear_pointer (&missing, g_strfreev);
  efi = yard_pxelinux_to_efi_data (menu, f->root);
  g_assert_null (strstr (efi, "LABEL back\n"));
  g_clear_pointer (&efi, g_free);

  link_into (f->root, DI_X64 "initrd.gz", "images/back/initrd.gz");
  missing = yard_boot_entry_dup_missing_files (entry, f->root);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  efi = yard_pxelinux_to_efi_data (menu, f->root);
  grub = yard_grub_menu_config (menu, &options);
  g_assert_nonnull (strstr (efi, "LABEL back\n"));
  g_assert_nonnull (strstr (grub, "--id='back'"));
  {
    g_autofree char *why = yard_boot_entry_unsupported_by (entry, YARD_LOADER_PXELINUX, f->root);
    g_autofree char *bios = yard_pxelinux_to_root_data (menu, f->root);

    g_assert_null (why);
    g_assert_null (strstr (bios, "MENU DISABLE"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/yard/boot-support/missing-comes-back", Fixture, NULL, fixture_setup,
              test_missing_comes_back, fixture_teardown);
  g_test_add ("/yard/boot-support/firmware", Fixture, NULL, fixture_setup, test_firmware,
              fixture_teardown);
  g_test_add ("/yard/boot-support/memory-needed", Fixture, NULL, fixture_setup,
              test_memory_needed, fixture_teardown);
  g_test_add ("/yard/boot-support/real-kernels", Fixture, NULL, fixture_setup,
              test_real_kernels, fixture_teardown);
  g_test_add ("/yard/boot-support/same-as-files", Fixture, NULL, fixture_setup,
              test_same_as_files, fixture_teardown);
  return g_test_run ();
}
