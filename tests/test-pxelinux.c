/* test-pxelinux.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "yard-boot-menu.h"
#include "yard-error.h"
#include "yard-pxelinux.h"

#include "test-dirs.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "pxelinux", name, NULL);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
collect_cfg_files (const char *dir,
                   GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_cfg_files (path, out);
      else if (g_str_has_suffix (name, ".cfg") || strcmp (name, "default") == 0)
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

/* Every file of the corpus: parse, write, same bytes. */
static void
test_round_trip_corpus (void)
{
  g_autofree char *root = data_path ("");
  g_autofree char *debian = data_path ("debian12");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  collect_cfg_files (root, files);
  g_assert_cmpuint (files->len, >=, 14);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *original = read_file (path);
      g_autoptr(YardBootMenu) menu = yard_pxelinux_load_file (debian, path, &error);
      g_autofree char *written = NULL;

      g_test_message ("round trip %s", path);
      g_assert_no_error (error);
      g_assert_nonnull (menu);
      written = yard_pxelinux_to_data (menu);
      g_assert_cmpstr (written, ==, original);
      g_assert_finalize_object (g_steal_pointer (&menu));
    }
}

static YardBootMenu *
load (const char  *name,
      char       **original)
{
  g_autofree char *path = data_path (name);
  g_autofree char *base = data_path ("debian12");
  g_autoptr(GError) error = NULL;
  YardBootMenu *menu;

  menu = yard_pxelinux_load_file (base, path, &error);
  g_assert_no_error (error);
  if (original != NULL)
    *original = read_file (path);
  return menu;
}

static void
test_reference_model (void)
{
  g_autoptr(YardBootMenu) menu = load ("memdisk-msdos.cfg", NULL);
  YardBootEntry *entry;
  guint port;

  g_assert_cmpstr (yard_boot_menu_get_title (menu), ==, "PXE Network Boot Menu");
  g_assert_cmpuint (yard_boot_menu_get_timeout (menu), ==, 30);
  g_assert_cmpuint (yard_boot_menu_get_timeout_tenths (menu), ==, 300);
  g_assert_false (yard_boot_menu_get_serial (menu, &port, NULL));
  g_assert_cmpuint (yard_boot_menu_get_n_entries (menu), ==, 3);
  g_assert_cmpstr (yard_boot_menu_get_default_id (menu), ==, "local");

  entry = yard_boot_menu_get_entry (menu, 0);
  g_assert_cmpstr (yard_boot_entry_get_id (entry), ==, "local");
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_LOCAL);
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, "Von Festplatte starten");
  g_assert_false (yard_boot_entry_get_read_only (entry));

  entry = yard_boot_menu_get_entry (menu, 1);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_LINUX);
  g_assert_cmpstr (yard_boot_entry_get_kernel (entry), ==, "memtest");

  /* "LABEL MSDOS 6.22  " is not a valid id: it gets a derived one. */
  entry = yard_boot_menu_get_entry (menu, 2);
  g_assert_cmpstr (yard_boot_entry_get_id (entry), ==, "MSDOS-6.22");
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_MEMDISK);
  g_assert_cmpstr (yard_boot_entry_get_image (entry), ==, "DOS/DOS6.22_bootdisk.iso");
  g_assert_cmpint (yard_boot_entry_get_image_type (entry), ==, YARD_MEMDISK_ISO);
  g_assert_true (yard_boot_entry_get_raw (entry));
  g_assert_null (yard_boot_entry_get_append (entry));
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, "MSDOS 6.22 starten");
}

static void
test_debian_model (void)
{
  g_autoptr(YardBootMenu) menu = load ("debian12/pxelinux.cfg/default", NULL);
  YardBootEntry *install, *advanced, *expert, *help;
  g_autoptr(GError) error = NULL;

  /* Debian's title starts with a BEL (^G) byte: kept as it is. */
  g_assert_cmpstr (yard_boot_menu_get_title (menu), ==, "\aDebian GNU/Linux installer menu (BIOS mode)");
  g_assert_cmpuint (yard_boot_menu_get_timeout (menu), ==, 0);

  install = yard_boot_menu_find_entry (menu, "install");
  g_assert_nonnull (install);
  g_assert_cmpint (yard_boot_entry_get_kind (install), ==, YARD_BOOT_ENTRY_KIND_LINUX);
  g_assert_cmpstr (yard_boot_entry_get_kernel (install), ==, "debian-installer/amd64/linux");
  g_assert_cmpstr (yard_boot_entry_get_initrds (install)[0], ==, "debian-installer/amd64/initrd.gz");
  g_assert_null (yard_boot_entry_get_initrds (install)[1]);
  g_assert_cmpstr (yard_boot_entry_get_append (install), ==, "vga=788 --- quiet");
  g_assert_cmpstr (yard_boot_entry_get_label (install), ==, "^Install");
  /* From an included file: visible, read-only. */
  g_assert_true (yard_boot_entry_get_read_only (install));
  g_assert_false (yard_boot_menu_remove_entry (menu, "install", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);

  advanced = yard_boot_menu_find_entry (menu, "advanced");
  g_assert_nonnull (advanced);
  g_assert_cmpint (yard_boot_entry_get_kind (advanced), ==, YARD_BOOT_ENTRY_KIND_SUBMENU);
  g_assert_cmpstr (yard_boot_entry_get_label (advanced), ==, "^Advanced options");
  g_assert_cmpstr (yard_boot_menu_get_title (yard_boot_entry_get_submenu (advanced)), ==, "Advanced options");
  expert = yard_boot_menu_find_entry (menu, "expert");
  g_assert_nonnull (expert);
  g_assert_true (yard_boot_menu_get_parent (yard_boot_entry_get_submenu (advanced)) == menu);

  /* The nested "advanced" and the repeated "mainmenu" / "help" labels get unique ids. */
  g_assert_nonnull (yard_boot_menu_find_entry (menu, "advanced-2"));
  g_assert_nonnull (yard_boot_menu_find_entry (menu, "mainmenu-2"));
  help = yard_boot_menu_find_entry (menu, "help-2");
  g_assert_nonnull (help);
  g_assert_cmpint (yard_boot_entry_get_kind (help), ==, YARD_BOOT_ENTRY_KIND_OTHER);
  g_assert_cmpstr (yard_boot_entry_get_help (help), ==,
                   "   Display help screens; type 'menu' at boot prompt to return to this menu");

  /* The dark submenu's default comes from drk.cfg's MENU DEFAULT. */
  g_assert_cmpstr (yard_boot_menu_get_default_id (yard_boot_entry_get_submenu (yard_boot_menu_find_entry (menu, "dark"))),
                   ==, "installdark");
}

/* Splits into lines, keeping endings. */
static GStrv
lines_of (const char *text)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  const char *p = text;

  while (*p)
    {
      const char *nl = strchr (p, '\n');
      const char *end = nl != NULL ? nl + 1 : p + strlen (p);

      g_ptr_array_add (lines, g_strndup (p, end - p));
      p = end;
    }
  g_ptr_array_add (lines, NULL);
  return (GStrv)g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

/* The lines of before that are not in after, and the other way round, as "-line" / "+line"
 * in order: a plain diff on a common prefix and suffix, enough for one edited region. */
static char *
changed_lines (const char *before,
               const char *after)
{
  g_auto(GStrv) a = lines_of (before);
  g_auto(GStrv) b = lines_of (after);
  guint na = g_strv_length (a), nb = g_strv_length (b);
  guint prefix = 0, suffix = 0;
  GString *out = g_string_new (NULL);

  while (prefix < na && prefix < nb && strcmp (a[prefix], b[prefix]) == 0)
    prefix++;
  while (suffix < na - prefix && suffix < nb - prefix &&
         strcmp (a[na - 1 - suffix], b[nb - 1 - suffix]) == 0)
    suffix++;
  for (guint i = prefix; i < na - suffix; i++)
    g_string_append_printf (out, "-%s", a[i]);
  for (guint i = prefix; i < nb - suffix; i++)
    g_string_append_printf (out, "+%s", b[i]);
  return g_string_free (out, FALSE);
}

static void
test_edit_label (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("memdisk-msdos.cfg", &original);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *diff = NULL;

  json_parser_load_from_data (parser, "{\"label\": \"Memtest86+\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (yard_boot_menu_update_entry_from_json (menu, "memtest",
                                                        json_node_get_object (json_parser_get_root (parser)),
                                                        NULL, &error));
  g_assert_no_error (error);
  written = yard_pxelinux_to_data (menu);
  diff = changed_lines (original, written);
  g_assert_cmpstr (diff, ==,
                   "-MENU LABEL Speichertest mit memtest86+ v4.20\n"
                   "+MENU LABEL Memtest86+\n");
}

static void
test_edit_default (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("vesamenu-localboot-memtest.cfg", &original);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) s = NULL;

  g_assert_true (yard_boot_menu_set_default_id (menu, "memtest", &error));
  g_assert_no_error (error);
  written = yard_pxelinux_to_data (menu);

  /* MENU DEFAULT leaves "local" and appears under LABEL memtest: nothing else changes. */
  s = g_string_new (original);
  g_string_replace (s, "MENU DEFAULT\n", "", 1);
  g_string_replace (s, "LABEL memtest\n", "LABEL memtest\nMENU DEFAULT\n", 1);
  expected = g_string_free (g_steal_pointer (&s), FALSE);
  g_assert_cmpstr (written, ==, expected);
}

static void
test_edit_debian_append (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("debian12/debian-installer/amd64/boot-screens/rqtxt.cfg", &original);
  YardBootEntry *rescue = yard_boot_menu_find_entry (menu, "rescue");
  g_autofree char *written = NULL;
  g_autofree char *diff = NULL;

  g_assert_nonnull (rescue);
  g_assert_false (yard_boot_entry_get_read_only (rescue));
  yard_boot_entry_set_append (rescue, "rescue/enable=true --- quiet nomodeset");
  written = yard_pxelinux_to_data (menu);
  diff = changed_lines (original, written);
  /* Only the APPEND line; the tab indent and the kernel line stay. */
  g_assert_cmpstr (diff, ==,
                   "-\tappend vga=788 initrd=debian-installer/amd64/initrd.gz rescue/enable=true --- quiet \n"
                   "+\tAPPEND initrd=debian-installer/amd64/initrd.gz rescue/enable=true --- quiet nomodeset\n");
}

static void
test_edit_remove_move_add (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("memdisk-msdos.cfg", &original);
  g_autoptr(YardBootEntry) chain = yard_boot_entry_new_chain (NULL, "Netboot.xyz", "http://boot.example/menu.ipxe");
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(YardBootMenu) again = NULL;
  const char *local_block = "LABEL local\nMENU LABEL Von Festplatte starten\nMENU DEFAULT\nLOCALBOOT 0\n";
  const char *memtest_block = "LABEL memtest\nMENU LABEL Speichertest mit memtest86+ v4.20\nKERNEL memtest\n";
  const char *head = "DEFAULT vesamenu.c32\nPROMPT 0\nTIMEOUT 300\nMENU TITLE PXE Network Boot Menu\n";

  /* Move memtest first: the blocks trade places, byte for byte. */
  g_assert_true (yard_boot_menu_move_entry (menu, "memtest", 0, &error));
  g_assert_no_error (error);
  written = yard_pxelinux_to_data (menu);
  expected = g_strconcat (head, memtest_block, local_block,
                          "LABEL MSDOS 6.22  \nMENU LABEL MSDOS 6.22 starten  \nKERNEL memdisk  \n"
                          "APPEND iso raw initrd=DOS/DOS6.22_bootdisk.iso\n", NULL);
  g_assert_cmpstr (written, ==, expected);
  g_clear_pointer (&written, g_free);
  g_clear_pointer (&expected, g_free);

  /* Remove the memdisk entry: its lines go, nothing else changes. */
  g_assert_true (yard_boot_menu_remove_entry (menu, "MSDOS-6.22", &error));
  g_assert_no_error (error);
  written = yard_pxelinux_to_data (menu);
  expected = g_strconcat (head, memtest_block, local_block, NULL);
  g_assert_cmpstr (written, ==, expected);
  g_clear_pointer (&written, g_free);
  g_clear_pointer (&expected, g_free);

  /* Add: it takes the place the removed entry left, the rest untouched. */
  g_assert_true (yard_boot_menu_add_entry (menu, chain, -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (yard_boot_entry_get_id (chain), ==, "Netboot.xyz");
  written = yard_pxelinux_to_data (menu);
  expected = g_strconcat (head, memtest_block, local_block,
                          "LABEL Netboot.xyz\n"
                          "  MENU LABEL Netboot.xyz\n"
                          "  KERNEL ipxe.lkrn\n"
                          "  APPEND dhcp && chain http://boot.example/menu.ipxe\n", NULL);
  g_assert_cmpstr (written, ==, expected);

  /* And it reads back as the same chain entry. */
  again = yard_pxelinux_parse ("/nonexistent", "again", written, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_boot_entry_get_kind (yard_boot_menu_find_entry (again, "Netboot.xyz")), ==,
                   YARD_BOOT_ENTRY_KIND_CHAIN);
  g_assert_cmpstr (yard_boot_entry_get_url (yard_boot_menu_find_entry (again, "Netboot.xyz")), ==,
                   "http://boot.example/menu.ipxe");
}

static void
test_edit_serial_title_timeout (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("vesamenu-localboot-memtest.cfg", &original);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GString) expected = NULL;

  g_assert_true (yard_boot_menu_set_serial (menu, 0, 115200, &error));
  g_assert_no_error (error);
  yard_boot_menu_set_title (menu, "Lab");
  yard_boot_menu_set_timeout (menu, 5);
  written = yard_pxelinux_to_data (menu);

  expected = g_string_new ("SERIAL 0 115200\n");
  g_string_append (expected, original);
  g_string_replace (expected, "DEFAULT vesamenu.c32", "DEFAULT menu.c32", 1);
  g_string_replace (expected, "TIMEOUT 300", "TIMEOUT 50", 1);
  g_string_replace (expected, "MENU TITLE PXE Network Boot Menu", "MENU TITLE Lab", 1);
  g_assert_cmpstr (written, ==, expected->str);

  /* Clearing the serial console deletes the line again. */
  yard_boot_menu_clear_serial (menu);
  g_free (written);
  written = yard_pxelinux_to_data (menu);
  g_assert_false (g_str_has_prefix (written, "SERIAL"));
}

static void
check_parse_error (const char *text,
                   const char *message_prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_parse ("/nonexistent", "broken.cfg", text, -1, &error);

  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, message_prefix));
}

static void
test_errors (void)
{
  check_parse_error ("DEFAULT menu.c32\nLABEL a\n  KERNEL a\nMENU END\n", "broken.cfg:4: MENU END without MENU BEGIN");
  check_parse_error ("# c\nTIMEOUT soon\n", "broken.cfg:2: TIMEOUT needs a number");
  check_parse_error ("LABEL a\n\nMENU BEGIN sub\nLABEL b\n  KERNEL b\n", "broken.cfg:3: MENU BEGIN without MENU END");
  check_parse_error ("LABEL a\n  TEXT HELP\n  help\n", "broken.cfg:2: TEXT HELP without ENDTEXT");
  check_parse_error ("LABEL\n", "broken.cfg:1: LABEL needs a name");
  check_parse_error ("SERIAL COM1\n", "broken.cfg:1: SERIAL needs a port");
}

static void
test_include_errors (void)
{
  g_autofree char *dir = yard_test_make_dir ("pxelinux");
  g_autofree char *a = g_build_filename (dir, "a.cfg", NULL);
  g_autofree char *b = g_build_filename (dir, "b.cfg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = NULL;

  g_assert_true (g_file_set_contents (a, "LABEL x\n  KERNEL x\nINCLUDE b.cfg\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "# b\n\nINCLUDE a.cfg\n", -1, NULL));
  menu = yard_pxelinux_load_file (dir, a, &error);
  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "b.cfg:3: "));
  g_clear_error (&error);

  /* An error inside an included file names that file and its line. */
  g_assert_true (g_file_set_contents (b, "LABEL y\n  KERNEL y\nTIMEOUT x\n", -1, NULL));
  menu = yard_pxelinux_load_file (dir, a, &error);
  g_assert_null (menu);
  g_assert_true (g_str_has_prefix (error->message, "b.cfg:3: TIMEOUT"));
}

static void
test_save_refuses_broken (void)
{
  g_autofree char *dir = yard_test_make_dir ("pxelinux");
  g_autofree char *path = g_build_filename (dir, "default", NULL);
  const char *broken = "LABEL a\n  KERNEL a\nMENU END\n";
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autoptr(YardBootMenu) loaded = NULL;

  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  g_assert_false (yard_pxelinux_save_file (menu, dir, path, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "default:3:"));
  after = read_file (path);
  g_assert_cmpstr (after, ==, broken);
  g_clear_error (&error);

  /* Once fixed by hand, saving works and reads back. */
  g_assert_true (g_file_set_contents (path, "# fixed\n", -1, NULL));
  g_assert_true (yard_pxelinux_save_file (menu, dir, path, &error));
  g_assert_no_error (error);
  loaded = yard_pxelinux_load_file (dir, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (loaded), ==, 1);
  g_assert_cmpstr (yard_boot_menu_get_default_id (loaded), ==, "local");
}

/* "directives" shows an unmodelled block's raw lines; which lines belong to a block can
 * shift when a neighbouring line goes, so model comparisons leave it out. */
static void
strip_directives (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        strip_directives (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      if (json_object_has_member (object, "directives"))
        json_object_remove_member (object, "directives");
      if (json_object_has_member (object, "entries"))
        strip_directives (json_object_get_member (object, "entries"));
    }
}

static char *
model_json (YardBootMenu *menu)
{
  g_autoptr(JsonNode) node = yard_boot_menu_to_json (menu);

  strip_directives (node);
  return json_to_string (node, TRUE);
}

static char *
menu_json (YardBootMenu *menu)
{
  g_autoptr(JsonNode) node = yard_boot_menu_to_json (menu);

  return json_to_string (node, TRUE);
}

/* Every kind survives a trip through a fresh file: the file is the source of truth. */
static void
test_fresh_file_round_trip (void)
{
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter ("memtest86+x64.bin");
  const char *initrds[] = { "images/deb/initrd.gz", "images/deb/firmware.cpio.gz", NULL };
  YardBootEntry *entries[] = {
    yard_boot_entry_new_linux ("deb", "Debian installer", "images/deb/linux", initrds, "console=ttyS0,115200n8 --- quiet"),
    yard_boot_entry_new_memdisk ("dos", "MS-DOS 6.22", "images/dos.iso", YARD_MEMDISK_ISO, TRUE),
    yard_boot_entry_new_memdisk ("floppy", "Floppy", "images/fd.img", YARD_MEMDISK_FLOPPY, FALSE),
    yard_boot_entry_new_chain ("xyz", "netboot.xyz", "https://boot.netboot.xyz/"),
    yard_boot_entry_new_ipxe_script ("shell", "iPXE shell", "#!ipxe\necho hello   world\nshell\n"),
    yard_boot_entry_new_com32 ("hdt", "Hardware info", "hdt.c32", "modules_pcimap=modules.pcimap"),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *again_data = NULL;
  g_autoptr(YardBootMenu) again = NULL;
  g_autofree char *json1 = NULL;
  g_autofree char *json2 = NULL;

  yard_boot_entry_set_help (entries[0], "Installs Debian.\n\nOn the serial console.");
  yard_boot_entry_set_hidden (entries[5], TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_assert_true (yard_boot_menu_add_entry (menu, entries[i], -1, NULL, &error));
      g_assert_no_error (error);
      g_object_unref (entries[i]);
    }
  g_assert_true (yard_boot_menu_set_serial (menu, 0, 115200, &error));
  g_assert_true (yard_boot_menu_set_default_id (menu, "deb", &error));

  data = yard_pxelinux_to_data (menu);
  g_test_message ("%s", data);
  g_assert_true (g_str_has_prefix (data, "SERIAL 0 115200\n"));
  g_assert_nonnull (strstr (data, "\nUI menu.c32\n"));
  g_assert_nonnull (strstr (data, "\nTIMEOUT 50\n"));
  g_assert_nonnull (strstr (data, "LABEL deb\n  MENU LABEL Debian installer\n  MENU DEFAULT\n"
                                  "  LINUX images/deb/linux\n"
                                  "  APPEND initrd=images/deb/initrd.gz,images/deb/firmware.cpio.gz "
                                  "console=ttyS0,115200n8 --- quiet\n"));
  g_assert_nonnull (strstr (data, "  LINUX memtest86+x64.bin\n"));
  g_assert_nonnull (strstr (data, "  KERNEL memdisk\n  APPEND iso raw initrd=images/dos.iso\n"));

  again = yard_pxelinux_parse ("/nonexistent", "pxelinux.cfg/default", data, -1, &error);
  g_assert_no_error (error);
  json1 = menu_json (menu);
  json2 = menu_json (again);
  g_assert_cmpstr (json1, ==, json2);

  /* Written back unchanged: same bytes. */
  again_data = yard_pxelinux_to_data (again);
  g_assert_cmpstr (again_data, ==, data);
}

static void
test_root (void)
{
  g_autofree char *dir = yard_test_make_dir ("pxelinux");
  g_autofree char *bios = g_build_filename (dir, "pxelinux.cfg", "default", NULL);
  g_autofree char *efi = g_build_filename (dir, "efi64", "pxelinux.cfg", "default", NULL);
  g_autofree char *images = g_build_filename (dir, "images", "deb", NULL);
  g_autofree char *kernel = g_build_filename (images, "linux", NULL);
  g_autofree char *dos_iso = g_build_filename (dir, "images", "dos.iso", NULL);
  g_autofree char *memtest = g_build_filename (dir, "memtest86+x64.bin", NULL);
  g_autofree char *efi64 = g_build_filename (dir, "efi64", NULL);
  g_autofree char *efi_images = g_build_filename (dir, "efi64", "images", NULL);
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter ("memtest86+x64.bin");
  g_autoptr(YardBootEntry) dos = yard_boot_entry_new_memdisk ("dos", "DOS", "images/dos.iso", YARD_MEMDISK_ISO, TRUE);
  g_autoptr(YardBootEntry) deb = yard_boot_entry_new_linux ("deb", "Debian", "images/deb/linux", NULL, NULL);
  const char *inst_initrds[] = { "debian/initrd.gz", NULL };
  g_autoptr(YardBootEntry) inst = yard_boot_entry_new_linux ("inst", "Installer", "debian/linux",
                                                             inst_initrds, "console=ttyS0");
  g_autofree char *inst_dir = g_build_filename (dir, "debian", NULL);
  g_autofree char *inst_kernel = g_build_filename (inst_dir, "linux", NULL);
  g_autofree char *inst_initrd = g_build_filename (inst_dir, "initrd.gz", NULL);
  g_autoptr(YardBootMenu) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *efi_data = NULL;
  g_autofree char *bios_data = NULL;

  loaded = yard_pxelinux_load_root (dir, &error);
  g_assert_null (loaded);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (yard_boot_menu_add_entry (menu, dos, -1, NULL, &error));
  g_assert_true (yard_boot_menu_add_entry (menu, deb, -1, NULL, &error));
  g_assert_true (yard_boot_menu_add_entry (menu, inst, -1, NULL, &error));
  g_assert_cmpint (g_mkdir_with_parents (inst_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inst_kernel, "kernel", -1, NULL));
  g_assert_true (g_file_set_contents (inst_initrd, "initrd", -1, NULL));
  /* The root as the images helper lays it out: efi64/images -> ../images. */
  g_assert_cmpint (g_mkdir_with_parents (images, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (efi64, 0755), ==, 0);
  g_assert_true (g_file_set_contents (kernel, "kernel", -1, NULL));
  g_assert_true (g_file_set_contents (dos_iso, "iso", -1, NULL));
  g_assert_true (g_file_set_contents (memtest, "memtest", -1, NULL));
  g_assert_cmpint (symlink ("../images", efi_images), ==, 0);
  g_assert_true (yard_pxelinux_save_root (menu, dir, &error));
  g_assert_no_error (error);

  bios_data = read_file (bios);
  efi_data = read_file (efi);
  g_assert_nonnull (strstr (bios_data, "LABEL dos\n"));
  g_assert_nonnull (strstr (bios_data, "LABEL memtest\n"));
  /* memdisk is BIOS only; memtest86+x64.bin is not reachable from efi64/ */
  g_assert_null (strstr (efi_data, "LABEL dos\n"));
  g_assert_null (strstr (efi_data, "LABEL memtest\n"));
  g_assert_nonnull (strstr (efi_data, "LABEL deb\n  MENU LABEL Debian\n  LINUX images/deb/linux\n"));
  g_assert_nonnull (strstr (efi_data, "LABEL local\n"));
  g_assert_null (strstr (efi_data, ".."));
  /* A kernel that only the root has is named from the root ("::"), not left out; the BIOS
   * file keeps the plain names. */
  g_assert_nonnull (strstr (efi_data, "LABEL inst\n"));
  g_assert_nonnull (strstr (efi_data, " ::debian/linux\n"));
  g_assert_nonnull (strstr (efi_data, "::debian/initrd.gz"));
  g_assert_null (strstr (efi_data, "::images/"));
  g_assert_null (strstr (bios_data, "::"));

  loaded = yard_pxelinux_load_root (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (loaded), ==, 5);
  g_assert_cmpstr (yard_boot_menu_get_default_id (loaded), ==, "local");

  /* Edit the loaded menu and save again: only the new title line differs. */
  yard_boot_menu_set_title (loaded, "Lab menu");
  g_assert_true (yard_pxelinux_save_root (loaded, dir, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = read_file (bios);
    g_autofree char *diff = changed_lines (bios_data, now);

    g_assert_cmpstr (diff, ==, "-MENU TITLE Bootyard\n+MENU TITLE Lab menu\n");
  }
}

static void
test_debian_title_in_include (void)
{
  g_autofree char *original = NULL;
  g_autoptr(YardBootMenu) menu = load ("debian12/pxelinux.cfg/default", &original);
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;

  /* The title lives in menu.cfg (never written): the new one goes at the end, where it wins. */
  yard_boot_menu_set_title (menu, "Lab installer");
  written = yard_pxelinux_to_data (menu);
  expected = g_strconcat (original, "MENU TITLE Lab installer\n", NULL);
  g_assert_cmpstr (written, ==, expected);
}

static void
test_crlf_and_no_final_newline (void)
{
  const char *text = "DEFAULT menu.c32\r\nLABEL a\r\n  MENU LABEL A\r\n  LINUX a\r\nLABEL b\r\n  LINUX b";
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_parse ("/nonexistent", "crlf.cfg", text, -1, &error);
  g_autofree char *same = NULL;
  g_autofree char *edited = NULL;

  g_assert_no_error (error);
  same = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (same, ==, text);

  yard_boot_entry_set_label (yard_boot_menu_find_entry (menu, "a"), "Alpha");
  edited = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (edited, ==,
                   "DEFAULT menu.c32\r\nLABEL a\r\n  MENU LABEL Alpha\r\n  LINUX a\r\nLABEL b\r\n  LINUX b");
}

/* Mutated corpus files: whatever parses must write back byte for byte, and whatever does
 * not must fail with a file:line message, never crash. */
static void
test_mutations (void)
{
  static const char * const files[] = {
    "debian12/debian-installer/amd64/boot-screens/menu.cfg",
    "debian12/debian-installer/amd64/boot-screens/drk.cfg",
    "memdisk-msdos.cfg",
    "vesamenu-localboot-memtest.cfg",
  };
  g_autofree char *base = data_path ("debian12");
  static const char * const inserts[] = {
    "\n", "\r\n", "\t", " ", "#", "LABEL x\n", "MENU BEGIN\n", "MENU END\n", "TEXT HELP\n",
    "ENDTEXT\n", "INCLUDE menu.cfg\n", "TIMEOUT 1\n", "SERIAL 0\n", "KERNEL memdisk\n",
    "APPEND initrd=a,b iso raw\n", "MENU DEFAULT\n", "\xff", "LOCALBOOT -1\n", "label\n",
  };
  /* A fixed seed so failures repeat; YARD_MUTATION_SEED=N tries others by hand. */
  const char *seed = g_getenv ("YARD_MUTATION_SEED");
  GRand *rand = g_rand_new_with_seed (seed != NULL ? (guint32)g_ascii_strtoull (seed, NULL, 10) : 4);
  guint parsed = 0, refused = 0, edits_checked = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *path = data_path (files[i % G_N_ELEMENTS (files)]);
      g_autofree char *original = read_file (path);
      g_autoptr(GString) text = g_string_new (original);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardBootMenu) menu = NULL;
      guint edits = g_rand_int_range (rand, 1, 4);

      for (guint j = 0; j < edits; j++)
        {
          guint pos = g_rand_int_range (rand, 0, text->len + 1);

          guint len = g_rand_int_range (rand, 1, 40);

          if (g_rand_boolean (rand) && pos < text->len)
            g_string_erase (text, pos, MIN (text->len - pos, len));
          else
            g_string_insert (text, pos, inserts[g_rand_int_range (rand, 0, G_N_ELEMENTS (inserts))]);
        }

      menu = yard_pxelinux_parse (base, "m.cfg", text->str, text->len, &error);
      if (menu != NULL)
        {
          g_autofree char *written = yard_pxelinux_to_data (menu);
          g_autofree char *efi = yard_pxelinux_to_efi_data (menu, NULL);
          g_autoptr(JsonNode) json = yard_boot_menu_to_json (menu);

          g_assert_cmpstr (written, ==, text->str);
          g_assert_nonnull (efi);
          g_assert_nonnull (json);
          parsed++;

          /* Edit the first editable entry: what is written reads back as the edited model. */
          for (guint k = 0; k < yard_boot_menu_get_n_entries (menu); k++)
            {
              YardBootEntry *entry = yard_boot_menu_get_entry (menu, k);
              g_autofree char *edited = NULL;
              g_autofree char *json1 = NULL;
              g_autofree char *json2 = NULL;
              g_autoptr(YardBootMenu) again = NULL;
              g_autoptr(GError) again_error = NULL;

              if (yard_boot_entry_get_read_only (entry))
                continue;
              yard_boot_entry_set_label (entry, "Edited label");
              yard_boot_entry_set_hidden (entry, !yard_boot_entry_get_hidden (entry));
              if (yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_LINUX)
                yard_boot_entry_set_append (entry, "edited=1");
              g_assert_true (yard_boot_menu_set_default_id (menu, yard_boot_entry_get_id (entry), NULL));
              edited = yard_pxelinux_to_data (menu);
              again = yard_pxelinux_parse (base, "m.cfg", edited, -1, &again_error);
              g_assert_no_error (again_error);
              json1 = model_json (menu);
              json2 = model_json (again);
              if (g_strcmp0 (json1, json2) != 0)
                g_test_message ("before:\n%s\nafter edit:\n%s", text->str, edited);
              g_assert_cmpstr (json1, ==, json2);
              edits_checked++;
              break;
            }
        }
      else
        {
          g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
          g_assert_true (g_str_has_prefix (error->message, "m.cfg:") || strstr (error->message, ".cfg:") != NULL);
          refused++;
        }
    }
  g_test_message ("%u parsed, %u refused", parsed, refused);
  g_assert_cmpuint (parsed, >, 100);
  g_assert_cmpuint (refused, >, 100);
  g_assert_cmpuint (edits_checked, >, 100);
  g_rand_free (rand);
}

/* A NUL byte merged two lines on the next write (issue 19): a file with one, or with the
 * control characters of binary data, is "not a configuration file", naming file and line,
 * and is never rewritten. Latin-1 text, tabs, CR LF, form feeds and ESC are still text. */
static void
test_not_text (void)
{
  g_autofree char *dir = yard_test_make_dir ("pxelinux");
  g_autofree char *path = g_build_filename (dir, "default", NULL);
  g_autofree char *inc = g_build_filename (dir, "inc.cfg", NULL);
  const char nul[] = "DEFAULT a\nLABEL a\n  KERNEL k\0x\n  APPEND y\n";
  g_autoptr(YardBootMenu) starter = yard_boot_menu_new_starter (NULL);
  g_autoptr(YardBootMenu) menu = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  g_autofree char *after = NULL;
  guint8 binary[4096];
  gsize len = 0;

  menu = yard_pxelinux_parse (dir, "pxelinux.cfg/default", nul, sizeof nul - 1, &error);
  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_true (g_str_has_prefix (error->message,
                                   "pxelinux.cfg/default:3: not a configuration file"));
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_clear_error (&error);

  for (guint i = 0; i < sizeof binary; i++)
    binary[i] = (guint8) g_rand_int_range (rand, 0, 256);
  menu = yard_pxelinux_parse (dir, "default", (const char *) binary, sizeof binary, &error);
  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "not a configuration file"));
  g_clear_error (&error);

  /* Neither is written over, the NUL file nor the binary one. */
  g_assert_true (g_file_set_contents (path, nul, sizeof nul - 1, NULL));
  g_assert_false (yard_pxelinux_save_file (starter, dir, path, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &len, NULL));
  g_assert_cmpmem (after, len, nul, sizeof nul - 1);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_set_contents (path, (const char *) binary, sizeof binary, NULL));
  g_assert_false (yard_pxelinux_save_file (starter, dir, path, &error));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &len, NULL));
  g_assert_cmpmem (after, len, binary, sizeof binary);

  /* An included file is held to the same. */
  g_assert_true (g_file_set_contents (inc, "LABEL b\n  KERNEL \x01\x02\x03\x04\x05\x06\x07\x08\n",
                                      -1, NULL));
  menu = yard_pxelinux_parse (dir, "default", "INCLUDE inc.cfg\n", -1, &error);
  g_assert_null (menu);
  g_assert_nonnull (strstr (error->message, "inc.cfg:2: not a configuration file"));
  g_clear_error (&error);

  /* The share is a line's (fuzz-pxelinux): over the whole file, the control characters of one
   * entry passed among many memdisk entries, and the UEFI file, which leaves those out, was
   * then refused by this reader. */
  {
    g_autoptr(GString) padded = g_string_new ("LABEL a\n  KERNEL k\n  MUX \x0f\x0f\x0f\x0f\x0f"
                                              "\x0f\x0f\x0f\n");
    g_autoptr(GString) within = g_string_new ("LABEL a\n  KERNEL k\n  MUX \x0f\x0f\x0f\x0f\x0f"
                                              "\x0f\x0f\n");
    g_autoptr(YardBootMenu) efi_menu = NULL;
    g_autofree char *efi = NULL;

    for (guint i = 0; i < 20; i++)
      {
        g_string_append_printf (padded, "LABEL dos%u\n  KERNEL memdisk\n  APPEND iso initrd=dos.iso\n", i);
        g_string_append_printf (within, "LABEL dos%u\n  KERNEL memdisk\n  APPEND iso initrd=dos.iso\n", i);
      }
    menu = yard_pxelinux_parse (dir, "default", padded->str, -1, &error);
    g_assert_null (menu);
    g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
    g_assert_true (g_str_has_prefix (error->message, "default:3: not a configuration file"));
    g_assert_nonnull (strstr (error->message, "8 control characters in a line of 14 bytes"));
    g_clear_error (&error);

    /* seven in a line are text, here and in the UEFI file written from it */
    menu = yard_pxelinux_parse (dir, "default", within->str, -1, &error);
    g_assert_no_error (error);
    efi = yard_pxelinux_to_efi_data (menu, NULL);
    g_assert_null (strstr (efi, "dos0"));
    efi_menu = yard_pxelinux_parse (dir, "efi64/pxelinux.cfg/default", efi, -1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (efi_menu);
    g_clear_object (&menu);
  }

  menu = yard_pxelinux_parse (dir, "default",
                              "MENU TITLE \aMen\xfc\r\n\x0c\tLABEL a\r\n  MENU COLOR title "
                              "\x1b[1;36m\r\n  KERNEL a\r\n\x1a", -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (menu);
}

/* A blank or comment line before a derived mark was the entry's while the mark was there, and
 * lay between entries once a write had dropped the mark: parse, write and parse gave another
 * model (fuzz-pxelinux). */
static void
test_lines_before_mark (void)
{
  static const char * const files[] = {
    "label 0\n\n# bootyard-disabled:",
    "LABEL a\n  KERNEL k\n# a note\n\n# bootyard-disabled: x\n  MENU LABEL a (file missing)\n"
    "  MENU DISABLE\nLABEL b\n  KERNEL k\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(YardBootMenu) menu = yard_pxelinux_parse (".", "default", files[i], -1, &error);
      g_autoptr(YardBootMenu) again = NULL;
      g_autoptr(JsonNode) model = NULL;
      g_autoptr(JsonNode) model2 = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text2 = NULL;
      g_autofree char *written = NULL;

      g_assert_no_error (error);
      written = yard_pxelinux_to_data (menu);
      again = yard_pxelinux_parse (".", "default", written, -1, &error);
      g_assert_no_error (error);
      model = yard_boot_menu_to_json (menu);
      model2 = yard_boot_menu_to_json (again);
      text = json_to_string (model, FALSE);
      text2 = json_to_string (model2, FALSE);
      g_assert_cmpstr (text, ==, text2);
    }
}

/* Nested MENU BEGIN took cubic time (1 000 levels: 6.5 s; issue 19): past 64 levels it is an
 * error, and many entries of one name or many unnamed submenus parse in linear time. */
static void
test_menu_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new ("DEFAULT x\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *written = NULL;
  gint64 start;

  for (guint i = 0; i < 64; i++)
    g_string_append_printf (deep, "MENU BEGIN\nLABEL x\n  KERNEL k%u\n", i);
  for (guint i = 0; i < 64; i++)
    g_string_append (deep, "MENU END\n");
  menu = yard_pxelinux_parse ("/nonexistent", "deep.cfg", deep->str, deep->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (menu);
  written = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (written, ==, deep->str);
  g_clear_object (&menu);

  g_string_prepend (deep, "MENU BEGIN\n");
  g_string_append (deep, "MENU END\n");
  menu = yard_pxelinux_parse ("/nonexistent", "deep.cfg", deep->str, deep->len, &error);
  g_assert_null (menu);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG);
  g_assert_cmpstr (error->message, ==, "deep.cfg:191: MENU BEGIN nested more than 64 levels "
                                       "deep: close submenus with MENU END");
  g_clear_error (&error);

  /* 1 000 levels: refused at once, not after seconds. */
  g_string_truncate (deep, 0);
  for (guint i = 0; i < 1000; i++)
    g_string_append (deep, "MENU BEGIN\nLABEL x\n  KERNEL k\n");
  for (guint i = 0; i < 1000; i++)
    g_string_append (deep, "MENU END\n");
  start = g_get_monotonic_time ();
  menu = yard_pxelinux_parse ("/nonexistent", "deep.cfg", deep->str, deep->len, &error);
  g_assert_null (menu);
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);

  /* 3 000 unnamed submenus and 3 000 labels of one name: ids as before, in well under a
   * second (the tree search made this minutes). */
  for (guint i = 0; i < 3000; i++)
    g_string_append (wide, "MENU BEGIN\nMENU END\nLABEL x\n  KERNEL k\n");
  start = g_get_monotonic_time ();
  menu = yard_pxelinux_parse ("/nonexistent", "wide.cfg", wide->str, wide->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (menu), ==, 6000);
  g_assert_cmpstr (yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, 0)), ==, "submenu");
  g_assert_cmpstr (yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, 1)), ==, "x");
  g_assert_cmpstr (yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, 2)), ==, "submenu-2");
  g_assert_cmpstr (yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, 3)), ==, "x-2");
  g_assert_cmpstr (yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, 5999)), ==, "x-3000");
  g_clear_pointer (&written, g_free);
  written = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (written, ==, wide->str);
}


static void
put_file (const char   *root,
          const char   *name,
          const guint8 *data,
          gsize         length)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_set_contents (path, (const char *) data, length, NULL));
}

/* Compares with tests/data/pxelinux/NAME; YARD_UPDATE_GOLDEN=1 rewrites the file instead
 * (then read the diff before committing it). Not .cfg: the round-trip corpus is the user's
 * files, and this one holds marks that only a write against its root keeps. */
static void
assert_golden (const char *name,
               const char *actual)
{
  g_autofree char *path = data_path (name);
  g_autofree char *expected = NULL;

  if (g_getenv ("YARD_UPDATE_GOLDEN") != NULL)
    {
      g_assert_true (g_file_set_contents (path, actual, -1, NULL));
      return;
    }
  expected = read_file (path);
  g_assert_cmpstr (actual, ==, expected);
}

/* pxelinux.cfg/default keeps every entry; those that cannot boot from the root now are greyed
 * out (MENU DISABLE, a label that says why), and the marks go when the files return. They are
 * state, never the user's: the model does not see them, and without them the file is the one
 * the user wrote, byte for byte. */
static void
test_marks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = yard_test_make_dir ("pxelinux-marks");
  g_autofree char *cfg = g_build_filename (root, "pxelinux.cfg", "default", NULL);
  g_autofree char *original = read_file (data_path ("marks.cfg"));
  g_autofree char *marked = NULL;
  g_autofree char *now = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autoptr(YardBootMenu) unmarked = NULL;
  guint8 arm64[64] = { 0 };
  gboolean changed = TRUE;

  g_assert_no_error (error);
  /* an arm64 Image header: "ARM\x64" at 0x38 */
  memcpy (arm64 + 0x38, "ARM\x64", 4);
  put_file (root, "images/arm/Image", arm64, sizeof arm64);
  put_file (root, "images/ok/linux", (const guint8 *) "kernel", 6);
  put_file (root, "pxelinux.cfg/default", (const guint8 *) original, strlen (original));

  /* without a root there is nothing to mark */
  unmarked = yard_pxelinux_parse (root, "pxelinux.cfg/default", original, -1, &error);
  g_assert_no_error (error);
  now = yard_pxelinux_to_data (unmarked);
  g_assert_cmpstr (now, ==, original);
  g_clear_pointer (&now, g_free);

  g_assert_true (yard_pxelinux_refresh_root_marks (root, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  marked = read_file (cfg);
  assert_golden ("marks-disabled.golden", marked);

  /* read back: the labels and directives are the user's, and the file without its marks is
   * the one written by hand */
  menu = yard_pxelinux_load_root (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (menu), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      YardBootEntry *a = yard_boot_menu_get_entry (menu, i);
      YardBootEntry *b = yard_boot_menu_get_entry (unmarked, i);

      g_assert_cmpstr (yard_boot_entry_get_label (a), ==, yard_boot_entry_get_label (b));
      g_assert_cmpstr (yard_boot_entry_get_help (a), ==, yard_boot_entry_get_help (b));
      g_assert_true (yard_boot_entry_get_kind (a) == yard_boot_entry_get_kind (b));
    }
  g_assert_cmpstr (yard_boot_menu_get_default_id (menu), ==, "local");
  now = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (now, ==, original);
  g_clear_pointer (&now, g_free);

  /* the same root again: written byte for byte, so not at all */
  g_assert_true (yard_pxelinux_refresh_root_marks (root, &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);
  now = read_file (cfg);
  g_assert_cmpstr (now, ==, marked);
  g_clear_pointer (&now, g_free);

  /* an edit of a marked entry keeps it marked, under its new label */
  yard_boot_entry_set_label (yard_boot_menu_find_entry (menu, "gone"), "Debian 13 ^installer");
  g_assert_true (yard_pxelinux_save_file (menu, root, cfg, &error));
  g_assert_no_error (error);
  now = read_file (cfg);
  g_assert_nonnull (strstr (now, "\tMENU LABEL Debian 13 ^installer\n"));
  g_assert_nonnull (strstr (now, "\tMENU LABEL Debian 13 ^installer (file missing)\n"
                                 "\tMENU DISABLE\n"));
  g_assert_null (strstr (now, "Debian ^installer"));
  g_clear_pointer (&now, g_free);

  /* the files return: their marks go, the ARM64 kernel's stays */
  put_file (root, "images/gone/linux", (const guint8 *) "kernel", 6);
  put_file (root, "images/gone/initrd.gz", (const guint8 *) "initrd", 6);
  put_file (root, "images/dos.iso", (const guint8 *) "iso", 3);
  g_assert_true (yard_pxelinux_refresh_root_marks (root, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  now = read_file (cfg);
  g_assert_null (strstr (now, "file missing"));
  g_assert_nonnull (strstr (now, "  MENU LABEL arm (not for BIOS)\n  MENU DISABLE\n"));
  {
    g_auto(GStrv) lines = g_strsplit (now, "\n", -1);
    guint disabled = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      disabled += strstr (lines[i], "MENU DISABLE") != NULL;
    g_assert_cmpuint (disabled, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/pxelinux/round-trip-corpus", test_round_trip_corpus);
  g_test_add_func ("/yard/pxelinux/reference-model", test_reference_model);
  g_test_add_func ("/yard/pxelinux/debian-model", test_debian_model);
  g_test_add_func ("/yard/pxelinux/edit-label", test_edit_label);
  g_test_add_func ("/yard/pxelinux/edit-default", test_edit_default);
  g_test_add_func ("/yard/pxelinux/edit-debian-append", test_edit_debian_append);
  g_test_add_func ("/yard/pxelinux/edit-remove-move-add", test_edit_remove_move_add);
  g_test_add_func ("/yard/pxelinux/edit-serial-title-timeout", test_edit_serial_title_timeout);
  g_test_add_func ("/yard/pxelinux/debian-title-in-include", test_debian_title_in_include);
  g_test_add_func ("/yard/pxelinux/crlf", test_crlf_and_no_final_newline);
  g_test_add_func ("/yard/pxelinux/errors", test_errors);
  g_test_add_func ("/yard/pxelinux/include-errors", test_include_errors);
  g_test_add_func ("/yard/pxelinux/save-refuses-broken", test_save_refuses_broken);
  g_test_add_func ("/yard/pxelinux/fresh-file-round-trip", test_fresh_file_round_trip);
  g_test_add_func ("/yard/pxelinux/root", test_root);
  g_test_add_func ("/yard/pxelinux/mutations", test_mutations);
  g_test_add_func ("/yard/pxelinux/not-text", test_not_text);
  g_test_add_func ("/yard/pxelinux/lines-before-mark", test_lines_before_mark);
  g_test_add_func ("/yard/pxelinux/menu-depth", test_menu_depth);
  g_test_add_func ("/yard/pxelinux/marks", test_marks);

  return g_test_run ();
}
