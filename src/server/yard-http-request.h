/* yard-http-request.h: HTTP/1.x request heads, ranges and validators, without sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* A head larger than this, or with more header lines, is not parsed here. */
#define YARD_HTTP_MAX_HEAD    16384
#define YARD_HTTP_MAX_HEADERS 64

typedef enum
{
  YARD_HTTP_PARSE_OK,
  YARD_HTTP_PARSE_INCOMPLETE,  /* no blank line yet: more bytes may complete it */
  YARD_HTTP_PARSE_INVALID,     /* not a head this parser takes (the caller decides what then) */
} YardHttpParse;

typedef struct
{
  const char *name;
  const char *value;   /* without surrounding blanks */
} YardHttpHeader;

/* Strings point into the parsed buffer, which the parser NUL-terminates in place. */
typedef struct
{
  const char     *method;
  const char     *target;         /* the request-target as sent */
  guint           version_minor;  /* HTTP/1.x */
  gsize           head_len;       /* bytes up to and including the blank line */
  YardHttpHeader  headers[YARD_HTTP_MAX_HEADERS];
  guint           n_headers;
} YardHttpRequest;

YardHttpParse  yard_http_request_parse        (char                  *buf,
                                               gsize                  len,
                                               YardHttpRequest       *request);
const char    *yard_http_request_get_header   (const YardHttpRequest *request,
                                               const char            *name);
guint          yard_http_request_count_header (const YardHttpRequest *request,
                                               const char            *name);
gboolean       yard_http_token_list_contains  (const char            *list,
                                               const char            *token);
gboolean       yard_http_request_has_token    (const YardHttpRequest *request,
                                               const char            *name,
                                               const char            *token);
const char    *yard_http_target_path          (const char            *target);

typedef enum
{
  YARD_HTTP_BODY_NONE,
  YARD_HTTP_BODY_LENGTH,   /* Content-Length bytes */
  YARD_HTTP_BODY_CHUNKED,  /* Transfer-Encoding: chunked */
} YardHttpBody;

guint          yard_http_request_get_body     (const YardHttpRequest *request,
                                               YardHttpBody          *body,
                                               guint64               *length);

typedef enum
{
  YARD_HTTP_RANGE_NONE,           /* no usable Range header: the whole file */
  YARD_HTTP_RANGE_OK,             /* one satisfiable range: 206 */
  YARD_HTTP_RANGE_UNSATISFIABLE,  /* 416 */
} YardHttpRange;

YardHttpRange  yard_http_parse_range          (const char            *header,
                                               guint64                size,
                                               guint64               *start,
                                               guint64               *end);
gboolean       yard_http_etag_list_matches    (const char            *list,
                                               const char            *etag);
void           yard_http_format_date          (gint64                 unix_time,
                                               char                   out[32]);

G_END_DECLS
