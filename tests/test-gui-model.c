/* test-gui-model.c: what the app's widgets make of the API's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-gui-model.h"

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
assert_entry (const char *json,
              const char *expected_field)
{
  g_autoptr(JsonObject) entry = object_from (json);
  const char *field = NULL;
  const char *problem = yard_entry_validate (entry, &field);

  if (expected_field == NULL)
    {
      g_assert_null (problem);
      g_assert_null (field);
    }
  else
    {
      g_assert_nonnull (problem);
      g_assert_cmpstr (field, ==, expected_field);
    }
}

static void
test_entry_validation (void)
{
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"Disk\"}", NULL);
  assert_entry ("{\"kind\":\"localboot\",\"label\":\"  \"}", "label");
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

static void
test_host_validation (void)
{
  const char *field = NULL;

  g_assert_null (yard_host_validate ("menu", NULL, NULL, &field));
  g_assert_null (yard_host_validate ("disk", NULL, NULL, &field));
  g_assert_nonnull (yard_host_validate ("script", "echo", NULL, &field));
  g_assert_cmpstr (field, ==, "script");
  g_assert_null (yard_host_validate ("script", "#!ipxe\n", NULL, &field));
  g_assert_nonnull (yard_host_validate ("url", NULL, "file:///x", &field));
  g_assert_cmpstr (field, ==, "scriptUrl");
  g_assert_null (yard_host_validate ("url", NULL, "http://10.0.0.1/a.ipxe", &field));
  g_assert_nonnull (yard_host_validate ("boot", NULL, NULL, &field));
  g_assert_cmpstr (field, ==, "mode");

  g_assert_true (yard_mac_is_valid ("52:54:00:12:34:56"));
  g_assert_true (yard_mac_is_valid ("52-54-00-AB-cd-EF"));
  g_assert_false (yard_mac_is_valid ("52:54:00:12:34"));
  g_assert_false (yard_mac_is_valid ("52:54:00:12:34:5g"));
  g_assert_false (yard_mac_is_valid ("525400123456aaaaa"));
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
  g_autoptr(JsonObject) linux_entry = object_from ("{\"kind\":\"linux\",\"kernel\":\"k\","
                                                   "\"append\":\"quiet\"}");
  g_autoptr(JsonObject) script = object_from ("{\"kind\":\"ipxe\","
                                              "\"script\":\"#!ipxe\\ndhcp\\nboot\\n\"}");
  g_autofree char *s1 = yard_entry_dup_summary (linux_entry);
  g_autofree char *s2 = yard_entry_dup_summary (script);
  g_autofree char *speed = yard_format_throughput (2000000);
  g_autofree char *never = yard_format_last_seen (NULL);

  g_assert_cmpstr (s1, ==, "k quiet");
  g_assert_cmpstr (s2, ==, "iPXE script, 3 lines");
  g_assert_cmpstr (speed, ==, "2.0\u00a0MB/s");  /* g_format_size () uses a no-break space */
  g_assert_cmpstr (never, ==, "Never");
  g_assert_cmpstr (yard_entry_kind_icon_name ("localboot"), ==, "drive-harddisk-symbolic");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/gui-model/entry-validation", test_entry_validation);
  g_test_add_func ("/yard/gui-model/host-validation", test_host_validation);
  g_test_add_func ("/yard/gui-model/boot-steps", test_boot_steps);
  g_test_add_func ("/yard/gui-model/summaries", test_summaries);
  return g_test_run ();
}
