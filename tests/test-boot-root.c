/* test-boot-root.c: installing bootloaders from the system and from a downloaded release
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The download path is tested against a SoupServer on 127.0.0.1 (port 0) serving tarballs
 * that the test builds with tar from fake but correctly laid out syslinux and iPXE trees;
 * the "system" is a directory prefix that the test fills (or leaves empty).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "yard-boot-root.h"
#include "yard-boot-support.h"
#include "yard-pxelinux.h"
#include "yard-error.h"
#include "yard-release-fetch.h"
#include "test-dirs.h"
#include "test-image-util.h"

typedef struct
{
  char       *dir;     /* everything the test makes */
  char       *root;    /* the boot root */
  char       *prefix;  /* the fake system */
  SoupServer *server;
  char       *base_url;
  guint       requests;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *file = g_build_filename (f->dir, "www", path, NULL);
  char *data = NULL;
  gsize len = 0;

  f->requests++;
  if (strstr (path, "..") != NULL || !g_file_get_contents (file, &data, &len, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE, data,
                                    len);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->dir = yard_test_make_dir ("boot-root");
  f->root = g_build_filename (f->dir, "root", NULL);
  f->prefix = g_build_filename (f->dir, "system", NULL);
  g_assert_no_errno (g_mkdir_with_parents (f->prefix, 0755));

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->base_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (g_str_has_prefix (f->base_url, "http://127.0.0.1:"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->dir);
  g_free (f->root);
  g_free (f->prefix);
  g_free (f->base_url);
}

static char *
read_root (Fixture    *f,
           const char *file)
{
  g_autofree char *path = g_build_filename (f->root, file, NULL);
  char *data = NULL;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return NULL;
  return data;
}

static gboolean
root_has (Fixture    *f,
          const char *file)
{
  g_autofree char *path = g_build_filename (f->root, file, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
install_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A root that downloads as the server's does (yard_release_fetch). */
static YardBootRoot *
new_root (Fixture *f)
{
  YardBootRoot *root = yard_boot_root_new (f->root);

  yard_boot_root_set_fetch_func (root, yard_release_fetch);
  return root;
}

/* Runs the installer in its worker thread while the main loop serves HTTP. */
static gboolean
install (YardBootRoot  *root,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  yard_boot_root_install_async (root, NULL, install_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return yard_boot_root_install_finish (root, result, error);
}

/* A syslinux release tree (the layout of syslinux-6.03.tar.xz) with fake contents that carry
 * the banners the version check reads. */
static char *
make_syslinux_tarball (Fixture    *f,
                       const char *name,
                       const char *version,
                       const char *date)
{
  g_autofree char *tree = g_build_filename (f->dir, "src", name, NULL);
  g_autofree char *www = g_build_filename (f->dir, "www", NULL);
  g_autofree char *tarball = g_strdup_printf ("%s/%s.tar.gz", www, name);
  g_autofree char *cmd = NULL;
  g_autofree char *pxelinux = g_strdup_printf ("fake\001PXELINUX %s PXE %s%c", version, date, 0);
  g_autofree char *lpxelinux = g_strdup_printf ("fake\001PXELINUX %s lwIP %s%c", version, date,
                                                0);
  g_autofree char *memdisk = g_strdup_printf ("MEMDISK %s %s\n", version, date);
  g_autofree char *efi = g_strdup_printf ("User-Agent: Syslinux/%s\nSyslinux %s (EFI; %s)",
                                          version, version, date);
  static const char *modules[] = {
    "com32/elflink/ldlinux/ldlinux.c32", "com32/menu/menu.c32", "com32/menu/vesamenu.c32",
    "com32/libutil/libutil.c32", "com32/lib/libcom32.c32",
  };

  write_file (tree, "bios/core/pxelinux.0", pxelinux, -1);
  write_file (tree, "bios/core/lpxelinux.0", lpxelinux, -1);
  write_file (tree, "bios/memdisk/memdisk", memdisk, -1);
  write_file (tree, "efi64/efi/syslinux.efi", efi, -1);
  write_file (tree, "efi64/com32/elflink/ldlinux/ldlinux.e64", "efi64 ldlinux", -1);
  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    {
      g_autofree char *bios = g_strconcat ("bios/", modules[i], NULL);
      g_autofree char *efi64 = g_strconcat ("efi64/", modules[i], NULL);
      g_autofree char *bios_data = g_strconcat ("bios module ", modules[i], NULL);
      g_autofree char *efi_data = g_strconcat ("efi64 module ", modules[i], NULL);

      if (!g_str_has_suffix (modules[i], "ldlinux.c32"))
        write_file (tree, efi64, efi_data, -1);
      write_file (tree, bios, bios_data, -1);
    }
  write_file (tree, "README", "not needed", -1);

  g_assert_no_errno (g_mkdir_with_parents (www, 0755));
  cmd = g_strdup_printf ("tar -C '%s/src' -czf '%s' '%s'", f->dir, tarball, name);
  run_or_fail (cmd);
  return g_steal_pointer (&tarball);
}

static char *
make_ipxe_tarball (Fixture *f)
{
  g_autofree char *tree = g_build_filename (f->dir, "src", "ipxe", "src", NULL);
  g_autofree char *www = g_build_filename (f->dir, "www", NULL);
  g_autofree char *tarball = g_strdup_printf ("%s/ipxe-bin.tar.xz", www);
  g_autofree char *cmd = NULL;

  write_file (tree, "bin/undionly.kpxe", "undionly (fake)", -1);
  write_file (tree, "bin-x86_64-efi/ipxe.efi", "ipxe.efi (fake)", -1);
  write_file (tree, "bin-x86_64-efi/snponly.efi", "snponly.efi (fake)", -1);
  g_assert_no_errno (g_mkdir_with_parents (www, 0755));
  cmd = g_strdup_printf ("tar -C '%s/src' -cJf '%s' ipxe", f->dir, tarball);
  run_or_fail (cmd);
  return g_steal_pointer (&tarball);
}

static char *
sha256_of (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static char *
url_of (Fixture    *f,
        const char *tarball)
{
  g_autofree char *base = g_path_get_basename (tarball);

  return g_strconcat (f->base_url, base, NULL);
}

/* The signed shim + GRUB sets come from 130 MB netboot packages: tests that are not about them
 * never download one. */
static void
no_netboot_download (YardBootRoot *root)
{
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64, NULL, NULL);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64, NULL, NULL);
}

/* A fake GRUB image: some code, then the module area's prefix object (type 3, size, path), as
 * grub-mkimage lays it out. */
static GBytes *
fake_grub (const char *name,
           const char *prefix)
{
  GByteArray *out = g_byte_array_new ();
  guint32 header[2] = { GUINT32_TO_LE (3), 0 };
  gsize len = strlen (prefix) + 1;
  gsize padded = (len + 3) & ~(gsize) 3;
  static const guint8 zeros[4] = { 0, };

  header[1] = GUINT32_TO_LE ((guint32) (sizeof header + padded));
  g_byte_array_append (out, (const guint8 *) "MZ fake GRUB ", 13);
  g_byte_array_append (out, (const guint8 *) name, strlen (name));
  g_byte_array_append (out, (const guint8 *) "normal (memdisk)/grub.cfg\n\0\0", 28);
  g_byte_array_append (out, (const guint8 *) header, sizeof header);
  g_byte_array_append (out, (const guint8 *) prefix, len);
  g_byte_array_append (out, zeros, padded - len);
  return g_byte_array_free_to_bytes (out);
}

static void
write_bytes (const char *dir,
             const char *name,
             GBytes     *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  write_file (dir, name, data, len);
}

/* A netboot package's tree (debian-installer-12-netboot-ARCH: shim and GRUB under
 * usr/lib/debian-installer/...), as a tarball: libarchive reads both. */
static char *
make_netboot_tarball (Fixture    *f,
                      const char *arch,
                      const char *shim,
                      const char *grub)
{
  g_autofree char *tree = g_build_filename (f->dir, "src", arch, NULL);
  g_autofree char *www = g_build_filename (f->dir, "www", NULL);
  g_autofree char *tarball = g_strdup_printf ("%s/netboot-%s.tar.gz", www, arch);
  g_autofree char *dir = g_strdup_printf ("usr/lib/debian-installer/images/12/%s/text/"
                                          "debian-installer/%s", arch, arch);
  g_autofree char *shim_path = g_build_filename (dir, shim, NULL);
  g_autofree char *grub_path = g_build_filename (dir, grub, NULL);
  g_autofree char *prefix = g_strdup_printf ("/debian-installer/%s/grub", arch);
  g_autoptr(GBytes) grub_image = fake_grub (arch, prefix);
  g_autofree char *shim_text = g_strdup_printf ("shim for %s (fake)", arch);
  g_autofree char *cmd = NULL;

  write_file (tree, shim_path, shim_text, -1);
  write_bytes (tree, grub_path, grub_image);
  g_assert_no_errno (g_mkdir_with_parents (www, 0755));
  cmd = g_strdup_printf ("tar -C '%s' -czf '%s' usr", tree, tarball);
  run_or_fail (cmd);
  return g_steal_pointer (&tarball);
}

static void
test_download (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *syslinux = make_syslinux_tarball (f, "syslinux-6.03", "6.03", "2014-10-06");
  g_autofree char *ipxe = make_ipxe_tarball (f);
  g_autofree char *syslinux_url = url_of (f, syslinux);
  g_autofree char *syslinux_sha = sha256_of (syslinux);
  g_autofree char *ipxe_url = url_of (f, ipxe);
  g_autofree char *ipxe_sha = sha256_of (ipxe);
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *content = NULL;
  g_autofree char *menu = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *link = NULL;
  g_autofree char *link_path = g_build_filename (f->root, "efi64", "images", NULL);
  g_autofree char *x64 = make_netboot_tarball (f, "amd64", "bootnetx64.efi", "grubx64.efi");
  g_autofree char *arm64 = make_netboot_tarball (f, "arm64", "bootnetaa64.efi", "grubaa64.efi");
  g_autofree char *x64_url = url_of (f, x64);
  g_autofree char *x64_sha = sha256_of (x64);
  g_autofree char *arm64_url = url_of (f, arm64);
  g_autofree char *arm64_sha = sha256_of (arm64);

  /* a memtest86+ in the fake system gives the starter menu its memtest entry: Debian's
   * .efi, which boots on BIOS and UEFI, beats the BIOS-only .bin beside it */
  write_file (f->prefix, "boot/memtest86+x64.bin", "memtest (fake)", -1);
  {
    g_autofree char *efi = NULL;
    gsize len = 0;

    if (!g_file_get_contents ("/boot/memtest86+x64.efi", &efi, &len, NULL))
      g_error ("/boot/memtest86+x64.efi is missing: build-aux/dev test installs memtest86+");
    write_file (f->prefix, "boot/memtest86+x64.efi", efi, len);
  }

  yard_boot_root_set_system_prefix (root, f->prefix);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, syslinux_url, syslinux_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, ipxe_url, ipxe_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64, x64_url, x64_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64, arm64_url, arm64_sha);

  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_true (yard_boot_root_is_complete (root));
  /* one download per archive, shared by the BIOS and efi64 sets */
  g_assert_cmpuint (f->requests, ==, 4);

  /* shim and GRUB at the root, where shim asks for GRUB; each GRUB finds Bootyard's menu from
   * the prefix built into it */
  content = read_root (f, "shimx64.efi");
  g_assert_cmpstr (content, ==, "shim for amd64 (fake)");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "shimaa64.efi");
  g_assert_cmpstr (content, ==, "shim for arm64 (fake)");
  g_clear_pointer (&content, g_free);
  g_assert_true (root_has (f, "grubx64.efi"));
  g_assert_true (root_has (f, "grubaa64.efi"));
  content = read_root (f, "debian-installer/amd64/grub/grub.cfg");
  g_assert_nonnull (content);
  g_assert_nonnull (strstr (content, "\nsource /grub/grub.cfg\n"));
  g_clear_pointer (&content, g_free);
  content = read_root (f, "debian-installer/arm64/grub/grub.cfg");
  g_assert_nonnull (content);
  g_assert_nonnull (strstr (content, "\nsource /grub/grub.cfg\n"));
  g_clear_pointer (&content, g_free);
  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_SHIM_ARM64), ==,
                   arm64_url);

  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS), ==,
                   syslinux_url);
  g_assert_cmpstr (yard_boot_root_get_set_version (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS), ==,
                   "6.03 20141006");
  g_assert_cmpstr (yard_boot_root_get_set_version (root, YARD_BOOT_ROOT_SET_SYSLINUX_EFI64), ==,
                   "6.03 20141006");
  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_IPXE), ==, ipxe_url);

  content = read_root (f, "memdisk");
  g_assert_cmpstr (content, ==, "MEMDISK 6.03 2014-10-06\n");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "efi64/menu.c32");
  g_assert_cmpstr (content, ==, "efi64 module com32/menu/menu.c32");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "menu.c32");
  g_assert_cmpstr (content, ==, "bios module com32/menu/menu.c32");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "snponly.efi");
  g_assert_cmpstr (content, ==, "snponly.efi (fake)");
  g_assert_cmpint (yard_boot_root_get_file_state (root, "efi64/ldlinux.e64"), ==,
                   YARD_BOOT_ROOT_FILE_INSTALLED);

  link = g_file_read_link (link_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "../images");

  g_assert_true (yard_boot_root_wrote_starter_menu (root));
  menu = read_root (f, "pxelinux.cfg/default");
  g_assert_nonnull (menu);
  g_assert_nonnull (strstr (menu, "LINUX memtest86+x64.efi\n"));
  g_assert_null (strstr (menu, "memtest86+x64.bin"));
  g_assert_true (root_has (f, "memtest86+x64.efi"));
  g_assert_false (root_has (f, "memtest86+x64.bin"));
  g_assert_true (root_has (f, "efi64/pxelinux.cfg/default"));
  /* so the UEFI menu has it too, and the support says it boots on both */
  {
    g_autofree char *efi_menu = read_root (f, "efi64/pxelinux.cfg/default");
    g_autoptr(YardBootMenu) starter = yard_pxelinux_load_root (f->root, &error);
    YardBootEntry *memtest;

    g_assert_no_error (error);
    memtest = yard_boot_menu_find_entry (starter, "memtest");
    g_assert_nonnull (memtest);
    g_assert_nonnull (strstr (efi_menu, "LABEL memtest\n"));
    g_assert_null (yard_boot_entry_firmware_unsupported (memtest, FALSE, f->root));
    g_assert_null (yard_boot_entry_firmware_unsupported (memtest, TRUE, f->root));
  }

  /* no download left behind */
  listing = list_tree (f->root);
  g_assert_null (strstr (listing, ".bootyard-download"));

  json = yard_boot_root_to_json (root);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "\"complete\":true"));
  g_assert_nonnull (strstr (json_text, "\"state\":\"installed\""));

  /* a second start finds everything and downloads nothing */
  g_clear_object (&root);
  root = new_root (f);
  yard_boot_root_set_system_prefix (root, f->prefix);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, syslinux_url, syslinux_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, ipxe_url, ipxe_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_X64, x64_url, x64_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_NETBOOT_ARM64, arm64_url, arm64_sha);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests, ==, 4);
  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS), ==,
                   "root");
  g_assert_cmpint (yard_boot_root_get_file_state (root, "pxelinux.0"), ==,
                   YARD_BOOT_ROOT_FILE_PRESENT);
  g_assert_false (yard_boot_root_wrote_starter_menu (root));
}

static void
test_wrong_checksum (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *syslinux = make_syslinux_tarball (f, "syslinux-6.03", "6.03", "2014-10-06");
  g_autofree char *syslinux_url = url_of (f, syslinux);
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  const char *reason;

  yard_boot_root_set_system_prefix (root, f->prefix);
  no_netboot_download (root);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, syslinux_url,
                              "0000000000000000000000000000000000000000000000000000000000000000");
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, NULL, NULL);

  /* the root is usable (the server runs), but incomplete, and says why */
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_false (yard_boot_root_is_complete (root));
  g_assert_cmpuint (f->requests, ==, 1);

  reason = yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "SHA-256"));
  g_assert_nonnull (strstr (reason, "apt install pxelinux syslinux-common"));
  g_assert_nonnull (strstr (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_IPXE),
                            "apt install ipxe"));

  g_assert_false (root_has (f, "pxelinux.0"));
  g_assert_false (root_has (f, "memdisk"));
  g_assert_false (root_has (f, "efi64/syslinux.efi"));
  g_assert_cmpint (yard_boot_root_get_file_state (root, "pxelinux.0"), ==,
                   YARD_BOOT_ROOT_FILE_MISSING);
  listing = list_tree (f->root);
  g_assert_null (strstr (listing, ".bootyard-download"));
  g_assert_null (strstr (listing, ".c32"));
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base_url, "no-such-release.tar.xz", NULL);
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;

  yard_boot_root_set_system_prefix (root, f->prefix);
  no_netboot_download (root);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, url,
                              "26d3986d2bea109d5dc0e4f8c4822a459276cf021125e8c9f23c3cca5d8c850e");
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, NULL, NULL);
  g_assert_true (install (root, &error));
  g_assert_nonnull (strstr (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS),
                            "404"));
  g_assert_false (root_has (f, "pxelinux.0"));
}

/* iPXE's default origin is Debian's ipxe package: a .deb (ar + data.tar.xz) built here with
 * dpkg-deb, with the files under their system paths. */
static void
test_deb (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *tree = g_build_filename (f->dir, "src", "ipxe-deb", NULL);
  g_autofree char *www = g_build_filename (f->dir, "www", NULL);
  g_autofree char *deb = g_build_filename (www, "ipxe_1.0_all.deb", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *url = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *content = NULL;
  g_autofree char *link = NULL;
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;

  write_file (tree, "DEBIAN/control",
              "Package: ipxe\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <t@example.org>\n"
              "Description: test\n", -1);
  write_file (tree, "usr/lib/ipxe/undionly.kpxe", "undionly from the deb", -1);
  /* as in Debian's package: usr/lib/ipxe/ipxe.efi -> /boot/ipxe.efi */
  write_file (tree, "boot/ipxe.efi", "ipxe.efi from the deb", -1);
  link = g_build_filename (tree, "usr/lib/ipxe/ipxe.efi", NULL);
  g_assert_no_errno (symlink ("/boot/ipxe.efi", link));
  write_file (tree, "usr/lib/ipxe/snponly.efi", "snponly.efi from the deb", -1);
  write_file (tree, "usr/share/doc/ipxe/README", "not needed", -1);
  g_assert_no_errno (g_mkdir_with_parents (www, 0755));
  cmd = g_strdup_printf ("dpkg-deb --root-owner-group -Zxz --build '%s' '%s'", tree, deb);
  run_or_fail (cmd);
  url = url_of (f, deb);
  sha = sha256_of (deb);

  yard_boot_root_set_system_prefix (root, f->prefix);
  no_netboot_download (root);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, NULL, NULL);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, url, sha);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);

  g_assert_null (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_IPXE));
  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_IPXE), ==, url);
  content = read_root (f, "undionly.kpxe");
  g_assert_cmpstr (content, ==, "undionly from the deb");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "snponly.efi");
  g_assert_cmpstr (content, ==, "snponly.efi from the deb");
  g_clear_pointer (&content, g_free);
  content = read_root (f, "ipxe.efi");
  g_assert_cmpstr (content, ==, "ipxe.efi from the deb");
  g_assert_nonnull (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS));
}

/* A pxelinux.0 (or, with data, an lpxelinux.0) of one release with the modules of another:
 * the system is refused for that set (a loader only runs with its own build's modules), and
 * with downloads off nothing of it is installed. The efi64 set, consistent, comes from the
 * system. */
static void
test_version_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  gboolean http_loader = GPOINTER_TO_INT (data);
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *pxelinux = g_strdup_printf ("PXELINUX %s PXE %s%c",
                                               http_loader ? "6.03" : "6.04",
                                               http_loader ? "20141006" : "20200816", 0);
  g_autofree char *lpxelinux = g_strdup_printf ("PXELINUX %s lwIP %s%c",
                                                http_loader ? "6.04" : "6.03",
                                                http_loader ? "20200816" : "20141006", 0);
  static const char *modules[] = { "ldlinux.c32", "menu.c32", "vesamenu.c32", "libutil.c32",
                                   "libcom32.c32" };
  const char *reason;

  write_file (f->prefix, "usr/lib/PXELINUX/pxelinux.0", pxelinux, -1);
  write_file (f->prefix, "usr/lib/PXELINUX/lpxelinux.0", lpxelinux, -1);
  write_file (f->prefix, "usr/lib/syslinux/memdisk", "MEMDISK 6.03 20141006", -1);
  write_file (f->prefix, "usr/lib/SYSLINUX.EFI/efi64/syslinux.efi",
              "Syslinux 6.03 (EFI; 20141006)", -1);
  write_file (f->prefix, "usr/lib/syslinux/modules/efi64/ldlinux.e64", "e64", -1);
  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    {
      g_autofree char *bios = g_strconcat ("usr/lib/syslinux/modules/bios/", modules[i], NULL);
      g_autofree char *efi = g_strconcat ("usr/lib/syslinux/modules/efi64/", modules[i], NULL);

      write_file (f->prefix, bios, "module", -1);
      if (i > 0)
        write_file (f->prefix, efi, "module", -1);
    }

  yard_boot_root_set_system_prefix (root, f->prefix);
  no_netboot_download (root);
  yard_boot_root_set_fetch_func (root, NULL);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests, ==, 0);

  reason = yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "6.04 20200816"));
  g_assert_nonnull (strstr (reason, "6.03 20141006"));
  g_assert_nonnull (strstr (reason, http_loader ? "lpxelinux.0" : " pxelinux.0"));
  g_assert_false (root_has (f, "pxelinux.0"));
  g_assert_false (root_has (f, "lpxelinux.0"));
  g_assert_false (root_has (f, "ldlinux.c32"));

  g_assert_null (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_SYSLINUX_EFI64));
  g_assert_cmpstr (yard_boot_root_get_set_origin (root, YARD_BOOT_ROOT_SET_SYSLINUX_EFI64), ==,
                   "system");
  g_assert_true (root_has (f, "efi64/syslinux.efi"));
  g_assert_true (root_has (f, "efi64/libcom32.c32"));
}

/* A root with an old pxelinux.0 but no modules: the whole set is replaced by one build. */
static void
test_partial_root_replaced (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *syslinux = make_syslinux_tarball (f, "syslinux-6.03", "6.03", "20141006");
  g_autofree char *syslinux_url = url_of (f, syslinux);
  g_autofree char *syslinux_sha = sha256_of (syslinux);
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;

  write_file (f->root, "pxelinux.0", "PXELINUX 4.05 2011-12-09 old", -1);
  yard_boot_root_set_system_prefix (root, f->prefix);
  no_netboot_download (root);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_SYSLINUX, syslinux_url, syslinux_sha);
  yard_boot_root_set_archive (root, YARD_BOOT_ROOT_ARCHIVE_IPXE, NULL, NULL);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);

  content = read_root (f, "pxelinux.0");
  g_assert_nonnull (strstr (content, "PXELINUX 6.03"));
  g_assert_true (root_has (f, "ldlinux.c32"));
  g_assert_nonnull (yard_boot_root_get_set_error (root, YARD_BOOT_ROOT_SET_IPXE));
  g_assert_false (yard_boot_root_is_complete (root));
  g_assert_cmpuint (f->requests, ==, 1);

  /* someone copies another release's pxelinux.0 over ours: the set is whole but mixed, so it
   * is reinstalled together */
  write_file (f->root, "pxelinux.0", "PXELINUX 6.04 PXE 20200816", -1);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests, ==, 2);
  g_clear_pointer (&content, g_free);
  content = read_root (f, "pxelinux.0");
  g_assert_nonnull (strstr (content, "PXELINUX 6.03"));
  g_assert_cmpint (yard_boot_root_get_file_state (root, "pxelinux.0"), ==,
                   YARD_BOOT_ROOT_FILE_INSTALLED);

  /* the same for the HTTP-capable loader */
  write_file (f->root, "lpxelinux.0", "PXELINUX 6.04 lwIP 20200816", -1);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->requests, ==, 3);
  g_clear_pointer (&content, g_free);
  content = read_root (f, "lpxelinux.0");
  g_assert_nonnull (strstr (content, "PXELINUX 6.03 lwIP"));

  /* and a consistent set is left alone */
  g_assert_true (install (root, &error));
  g_assert_cmpuint (f->requests, ==, 3);
  g_assert_cmpint (yard_boot_root_get_file_state (root, "pxelinux.0"), ==,
                   YARD_BOOT_ROOT_FILE_PRESENT);
}

/* Debian's own packages, as the server uses them at start. */
static void
test_system (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(YardBootRoot) root = new_root (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *sys = NULL;
  g_autofree char *ours = NULL;
  gsize sys_len, ours_len;
  g_autofree char *ours_path = g_build_filename (f->root, "efi64", "ldlinux.e64", NULL);
  g_autofree char *ours_path_shim = NULL;

  if (!g_file_test ("/usr/lib/PXELINUX/pxelinux.0", G_FILE_TEST_EXISTS) ||
      !g_file_test ("/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi", G_FILE_TEST_EXISTS) ||
      !g_file_test ("/usr/lib/ipxe/undionly.kpxe", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("pxelinux, syslinux-efi or ipxe is not installed (build-aux/dev installs them)");
      return;
    }

  yard_boot_root_set_fetch_func (root, NULL);
  g_assert_true (install (root, &error));
  g_assert_no_error (error);
  g_assert_true (yard_boot_root_is_complete (root));
  for (guint set = 0; set < YARD_BOOT_ROOT_N_SETS; set++)
    g_assert_cmpstr (yard_boot_root_get_set_origin (root, set), ==, "system");
  g_assert_nonnull (yard_boot_root_get_set_version (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS));
  g_assert_cmpstr (yard_boot_root_get_set_version (root, YARD_BOOT_ROOT_SET_SYSLINUX_BIOS), ==,
                   yard_boot_root_get_set_version (root, YARD_BOOT_ROOT_SET_SYSLINUX_EFI64));

  g_assert_true (g_file_get_contents ("/usr/lib/syslinux/modules/efi64/ldlinux.e64", &sys,
                                      &sys_len, NULL));
  g_assert_true (g_file_get_contents (ours_path, &ours, &ours_len, NULL));
  g_assert_cmpmem (sys, sys_len, ours, ours_len);
  g_assert_true (root_has (f, "undionly.kpxe"));
  g_assert_true (root_has (f, "ipxe.efi"));
  g_assert_true (root_has (f, "ipxe.lkrn")); /* what pxelinux's CHAIN entries run */
  g_assert_true (root_has (f, "vesamenu.c32"));
  g_assert_true (root_has (f, "lpxelinux.0"));   /* Debian's pxelinux package has both */
  g_assert_true (root_has (f, "pxelinux.cfg/default"));

  /* Debian's signed shim + GRUB for both architectures: shim-signed and grub-efi-amd64-signed
   * (whose GRUB reads /grub/grub.cfg itself), and the arm64 netboot package, whose GRUB reads
   * under /debian-installer/arm64/grub and is pointed at Bootyard's menu from there */
  g_clear_pointer (&sys, g_free);
  g_clear_pointer (&ours, g_free);
  g_assert_true (g_file_get_contents ("/usr/lib/shim/shimx64.efi.signed", &sys, &sys_len, NULL));
  ours_path_shim = g_build_filename (f->root, "shimx64.efi", NULL);
  g_assert_true (g_file_get_contents (ours_path_shim, &ours, &ours_len, NULL));
  g_assert_cmpmem (sys, sys_len, ours, ours_len);
  g_assert_true (root_has (f, "grubx64.efi"));
  g_assert_false (root_has (f, "debian-installer/amd64/grub/grub.cfg"));
  g_assert_true (root_has (f, "shimaa64.efi"));
  g_assert_true (root_has (f, "grubaa64.efi"));
  g_clear_pointer (&ours, g_free);
  ours = read_root (f, "debian-installer/arm64/grub/grub.cfg");
  g_assert_nonnull (ours);
  g_assert_nonnull (strstr (ours, "\nsource /grub/grub.cfg\n"));
}

int
main (int   argc,
      char *argv[])
{
  yard_test_no_proxy_resolver ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/yard/boot-root/download", Fixture, NULL, fixture_setup, test_download,
              fixture_teardown);
  g_test_add ("/yard/boot-root/wrong-checksum", Fixture, NULL, fixture_setup,
              test_wrong_checksum, fixture_teardown);
  g_test_add ("/yard/boot-root/http-error", Fixture, NULL, fixture_setup, test_http_error,
              fixture_teardown);
  g_test_add ("/yard/boot-root/deb", Fixture, NULL, fixture_setup, test_deb, fixture_teardown);
  g_test_add ("/yard/boot-root/version-mismatch", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_version_mismatch, fixture_teardown);
  g_test_add ("/yard/boot-root/version-mismatch-lpxelinux", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_version_mismatch, fixture_teardown);
  g_test_add ("/yard/boot-root/partial-root-replaced", Fixture, NULL, fixture_setup,
              test_partial_root_replaced, fixture_teardown);
  g_test_add ("/yard/boot-root/system", Fixture, NULL, fixture_setup, test_system,
              fixture_teardown);

  return g_test_run ();
}
