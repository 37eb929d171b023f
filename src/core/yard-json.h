/* yard-json.h: JSON from files and the network, with its nesting bounded before it is parsed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deep enough for a menu of 64 submenu levels (two per level: an entry and its "entries"),
 * far below the depth at which json-glib's recursive parser runs out of stack. */
#define YARD_JSON_MAX_DEPTH 256

JsonNode *yard_json_parse (const char  *data,
                           gssize       length,
                           guint        max_depth,
                           GError     **error) G_GNUC_WARN_UNUSED_RESULT;

/* Sets member to value, or to null when value is NULL. */
void      yard_json_set_string_or_null (JsonObject *object,
                                        const char *member,
                                        const char *value);

/* Reads a string member into *out (a new string; NULL when the member is absent or null).
 * FALSE, with *out NULL, when it is there but no string: the caller names the problem. */
gboolean  yard_json_dup_string_or_null (JsonObject  *object,
                                        const char  *member,
                                        char       **out);

/* Lenient borrowed readers, for what may be absent: @member of @object when it holds that
 * type, else NULL (or @fallback); a NULL @object gives NULL too. */
JsonObject *yard_json_get_object (JsonObject *object,
                                  const char *member);
JsonArray  *yard_json_get_array  (JsonObject *object,
                                  const char *member);
const char *yard_json_get_string (JsonObject *object,
                                  const char *member);
gint64      yard_json_get_int    (JsonObject *object,
                                  const char *member,
                                  gint64      fallback);

/* A state file that does not parse is copied to PATH.broken-YYYYmmdd-HHMMSS before anything
 * may replace it; returns the copy's path, or NULL (logged) when even that failed. */
char     *yard_json_keep_broken_copy (const char *path,
                                      const char *contents,
                                      gsize       length);

G_END_DECLS
