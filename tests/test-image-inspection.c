/* test-image-inspection.c: core's reader of an image's inspection reads what core's writer
 * (yard_image_to_json) and the API's suggested entry say, of images built with xorriso
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-error.h"
#include "yard-image.h"
#include "yard-image-file.h"
#include "yard-image-inspection.h"
#include "yard-json.h"
#include "test-dirs.h"
#include "test-image-util.h"

/* The answer of GET /images/NAME as yard-api.c builds it: name, size, the inspection with
 * the suggested entry. */
static JsonObject *
answer_for (YardImage *image)
{
  g_autoptr(JsonNode) inspection = yard_image_to_json (image);
  g_autoptr(YardBootEntry) entry = yard_image_create_entry (image);
  JsonObject *answer = json_object_new ();

  json_object_set_string_member (answer, "name", yard_image_get_name (image));
  json_object_set_int_member (answer, "size", (gint64) yard_image_get_size (image));
  json_object_set_null_member (answer, "modified");
  if (entry != NULL)
    json_object_set_member (json_node_get_object (inspection), "entry",
                            yard_boot_entry_to_json (entry));
  else
    json_object_set_null_member (json_node_get_object (inspection), "entry");
  json_object_set_member (answer, "inspection", g_steal_pointer (&inspection));
  json_object_set_array_member (answer, "menuEntries", json_array_new ());
  return answer;
}

static void
test_linux (void)
{
  g_autofree char *tmpdir = yard_test_make_dir ("image-inspection");
  g_autofree char *path = make_linux_iso (tmpdir, "debian-live.iso", DISTRO_DEBIAN_LIVE);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardImage) image = yard_image_inspect (path, "debian-live.iso", &error);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(YardImageFile) file = NULL;
  YardImageInspection *inspection;
  YardBootEntry *entry;

  g_assert_no_error (error);
  answer = answer_for (image);
  file = yard_image_file_new_from_json (answer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file->name, ==, "debian-live.iso");
  g_assert_null (file->error);
  inspection = file->inspection;
  g_assert_nonnull (inspection);
  g_assert_cmpstr (yard_image_inspection_get_format (inspection), ==, "iso9660");
  g_assert_cmpstr (yard_image_inspection_get_image_class (inspection), ==, "linux");
  g_assert_cmpstr (yard_image_inspection_get_volume_label (inspection), ==,
                   yard_image_get_volume_label (image));
  g_assert_cmpstr (yard_image_inspection_get_label (inspection), ==,
                   yard_image_get_label (image));
  g_assert_cmpstr (yard_image_inspection_get_distribution (inspection), ==,
                   yard_image_get_distribution (image));
  g_assert_true (yard_image_inspection_get_bootable (inspection));
  g_assert_true (yard_image_inspection_get_bios (inspection));
  g_assert_true (yard_image_inspection_get_uefi (inspection));
  entry = yard_image_inspection_get_entry (inspection);
  g_assert_nonnull (entry);
  g_assert_cmpint (yard_boot_entry_get_kind (entry), ==, YARD_BOOT_ENTRY_KIND_LINUX);
  g_assert_cmpstr (yard_boot_entry_get_kernel (entry), ==, yard_image_get_kernel (image));

  /* the copy shares it; the last one finalizes it */
  {
    YardImageFile *copy = yard_image_file_copy (file);

    g_assert_true (copy->inspection == inspection);
    yard_image_file_free (copy);
  }
  g_object_add_weak_pointer (G_OBJECT (inspection), (gpointer *) &inspection);
  g_clear_pointer (&file, yard_image_file_free);
  g_assert_null (inspection);
}

static void
test_not_bootable_and_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(YardImageFile) file = NULL;
  const char *bad[] = {
    "{\"name\": \"x.iso\", \"inspection\": {\"bootable\": \"yes\"}}",
    "{\"name\": \"x.iso\", \"inspection\": {\"entry\": {\"kind\": \"linux\", \"label\": 3}}}",
    "{\"name\": \"x.iso\", \"inspection\": [1]}",
  };
  const char *members[] = { "“bootable”", "“entry”", "“inspection”" };

  node = yard_json_parse ("{\"name\": \"notes.txt\", \"size\": 5, \"modified\": null, "
                          "\"inspection\": null, \"error\": \"Not a boot image\", "
                          "\"menuEntries\": []}", -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  file = yard_image_file_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_null (file->inspection);
  g_assert_cmpstr (file->error, ==, "Not a boot image");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) bad_node = yard_json_parse (bad[i], -1, YARD_JSON_MAX_DEPTH, &error);
      g_autoptr(YardImageFile) refused = NULL;

      g_assert_no_error (error);
      refused = yard_image_file_new_from_json (json_node_get_object (bad_node), &error);
      g_assert_null (refused);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, members[i]));
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!tools_available ())
    {
      g_print ("1..0 # SKIP xorriso, mkfs.fat or mtools missing (build-aux/dev installs them)\n");
      return 77;
    }
  g_test_add_func ("/yard/image-inspection/linux", test_linux);
  g_test_add_func ("/yard/image-inspection/not-bootable-and-refused",
                   test_not_bootable_and_refused);
  return g_test_run ();
}
