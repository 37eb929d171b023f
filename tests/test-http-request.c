/* test-http-request.c: the boot file server's HTTP/1.x head reader, ranges and validators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-http-request.h"

static YardHttpParse
parse (const char      *text,
       char           **copy,
       YardHttpRequest *req)
{
  *copy = g_strdup (text);
  return yard_http_request_parse (*copy, strlen (text), req);
}

static void
test_plain (void)
{
  g_autofree char *buf = NULL;
  YardHttpRequest req;
  const char *text = "GET /boot/vmlinuz?x=1 HTTP/1.1\r\nHost: 10.0.0.1:8067\r\n"
                     "User-Agent: iPXE/1.21.1\r\nRange:  bytes=0-99 \r\nX-Empty:\r\n\r\nNEXT";

  g_assert_cmpint (parse (text, &buf, &req), ==, YARD_HTTP_PARSE_OK);
  g_assert_cmpstr (req.method, ==, "GET");
  g_assert_cmpstr (req.target, ==, "/boot/vmlinuz?x=1");
  g_assert_cmpuint (req.version_minor, ==, 1);
  g_assert_cmpuint (req.head_len, ==, strlen (text) - strlen ("NEXT"));
  g_assert_cmpuint (req.n_headers, ==, 4);
  g_assert_cmpstr (yard_http_request_get_header (&req, "host"), ==, "10.0.0.1:8067");
  g_assert_cmpstr (yard_http_request_get_header (&req, "RANGE"), ==, "bytes=0-99");
  g_assert_cmpstr (yard_http_request_get_header (&req, "X-Empty"), ==, "");
  g_assert_null (yard_http_request_get_header (&req, "Connection"));
  g_assert_cmpuint (yard_http_request_count_header (&req, "range"), ==, 1);
  g_assert_cmpuint (yard_http_request_count_header (&req, "Connection"), ==, 0);
}

static void
test_forms (void)
{
  g_autofree char *buf = NULL;
  YardHttpRequest req;

  /* HTTP/1.0 without headers, after empty lines (RFC 9112 2.2) */
  g_assert_cmpint (parse ("\r\n\r\nHEAD /boot/a HTTP/1.0\r\n\r\n", &buf, &req), ==,
                   YARD_HTTP_PARSE_OK);
  g_assert_cmpstr (req.method, ==, "HEAD");
  g_assert_cmpuint (req.version_minor, ==, 0);
  g_assert_cmpuint (req.n_headers, ==, 0);
  g_clear_pointer (&buf, g_free);

  /* repeated headers are all kept */
  g_assert_cmpint (parse ("GET / HTTP/1.1\r\nRange: a\r\nrange: b\r\n\r\n", &buf, &req), ==,
                   YARD_HTTP_PARSE_OK);
  g_assert_cmpuint (yard_http_request_count_header (&req, "Range"), ==, 2);
  g_assert_cmpstr (yard_http_request_get_header (&req, "Range"), ==, "a");
}

static void
test_incomplete (void)
{
  const char *prefixes[] = { "", "G", "GET /boot/a HTTP/1.1", "GET /boot/a HTTP/1.1\r\n",
                             "GET /boot/a HTTP/1.1\r\nHost: x\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *buf = NULL;
      YardHttpRequest req;

      g_test_message ("%s", prefixes[i]);
      g_assert_cmpint (parse (prefixes[i], &buf, &req), ==, YARD_HTTP_PARSE_INCOMPLETE);
    }
}

static void
test_invalid (void)
{
  const char *heads[] = {
    "GET /boot/a HTTP/1.1\r\nBad header\r\n\r\n",          /* no colon */
    "GET /boot/a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",   /* obs-fold */
    "GET /boot/a HTTP/1.1\r\nX : y\r\n\r\n",                /* blank before the colon */
    "GET /boot/a HTTP/1.1\r\n: y\r\n\r\n",                  /* empty name */
    "GET /boot/a HTTP/1.1\r\nX: a\x01z\r\n\r\n",            /* control byte */
    "GET /boot/a HTTP/1.1\r\nX: a\rz\r\n\r\n",              /* bare CR */
    "GET /boot/a HTTP/1.1\nHost: x\r\n\r\n",                /* bare LF */
    "GET /boot/a HTTP/2.0\r\n\r\n",
    "GET /boot/a HTTP/1.10\r\n\r\n",
    "GET /boot/a HTTP/1.x\r\n\r\n",
    "GET /boot/a http/1.1\r\n\r\n",
    "GET  /boot/a HTTP/1.1\r\n\r\n",                        /* two blanks */
    "GET /boot/a  HTTP/1.1\r\n\r\n",
    "GET /boot/a\r\n\r\n",                                  /* HTTP/0.9 */
    "GE(T /boot/a HTTP/1.1\r\n\r\n",                        /* not a token */
    " GET /boot/a HTTP/1.1\r\n\r\n",
    "GET /bo\x7fot HTTP/1.1\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *buf = NULL;
      YardHttpRequest req;

      g_test_message ("%s", heads[i]);
      g_assert_cmpint (parse (heads[i], &buf, &req), ==, YARD_HTTP_PARSE_INVALID);
    }

  /* a NUL inside the head */
  {
    char head[] = "GET /boot/a HTTP/1.1\r\nX: a\0b\r\n\r\n";
    YardHttpRequest req;

    g_assert_cmpint (yard_http_request_parse (head, sizeof head - 1, &req), ==,
                     YARD_HTTP_PARSE_INVALID);
  }

  /* too many header lines */
  {
    g_autoptr(GString) head = g_string_new ("GET / HTTP/1.1\r\n");
    YardHttpRequest req;

    for (guint i = 0; i <= YARD_HTTP_MAX_HEADERS; i++)
      g_string_append_printf (head, "X-%u: %u\r\n", i, i);
    g_string_append (head, "\r\n");
    g_assert_cmpint (yard_http_request_parse (head->str, head->len, &req), ==,
                     YARD_HTTP_PARSE_INVALID);
  }

  /* a head that does not end within YARD_HTTP_MAX_HEAD bytes */
  {
    g_autofree char *head = g_malloc (YARD_HTTP_MAX_HEAD + 10);
    YardHttpRequest req;

    memcpy (head, "GET / HTTP/1.1\r\nX: ", 19);
    memset (head + 19, 'a', YARD_HTTP_MAX_HEAD + 10 - 19);
    g_assert_cmpint (yard_http_request_parse (head, YARD_HTTP_MAX_HEAD - 1, &req), ==,
                     YARD_HTTP_PARSE_INCOMPLETE);
    g_assert_cmpint (yard_http_request_parse (head, YARD_HTTP_MAX_HEAD + 10, &req), ==,
                     YARD_HTTP_PARSE_INVALID);
  }
}

static void
test_token_list (void)
{
  g_assert_true (yard_http_token_list_contains ("close", "close"));
  g_assert_true (yard_http_token_list_contains ("Keep-Alive, Upgrade", "upgrade"));
  g_assert_true (yard_http_token_list_contains (" ,keep-alive ,", "keep-alive"));
  g_assert_false (yard_http_token_list_contains ("closed", "close"));
  g_assert_false (yard_http_token_list_contains ("x-close", "close"));
  g_assert_false (yard_http_token_list_contains ("", "close"));
  g_assert_false (yard_http_token_list_contains (NULL, "close"));
}

static void
test_ranges (void)
{
  struct { const char *header; guint64 size; YardHttpRange result; guint64 start, end; } cases[] = {
    { NULL, 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=0-9", 100, YARD_HTTP_RANGE_OK, 0, 10 },
    { "bytes=90-", 100, YARD_HTTP_RANGE_OK, 90, 100 },
    { "bytes=-5", 100, YARD_HTTP_RANGE_OK, 95, 100 },
    { "bytes=-500", 100, YARD_HTTP_RANGE_OK, 0, 100 },
    { "bytes=50-5000", 100, YARD_HTTP_RANGE_OK, 50, 100 },
    { " bytes= 1 - 2 ", 100, YARD_HTTP_RANGE_OK, 1, 3 },
    { "bytes=99-99", 100, YARD_HTTP_RANGE_OK, 99, 100 },
    { "bytes=100-", 100, YARD_HTTP_RANGE_UNSATISFIABLE, 0, 0 },
    { "bytes=-0", 100, YARD_HTTP_RANGE_UNSATISFIABLE, 0, 0 },
    { "bytes=-1", 0, YARD_HTTP_RANGE_UNSATISFIABLE, 0, 0 },
    { "bytes=0-", 0, YARD_HTTP_RANGE_UNSATISFIABLE, 0, 0 },
    { "bytes=5-2", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=0-1,5-6", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=a-b", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=1", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=-", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "lines=1-2", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=99999999999999999999-", 100, YARD_HTTP_RANGE_NONE, 0, 0 },
    { "bytes=2147483648-", G_GUINT64_CONSTANT (4) << 30, YARD_HTTP_RANGE_OK,
      G_GUINT64_CONSTANT (2147483648), G_GUINT64_CONSTANT (4) << 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 start = 0, end = 0;
      YardHttpRange got = yard_http_parse_range (cases[i].header, cases[i].size, &start, &end);

      g_test_message ("%s of %" G_GUINT64_FORMAT, cases[i].header, cases[i].size);
      g_assert_cmpint (got, ==, cases[i].result);
      if (got == YARD_HTTP_RANGE_OK)
        {
          g_assert_cmpuint (start, ==, cases[i].start);
          g_assert_cmpuint (end, ==, cases[i].end);
        }
    }
}

static void
test_validators (void)
{
  char date[32];

  g_assert_true (yard_http_etag_list_matches ("\"a\"", "\"a\""));
  g_assert_true (yard_http_etag_list_matches ("\"x\", W/\"a\"", "\"a\""));
  g_assert_true (yard_http_etag_list_matches ("*", "\"a\""));
  g_assert_false (yard_http_etag_list_matches ("\"x\", \"y\"", "\"a\""));
  g_assert_false (yard_http_etag_list_matches (NULL, "\"a\""));

  yard_http_format_date (784111777, date);
  g_assert_cmpstr (date, ==, "Sun, 06 Nov 1994 08:49:37 GMT");
  yard_http_format_date (0, date);
  g_assert_cmpstr (date, ==, "Thu, 01 Jan 1970 00:00:00 GMT");
  yard_http_format_date (1795305600, date);
  g_assert_cmpstr (date, ==, "Sun, 22 Nov 2026 00:00:00 GMT");
  yard_http_format_date (951782400, date);
  g_assert_cmpstr (date, ==, "Tue, 29 Feb 2000 00:00:00 GMT");
}

static void
test_target_path (void)
{
  g_assert_cmpstr (yard_http_target_path ("/boot/a?x"), ==, "/boot/a?x");
  g_assert_cmpstr (yard_http_target_path ("http://10.0.0.1:8067/api/v1/status"), ==,
                   "/api/v1/status");
  g_assert_cmpstr (yard_http_target_path ("HTTPS://h/boot/a"), ==, "/boot/a");
  g_assert_cmpstr (yard_http_target_path ("http://h"), ==, "/");
  g_assert_null (yard_http_target_path ("http://h?x"));
  g_assert_null (yard_http_target_path ("*"));
  g_assert_null (yard_http_target_path ("h:443"));
  g_assert_null (yard_http_target_path ("ftp://h/boot/a"));
}

/* How a head frames its body: what libsoup would read, or the status that refuses it. */
static void
test_body (void)
{
  struct { const char *headers; guint status; YardHttpBody body; guint64 length; } cases[] = {
    { "", 0, YARD_HTTP_BODY_NONE, 0 },
    { "Content-Length: 0\r\n", 0, YARD_HTTP_BODY_NONE, 0 },
    { "Content-Length: 100000000\r\n", 0, YARD_HTTP_BODY_LENGTH, 100000000 },
    { "Content-Length: 5\r\ncontent-length: 5\r\n", 0, YARD_HTTP_BODY_LENGTH, 5 },
    { "Transfer-Encoding: Chunked\r\n", 0, YARD_HTTP_BODY_CHUNKED, 0 },
    { "Content-Length: 5\r\nContent-Length: 6\r\n", 400, 0, 0 },
    { "Content-Length: -1\r\n", 400, 0, 0 },
    { "Content-Length: 5, 5\r\n", 400, 0, 0 },
    { "Content-Length: 99999999999999999999999\r\n", 400, 0, 0 },
    { "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400, 0, 0 },
    { "Transfer-Encoding: bogus\r\n", 501, 0, 0 },
    { "Transfer-Encoding: gzip, chunked\r\n", 501, 0, 0 },
    { "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 501, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *buf = NULL;
      g_autofree char *text = g_strdup_printf ("PUT /api/v1/x HTTP/1.1\r\nHost: x\r\n%s\r\n",
                                               cases[i].headers);
      YardHttpRequest req;
      YardHttpBody body = YARD_HTTP_BODY_NONE;
      guint64 length = 0;
      guint status;

      g_assert_cmpint (parse (text, &buf, &req), ==, YARD_HTTP_PARSE_OK);
      status = yard_http_request_get_body (&req, &body, &length);
      g_test_message ("%s", cases[i].headers);
      g_assert_cmpuint (status, ==, cases[i].status);
      if (status == 0)
        {
          g_assert_cmpint (body, ==, cases[i].body);
          g_assert_cmpuint (length, ==, cases[i].length);
        }
    }

  /* HTTP/1.0 has no chunked coding (RFC 9112 6.1). */
  {
    g_autofree char *buf = NULL;
    YardHttpRequest req;
    YardHttpBody body;
    guint64 length;

    g_assert_cmpint (parse ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", &buf,
                            &req), ==, YARD_HTTP_PARSE_OK);
    g_assert_cmpuint (yard_http_request_get_body (&req, &body, &length), ==, 400);
  }

  /* Connection tokens over every Connection line. */
  {
    g_autofree char *buf = NULL;
    YardHttpRequest req;

    g_assert_cmpint (parse ("GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: x, Close\r\n"
                            "\r\n", &buf, &req), ==, YARD_HTTP_PARSE_OK);
    g_assert_true (yard_http_request_has_token (&req, "connection", "close"));
    g_assert_true (yard_http_request_has_token (&req, "Connection", "keep-alive"));
    g_assert_false (yard_http_request_has_token (&req, "Connection", "upgrade"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/http-request/plain", test_plain);
  g_test_add_func ("/yard/http-request/forms", test_forms);
  g_test_add_func ("/yard/http-request/incomplete", test_incomplete);
  g_test_add_func ("/yard/http-request/invalid", test_invalid);
  g_test_add_func ("/yard/http-request/token-list", test_token_list);
  g_test_add_func ("/yard/http-request/target-path", test_target_path);
  g_test_add_func ("/yard/http-request/body", test_body);
  g_test_add_func ("/yard/http-request/ranges", test_ranges);
  g_test_add_func ("/yard/http-request/validators", test_validators);

  return g_test_run ();
}
