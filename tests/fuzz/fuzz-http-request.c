/* fuzz-http-request.c: libFuzzer harness for the HTTP request heads the boot file server reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every byte of a head comes from the network. This feeds arbitrary bytes to the head parser
 * and checks what it hands on: strings inside the buffer, a head length within it, header
 * names that are tokens; then runs what the server does with a head (header lookups, the
 * Connection list, the target's path, the body's framing, Range against a few sizes,
 * If-None-Match), with AddressSanitizer watching.
 * See README.md for how to run it.
 */

#include "config.h"

#include <string.h>

#include "yard-http-request.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check_inside (const char *s,
              const char *buf,
              gsize       head_len)
{
  g_assert (s >= buf && s + strlen (s) < buf + head_len);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const guint64 sizes[] = { 0, 1, 100, G_GUINT64_CONSTANT (1) << 40 };
  char *buf = g_malloc (size + 1);
  YardHttpRequest req;
  YardHttpParse result;

  memcpy (buf, data, size);
  buf[size] = 'X';  /* the parser must not read past @size */
  result = yard_http_request_parse (buf, size, &req);
  if (result == YARD_HTTP_PARSE_OK)
    {
      g_assert (req.head_len >= 4 && req.head_len <= size && req.head_len <= YARD_HTTP_MAX_HEAD);
      g_assert (memcmp (data + req.head_len - 4, "\r\n\r\n", 4) == 0);
      g_assert (req.version_minor <= 9);
      g_assert (req.n_headers <= YARD_HTTP_MAX_HEADERS);
      check_inside (req.method, buf, req.head_len);
      check_inside (req.target, buf, req.head_len);
      g_assert (*req.method != '\0' && *req.target != '\0');
      for (guint i = 0; i < req.n_headers; i++)
        {
          check_inside (req.headers[i].name, buf, req.head_len);
          check_inside (req.headers[i].value, buf, req.head_len);
          g_assert (*req.headers[i].name != '\0');
          g_assert (strpbrk (req.headers[i].name, " \t:\r\n") == NULL);
          g_assert (strpbrk (req.headers[i].value, "\r\n") == NULL);
        }

      yard_http_token_list_contains (yard_http_request_get_header (&req, "Connection"), "close");
      yard_http_request_has_token (&req, "Connection", "keep-alive");
      {
        const char *path = yard_http_target_path (req.target);
        YardHttpBody body;
        guint64 length;
        guint status = yard_http_request_get_body (&req, &body, &length);

        g_assert (path == NULL || (path[0] == '/' && path[1] == '\0') ||
                  (path >= req.target && path < req.target + strlen (req.target)));
        g_assert (status == 0 || status == 400 || status == 501);
        g_assert (status != 0 || body != YARD_HTTP_BODY_NONE || length == 0);
      }
      yard_http_request_count_header (&req, "Range");
      yard_http_etag_list_matches (yard_http_request_get_header (&req, "If-None-Match"),
                                   "\"1-2-3\"");
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          guint64 start = 0, end = 0;

          if (yard_http_parse_range (yard_http_request_get_header (&req, "Range"), sizes[i],
                                     &start, &end) == YARD_HTTP_RANGE_OK)
            g_assert (start < end && end <= sizes[i]);
        }
    }
  else if (result == YARD_HTTP_PARSE_INCOMPLETE)
    g_assert (size < YARD_HTTP_MAX_HEAD);

  g_free (buf);
  return 0;
}
