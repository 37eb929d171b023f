/* fuzz-json-answers.c: libFuzzer harness for core's readers of the API's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clients read what a server sends with core's decoders: a hostile or broken server
 * chooses every byte. This feeds arbitrary JSON through yard_json_parse (the depth bound) to
 * the status, image-list and doctor decoders (verdicts, boots with their events, network
 * reports); whatever one accepts must write back (to_json) to JSON that it reads again to the
 * same text: one codec, both ways. See README.md for how to run it.
 */

#include "config.h"

#include "yard-boot-record.h"
#include "yard-image-file.h"
#include "yard-json.h"
#include "yard-network-report.h"
#include "yard-server-status.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
check_status (JsonObject *object)
{
  g_autoptr(YardServerStatus) status = yard_server_status_new_from_json (object, NULL);
  g_autoptr(YardServerStatus) back = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  if (status == NULL)
    return;
  json = yard_server_status_to_json (status);
  back = yard_server_status_new_from_json (json, NULL);
  g_assert (back != NULL);
  again = yard_server_status_to_json (back);
  text = to_text (json);
  text_again = to_text (again);
  g_assert (g_str_equal (text, text_again));
}

static void
check_image (JsonObject *object)
{
  g_autoptr(YardImageFile) file = yard_image_file_new_from_json (object, NULL);
  g_autoptr(YardImageFile) back = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  if (file == NULL)
    return;
  json = yard_image_file_to_json (file);
  back = yard_image_file_new_from_json (json, NULL);
  g_assert (back != NULL);
  again = yard_image_file_to_json (back);
  text = to_text (json);
  text_again = to_text (again);
  g_assert (g_str_equal (text, text_again));
}

/* One GObject codec: what new_from_json takes writes back to what it reads again the same. */
#define CHECK_OBJECT_CODEC(name, Type, new_from_json, to_json)                 \
  static void                                                                \
  name (JsonObject *object)                                                  \
  {                                                                          \
    g_autoptr(Type) first = new_from_json (object, NULL);                    \
    g_autoptr(Type) back = NULL;                                             \
    g_autoptr(JsonObject) json = NULL;                                       \
    g_autoptr(JsonObject) again = NULL;                                      \
    g_autofree char *text = NULL;                                            \
    g_autofree char *text_again = NULL;                                      \
                                                                             \
    if (first == NULL)                                                       \
      return;                                                                \
    json = to_json (first);                                                  \
    back = new_from_json (json, NULL);                                       \
    g_assert (back != NULL);                                                 \
    again = to_json (back);                                                  \
    text = to_text (json);                                                   \
    text_again = to_text (again);                                            \
    g_assert (g_str_equal (text, text_again));                               \
  }

CHECK_OBJECT_CODEC (check_verdict, YardBootVerdict, yard_boot_verdict_new_from_json,
                    yard_boot_verdict_to_json)
CHECK_OBJECT_CODEC (check_boot, YardBootRecord, yard_boot_record_new_from_json,
                    yard_boot_record_to_json)
CHECK_OBJECT_CODEC (check_report, YardNetworkReport, yard_network_report_new_from_json,
                    yard_network_report_to_json)

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) node = yard_json_parse ((const char *) data, size, YARD_JSON_MAX_DEPTH,
                                              NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  check_status (json_node_get_object (node));
  check_image (json_node_get_object (node));
  check_verdict (json_node_get_object (node));
  check_boot (json_node_get_object (node));
  check_report (json_node_get_object (node));
  return 0;
}
