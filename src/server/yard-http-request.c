/* yard-http-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP server's own reader of HTTP/1.x request heads (RFC 9112): every head on the port
 * goes through it, the API's too. It takes only the plain form that iPXE, curl, browsers and
 * libsoup send: CRLF line ends, no folded header lines, no control bytes. Anything else is
 * INVALID, and the server answers 400 itself: libsoup sees only heads this reader took whole.
 */

#define G_LOG_DOMAIN "yard-http-server"

#include "config.h"

#include <string.h>
#include <time.h>

#include "yard-http-request.h"
#include "yard-parse.h"

/* RFC 9110 5.6.2 tchar */
static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Visible bytes, blanks and obs-text; no control bytes but HTAB. */
static gboolean
is_field_byte (guchar c)
{
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static char *
find_crlf (char *p,
           char *end)
{
  for (; p + 1 < end; p++)
    if (p[0] == '\r' && p[1] == '\n')
      return p;
  return NULL;
}

static gboolean
parse_request_line (char            *line,
                    char            *end,
                    YardHttpRequest *request)
{
  char *p = line;
  char *target;

  while (p < end && is_tchar (*p))
    p++;
  if (p == line || p >= end || *p != ' ')
    return FALSE;
  *p++ = '\0';
  request->method = line;

  target = p;
  while (p < end && (guchar) *p > 0x20 && *p != 0x7f)
    p++;
  if (p == target || p >= end || *p != ' ')
    return FALSE;
  *p++ = '\0';
  request->target = target;

  if (end - p != 8 || memcmp (p, "HTTP/1.", 7) != 0 || !g_ascii_isdigit (p[7]))
    return FALSE;
  request->version_minor = p[7] - '0';
  return TRUE;
}

static gboolean
parse_header_line (char            *line,
                   char            *end,
                   YardHttpRequest *request)
{
  char *p = line;
  char *value;
  char *value_end;

  while (p < end && is_tchar (*p))
    p++;
  if (p == line || p >= end || *p != ':')
    return FALSE;  /* also a folded line, which starts with a blank */
  *p++ = '\0';

  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  value = p;
  for (; p < end; p++)
    if (!is_field_byte (*p))
      return FALSE;
  value_end = end;
  while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
    value_end--;
  *value_end = '\0';

  if (request->n_headers == YARD_HTTP_MAX_HEADERS)
    return FALSE;
  request->headers[request->n_headers].name = line;
  request->headers[request->n_headers].value = value;
  request->n_headers++;
  return TRUE;
}

YardHttpParse
yard_http_request_parse (char            *buf,
                         gsize            len,
                         YardHttpRequest *request)
{
  char *end = buf + MIN (len, (gsize) YARD_HTTP_MAX_HEAD);
  char *p = buf;
  char *eol;

  memset (request, 0, sizeof *request);

  /* RFC 9112 2.2: empty lines before the request line are ignored. */
  while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
    p += 2;

  /* Only a complete head is parsed: nothing is written into the buffer before that. */
  {
    char *blank = NULL;

    for (char *q = p; q + 3 < end; q++)
      if (q[0] == '\r' && q[1] == '\n' && q[2] == '\r' && q[3] == '\n')
        {
          blank = q;
          break;
        }
    if (blank == NULL)
      return len >= YARD_HTTP_MAX_HEAD ? YARD_HTTP_PARSE_INVALID : YARD_HTTP_PARSE_INCOMPLETE;
    request->head_len = blank + 4 - buf;
    if (memchr (buf, '\0', request->head_len) != NULL)
      return YARD_HTTP_PARSE_INVALID;
    end = blank + 2;  /* the last header line's CRLF stays inside */
  }

  eol = find_crlf (p, end);
  if (eol == NULL || !parse_request_line (p, eol, request))
    return YARD_HTTP_PARSE_INVALID;

  for (p = eol + 2; p < end; p = eol + 2)
    {
      eol = find_crlf (p, end);
      if (eol == NULL || !parse_header_line (p, eol, request))
        return YARD_HTTP_PARSE_INVALID;
    }
  return YARD_HTTP_PARSE_OK;
}

const char *
yard_http_request_get_header (const YardHttpRequest *request,
                              const char            *name)
{
  for (guint i = 0; i < request->n_headers; i++)
    if (g_ascii_strcasecmp (request->headers[i].name, name) == 0)
      return request->headers[i].value;
  return NULL;
}

guint
yard_http_request_count_header (const YardHttpRequest *request,
                                const char            *name)
{
  guint n = 0;

  for (guint i = 0; i < request->n_headers; i++)
    if (g_ascii_strcasecmp (request->headers[i].name, name) == 0)
      n++;
  return n;
}

/* "keep-alive, Upgrade" contains "upgrade": comma-separated tokens, any case. */
gboolean
yard_http_token_list_contains (const char *list,
                               const char *token)
{
  gsize token_len = strlen (token);
  const char *p = list;

  if (list == NULL)
    return FALSE;
  while (*p != '\0')
    {
      const char *start;
      const char *stop;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      start = p;
      while (*p != '\0' && *p != ',')
        p++;
      stop = p;
      while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
        stop--;
      if ((gsize) (stop - start) == token_len && g_ascii_strncasecmp (start, token, token_len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether any of the @name headers lists @token (Connection: a, b and Connection: close). */
gboolean
yard_http_request_has_token (const YardHttpRequest *request,
                             const char            *name,
                             const char            *token)
{
  for (guint i = 0; i < request->n_headers; i++)
    if (g_ascii_strcasecmp (request->headers[i].name, name) == 0 &&
        yard_http_token_list_contains (request->headers[i].value, token))
      return TRUE;
  return FALSE;
}

/* The path (and query) of a request-target: the target itself in origin form ("/boot/x"), the
 * part after the authority in absolute form ("http://host:80/boot/x", which RFC 9112 3.2.2 asks
 * servers to take; "/" when it has no path). NULL for the authority and asterisk forms, which
 * only CONNECT and OPTIONS use. */
const char *
yard_http_target_path (const char *target)
{
  const char *p;

  if (target[0] == '/')
    return target;
  if (g_ascii_strncasecmp (target, "http://", 7) == 0)
    p = target + 7;
  else if (g_ascii_strncasecmp (target, "https://", 8) == 0)
    p = target + 8;
  else
    return NULL;
  p += strcspn (p, "/?");
  if (*p == '/')
    return p;
  return *p == '\0' ? "/" : NULL;  /* "http://host?x": no path to name */
}

/* How the request's body is framed (RFC 9112 6): 0, with @body and @length set, or the status
 * that refuses the head. Framing that two readers could understand differently (request
 * smuggling) is refused rather than guessed: Transfer-Encoding with Content-Length, or
 * Content-Lengths that differ, 400; a transfer coding other than "chunked" alone, 501 (RFC 9112
 * 6.1), which is also what libsoup 3.2 must never see (it leaks the request's path then). */
guint
yard_http_request_get_body (const YardHttpRequest *request,
                            YardHttpBody          *body,
                            guint64               *length)
{
  const char *te = NULL;
  gboolean have_length = FALSE;

  *body = YARD_HTTP_BODY_NONE;
  *length = 0;
  for (guint i = 0; i < request->n_headers; i++)
    {
      const char *name = request->headers[i].name;
      const char *value = request->headers[i].value;

      if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        {
          if (te != NULL)
            return 501;  /* two lines are a list of codings: more than "chunked" */
          te = value;
        }
      else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          guint64 n;

          if (!yard_parse_decimal (value, strlen (value), &n) || (have_length && n != *length))
            return 400;
          have_length = TRUE;
          *length = n;
        }
    }

  if (te != NULL)
    {
      if (g_ascii_strcasecmp (te, "chunked") != 0)
        return 501;
      if (have_length || request->version_minor == 0)
        return 400;
      *body = YARD_HTTP_BODY_CHUNKED;
      *length = 0;
      return 0;
    }
  if (have_length && *length > 0)
    *body = YARD_HTTP_BODY_LENGTH;
  return 0;
}

/* One "bytes=A-B", "bytes=A-" or "bytes=-N" (RFC 9110 14.2). Several ranges or a malformed
 * header are ignored: a server may answer those with the whole file. */
YardHttpRange
yard_http_parse_range (const char *header,
                       guint64     size,
                       guint64    *start,
                       guint64    *end)
{
  const char *spec;
  const char *dash;
  const char *last;
  gsize first_len;
  gsize last_len;
  guint64 a, b;

  if (header == NULL)
    return YARD_HTTP_RANGE_NONE;
  while (*header == ' ')
    header++;
  if (g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return YARD_HTTP_RANGE_NONE;
  spec = header + 6;
  while (*spec == ' ')
    spec++;
  if (strchr (spec, ',') != NULL || (dash = strchr (spec, '-')) == NULL)
    return YARD_HTTP_RANGE_NONE;

  first_len = dash - spec;
  while (first_len > 0 && spec[first_len - 1] == ' ')
    first_len--;
  last = dash + 1;
  while (*last == ' ')
    last++;
  last_len = strlen (last);
  while (last_len > 0 && last[last_len - 1] == ' ')
    last_len--;

  if (first_len == 0)
    {
      /* suffix: the last N bytes */
      if (!yard_parse_decimal (last, last_len, &b))
        return YARD_HTTP_RANGE_NONE;
      if (b == 0 || size == 0)
        return YARD_HTTP_RANGE_UNSATISFIABLE;
      *start = size > b ? size - b : 0;
      *end = size;
      return YARD_HTTP_RANGE_OK;
    }

  if (!yard_parse_decimal (spec, first_len, &a))
    return YARD_HTTP_RANGE_NONE;
  if (last_len == 0)
    b = G_MAXUINT64;
  else if (!yard_parse_decimal (last, last_len, &b) || b < a)
    return YARD_HTTP_RANGE_NONE;

  if (a >= size)
    return YARD_HTTP_RANGE_UNSATISFIABLE;
  *start = a;
  *end = (b >= size - 1) ? size : b + 1;
  return YARD_HTTP_RANGE_OK;
}

/* If-None-Match / If-Match lists: "*", or one of the (weak or strong) tags equals @etag. */
gboolean
yard_http_etag_list_matches (const char *list,
                             const char *etag)
{
  g_auto(GStrv) items = NULL;

  if (list == NULL)
    return FALSE;
  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_str_has_prefix (item, "W/"))
        item += 2;
      if (g_str_equal (item, "*") || g_str_equal (item, etag))
        return TRUE;
    }
  return FALSE;
}

/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), whatever the locale. */
void
yard_http_format_date (gint64 unix_time,
                       char   out[32])
{
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  time_t t = (time_t) unix_time;
  struct tm tm;

  if (gmtime_r (&t, &tm) == NULL)
    memset (&tm, 0, sizeof tm);
  g_snprintf (out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
              months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
