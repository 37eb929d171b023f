/* test-boot-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-boot-menu.h"
#include "yard-boot-support.h"
#include "yard-error.h"
#include "yard-pxelinux.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonNode) owned = node;

  return json_to_string (owned, FALSE);
}

/* Each invalid body names the member at fault. */
static void
test_entry_json_errors (void)
{
  static const struct {
    const char *json;
    const char *field;
  } cases[] = {
    { "{\"label\": \"x\"}", "kind" },
    { "{\"kind\": \"floppy\", \"label\": \"x\"}", "kind" },
    { "{\"kind\": \"submenu\", \"label\": \"x\"}", "kind" },
    { "{\"kind\": \"localboot\"}", "label" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"bogus\": 1}", "bogus" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"kernel\": \"k\"}", "kernel" },
    { "{\"kind\": \"localboot\", \"label\": 7}", "label" },
    { "{\"kind\": \"localboot\", \"label\": \"a\\nLABEL b\"}", "label" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"hidden\": \"yes\"}", "hidden" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"id\": \"no spaces\"}", "id" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"id\": \"-dash\"}", "id" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"help\": \"a\\nendtext\\nb\"}", "help" },
    { "{\"kind\": \"linux\", \"label\": \"x\"}", "kernel" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"../etc/passwd\"}", "kernel" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"/vmlinuz\"}", "kernel" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"k\", \"initrds\": \"i\"}", "initrds" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"k\", \"initrds\": [\"a,b\"]}", "initrds" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"k\", \"initrds\": [1]}", "initrds" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"k\", \"append\": \"a\\nb\"}", "append" },
    { "{\"kind\": \"linux\", \"label\": \"x\", \"kernel\": \"k\", \"url\": \"http://x/\"}", "url" },
    { "{\"kind\": \"memdisk\", \"label\": \"x\"}", "image" },
    { "{\"kind\": \"memdisk\", \"label\": \"x\", \"image\": \"a b.iso\"}", "image" },
    { "{\"kind\": \"memdisk\", \"label\": \"x\", \"image\": \"a.iso\", \"imageType\": \"cd\"}", "imageType" },
    { "{\"kind\": \"chain\", \"label\": \"x\", \"url\": \"ftp://x/\"}", "url" },
    { "{\"kind\": \"chain\", \"label\": \"x\", \"url\": \"http://x/a b\"}", "url" },
    { "{\"kind\": \"chain\", \"label\": \"x\"}", "url" },
    { "{\"kind\": \"ipxe\", \"label\": \"x\", \"script\": \"echo hi\"}", "script" },
    { "{\"kind\": \"ipxe\", \"label\": \"x\", \"script\": \"#!ipxefoo\\n\"}", "script" },
    { "{\"kind\": \"ipxe\", \"label\": \"x\", \"script\": \"#!ipxe\\necho \\u0007\\n\"}", "script" },
    { "{\"kind\": \"com32\", \"label\": \"x\"}", "kernel" },
    { "{\"kind\": \"localboot\", \"label\": \"x\", \"entries\": []}", "entries" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autoptr(YardBootEntry) entry = NULL;

      g_test_message ("%s", cases[i].json);
      entry = yard_boot_entry_new_from_json (object, &field, &error);
      g_assert_null (entry);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (field, ==, cases[i].field);
      g_test_message ("-> %s: %s", field, error->message);
    }
}

static void
test_entry_json_round_trip (void)
{
  static const char * const bodies[] = {
    "{\"kind\":\"localboot\",\"label\":\"Local disk\"}",
    "{\"kind\":\"linux\",\"label\":\"Debian\",\"kernel\":\"images/d/linux\","
      "\"initrds\":[\"images/d/initrd.gz\"],\"append\":\"vga=788 --- quiet\",\"hidden\":true,"
      "\"help\":\"Two\\nlines\"}",
    "{\"kind\":\"memdisk\",\"label\":\"DOS\",\"image\":\"images/dos.iso\",\"imageType\":\"iso\",\"raw\":true}",
    "{\"kind\":\"chain\",\"label\":\"xyz\",\"url\":\"https://boot.netboot.xyz/\"}",
    "{\"kind\":\"ipxe\",\"label\":\"Shell\",\"script\":\"#!ipxe\\nshell\\n\"}",
    "{\"kind\":\"com32\",\"label\":\"HDT\",\"kernel\":\"hdt.c32\",\"append\":\"x=1\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardBootEntry) entry = yard_boot_entry_new_from_json (object, NULL, &error);
      g_autoptr(YardBootEntry) again = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json1 = NULL;
      g_autofree char *json2 = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (entry);
      g_assert_true (yard_boot_entry_set_id (entry, "e", &error));
      node = yard_boot_entry_to_json (entry);
      json1 = json_to_string (node, FALSE);
      /* What GET answers can be sent back (readOnly included). */
      again = yard_boot_entry_new_from_json (json_node_get_object (node), NULL, &error);
      g_assert_no_error (error);
      json2 = to_string (yard_boot_entry_to_json (again));
      g_assert_cmpstr (json1, ==, json2);
    }
}

/* New memdisk entries get "raw" (APPEND iso raw) unless the request turns it off. */
static void
test_entry_memdisk_raw_default (void)
{
  g_autoptr(JsonObject) plain = parse_object ("{\"kind\":\"memdisk\",\"label\":\"DOS\","
                                              "\"image\":\"images/dos.iso\"}");
  g_autoptr(JsonObject) off = parse_object ("{\"kind\":\"memdisk\",\"label\":\"DOS\","
                                            "\"image\":\"images/dos.iso\",\"raw\":false}");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootEntry) a = yard_boot_entry_new_from_json (plain, NULL, &error);
  g_autoptr(YardBootEntry) b = NULL;

  g_assert_no_error (error);
  g_assert_true (yard_boot_entry_get_raw (a));
  b = yard_boot_entry_new_from_json (off, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (yard_boot_entry_get_raw (b));
}

static void
test_entry_update (void)
{
  g_autoptr(YardBootEntry) entry = yard_boot_entry_new_linux ("deb", "Debian", "k", NULL, "quiet");
  g_autoptr(JsonObject) ok = parse_object ("{\"label\":\"Debian 12\",\"initrds\":[\"i1\",\"i2\"],\"id\":\"deb\",\"kind\":\"linux\"}");
  g_autoptr(JsonObject) bad = parse_object ("{\"label\":\"Changed\",\"kernel\":\"../x\"}");
  g_autoptr(JsonObject) kind = parse_object ("{\"kind\":\"chain\"}");
  g_autoptr(JsonObject) id = parse_object ("{\"id\":\"other\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_true (yard_boot_entry_update_from_json (entry, ok, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, "Debian 12");
  g_assert_cmpstr (yard_boot_entry_get_initrds (entry)[1], ==, "i2");
  g_assert_cmpstr (yard_boot_entry_get_append (entry), ==, "quiet");

  /* All or nothing: the label does not change when the kernel is refused. */
  g_assert_false (yard_boot_entry_update_from_json (entry, bad, &field, &error));
  g_assert_cmpstr (field, ==, "kernel");
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, "Debian 12");
  g_clear_error (&error);

  g_assert_false (yard_boot_entry_update_from_json (entry, kind, &field, &error));
  g_assert_cmpstr (field, ==, "kind");
  g_clear_error (&error);
  g_assert_false (yard_boot_entry_update_from_json (entry, id, &field, &error));
  g_assert_cmpstr (field, ==, "id");
}

/* An entry from a hand-written file with an absolute path: a new label is fine, a bad new
 * kernel is not. */
static void
test_entry_update_legacy (void)
{
  const char *text = "LABEL old\n  KERNEL /boot/vmlinuz\n  APPEND quiet\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_parse ("/nonexistent", "legacy.cfg", text, -1, &error);
  g_autoptr(JsonObject) label = parse_object ("{\"label\": \"Old system\"}");
  g_autoptr(JsonObject) kernel = parse_object ("{\"kernel\": \"../x\"}");
  g_autofree char *field = NULL;
  g_autofree char *written = NULL;

  g_assert_no_error (error);
  g_assert_true (yard_boot_menu_update_entry_from_json (menu, "old", label, &field, &error));
  g_assert_no_error (error);
  g_assert_false (yard_boot_menu_update_entry_from_json (menu, "old", kernel, &field, &error));
  g_assert_cmpstr (field, ==, "kernel");
  written = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (written, ==, "LABEL old\n  MENU LABEL Old system\n  KERNEL /boot/vmlinuz\n  APPEND quiet\n");
  g_clear_error (&error);

  /* The whole menu sent back as it was read (PUT) is accepted too. */
  {
    g_autoptr(JsonNode) node = yard_boot_menu_to_json (menu);

    g_assert_true (yard_boot_menu_replace_from_json (menu, json_node_get_object (node), &field, &error));
    g_assert_no_error (error);
  }
}

static void
count_cb (YardBootMenu *menu,
          guint        *count)
{
  (*count)++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static const char *
ids (YardBootMenu *menu)
{
  static char buffer[256];
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    g_string_append_printf (s, "%s%s", i ? "," : "", yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, i)));
  g_strlcpy (buffer, s->str, sizeof buffer);
  g_string_free (s, TRUE);
  return buffer;
}

static void
test_menu_operations (void)
{
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter ("memtest86+x64.bin");
  g_autoptr(YardBootEntry) a = yard_boot_entry_new_local (NULL, "Local disk");
  g_autoptr(YardBootEntry) b = yard_boot_entry_new_chain (NULL, "Local disk", "http://x/y");
  g_autoptr(YardBootEntry) dup = yard_boot_entry_new_local ("memtest", "Dup");
  g_autoptr(YardBootEntry) bad = yard_boot_entry_new_chain (NULL, "Bad", "gopher://x");
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  guint changed = 0;

  g_signal_connect (menu, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (menu, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (menu)) == YARD_TYPE_BOOT_ENTRY);
  g_assert_cmpstr (ids (menu), ==, "local,memtest");

  /* Ids come from labels and stay unique. */
  g_assert_true (yard_boot_menu_add_entry (menu, a, 0, NULL, &error));
  g_assert_true (yard_boot_menu_add_entry (menu, b, -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ids (menu), ==, "Local-disk,local,memtest,Local-disk-2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (menu)), ==, 4);

  g_assert_false (yard_boot_menu_add_entry (menu, dup, -1, &field, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_EXISTS);
  g_assert_cmpstr (field, ==, "id");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);
  g_assert_false (yard_boot_menu_add_entry (menu, bad, -1, &field, &error));
  g_assert_cmpstr (field, ==, "url");
  g_clear_error (&error);

  /* Once in a menu, an id cannot change. */
  g_assert_false (yard_boot_entry_set_id (a, "renamed", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (yard_boot_menu_move_entry (menu, "Local-disk-2", 0, &error));
  g_assert_cmpstr (ids (menu), ==, "Local-disk-2,Local-disk,local,memtest");
  g_assert_true (yard_boot_menu_move_entry (menu, "Local-disk-2", 99, &error));
  g_assert_cmpstr (ids (menu), ==, "Local-disk,local,memtest,Local-disk-2");

  g_assert_true (yard_boot_menu_set_default_id (menu, "memtest", &error));
  g_assert_false (yard_boot_menu_set_default_id (menu, "nope", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (yard_boot_menu_remove_entry (menu, "memtest", &error));
  g_assert_null (yard_boot_menu_get_default_id (menu));
  g_assert_false (yard_boot_menu_remove_entry (menu, "memtest", &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpstr (ids (menu), ==, "Local-disk,local,Local-disk-2");

  g_assert_false (yard_boot_menu_set_serial (menu, 4, 115200, &error));
  g_clear_error (&error);
  g_assert_false (yard_boot_menu_set_serial (menu, 0, 12345, &error));
  g_clear_error (&error);
  g_assert_true (yard_boot_menu_set_serial (menu, 1, 38400, &error));

  g_assert_cmpstr (log->str, ==, "0-0+1;3-0+1;0-4+4;0-4+4;2-1+0;");
  /* add, add, move, move, default, remove (+ default cleared with it), serial */
  g_assert_cmpuint (changed, ==, 7);
}

static void
test_menu_json (void)
{
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *json = NULL;
  static const struct {
    const char *json;
    const char *field;
  } bad[] = {
    { "{\"timeout\": -1}", "timeout" },
    { "{\"timeout\": \"5\"}", "timeout" },
    { "{\"default\": \"nope\"}", "default" },
    { "{\"serial\": {\"port\": 9, \"baud\": 115200}}", "serial" },
    { "{\"serial\": {\"port\": 0}}", "serial" },
    { "{\"serial\": {\"port\": 0, \"baud\": 115200, \"flow\": 1}}", "serial" },
    { "{\"entries\": []}", "entries" },
    { "{\"colour\": \"red\"}", "colour" },
    { "{\"title\": \"a\\u0007b\"}", "title" },
  };

  json = to_string (yard_boot_menu_to_json (menu));
  g_assert_cmpstr (json, ==,
                   "{\"title\":\"Bootyard\",\"timeout\":5,\"default\":\"local\",\"serial\":null,"
                   "\"entries\":[{\"id\":\"local\",\"kind\":\"localboot\",\"label\":\"Boot from local disk\","
                   "\"hidden\":false,\"help\":null,\"readOnly\":false}]}");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i].json);

      g_clear_pointer (&field, g_free);
      g_clear_error (&error);
      g_assert_false (yard_boot_menu_update_from_json (menu, object, &field, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (field, ==, bad[i].field);
    }
  /* Nothing changed by the refused bodies. */
  g_free (json);
  json = to_string (yard_boot_menu_to_json (menu));
  g_assert_nonnull (strstr (json, "\"timeout\":5,\"default\":\"local\",\"serial\":null"));

  {
    g_autoptr(JsonObject) object = parse_object ("{\"title\":\"Lab\",\"timeout\":0,\"default\":null,"
                                                 "\"serial\":{\"port\":0,\"baud\":115200}}");
    guint port = 9, baud = 0;

    g_clear_error (&error);
    g_assert_true (yard_boot_menu_update_from_json (menu, object, &field, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (yard_boot_menu_get_title (menu), ==, "Lab");
    g_assert_cmpuint (yard_boot_menu_get_timeout (menu), ==, 0);
    g_assert_null (yard_boot_menu_get_default_id (menu));
    g_assert_true (yard_boot_menu_get_serial (menu, &port, &baud));
    g_assert_cmpuint (port, ==, 0);
    g_assert_cmpuint (baud, ==, 115200);
  }
}

/* PUT keeps the entries it names (and their pxelinux lines), adds, removes and reorders. */
static void
test_menu_replace (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "memdisk-msdos.cfg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_load_file ("/nonexistent", path, &error);
  YardBootEntry *memtest;
  g_autoptr(JsonObject) put = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autofree char *field = NULL;
  g_autofree char *written = NULL;

  g_assert_no_error (error);
  memtest = yard_boot_menu_find_entry (menu, "memtest");
  put = parse_object ("{\"title\":\"PXE Network Boot Menu\",\"timeout\":30,\"default\":\"memtest\",\"serial\":null,"
                      "\"entries\":["
                      "{\"id\":\"memtest\",\"kind\":\"linux\",\"label\":\"Speichertest mit memtest86+ v4.20\",\"kernel\":\"memtest\",\"initrds\":[],\"append\":null,\"readOnly\":false},"
                      "{\"id\":\"local\",\"kind\":\"localboot\",\"label\":\"Von Festplatte starten\"},"
                      "{\"kind\":\"chain\",\"label\":\"Net\",\"url\":\"http://n/x.ipxe\"}]}");
  bad = parse_object ("{\"entries\":[{\"id\":\"local\",\"kind\":\"localboot\",\"label\":\"x\"},"
                      "{\"kind\":\"chain\",\"label\":\"Net\",\"url\":\"mailto:x\"}]}");

  g_assert_false (yard_boot_menu_replace_from_json (menu, bad, &field, &error));
  g_assert_cmpstr (field, ==, "entries[1].url");
  g_assert_cmpstr (ids (menu), ==, "local,memtest,MSDOS-6.22");
  g_assert_cmpstr (yard_boot_entry_get_label (yard_boot_menu_find_entry (menu, "local")), ==, "Von Festplatte starten");
  g_clear_error (&error);

  g_assert_true (yard_boot_menu_replace_from_json (menu, put, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ids (menu), ==, "memtest,local,Net");
  g_assert_true (yard_boot_menu_find_entry (menu, "memtest") == memtest);
  g_assert_cmpstr (yard_boot_menu_get_default_id (menu), ==, "memtest");

  written = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (written, ==,
                   "DEFAULT vesamenu.c32\nPROMPT 0\nTIMEOUT 300\nMENU TITLE PXE Network Boot Menu\n"
                   "LABEL memtest\nMENU DEFAULT\nMENU LABEL Speichertest mit memtest86+ v4.20\nKERNEL memtest\n"
                   "LABEL local\nMENU LABEL Von Festplatte starten\nLOCALBOOT 0\n"
                   "LABEL Net\n  MENU LABEL Net\n  KERNEL ipxe.lkrn\n  APPEND dhcp && chain http://n/x.ipxe\n");
}

/* GET /menu of Debian's netboot menu (submenus, included and unknown entries, a BEL in
 * the title) can be sent back with PUT unchanged, and the file stays byte for byte. */
static void
test_menu_replace_debian (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12", "pxelinux.cfg", "default", NULL);
  g_autofree char *base = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_load_file (base, path, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *field = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  before = yard_pxelinux_to_data (menu);
  node = yard_boot_menu_to_json (menu);
  g_assert_true (yard_boot_menu_replace_from_json (menu, json_node_get_object (node), &field, &error));
  g_assert_no_error (error);
  after = yard_pxelinux_to_data (menu);
  g_assert_cmpstr (after, ==, before);
}

static void
test_menu_new_from_json (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"title\":\"T\",\"timeout\":3,\"default\":\"b\",\"serial\":null,"
                                               "\"entries\":[{\"kind\":\"localboot\",\"label\":\"A\"},"
                                               "{\"id\":\"b\",\"kind\":\"localboot\",\"label\":\"B\"},"
                                               "{\"kind\":\"localboot\",\"label\":\"A\"}]}");
  g_autoptr(JsonObject) twice = parse_object ("{\"entries\":[{\"id\":\"b\",\"kind\":\"localboot\",\"label\":\"B\"},"
                                              "{\"id\":\"b\",\"kind\":\"localboot\",\"label\":\"B\"}]}");
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_from_json (object, &field, &error);
  g_autoptr(YardBootMenu) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ids (menu), ==, "A,b,A-2");
  g_assert_cmpstr (yard_boot_menu_get_default_id (menu), ==, "b");
  g_assert_cmpuint (yard_boot_menu_get_timeout_tenths (menu), ==, 30);

  none = yard_boot_menu_new_from_json (twice, &field, &error);
  g_assert_null (none);
  g_assert_cmpstr (field, ==, "entries[1].id");
}

/* Moving, removing and submenus leave no reference behind. */
static void
test_menu_finalizes (void)
{
  YardBootMenu *menu = yard_boot_menu_new_starter ("memtest86+x64.bin");
  YardBootEntry *local = yard_boot_menu_find_entry (menu, "local");
  YardBootEntry *submenu_entry = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_SUBMENU, "sub", "Sub");
  YardBootMenu *submenu = yard_boot_entry_get_submenu (submenu_entry);
  g_autoptr(GError) error = NULL;

  g_object_add_weak_pointer (G_OBJECT (local), (gpointer *)&local);
  g_object_add_weak_pointer (G_OBJECT (submenu), (gpointer *)&submenu);
  g_assert_true (yard_boot_menu_add_entry (menu, submenu_entry, -1, NULL, &error));
  g_object_unref (submenu_entry);
  g_assert_true (yard_boot_menu_move_entry (menu, "local", 1, &error));
  g_assert_true (yard_boot_menu_move_entry (menu, "local", 0, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (menu);
  g_assert_null (local);
  g_assert_null (submenu);
}

/* What the server writes (the model, read-only entries, submenus, other blocks, support)
 * decodes to the same menu: to_json of the decoded menu is the server's. */
static void
test_menu_decode (void)
{
  static const char text[] =
    "DEFAULT vesamenu.c32\n"
    "MENU TITLE Lab\n"
    "TIMEOUT 50\n"
    "LABEL debian\n"
    "  MENU LABEL Debian\n"
    "  KERNEL debian/linux\n"
    "  INITRD debian/initrd.gz,fw.cpio\n"
    "  APPEND quiet\n"
    "MENU BEGIN tools\n"
    "  MENU TITLE Tools\n"
    "  LABEL disk\n"
    "    LOCALBOOT 0\n"
    "MENU END\n"
    "LABEL odd\n"
    "  MENU LABEL Odd\n"
    "  CONFIG other.cfg\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_parse ("/nonexistent", "test.cfg", text, -1,
                                                      &error);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(YardBootMenu) decoded = NULL;
  g_autoptr(JsonObject) bad = json_object_new ();
  YardBootEntry *entry;

  g_assert_no_error (error);
  json = yard_boot_menu_to_json (menu);
  yard_boot_menu_add_support_json (menu, json_node_get_object (json), NULL);
  /* beside the model, as the API sends it: left to the caller */
  json_object_set_string_member (json_node_get_object (json), "loader", "pxelinux");

  decoded = yard_boot_menu_decode_json (json_node_get_object (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (decoded), ==, 3);
  entry = yard_boot_menu_get_entry (decoded, 0);
  g_assert_nonnull (yard_boot_entry_get_support (entry));
  /* no boot root to look in: nothing is missing */
  g_assert_null (yard_boot_entry_get_support (entry)->missing[0]);
  entry = yard_boot_menu_get_entry (decoded, 1);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_SUBMENU);
  g_assert_true (yard_boot_entry_get_read_only (entry));
  g_assert_nonnull (yard_boot_menu_find_entry (decoded, "disk"));
  entry = yard_boot_menu_get_entry (decoded, 2);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_OTHER);
  g_assert_nonnull (strstr (yard_boot_entry_get_directives (entry), "CONFIG other.cfg"));

  /* the same JSON back, support and all */
  again = yard_boot_menu_to_json (decoded);
  yard_boot_menu_add_support_json (decoded, json_node_get_object (again), NULL);
  json_object_remove_member (json_node_get_object (json), "loader");
  g_assert_true (json_node_equal (json, again));
  /* a copy keeps the server's verdicts */
  {
    g_autoptr(YardBootEntry) copy = yard_boot_entry_copy (yard_boot_menu_get_entry (decoded, 0));
    g_assert_nonnull (yard_boot_entry_get_support (copy));
  }

  /* what does not read is the server's fault */
  json_object_set_string_member (bad, "title", "x");
  g_assert_null (yard_boot_menu_decode_json (bad, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);
  json_object_set_array_member (bad, "entries", json_array_new ());
  json_array_add_string_element (json_object_get_array_member (bad, "entries"), "x");
  g_assert_null (yard_boot_menu_decode_json (bad, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_clear_error (&error);
  json_object_set_array_member (bad, "entries", json_array_new ());
  {
    JsonObject *item = json_object_new ();
    json_object_set_string_member (item, "kind", "linux");
    json_object_set_int_member (item, "label", 3);
    json_array_add_object_element (json_object_get_array_member (bad, "entries"), item);
  }
  g_assert_null (yard_boot_menu_decode_json (bad, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);

  g_assert_finalize_object (g_steal_pointer (&decoded));
}

typedef struct
{
  guint position, removed, added, calls;
} ItemsChanged;

static void
assign_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    user_data)
{
  ItemsChanged *c = user_data;

  c->position = position;
  c->removed = removed;
  c->added = added;
  c->calls++;
}

static YardBootMenu *
three_entries (const char *second_label)
{
  YardBootMenu *menu = yard_boot_menu_new ();
  const char *labels[] = { "One", second_label, "Three" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr(YardBootEntry) entry = yard_boot_entry_new_local (NULL, labels[i]);
      g_autofree char *id = g_strdup_printf ("e%u", i);

      g_assert_true (yard_boot_entry_set_id (entry, id, NULL));
      g_assert_true (yard_boot_menu_add_entry (menu, entry, -1, NULL, NULL));
    }
  return menu;
}

/* assign keeps the entries that did not change, so a bound list (and its selection) stays */
static void
test_menu_assign (void)
{
  g_autoptr(YardBootMenu) menu = three_entries ("Two");
  g_autoptr(YardBootMenu) same = three_entries ("Two");
  g_autoptr(YardBootMenu) edited = three_entries ("Two, edited");
  YardBootEntry *first = yard_boot_menu_get_entry (menu, 0);
  YardBootEntry *last = yard_boot_menu_get_entry (menu, 2);
  ItemsChanged c = { 0, };

  g_signal_connect (menu, "items-changed", G_CALLBACK (assign_items_changed_cb), &c);
  yard_boot_menu_set_title (same, "Lab");
  yard_boot_menu_assign (menu, same);
  g_assert_cmpuint (c.calls, ==, 0);
  g_assert_cmpstr (yard_boot_menu_get_title (menu), ==, "Lab");

  yard_boot_menu_assign (menu, edited);
  g_assert_cmpuint (c.calls, ==, 1);
  g_assert_cmpuint (c.position, ==, 1);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_true (yard_boot_menu_get_entry (menu, 0) == first);
  g_assert_true (yard_boot_menu_get_entry (menu, 2) == last);
  g_assert_cmpstr (yard_boot_entry_get_label (yard_boot_menu_get_entry (menu, 1)), ==,
                   "Two, edited");
  /* a copy: the other menu keeps its own */
  g_assert_true (yard_boot_menu_get_entry (menu, 1) != yard_boot_menu_get_entry (edited, 1));

  /* one removed at the end */
  g_assert_true (yard_boot_menu_remove_entry (edited, "e2", NULL));
  yard_boot_menu_assign (menu, edited);
  g_assert_cmpuint (c.position, ==, 2);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 0);
  g_assert_cmpuint (yard_boot_menu_get_n_entries (menu), ==, 2);

  g_signal_handlers_disconnect_by_data (menu, &c);
  g_assert_finalize_object (g_steal_pointer (&menu));
}

/* A script's line ends are made "\n" once and for all: setting what was read changes nothing
 * (the JSON fuzzer's finding: "shell\r" became "shell\r\n", then "shell\n"). */
static void
test_entry_script_lines (void)
{
  static const struct { const char *set; const char *kept; } cases[] = {
    { "#!ipxe\nshell", "#!ipxe\nshell\n" },
    { "#!ipxe\r\nshell\r\n", "#!ipxe\nshell\n" },
    { "#!ipxe\nshell\r", "#!ipxe\nshell\n" },
    { "#!ipxe\n\n", "#!ipxe\n\n" },
    { "#!ipxe\r", "#!ipxe\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(YardBootEntry) entry = yard_boot_entry_new_ipxe_script ("s", "S", cases[i].set);
      g_autofree char *kept = g_strdup (yard_boot_entry_get_script (entry));

      g_assert_cmpstr (kept, ==, cases[i].kept);
      yard_boot_entry_set_script (entry, kept);
      g_assert_cmpstr (yard_boot_entry_get_script (entry), ==, cases[i].kept);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/boot-menu/entry-json-errors", test_entry_json_errors);
  g_test_add_func ("/yard/boot-menu/entry-json-round-trip", test_entry_json_round_trip);
  g_test_add_func ("/yard/boot-menu/entry-memdisk-raw-default", test_entry_memdisk_raw_default);
  g_test_add_func ("/yard/boot-menu/entry-update", test_entry_update);
  g_test_add_func ("/yard/boot-menu/entry-script-lines", test_entry_script_lines);
  g_test_add_func ("/yard/boot-menu/entry-update-legacy", test_entry_update_legacy);
  g_test_add_func ("/yard/boot-menu/operations", test_menu_operations);
  g_test_add_func ("/yard/boot-menu/menu-json", test_menu_json);
  g_test_add_func ("/yard/boot-menu/replace", test_menu_replace);
  g_test_add_func ("/yard/boot-menu/replace-debian", test_menu_replace_debian);
  g_test_add_func ("/yard/boot-menu/new-from-json", test_menu_new_from_json);
  g_test_add_func ("/yard/boot-menu/finalizes", test_menu_finalizes);
  g_test_add_func ("/yard/boot-menu/decode", test_menu_decode);
  g_test_add_func ("/yard/boot-menu/assign", test_menu_assign);

  return g_test_run ();
}
