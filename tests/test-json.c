/* test-json.c: JSON with its depth bounded before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-json.h"

/* depth arrays ("[[1]]") or objects ("{"a":{"a":1}}") inside each other. */
static char *
nested (char   open,
        char   close,
        gsize  depth)
{
  GString *s = g_string_sized_new (6 * depth + 1);

  for (gsize i = 0; i < depth; i++)
    g_string_append (s, open == '{' ? "{\"a\":" : "[");
  g_string_append_c (s, '1');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (s, close);
  return g_string_free (s, FALSE);
}

/* 100 000 levels crashed the server inside json-glib (issue 19): now a clear error. */
static void
test_deep (void)
{
  g_autofree char *arrays = nested ('[', ']', 100000);
  g_autofree char *objects = nested ('{', '}', 100000);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = yard_json_parse (arrays, -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "nested more than 256 levels"));
  g_clear_error (&error);

  node = yard_json_parse (objects, -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_limit (void)
{
  g_autofree char *at = nested ('[', ']', 64);
  g_autofree char *over = nested ('[', ']', 65);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = yard_json_parse (at, -1, 64, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  json_node_unref (node);

  node = yard_json_parse (over, -1, 64, &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
}

/* What json-glib does not read as structure is not counted: brackets in strings, escaped
 * quotes, 'single-quoted' strings (json-glib takes them) and comments; but nothing in them can
 * hide real nesting from the count. */
static void
test_strings_and_comments (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = nested ('[', ']', 300);
  g_autofree char *hidden_dq = g_strconcat ("[\"\\\"\", ", deep, "]", NULL);
  g_autofree char *hidden_comment = g_strconcat ("/* \" */ ", deep, " /* \" */", NULL);
  g_autofree char *hidden_sq = g_strconcat ("['\\', ", deep, ", '\\']", NULL);
  const char *fine[] = {
    "{\"script\": \"#!ipxe\\nchain ${url}[[[[[[[[\"}",
    "[\"\\\\\", \"[[[[\"]",
    "['[[[[[[\"', 1]",
    "[1, /* [[[[[[ */ 2]",
  };
  JsonNode *node;

  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      node = yard_json_parse (fine[i], -1, 2, &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
      json_node_unref (node);
    }

  node = yard_json_parse (hidden_dq, -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);
  node = yard_json_parse (hidden_comment, -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);
  node = yard_json_parse (hidden_sq, -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = yard_json_parse ("", 0, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  node = yard_json_parse ("{\"a\": }", -1, YARD_JSON_MAX_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The length counts: what follows is not read. */
  node = yard_json_parse ("{\"a\": 1}garbage", 8, YARD_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "a"), ==, 1);
  json_node_unref (node);
}

/* A string, null or absent reads; anything else is refused with nothing read. */
static void
test_dup_string_or_null (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"s\": \"x\", \"n\": null, \"i\": 1, "
                                               "\"a\": [], \"o\": {}}", NULL);
  JsonObject *object = json_node_get_object (node);
  char *out = (char *) "untouched";

  g_assert_true (yard_json_dup_string_or_null (object, "s", &out));
  g_assert_cmpstr (out, ==, "x");
  g_free (out);
  g_assert_true (yard_json_dup_string_or_null (object, "n", &out));
  g_assert_null (out);
  g_assert_true (yard_json_dup_string_or_null (object, "absent", &out));
  g_assert_null (out);
  for (guint i = 0; i < 3; i++)
    {
      out = (char *) "untouched";
      g_assert_false (yard_json_dup_string_or_null (object, (const char *[]) { "i", "a", "o" }[i],
                                                    &out));
      g_assert_null (out);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/json/deep", test_deep);
  g_test_add_func ("/yard/json/limit", test_limit);
  g_test_add_func ("/yard/json/strings-and-comments", test_strings_and_comments);
  g_test_add_func ("/yard/json/errors", test_errors);
  g_test_add_func ("/yard/json/dup-string-or-null", test_dup_string_or_null);

  return g_test_run ();
}
