/* test-boot-record.c: the codecs of the doctor's answers (verdicts, boots, events, network
 * reports), which the server writes and the clients read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-boot-record.h"
#include "yard-error.h"
#include "yard-json.h"
#include "yard-network-report.h"

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = yard_json_parse (text, -1, YARD_JSON_MAX_DEPTH, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

#define VERDICT_TEXT                                                                       \
  "{\"mac\":\"52:54:00:12:34:56\",\"address\":\"192.0.2.7\",\"arch\":\"efi-x64\","         \
  "\"verdict\":\"secure-boot\",\"ok\":false,\"title\":\"Secure Boot refused the loader\","  \
  "\"detail\":\"It started over.\",\"advice\":\"Choose shim.\",\"file\":\"syslinux.efi\","  \
  "\"time\":\"2026-12-03T10:00:00Z\"}"

static void
test_verdict_round_trip (void)
{
  YardBootVerdict *verdict = yard_boot_verdict_new (YARD_VERDICT_SECURE_BOOT,
                                                    "52:54:00:12:34:56", "192.0.2.7", "efi-x64",
                                                    "Secure Boot refused the loader",
                                                    "It started over.", "Choose shim.",
                                                    "syslinux.efi", "2026-12-03T10:00:00Z");
  YardBootVerdict *back;
  g_autoptr(JsonObject) json = yard_boot_verdict_to_json (verdict);
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text = to_text (json);
  g_autofree char *text_again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (text, ==, VERDICT_TEXT);
  back = yard_boot_verdict_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_boot_verdict_get_verdict (back), ==, YARD_VERDICT_SECURE_BOOT);
  g_assert_false (yard_boot_verdict_get_ok (back));
  g_assert_cmpstr (yard_boot_verdict_get_mac (back), ==, "52:54:00:12:34:56");
  g_assert_cmpstr (yard_boot_verdict_get_arch (back), ==, "efi-x64");
  g_assert_cmpstr (yard_boot_verdict_get_advice (back), ==, "Choose shim.");
  again = yard_boot_verdict_to_json (back);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);
  g_assert_finalize_object (back);
  g_assert_finalize_object (verdict);
}

static void
test_verdict_unknowns (void)
{
  YardBootVerdict *verdict = yard_boot_verdict_new (YARD_VERDICT_BOOTED, NULL, "192.0.2.8",
                                                    NULL, "Booted", "All went out.", NULL, NULL,
                                                    "2026-12-03T10:00:00Z");
  g_autoptr(JsonObject) json = yard_boot_verdict_to_json (verdict);
  g_autofree char *text = to_text (json);

  g_assert_true (yard_boot_verdict_get_ok (verdict));
  g_assert_cmpstr (text, ==,
                   "{\"mac\":null,\"address\":\"192.0.2.8\",\"arch\":null,\"verdict\":\"booted\","
                   "\"ok\":true,\"title\":\"Booted\",\"detail\":\"All went out.\","
                   "\"advice\":null,\"file\":null,\"time\":\"2026-12-03T10:00:00Z\"}");
  g_assert_finalize_object (verdict);
}

static void
test_verdict_refused (void)
{
  const char *bad[] = {
    "{\"title\":\"no verdict\"}",
    "{\"verdict\":\"exploded\"}",
    "{\"verdict\":\"booted\",\"mac\":7}",
    "{\"verdict\":\"booted\",\"detail\":[\"x\"]}",
  };
  const char *members[] = { "verdict", "verdict", "mac", "detail" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", members[i]);

      g_assert_null (yard_boot_verdict_new_from_json (object, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, quoted));
    }
}

static void
test_event (void)
{
  g_autoptr(JsonObject) data =
    parse_object ("{\"protocol\":\"tftp\",\"peer\":\"192.0.2.7:2070\",\"file\":\"pxelinux.0\","
                  "\"size\":42000,\"bytes\":41000,\"duration\":0.5,\"error\":\"timed out\","
                  "\"blksize\":1468}");
  YardBootEvent *event = yard_boot_event_new ("transfer-failed", "2026-12-03T10:00:01Z", data);
  YardBootEvent *back;
  YardBootEvent *live;
  g_autoptr(JsonObject) json = yard_boot_event_to_json (event);
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text = to_text (json);
  g_autofree char *text_again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (yard_boot_event_get_protocol (event), ==, "tftp");
  g_assert_cmpstr (yard_boot_event_get_peer (event), ==, "192.0.2.7:2070");
  g_assert_cmpstr (yard_boot_event_get_file (event), ==, "pxelinux.0");
  g_assert_cmpint (yard_boot_event_get_size (event), ==, 42000);
  g_assert_cmpint (yard_boot_event_get_bytes (event), ==, 41000);
  g_assert_cmpfloat (yard_boot_event_get_duration (event), ==, 0.5);
  g_assert_cmpstr (yard_boot_event_get_error (event), ==, "timed out");
  g_assert_null (yard_boot_event_get_mac (event));
  g_assert_cmpint (yard_boot_event_get_arch (event), ==, -1);
  /* members no getter names are kept: the history gives them back */
  g_assert_cmpstr (text, ==,
                   "{\"kind\":\"transfer-failed\",\"time\":\"2026-12-03T10:00:01Z\",\"data\":"
                   "{\"protocol\":\"tftp\",\"peer\":\"192.0.2.7:2070\",\"file\":\"pxelinux.0\","
                   "\"size\":42000,\"bytes\":41000,\"duration\":0.5,\"error\":\"timed out\","
                   "\"blksize\":1468}}");
  back = yard_boot_event_new_from_json (json, &error);
  g_assert_no_error (error);
  again = yard_boot_event_to_json (back);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);
  g_assert_finalize_object (back);
  g_assert_finalize_object (event);

  /* a live event (no time) with an integer duration and the DHCP members */
  g_clear_pointer (&data, json_object_unref);
  data = parse_object ("{\"mac\":\"52:54:00:12:34:56\",\"arch\":7,\"bootFile\":\"shimx64.efi\","
                       "\"duration\":2}");
  live = yard_boot_event_new ("dhcp-answered", NULL, data);
  g_assert_null (yard_boot_event_get_time (live));
  g_assert_cmpint (yard_boot_event_get_arch (live), ==, 7);
  {
    g_autofree char *arch = yard_boot_event_dup_arch_name (live);
    g_autoptr(YardBootEvent) bare = yard_boot_event_new ("host-seen", NULL, NULL);
    g_autofree char *none = yard_boot_event_dup_arch_name (bare);

    g_assert_cmpstr (arch, ==, "efi-x64");
    g_assert_null (none);
  }
  g_assert_cmpstr (yard_boot_event_get_boot_file (live), ==, "shimx64.efi");
  g_assert_cmpfloat (yard_boot_event_get_duration (live), ==, 2.0);
  g_assert_finalize_object (live);

  g_clear_pointer (&json, json_object_unref);
  g_clear_error (&error);
  json = parse_object ("{\"kind\":\"dhcp-answered\",\"time\":\"x\"}");
  g_assert_null (yard_boot_event_new_from_json (json, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "“data”"));
}

static void
test_record_round_trip (void)
{
  YardBootRecord *boot = yard_boot_record_new (7, "2026-12-03T10:00:00Z");
  g_autoptr(YardBootVerdict) verdict = NULL;
  g_autoptr(YardBootEvent) event = NULL;
  g_autoptr(JsonObject) data = parse_object ("{\"mac\":\"52:54:00:12:34:56\",\"arch\":7}");
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  YardBootRecord *back;
  g_autoptr(JsonObject) named = NULL;
  YardBootRecord *with_name;
  YardBootRecord *copy;
  YardBootRecord *with_null;
  g_autofree char *text_named = NULL;
  g_autofree char *expected = NULL;

  /* a new boot knows nothing of its client yet */
  json = yard_boot_record_to_json (boot);
  text = to_text (json);
  g_assert_cmpstr (text, ==,
                   "{\"id\":7,\"mac\":null,\"address\":null,\"arch\":null,"
                   "\"started\":\"2026-12-03T10:00:00Z\",\"updated\":\"2026-12-03T10:00:00Z\","
                   "\"verdict\":null,\"events\":[]}");
  g_clear_pointer (&json, json_object_unref);
  g_clear_pointer (&text, g_free);

  event = yard_boot_event_new ("dhcp-answered", "2026-12-03T10:00:00Z", data);
  yard_boot_record_add_event (boot, event);
  yard_boot_record_set_client (boot, "52:54:00:12:34:56", NULL, "efi-x64");
  yard_boot_record_set_client (boot, NULL, "192.0.2.7", NULL);
  yard_boot_record_set_updated (boot, "2026-12-03T10:00:05Z");
  verdict = yard_boot_verdict_new (YARD_VERDICT_BOOTED, "52:54:00:12:34:56", "192.0.2.7",
                                   "efi-x64", "Booted", "All went out.", NULL, NULL,
                                   "2026-12-03T10:00:05Z");
  yard_boot_record_set_verdict (boot, verdict);
  json = yard_boot_record_to_json (boot);
  text = to_text (json);
  g_assert_cmpstr (text, ==,
                   "{\"id\":7,\"mac\":\"52:54:00:12:34:56\",\"address\":\"192.0.2.7\","
                   "\"arch\":\"efi-x64\",\"started\":\"2026-12-03T10:00:00Z\","
                   "\"updated\":\"2026-12-03T10:00:05Z\",\"verdict\":{\"mac\":\"52:54:00:12:34:56\","
                   "\"address\":\"192.0.2.7\",\"arch\":\"efi-x64\",\"verdict\":\"booted\","
                   "\"ok\":true,\"title\":\"Booted\",\"detail\":\"All went out.\",\"advice\":null,"
                   "\"file\":null,\"time\":\"2026-12-03T10:00:05Z\"},\"events\":[{\"kind\":"
                   "\"dhcp-answered\",\"time\":\"2026-12-03T10:00:00Z\",\"data\":{\"mac\":"
                   "\"52:54:00:12:34:56\",\"arch\":7}}]}");

  back = yard_boot_record_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (yard_boot_record_get_id (back), ==, 7);
  g_assert_null (yard_boot_record_get_name (back));
  g_assert_cmpuint (yard_boot_record_get_events (back)->len, ==, 1);
  g_assert_cmpint (yard_boot_verdict_get_verdict (yard_boot_record_get_verdict (back)), ==,
                   YARD_VERDICT_BOOTED);
  again = yard_boot_record_to_json (back);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);

  /* the API's answer adds the host's name; null when it has none */
  named = parse_object ("{\"id\":8,\"mac\":null,\"address\":\"192.0.2.9\",\"arch\":null,"
                        "\"started\":\"a\",\"updated\":\"b\",\"verdict\":null,\"events\":[],"
                        "\"name\":\"lab-1\"}");
  with_name = yard_boot_record_new_from_json (named, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yard_boot_record_get_name (with_name), ==, "lab-1");
  g_assert_null (yard_boot_record_get_verdict (with_name));
  g_assert_null (yard_boot_record_get_mac (with_name));

  /* the API names a copy: "name" is written once named, null for none, and the original (the
   * doctor's, the saved history) stays without it */
  copy = yard_boot_record_copy (back);
  g_assert_cmpint (yard_boot_record_get_id (copy), ==, 7);
  g_assert_true (yard_boot_record_get_verdict (copy) == yard_boot_record_get_verdict (back));
  g_assert_cmpuint (yard_boot_record_get_events (copy)->len, ==, 1);
  yard_boot_record_set_name (copy, NULL);
  g_clear_pointer (&json, json_object_unref);
  json = yard_boot_record_to_json (copy);
  text_named = to_text (json);
  expected = g_strdup_printf ("%.*s,\"name\":null}", (int) strlen (text) - 1, text);
  g_assert_cmpstr (text_named, ==, expected);
  /* ... which reads back as named, and writes the same */
  with_null = yard_boot_record_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_null (yard_boot_record_get_name (with_null));
  g_clear_pointer (&again, json_object_unref);
  again = yard_boot_record_to_json (with_null);
  g_clear_pointer (&text_again, g_free);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text_named);
  yard_boot_record_set_name (copy, "lab-1");
  g_assert_cmpstr (yard_boot_record_get_name (copy), ==, "lab-1");
  g_assert_null (yard_boot_record_get_name (back));
  g_clear_pointer (&again, json_object_unref);
  again = yard_boot_record_to_json (back);
  g_clear_pointer (&text_again, g_free);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);

  g_assert_finalize_object (with_null);
  g_assert_finalize_object (copy);
  g_assert_finalize_object (with_name);
  g_assert_finalize_object (back);
  g_clear_object (&verdict);
  g_clear_object (&event);
  g_assert_finalize_object (boot);
}

static void
test_record_refused (void)
{
  const char *bad[] = {
    "{\"id\":0,\"started\":\"a\",\"updated\":\"b\",\"events\":[]}",
    "{\"id\":1,\"updated\":\"b\",\"events\":[]}",
    "{\"id\":1,\"started\":\"a\",\"updated\":\"b\"}",
    "{\"id\":1,\"started\":\"a\",\"updated\":\"b\",\"events\":[3]}",
    "{\"id\":1,\"started\":\"a\",\"updated\":\"b\",\"events\":[],\"verdict\":\"booted\"}",
    "{\"id\":1,\"started\":\"a\",\"updated\":\"b\",\"events\":[],\"verdict\":{}}",
  };
  const char *members[] = { "id", "started", "events", "events", "verdict", "verdict" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", members[i]);

      g_assert_null (yard_boot_record_new_from_json (object, &error));
      g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, quoted));
    }
}

#define REPORT_TEXT                                                                          \
  "{\"interface\":\"eth0\",\"time\":\"2026-12-03T10:00:00Z\",\"responders\":["               \
  "{\"address\":\"192.168.1.1\",\"dhcp\":true,\"offeredAddress\":\"192.168.1.50\","           \
  "\"pxe\":false,\"bootFile\":null,\"nextServer\":null,\"self\":false},"                      \
  "{\"address\":\"192.168.1.2\",\"dhcp\":false,\"offeredAddress\":null,\"pxe\":true,"         \
  "\"bootFile\":\"pxelinux.0\",\"nextServer\":\"192.168.1.2\",\"self\":true},"                \
  "{\"address\":\"192.168.1.9\",\"dhcp\":false,\"offeredAddress\":null,\"pxe\":true,"         \
  "\"bootFile\":\"undionly.kpxe\",\"nextServer\":\"192.168.1.9\",\"self\":false}]}"

static void
test_network_report (void)
{
  g_autoptr(JsonObject) json = parse_object (REPORT_TEXT);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  YardNetworkReport *report = yard_network_report_new_from_json (json, &error);
  const YardResponder *r;

  g_assert_no_error (error);
  g_assert_cmpstr (yard_network_report_get_interface (report), ==, "eth0");
  g_assert_cmpuint (yard_network_report_get_responders (report)->len, ==, 3);
  r = g_ptr_array_index (yard_network_report_get_responders (report), 0);
  g_assert_true (r->dhcp);
  g_assert_false (r->pxe);
  g_assert_cmpstr (r->offered_address, ==, "192.168.1.50");
  g_assert_null (r->boot_file);
  g_assert_cmpuint (yard_network_report_count_other_servers (report), ==, 1);
  again = yard_network_report_to_json (report);
  text = to_text (again);
  g_assert_cmpstr (text, ==, REPORT_TEXT);

  g_assert_finalize_object (report);

  g_clear_pointer (&json, json_object_unref);
  json = parse_object ("{\"interface\":\"eth0\",\"responders\":[{\"pxe\":\"yes\"}]}");
  g_assert_null (yard_network_report_new_from_json (json, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "“pxe”"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/boot-record/verdict-round-trip", test_verdict_round_trip);
  g_test_add_func ("/yard/boot-record/verdict-unknowns", test_verdict_unknowns);
  g_test_add_func ("/yard/boot-record/verdict-refused", test_verdict_refused);
  g_test_add_func ("/yard/boot-record/event", test_event);
  g_test_add_func ("/yard/boot-record/round-trip", test_record_round_trip);
  g_test_add_func ("/yard/boot-record/refused", test_record_refused);
  g_test_add_func ("/yard/boot-record/network-report", test_network_report);
  return g_test_run ();
}
