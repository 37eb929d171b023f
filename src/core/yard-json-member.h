/* yard-json-member.h: reading members of the server's answers into core's types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers of the doctor's verdicts, boots, events and network reports and of an image's
 * inspection share these: each member that is there but of the wrong type is
 * YARD_ERROR_PROTOCOL with one message, naming what was read ("a boot verdict") and the
 * member.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sets YARD_ERROR_PROTOCOL for member of what; returns FALSE. */
gboolean yard_json_member_error        (GError     **error,
                                        const char  *what,
                                        const char  *member);
/* A string member into *out (NULL when absent or null); required: absent or null is an error */
gboolean yard_json_member_read_string  (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gboolean     required,
                                        char       **out,
                                        GError     **error);
/* A boolean member (absent or null: fallback) */
gboolean yard_json_member_read_boolean (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gboolean     fallback,
                                        gboolean    *out,
                                        GError     **error);
/* An integer member (absent or null: fallback) */
gboolean yard_json_member_read_int     (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        gint64       fallback,
                                        gint64      *out,
                                        GError     **error);
/* A number member, integer or not (absent or null: fallback) */
gboolean yard_json_member_read_double  (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        double       fallback,
                                        double      *out,
                                        GError     **error);
/* An object member, borrowed (absent or null: NULL) */
gboolean yard_json_member_read_object  (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        JsonObject **out,
                                        GError     **error);
/* An array member, borrowed (absent or null: NULL) */
gboolean yard_json_member_read_array   (JsonObject  *object,
                                        const char  *what,
                                        const char  *member,
                                        JsonArray  **out,
                                        GError     **error);

G_END_DECLS
