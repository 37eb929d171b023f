/* test-image-file.c: the image list's codec, which the server writes and the clients read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-error.h"
#include "yard-image-file.h"

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
test_round_trip (void)
{
  g_autoptr(YardImageFile) file = yard_image_file_new ("debian-12.iso");
  g_autoptr(YardImageFile) back = NULL;
  g_autoptr(YardImageFile) copy = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  file->size = 658505728;
  file->modified = 1764745200;
  file->image_class = g_strdup ("linux");
  yard_image_file_add_menu_entry (file, "debian-12", "Debian 12");
  json = yard_image_file_to_json (file);
  text = to_text (json);
  g_assert_cmpstr (text, ==,
                   "{\"name\":\"debian-12.iso\",\"size\":658505728,"
                   "\"modified\":\"2025-12-03T07:00:00Z\",\"class\":\"linux\","
                   "\"menuEntries\":[{\"id\":\"debian-12\",\"label\":\"Debian 12\"}]}");
  back = yard_image_file_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->size, ==, 658505728);
  g_assert_cmpint (back->modified, ==, 1764745200);
  g_assert_cmpuint (back->menu_entries->len, ==, 1);
  copy = yard_image_file_copy (back);
  again = yard_image_file_to_json (copy);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);
}

static void
test_bad (void)
{
  static const char *bad[] = {
    "{\"size\": 1}",
    "{\"name\": \"a\", \"size\": -1}",
    "{\"name\": \"a\", \"size\": \"big\"}",
    "{\"name\": \"a\", \"modified\": \"yesterday\"}",
    "{\"name\": \"a\", \"class\": 3}",
    "{\"name\": \"a\", \"menuEntries\": [1]}",
    "{\"name\": \"a\", \"menuEntries\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardImageFile) file = NULL;

      g_test_message ("%s", bad[i]);
      file = yard_image_file_new_from_json (json_node_get_object (node), &error);
      g_assert_null (file);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/image-file/round-trip", test_round_trip);
  g_test_add_func ("/yard/image-file/bad", test_bad);
  return g_test_run ();
}
