/* yard-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib parses recursively: 100 000 nested arrays overflow the stack and kill the server,
 * from an API body or from a hosts.json it reads at every start. So every JSON the server and
 * core read goes through here, and its depth is counted first, without recursion.
 *
 * The count must never be lower than what json-glib will nest, so it reads what json-glib's
 * scanner reads as not structure: "strings" with backslash escapes, 'strings' without any
 * (json-glib 1.6 takes both), and C comments. Anything else that looks like [ or { counts;
 * counting too much only refuses a document json-glib would have refused or nested as deep.
 */

#define G_LOG_DOMAIN "yard-json"

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-json.h"

/* FALSE, with the line, when data nests deeper than max_depth. */
static gboolean
check_depth (const char  *data,
             gsize        length,
             guint        max_depth,
             GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  guint depth = 0;
  guint line = 1;

  while (p < end)
    {
      char c = *p++;

      switch (c)
        {
        case '\n':
          line++;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           "JSON nested more than %u levels deep (line %u): nothing Bootyard "
                           "reads is that deep; check what wrote it", max_depth, line);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        case '"':
          while (p < end && *p != '"')
            {
              if (*p == '\\' && p + 1 < end)
                p++;
              if (*p == '\n')
                line++;
              p++;
            }
          p++;
          break;

        case '\'':
          while (p < end && *p != '\'')
            {
              if (*p == '\n')
                line++;
              p++;
            }
          p++;
          break;

        case '/':
          if (p < end && *p == '*')
            {
              p++;
              while (p < end && !(*p == '*' && p + 1 < end && p[1] == '/'))
                {
                  if (*p == '\n')
                    line++;
                  p++;
                }
              p += 2;
            }
          break;

        default:
          break;
        }
    }
  return TRUE;
}

/* The document's root, or NULL with YARD_ERROR_INVALID_ARGUMENT: the nesting is deeper than
 * @max_depth (YARD_JSON_MAX_DEPTH unless the caller knows better), or json-glib's message for
 * what does not parse. An empty document is an error too. Callers add what the data was. */
JsonNode *
yard_json_parse (const char  *data,
                 gssize       length,
                 guint        max_depth,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (data);
  if (!check_depth (data, (gsize) length, max_depth, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT, local_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           "The document is empty: it holds no JSON value");
      return NULL;
    }
  return root;
}

char *
yard_json_keep_broken_copy (const char *path,
                            const char *contents,
                            gsize       length)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (aside, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    {
      g_warning ("Could not keep a copy of the broken file “%s”: %s", path, error->message);
      return NULL;
    }
  return g_steal_pointer (&aside);
}

void
yard_json_set_string_or_null (JsonObject *object,
                              const char *member,
                              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

gboolean
yard_json_dup_string_or_null (JsonObject  *object,
                              const char  *member,
                              char       **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

JsonObject *
yard_json_get_object (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
yard_json_get_array (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* @member's node when it holds a value of @type, else NULL */
static JsonNode *
value_member (JsonObject *object,
              const char *member,
              GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

const char *
yard_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

gint64
yard_json_get_int (JsonObject *object,
                   const char *member,
                   gint64      fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_INT64);

  return node != NULL ? json_node_get_int (node) : fallback;
}
