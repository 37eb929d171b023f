/* yard-json-member.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-json-member"

#include "config.h"

#include "yard-error.h"
#include "yard-json.h"
#include "yard-json-member.h"

gboolean
yard_json_member_error (GError     **error,
                        const char  *what,
                        const char  *member)
{
  g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
               "The server sent %s whose “%s” does not read: is it a Bootyard server of this "
               "version?", what, member);
  return FALSE;
}

/* The member, or NULL when absent or null */
static JsonNode *
member_node (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
yard_json_member_read_string (JsonObject  *object,
                              const char  *what,
                              const char  *member,
                              gboolean     required,
                              char       **out,
                              GError     **error)
{
  /* what a string member is: yard-json's one rule */
  if (!yard_json_dup_string_or_null (object, member, out) || (required && *out == NULL))
    return yard_json_member_error (error, what, member);
  return TRUE;
}

gboolean
yard_json_member_read_boolean (JsonObject  *object,
                               const char  *what,
                               const char  *member,
                               gboolean     fallback,
                               gboolean    *out,
                               GError     **error)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return yard_json_member_error (error, what, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
yard_json_member_read_int (JsonObject  *object,
                           const char  *what,
                           const char  *member,
                           gint64       fallback,
                           gint64      *out,
                           GError     **error)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return yard_json_member_error (error, what, member);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
yard_json_member_read_double (JsonObject  *object,
                              const char  *what,
                              const char  *member,
                              double       fallback,
                              double      *out,
                              GError     **error)
{
  JsonNode *node = member_node (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || (json_node_get_value_type (node) != G_TYPE_INT64 &&
                                        json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return yard_json_member_error (error, what, member);
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
yard_json_member_read_object (JsonObject  *object,
                              const char  *what,
                              const char  *member,
                              JsonObject **out,
                              GError     **error)
{
  JsonNode *node = member_node (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return yard_json_member_error (error, what, member);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
yard_json_member_read_array (JsonObject  *object,
                             const char  *what,
                             const char  *member,
                             JsonArray  **out,
                             GError     **error)
{
  JsonNode *node = member_node (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return yard_json_member_error (error, what, member);
  *out = json_node_get_array (node);
  return TRUE;
}
