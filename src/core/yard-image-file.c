/* yard-image-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-image-file"

#include "config.h"

#include "yard-error.h"
#include "yard-image-file.h"
#include "yard-json.h"
#include "yard-json-member.h"

G_DEFINE_BOXED_TYPE (YardImageFile, yard_image_file, yard_image_file_copy, yard_image_file_free)

static void
entry_ref_free (YardImageEntryRef *ref)
{
  g_free (ref->id);
  g_free (ref->label);
  g_free (ref);
}

YardImageFile *
yard_image_file_new (const char *name)
{
  YardImageFile *file = g_new0 (YardImageFile, 1);

  file->name = g_strdup (name);
  file->menu_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_ref_free);
  return file;
}

void
yard_image_file_add_menu_entry (YardImageFile *file,
                                const char    *id,
                                const char    *label)
{
  YardImageEntryRef *ref;

  g_return_if_fail (file != NULL);

  ref = g_new0 (YardImageEntryRef, 1);
  ref->id = g_strdup (id);
  ref->label = g_strdup (label);
  g_ptr_array_add (file->menu_entries, ref);
}

YardImageFile *
yard_image_file_copy (const YardImageFile *file)
{
  YardImageFile *copy;

  g_return_val_if_fail (file != NULL, NULL);

  copy = yard_image_file_new (file->name);
  copy->size = file->size;
  copy->modified = file->modified;
  copy->image_class = g_strdup (file->image_class);
  copy->inspection = file->inspection != NULL ? g_object_ref (file->inspection) : NULL;
  copy->error = g_strdup (file->error);
  for (guint i = 0; i < file->menu_entries->len; i++)
    {
      const YardImageEntryRef *ref = g_ptr_array_index (file->menu_entries, i);

      yard_image_file_add_menu_entry (copy, ref->id, ref->label);
    }
  return copy;
}

void
yard_image_file_free (YardImageFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_free (file->image_class);
  g_ptr_array_unref (file->menu_entries);
  g_clear_object (&file->inspection);
  g_free (file->error);
  g_free (file);
}

JsonArray *
yard_image_file_menu_entries_to_json (const YardImageFile *file)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (file != NULL, array);

  for (guint i = 0; i < file->menu_entries->len; i++)
    {
      const YardImageEntryRef *ref = g_ptr_array_index (file->menu_entries, i);
      JsonObject *item = json_object_new ();

      yard_json_set_string_or_null (item, "id", ref->id);
      yard_json_set_string_or_null (item, "label", ref->label);
      json_array_add_object_element (array, item);
    }
  return array;
}

JsonObject *
yard_image_file_to_json (const YardImageFile *file)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (file != NULL, object);

  yard_json_set_string_or_null (object, "name", file->name);
  json_object_set_int_member (object, "size", (gint64) file->size);
  if (file->modified > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (file->modified);
      g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");

      json_object_set_string_member (object, "modified", iso);
    }
  else
    json_object_set_null_member (object, "modified");
  yard_json_set_string_or_null (object, "class", file->image_class);
  json_object_set_array_member (object, "menuEntries",
                                yard_image_file_menu_entries_to_json (file));
  return object;
}

static gboolean
protocol_error (GError     **error,
                const char  *member)
{
  return yard_json_member_error (error, "an image", member);
}

/* A string member or null into *out (absent: NULL) */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             char       **out,
             GError     **error)
{
  return yard_json_dup_string_or_null (object, member, out) || protocol_error (error, member);
}

YardImageFile *
yard_image_file_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_autoptr(YardImageFile) file = yard_image_file_new (NULL);
  g_autofree char *modified = NULL;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  if (!read_string (object, "name", &file->name, error) ||
      !read_string (object, "class", &file->image_class, error) ||
      !read_string (object, "modified", &modified, error))
    return NULL;
  if (file->name == NULL)
    {
      protocol_error (error, "name");
      return NULL;
    }
  node = json_object_get_member (object, "size");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) ||
                       json_node_get_value_type (node) != G_TYPE_INT64 ||
                       json_node_get_int (node) < 0))
    {
      protocol_error (error, "size");
      return NULL;
    }
  file->size = node != NULL ? (guint64) json_node_get_int (node) : 0;
  if (modified != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (modified, NULL);

      if (dt == NULL)
        {
          protocol_error (error, "modified");
          return NULL;
        }
      file->modified = g_date_time_to_unix (dt);
    }
  node = json_object_get_member (object, "menuEntries");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *id = NULL;
          g_autofree char *label = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              protocol_error (error, "menuEntries");
              return NULL;
            }
          if (!read_string (json_node_get_object (item), "id", &id, error) ||
              !read_string (json_node_get_object (item), "label", &label, error))
            return NULL;
          yard_image_file_add_menu_entry (file, id, label);
        }
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      protocol_error (error, "menuEntries");
      return NULL;
    }
  if (!read_string (object, "error", &file->error, error))
    return NULL;
  node = json_object_get_member (object, "inspection");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      file->inspection = yard_image_inspection_new_from_json (json_node_get_object (node), error);
      if (file->inspection == NULL)
        return NULL;
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      protocol_error (error, "inspection");
      return NULL;
    }
  return g_steal_pointer (&file);
}
