/* test-gui-model.c: what the app's widgets make of the API's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-gui-model.h"
#include "yard-ipxe.h"
#include "yard-pxelinux.h"
#include "yard-boot-menu.h"
#include "yard-host-table.h"
#include "yard-image-file.h"

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* An entry as the client hands it out: decoded by core from the server's JSON */
static YardBootEntry *
entry_from (const char *json)
{
  g_autoptr(JsonObject) object = object_from (json);
  g_autoptr(GError) error = NULL;
  YardBootEntry *entry = yard_boot_entry_decode_json (object, &error);

  g_assert_no_error (error);
  return entry;
}

static void
assert_entry (const char *json,
              const char *expected_field)
{
  g_autoptr(JsonObject) entry = object_from (json);
  g_autoptr(YardBootEntry) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_test_message ("%s", json);
  checked = yard_entry_form_check (NULL, entry, &field, &error);
  if (expected_field == NULL)
    {
      g_assert_no_error (error);
      g_assert_nonnull (checked);
      g_assert_null (field);
    }
  else
    {
      g_assert_null (checked);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (field, ==, expected_field);
    }
}

static void
test_entry_validation (void)
{
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"Disk\"}", NULL);
  /* A blank or missing label is refused, by the app as by the API: a menu line with nothing to
   * read. Unicode white space counts as blank. */
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"  \"}", "label");
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"\"}", "label");
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"\u2003\"}", "label");
  assert_entry ("{\"kind\":\"localboot\"}", "label");
  assert_entry ("{\"kind\":\"localboot\",\"label\":\" Disk \"}", NULL);
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"a\\nb\"}", "label");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"\"}", "kernel");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"/vmlinuz\"}", "kernel");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"a/../../x\"}", "kernel");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"a b\"}", "kernel");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"k\",\"initrds\":[\"../i\"]}",
                "initrds");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"k\",\"initrds\":[\"i\"],"
                "\"append\":\"quiet\\nboot\"}", "append");
  assert_entry ("{\"kind\":\"linux\",\"label\":\"L\",\"kernel\":\"k\",\"initrds\":[\"i\"],"
                "\"append\":\"quiet\"}", NULL);
  assert_entry ("{\"kind\":\"memdisk\",\"label\":\"M\",\"image\":\"\"}", "image");
  assert_entry ("{\"kind\":\"memdisk\",\"label\":\"M\",\"image\":\"images/dos.iso\","
                "\"imageType\":\"cdrom\"}", "imageType");
  assert_entry ("{\"kind\":\"memdisk\",\"label\":\"M\",\"image\":\"images/dos.iso\","
                "\"imageType\":\"iso\"}", NULL);
  assert_entry ("{\"kind\":\"chain\",\"label\":\"C\",\"url\":\"ftp://x\"}", "url");
  assert_entry ("{\"kind\":\"chain\",\"label\":\"C\",\"url\":\"http://\"}", "url");
  assert_entry ("{\"kind\":\"chain\",\"label\":\"C\",\"url\":\"https://boot.netboot.xyz\"}", NULL);
  assert_entry ("{\"kind\":\"ipxe\",\"label\":\"S\",\"script\":\"chain x\"}", "script");
  assert_entry ("{\"kind\":\"ipxe\",\"label\":\"S\",\"script\":\"#!ipxefoo\"}", "script");
  assert_entry ("{\"kind\":\"ipxe\",\"label\":\"S\",\"script\":\"#!ipxe\\nchain x\\n\"}", NULL);
  assert_entry ("{\"kind\":\"nonsense\",\"label\":\"S\"}", "kind");
}

/* The host dialog's form: core's host, with core's messages and the member to fix. */
static YardHost *
form (const char   *mac,
      YardHostMode  mode,
      const char   *script,
      const char   *url,
      const char  **field)
{
  g_autoptr(GError) error = NULL;
  YardHost *host = yard_host_form_apply (NULL, mac, "lab-1", mode, script, url, TRUE, field,
                                         &error);

  g_assert_true ((host == NULL) == (error != NULL));
  if (error != NULL)
    {
      g_test_message ("%s: %s", *field, error->message);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
    }
  return host;
}

static void
test_host_validation (void)
{
  const char *field = NULL;
  g_autoptr(YardHost) menu = NULL;
  g_autoptr(YardHost) url = NULL;
  g_autoptr(YardHost) edited = NULL;
  g_autoptr(YardHost) bad = NULL;

  menu = form ("52-54-00-AB-cd-EF", YARD_HOST_MODE_MENU, NULL, NULL, &field);
  g_assert_nonnull (menu);
  g_assert_cmpstr (menu->mac, ==, "52:54:00:ab:cd:ef");
  g_assert_cmpstr (menu->name, ==, "lab-1");
  g_assert_true (menu->once);
  g_assert_null (menu->script);
  g_assert_null (form ("52:54:00:12:34:56", YARD_HOST_MODE_SCRIPT, "echo", NULL, &field));
  g_assert_cmpstr (field, ==, "script");
  g_assert_null (form ("52:54:00:12:34:56", YARD_HOST_MODE_URL, NULL, "file:///x", &field));
  g_assert_cmpstr (field, ==, "scriptUrl");
  g_assert_null (form ("52:54:00:12:34:56", YARD_HOST_MODE_URL, NULL, "", &field));
  g_assert_cmpstr (field, ==, "scriptUrl");
  url = form ("52:54:00:12:34:56", YARD_HOST_MODE_URL, "#!ipxe\n", "http://10.0.0.1/a.ipxe",
              &field);
  g_assert_nonnull (url);
  g_assert_null (field);
  /* The script box is not the host's script outside its mode. */
  g_assert_null (url->script);
  g_assert_null (form ("52:54:00:12:34", YARD_HOST_MODE_MENU, NULL, NULL, &field));
  g_assert_cmpstr (field, ==, "mac");
  g_assert_null (form ("52:54:00:12:34:5g", YARD_HOST_MODE_DISK, NULL, NULL, &field));
  g_assert_cmpstr (field, ==, "mac");

  /* An existing host keeps its MAC and what the form does not show in this mode. */
  edited = yard_host_form_apply (url, "ignored", "", YARD_HOST_MODE_DISK, "echo", "x", FALSE,
                                 &field, NULL);
  g_assert_nonnull (edited);
  g_assert_cmpstr (edited->mac, ==, "52:54:00:12:34:56");
  g_assert_cmpint (edited->mode, ==, YARD_HOST_MODE_DISK);
  g_assert_cmpstr (edited->script_url, ==, "http://10.0.0.1/a.ipxe");
  g_assert_null (edited->script);
  bad = yard_host_form_apply (url, NULL, "", YARD_HOST_MODE_URL, NULL, "HTTP://a b", FALSE,
                              &field, NULL);
  g_assert_null (bad);
  g_assert_cmpstr (field, ==, "scriptUrl");
}

/* What PUT /hosts/MAC does with a body: the path's MAC normalized, the body applied by core. */
static gboolean
server_takes (const char *mac,
              const char *body)
{
  g_autofree char *normal = yard_mac_normalize (mac, NULL);
  g_autoptr(YardHost) host = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (normal == NULL)
    return FALSE;
  host = yard_host_new (normal);
  /* A body that is not UTF-8 does not parse: the API answers 400 before core sees it. */
  node = json_from_string (body, NULL);
  if (node == NULL)
    return FALSE;
  return yard_host_update_from_json (host, json_node_get_object (node), NULL, NULL);
}

static char *
quoted (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

static void
test_boot_steps (void)
{
  g_assert_cmpint (yard_boot_step_for_file ("pxelinux.0"), ==, YARD_BOOT_STEP_LOADER);
  g_assert_cmpint (yard_boot_step_for_file ("efi64/syslinux.efi"), ==, YARD_BOOT_STEP_LOADER);
  g_assert_cmpint (yard_boot_step_for_file ("undionly.kpxe"), ==, YARD_BOOT_STEP_LOADER);
  g_assert_cmpint (yard_boot_step_for_file ("pxelinux.cfg/01-52-54-00-12-34-56"), ==,
                   YARD_BOOT_STEP_CONFIG);
  g_assert_cmpint (yard_boot_step_for_file ("/boot/52:54:00:12:34:56.ipxe"), ==,
                   YARD_BOOT_STEP_CONFIG);
  g_assert_cmpint (yard_boot_step_for_file ("ldlinux.c32"), ==, YARD_BOOT_STEP_CONFIG);
  g_assert_cmpint (yard_boot_step_for_file ("images/debian/linux"), ==, YARD_BOOT_STEP_KERNEL);
  g_assert_cmpint (yard_boot_step_for_file ("images/debian/initrd.gz"), ==,
                   YARD_BOOT_STEP_KERNEL);
  g_assert_cmpint (yard_boot_step_for_file ("images/dos.iso"), ==, YARD_BOOT_STEP_KERNEL);
}

static void
test_summaries (void)
{
  g_autoptr(YardBootEntry) linux_entry = entry_from ("{\"kind\":\"linux\",\"kernel\":\"k\","
                                                   "\"append\":\"quiet\"}");
  g_autoptr(YardBootEntry) script = entry_from ("{\"kind\":\"ipxe\","
                                              "\"script\":\"#!ipxe\\ndhcp\\nboot\\n\"}");
  g_autofree char *s1 = yard_entry_dup_summary (linux_entry);
  g_autofree char *s2 = yard_entry_dup_summary (script);
  g_autofree char *speed = yard_format_throughput (2000000);

  g_assert_cmpstr (s1, ==, "k quiet");
  g_assert_cmpstr (s2, ==, "iPXE script, 3 lines");
  g_assert_cmpstr (speed, ==, "2.0\u00a0MB/s");  /* g_format_size () uses a no-break space */
  g_assert_cmpstr (yard_entry_kind_icon_name ("localboot"), ==, "drive-harddisk-symbolic");
}

/* What the server's "support" says, as the Boot Menu page shows it */
static void
test_support_note (void)
{
  g_autoptr(YardBootEntry) memdisk = entry_from (
    "{\"kind\":\"memdisk\",\"support\":{\"arch\":null,\"secureBoot\":false,"
    "\"secureBootReason\":\"memdisk is not signed\",\"loaders\":{\"pxelinux\":null,"
    "\"syslinux\":\"memdisk is a BIOS program\",\"grub\":\"memdisk is a BIOS program\","
    "\"ipxe\":null}}}");
  g_autoptr(YardBootEntry) arm = entry_from (
    "{\"kind\":\"linux\",\"support\":{\"arch\":\"arm64\",\"secureBoot\":true,"
    "\"secureBootReason\":null,\"loaders\":{\"pxelinux\":\"an ARM64 kernel does not run on "
    "a BIOS PC\",\"syslinux\":null,\"grub\":null,\"ipxe\":null}}}");
  g_autoptr(YardBootEntry) everywhere = entry_from (
    "{\"kind\":\"localboot\",\"support\":{\"arch\":null,\"secureBoot\":true,"
    "\"secureBootReason\":null,\"loaders\":{\"pxelinux\":null,\"syslinux\":null,"
    "\"grub\":null,\"ipxe\":null}}}");
  g_autoptr(YardBootEntry) old_server = entry_from ("{\"kind\":\"localboot\"}");
  g_autofree char *n1 = yard_entry_dup_support_note (memdisk);
  g_autofree char *n2 = yard_entry_dup_support_note (arm);
  g_autofree char *n3 = yard_entry_dup_support_note (everywhere);
  g_autofree char *n4 = yard_entry_dup_support_note (old_server);

  g_assert_true (yard_entry_needs_secure_boot_off (memdisk));
  g_assert_cmpstr (n1, ==, "Needs Secure Boot off: memdisk is not signed\n"
                           "Not in UEFI (shim and GRUB): memdisk is a BIOS program\n"
                           "Not in UEFI (syslinux): memdisk is a BIOS program");
  g_assert_null (yard_entry_get_arch_title (memdisk));
  g_assert_false (yard_entry_needs_secure_boot_off (arm));
  g_assert_cmpstr (n2, ==, "Not in BIOS (pxelinux): an ARM64 kernel does not run on a BIOS PC");
  g_assert_cmpstr (yard_entry_get_arch_title (arm), ==, "ARM64");
  g_assert_null (n3);
  g_assert_null (n4);
  g_assert_false (yard_entry_needs_secure_boot_off (old_server));
}

/* The app, the API (yard_host_validate in core) and the iPXE writer take the same URLs. */
static void
test_same_url_rule (void)
{
  static const char * const urls[] = {
    "http://example.org/x.ipxe", "HTTP://example.org/x.ipxe", "hTtPs://h/", "https://h",
    "http://", "http:///x", "ftp://example.org/x", "file:///etc/passwd", "http://a b/",
    "http://h/\"x\"", "http://h/a\\b", "http://h/\tx", " http://h/", "example.org/x",
    "http://h/caf\xc3\xa9", "http://h/?mac=${mac}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(YardHost) host = NULL;
      g_autofree char *url = quoted (urls[i]);
      g_autofree char *body = g_strdup_printf ("{\"mode\": \"url\", \"scriptUrl\": %s}", url);
      const char *gui_field = NULL;
      gboolean gui_ok, core_ok;

      host = yard_host_form_apply (NULL, "52:54:00:12:34:56", "", YARD_HOST_MODE_URL, NULL,
                                   urls[i], FALSE, &gui_field, NULL);
      gui_ok = host != NULL;
      core_ok = server_takes ("52:54:00:12:34:56", body);
      g_test_message ("%s: app %d, server %d", urls[i], gui_ok, core_ok);
      g_assert_cmpint (gui_ok, ==, core_ok);
    }
}

/* The same for MACs and iPXE scripts: the app, the API and the iPXE writer agree. */
static void
test_same_mac_and_script_rule (void)
{
  static const char * const macs[] = {
    "52:54:00:12:34:56", "52-54-00-AB-cd-EF", "52:54-00:12:34:56", "52:54:00:12:34",
    "52:54:00:12:34:5g", "525400123456aaaaa", "52.54.00.12.34.56", "", " 52:54:00:12:34:56",
  };
  static const char * const scripts[] = {
    "#!ipxe\necho hi\n", "#!ipxe", "#!ipxe \necho", "#!ipxe\r\necho", "#!ipxeX\n",
    "#!IPXE\n", " #!ipxe\n", "echo hi\n", "#!ipxe\necho \xff\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (macs); i++)
    {
      g_autofree char *api = yard_mac_normalize (macs[i], NULL);
      g_autofree char *script = yard_ipxe_host_script ("http://10.0.0.1:8067", macs[i],
                                                       YARD_IPXE_HOST_DISK, NULL, NULL, NULL,
                                                       NULL);

      g_autoptr(YardHost) host = yard_host_form_apply (NULL, macs[i], "", YARD_HOST_MODE_DISK,
                                                       NULL, NULL, FALSE, NULL, NULL);

      g_test_message ("%s: app %d, server %d, writer %d", macs[i], host != NULL,
                      api != NULL, script != NULL);
      g_assert_cmpint (host != NULL, ==, api != NULL);
      g_assert_cmpint (server_takes (macs[i], "{\"mode\": \"disk\"}"), ==, api != NULL);
      g_assert_cmpint (script != NULL, ==, api != NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
      g_autofree char *written = NULL;
      const char *gui_field = NULL;
      gboolean gui_ok, core_ok;

      g_autoptr(YardHost) app = NULL;
      g_autofree char *text = quoted (scripts[i]);
      g_autofree char *body = g_strdup_printf ("{\"mode\": \"script\", \"script\": %s}", text);

      app = yard_host_form_apply (NULL, host->mac, "", YARD_HOST_MODE_SCRIPT, scripts[i], NULL,
                                  FALSE, &gui_field, NULL);
      gui_ok = app != NULL;
      core_ok = server_takes (host->mac, body);
      written = yard_ipxe_host_script ("http://10.0.0.1:8067", host->mac, YARD_IPXE_HOST_SCRIPT,
                                       scripts[i], NULL, NULL, NULL);
      g_test_message ("%s: app %d, server %d, writer %d", scripts[i], gui_ok, core_ok,
                      written != NULL);
      g_assert_cmpint (gui_ok, ==, core_ok);
      g_assert_cmpint (written != NULL, ==, core_ok);
    }
}

/* What POST /menu/entries does with a body: core reads the entry and the menu adds it. */
static gboolean
server_adds (YardBootMenu *menu,
             JsonObject   *body)
{
  g_autoptr(YardBootEntry) entry = NULL;
  g_autofree char *field = NULL;

  entry = yard_boot_entry_new_from_json (body, &field, NULL);
  return entry != NULL && yard_boot_menu_add_entry (menu, entry, -1, NULL, NULL);
}

/* What PATCH /menu/entries/ID does: the entry as stored, the body applied by core. */
static gboolean
server_edits (YardBootMenu *menu,
              JsonObject   *stored,
              JsonObject   *body)
{
  g_autoptr(YardBootEntry) entry = yard_boot_entry_new_from_json (stored, NULL, NULL);

  g_assert_nonnull (entry);
  return yard_boot_entry_update_from_json (entry, body, NULL, NULL) &&
         yard_boot_menu_add_entry (menu, entry, -1, NULL, NULL);
}

/* Labels and paths: the entry dialog's check (new and edited entries), the API and every
 * writer agree, for the values that broke them apart before (commas, quotes, "..", absolute
 * paths, control characters, spaces, unicode, very long values). */
static void
test_same_label_and_path_rule (void)
{
  g_autofree char *long_label = g_strnfill (4000, 'x');
  g_autofree char *long_path = g_strnfill (4000, 'k');
  const char * const labels[] = {
    "Debian 12", "Debian, 12", "Say \"hi\"", "it's", "caf\xc3\xa9 \xe2\x98\x95", "a\tb",
    "a\nb", "a\rb", "a\x01b", "a\x7f" "b", "", "  ", "menu label ^x", "${bootyard_http}",
    "x\\y", long_label,
  };
  const char * const paths[] = {
    "images/vmlinuz", "images/a,b", "images/\"q\"", "images/it's", "images/a b", "/vmlinuz",
    "../vmlinuz", "images/../../x", "images/..", "images/..x", "images\\..\\x", "images/a\tb",
    "images/a\nb", "images/a\x01b", "images/caf\xc3\xa9", "images/${x}", "images/a;b",
    "images/a#b", "", long_path,
  };
  g_autoptr(JsonObject) current = object_from ("{\"id\": \"linux\", \"kind\": \"linux\","
                                               " \"label\": \"L\", \"kernel\": \"k\"}");
  g_autoptr(YardBootEntry) current_entry = entry_from ("{\"id\": \"linux\", \"kind\": \"linux\","
                                                     " \"label\": \"L\", \"kernel\": \"k\"}");

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < (pass == 0 ? G_N_ELEMENTS (labels) : G_N_ELEMENTS (paths)); i++)
      {
        const char *value = pass == 0 ? labels[i] : paths[i];
        g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
        g_autoptr(JsonObject) body = json_object_new ();
        g_autoptr(YardBootEntry) app_new = NULL;
        g_autoptr(YardBootEntry) app_edit = NULL;
        g_autoptr(YardBootMenu) edited_menu = yard_boot_menu_new ();
        g_autofree char *pxelinux = NULL;
        g_autofree char *ipxe = NULL;
        g_autofree char *edited_pxelinux = NULL;
        g_autofree char *edited_ipxe = NULL;
        gboolean server_ok, server_edit_ok;

        json_object_set_string_member (body, "kind", "linux");
        json_object_set_string_member (body, "label", pass == 0 ? value : "L");
        json_object_set_string_member (body, "kernel", pass == 1 ? value : "images/vmlinuz");
        if (pass == 1)
          {
            JsonArray *initrds = json_array_new ();

            json_array_add_string_element (initrds, value);
            json_object_set_array_member (body, "initrds", initrds);
          }
        app_new = yard_entry_form_check (NULL, body, NULL, NULL);
        app_edit = yard_entry_form_check (current_entry, body, NULL, NULL);
        server_ok = server_adds (menu, body);
        server_edit_ok = server_edits (edited_menu, current, body);
        if (server_ok)
          {
            pxelinux = yard_pxelinux_to_data (menu);
            ipxe = yard_ipxe_menu_script (menu, "http://10.0.0.1:8067", NULL);
          }
        if (server_edit_ok)
          {
            edited_pxelinux = yard_pxelinux_to_data (edited_menu);
            edited_ipxe = yard_ipxe_menu_script (edited_menu, "http://10.0.0.1:8067", NULL);
          }
        g_test_message ("%.40s: app %d, server %d, pxelinux %d, iPXE %d; edited: app %d, "
                        "server %d, pxelinux %d, iPXE %d", value, app_new != NULL, server_ok,
                        pxelinux != NULL, ipxe != NULL, app_edit != NULL, server_edit_ok,
                        edited_pxelinux != NULL, edited_ipxe != NULL);
        g_assert_cmpint (app_new != NULL, ==, server_ok);
        g_assert_cmpint (pxelinux != NULL, ==, server_ok);
        g_assert_cmpint (ipxe != NULL, ==, server_ok);
        g_assert_cmpint (app_edit != NULL, ==, server_edit_ok);
        g_assert_cmpint (edited_pxelinux != NULL, ==, server_edit_ok);
        g_assert_cmpint (edited_ipxe != NULL, ==, server_edit_ok);
      }
}

/* Dates in words, as the Hosts and Activity pages show them */
static void
test_time_words (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2026, 12, 2, 18, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new (zone, 2026, 12, 2, 15, 53, 8);
  g_autoptr(GDateTime) utc_today = g_date_time_new_utc (2026, 12, 2, 14, 53, 8);
  g_autoptr(GDateTime) yesterday = g_date_time_new (zone, 2026, 12, 1, 23, 59, 0);
  g_autoptr(GDateTime) this_year = g_date_time_new (zone, 2026, 3, 7, 9, 5, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new (zone, 2025, 12, 2, 15, 53, 0);
  g_autoptr(GDateTime) new_year = g_date_time_new (zone, 2027, 1, 1, 0, 30, 0);
  g_autoptr(GDateTime) eve = g_date_time_new (zone, 2026, 12, 31, 23, 30, 0);
  struct { GDateTime *time; GDateTime *now; const char *words; } cases[] = {
    { today, now, "today at 15:53" },
    { utc_today, now, "today at 15:53" },   /* shown in the zone of "now" */
    { yesterday, now, "yesterday at 23:59" },
    { this_year, now, "7 March at 09:05" },
    { last_year, now, "2 December 2025 at 15:53" },
    { eve, new_year, "yesterday at 23:30" },  /* across the year */
  };
  g_autofree char *never = yard_format_last_seen (NULL);
  g_autofree char *garbage = yard_format_last_seen ("not a date");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = yard_format_time (cases[i].time, cases[i].now);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
  g_assert_cmpstr (never, ==, "Never");
  g_assert_cmpstr (garbage, ==, "not a date");
}

/* Firmware in words, and a used-up once policy */
static void
test_host_words (void)
{
  struct { const char *arch; const char *title; } arches[] = {
    { "bios", "BIOS" },
    { "efi-x64", "UEFI x86-64" },
    { "efi-arm64-http", "UEFI ARM64 (HTTP Boot)" },
    { "arch-42", "Architecture 42" },
    { "something", "something" },
  };
  struct { const char *file; const char *arch; const char *detail; } offers[] = {
    { "pxelinux.0", "bios", "Offered pxelinux.0 to BIOS firmware" },
    { "efi64/syslinux.efi", "efi-x64", "Offered efi64/syslinux.efi to UEFI x86-64 firmware" },
    { "pxelinux.0", NULL, "Offered pxelinux.0" },
    { NULL, "efi-arm64", "Answered UEFI ARM64 firmware" },
    { NULL, NULL, "Answered" },
  };
  struct { YardHostMode mode; gboolean once; const char *title; } policies[] = {
    { YARD_HOST_MODE_MENU, FALSE, "Boot Menu" },
    { YARD_HOST_MODE_SCRIPT, TRUE, "Own iPXE Script, once" },
    { YARD_HOST_MODE_DISK, TRUE, "Local Disk, one-time boot done" },
    { YARD_HOST_MODE_DISK, FALSE, "Local Disk" },
    { YARD_HOST_MODE_IGNORE, TRUE, "Ignored" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (arches); i++)
    {
      g_autofree char *title = yard_client_arch_dup_title (arches[i].arch);

      g_assert_cmpstr (title, ==, arches[i].title);
    }
  g_assert_null (yard_client_arch_dup_title (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (offers); i++)
    {
      g_autofree char *detail = yard_dhcp_offer_dup_detail (offers[i].file, offers[i].arch);

      g_assert_cmpstr (detail, ==, offers[i].detail);
      g_assert_null (strchr (detail, '?'));
    }
  /* Every step explains its abbreviations. */
  g_assert_nonnull (strstr (yard_boot_step_description (YARD_BOOT_STEP_DHCP),
                            "Dynamic Host Configuration Protocol"));
  g_assert_nonnull (strstr (yard_boot_step_description (YARD_BOOT_STEP_LOADER),
                            "Trivial File Transfer Protocol"));
  g_assert_nonnull (strstr (yard_boot_step_description (YARD_BOOT_STEP_KERNEL),
                            "initial RAM disk"));
  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      g_autoptr(YardHost) host = yard_host_new ("52:54:00:12:34:56");
      g_autofree char *title = NULL;

      host->mode = policies[i].mode;
      host->once = policies[i].once;
      title = yard_host_dup_policy_title (host);

      g_assert_cmpstr (title, ==, policies[i].title);
    }
}

/* Keep Both: the next free NAME-N.EXT, never one the server lists. */
static void
test_image_name_for_copy (void)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) yard_image_file_free);
  const char *names[] = { "debian.iso", "debian-2.iso", "notes" };
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (images, yard_image_file_new (names[i]));
  a = yard_image_name_for_copy ("debian.iso", images);
  g_assert_cmpstr (a, ==, "debian-3.iso");
  b = yard_image_name_for_copy ("notes", images);
  g_assert_cmpstr (b, ==, "notes-2");
  c = yard_image_name_for_copy ("dos.img", NULL);
  g_assert_cmpstr (c, ==, "dos-2.img");
  d = yard_image_name_for_copy (".hidden", images);
  g_assert_cmpstr (d, ==, ".hidden-2");
}

/* What a host's iPXE reported, for its row */
static void
test_machine_title (void)
{
  static const struct { const char *json; const char *title; } cases[] = {
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": null}", NULL },
    { "{\"mac\": \"52:54:00:12:34:56\"}", NULL },
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": {\"manufacturer\": \"QEMU\", \"product\": \"Standard PC (i440FX + PIIX, 1996)\"}}",
      "QEMU Standard PC (i440FX + PIIX, 1996)" },
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": {\"manufacturer\": \"LENOVO\", \"product\": \"LENOVO ThinkPad\", \"serial\": \"PF2ABC\", \"memory\": 17179869184}}",
      "LENOVO ThinkPad · serial PF2ABC · 16.0\u00a0GiB" },
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": {\"memory\": 536870912}}", "512.0\u00a0MiB" },
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": {\"serial\": \"X1\", \"nic\": \"82540em\"}}", "serial X1" },
    { "{\"mac\": \"52:54:00:12:34:56\", \"machine\": {\"nic\": \"82540em\"}}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = object_from (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardHost) host = yard_host_new_from_json (object, &error);
      g_autofree char *title = NULL;

      /* as the client hands it out: core reads the server's JSON */
      g_assert_no_error (error);
      title = yard_machine_dup_title (host->machine);
      g_assert_cmpstr (title, ==, cases[i].title);
    }
}

typedef struct
{
  guint position, removed, added, calls;
} Changed;

static void
store_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changed    *c)
{
  c->position = position;
  c->removed = removed;
  c->added = added;
  c->calls++;
}

static void
sync_strv (GListStore  *store,
           GPtrArray   *shown,
           const char **keys,
           const char **texts)
{
  g_autoptr(GPtrArray) k = g_ptr_array_new ();
  g_autoptr(GPtrArray) t = g_ptr_array_new ();

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_ptr_array_add (k, (gpointer) keys[i]);
      g_ptr_array_add (t, (gpointer) texts[i]);
    }
  yard_list_store_sync (store, shown, k, t);
}

/* The pages' lists change only where what a row shows changed. */
static void
test_list_store_sync (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  const char *keys[] = { "a", "b", "c", NULL };
  const char *first[] = { "A", "B", "C", NULL };
  const char *second[] = { "A", "B2", "C", NULL };
  const char *fewer_keys[] = { "a", "b", NULL };
  const char *fewer[] = { "A", "B2", NULL };
  Changed c = { 0, };
  gpointer item_a, item_c;

  sync_strv (store, shown, keys, first);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  item_a = g_list_model_get_item (G_LIST_MODEL (store), 0);
  item_c = g_list_model_get_item (G_LIST_MODEL (store), 2);
  g_signal_connect (store, "items-changed", G_CALLBACK (store_changed_cb), &c);

  sync_strv (store, shown, keys, first);
  g_assert_cmpuint (c.calls, ==, 0);

  sync_strv (store, shown, keys, second);
  g_assert_cmpuint (c.calls, ==, 1);
  g_assert_cmpuint (c.position, ==, 1);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_true (g_list_model_get_item (G_LIST_MODEL (store), 0) == item_a);
  g_object_unref (item_a);
  g_assert_true (g_list_model_get_item (G_LIST_MODEL (store), 2) == item_c);
  g_object_unref (item_c);

  sync_strv (store, shown, fewer_keys, fewer);
  g_assert_cmpuint (c.position, ==, 2);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (shown, 1), ==, "B2");

  g_signal_handlers_disconnect_by_data (store, &c);
  g_object_unref (item_a);
  g_object_unref (item_c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/gui-model/entry-validation", test_entry_validation);
  g_test_add_func ("/yard/gui-model/host-validation", test_host_validation);
  g_test_add_func ("/yard/gui-model/same-url-rule", test_same_url_rule);
  g_test_add_func ("/yard/gui-model/machine-title", test_machine_title);
  g_test_add_func ("/yard/gui-model/same-mac-and-script-rule", test_same_mac_and_script_rule);
  g_test_add_func ("/yard/gui-model/same-label-and-path-rule", test_same_label_and_path_rule);
  g_test_add_func ("/yard/gui-model/boot-steps", test_boot_steps);
  g_test_add_func ("/yard/gui-model/summaries", test_summaries);
  g_test_add_func ("/yard/gui-model/support-note", test_support_note);
  g_test_add_func ("/yard/gui-model/time-words", test_time_words);
  g_test_add_func ("/yard/gui-model/host-words", test_host_words);
  g_test_add_func ("/yard/gui-model/image-name-for-copy", test_image_name_for_copy);
  g_test_add_func ("/yard/gui-model/list-store-sync", test_list_store_sync);
  return g_test_run ();
}
