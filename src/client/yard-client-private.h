/* yard-client-private.h: for the client library's own classes and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "yard-client.h"

G_BEGIN_DECLS

/* A message to base URL + /api/v1 + path, with the token; NULL with an error for a bad URL. */
SoupMessage *_yard_client_new_message      (YardClient   *self,
                                            const char   *method,
                                            const char   *path,
                                            GError      **error);
/* The GError for an answer that is not 2xx: the server's {"error", "field"} when it sent one. */
GError      *_yard_client_response_error   (SoupMessage  *msg,
                                            GBytes       *body);
/* The same from an answer's parts, for answers that did not come through libsoup (uploads). */
GError      *_yard_client_answer_error     (guint         status,
                                            const char   *reason,
                                            const char   *path,
                                            GBytes       *body);
/* An answer's JSON (a JSON null node for an empty body), or the GError for it. */
JsonNode    *_yard_client_parse_answer     (guint         status,
                                            const char   *reason,
                                            const char   *path,
                                            GBytes       *body,
                                            GError      **error);
/* The GError for a request that got no answer (YARD_ERROR_UNREACHABLE, or the cancellation). */
GError      *_yard_client_transport_error  (YardClient   *self,
                                            const GError *error);
/* path segment escaped for a URL */
char        *_yard_client_escape_segment   (const char   *segment);

/* yard-upload.c: PUT /images/{name} of @file from a worker thread; returns @task (whose
 * source object is @self) with the answer's JsonObject. */
/* PUT @path (under /api/v1, escaped, with its query) with the file as its body. */
void         _yard_client_upload           (YardClient             *self,
                                            GFile                  *file,
                                            const char             *path,
                                            YardClientProgressFunc  progress,
                                            gpointer                progress_data,
                                            GDestroyNotify          progress_notify,
                                            GTask                  *task);

G_END_DECLS
