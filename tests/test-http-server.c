/* test-http-server.c: boot files, per-host scripts, the API and the event stream, with a real
 * HTTP client (libsoup, and curl for ranges of a 2 GiB file) against a YardServer running
 * in this process on 127.0.0.1, port 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-grub.h"
#include "yard-pxelinux.h"
#include "yard-server.h"

#include "test-dirs.h"
#include "test-image-util.h"

typedef struct
{
  char        *dir;
  char        *root;
  char        *state;
  YardServer  *server;
  guint16      port;
  char        *token;
  SoupSession *session;
  GPtrArray   *events;   /* "kind" strings seen on the server's event signal */
} Fixture;

typedef struct
{
  guint    status;
  GBytes  *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
event_cb (YardServer *server,
          const char *kind,
          JsonObject *payload,
          Fixture    *f)
{
  g_ptr_array_add (f->events, g_strdup (kind));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_auto(YardServerConfig) config = { 0, };
  g_autofree char *token_path = NULL;
  g_autofree char *link = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = yard_test_make_dir ("http");
  f->root = g_build_filename (f->dir, "root", NULL);
  f->state = g_build_filename (f->dir, "state", NULL);
  write_file (f->root, "hello.txt", "0123456789abcdef", -1);
  write_file (f->root, "sub/dir/file.bin", "sub", -1);
  write_file (f->root, "with space.txt", "spaced", -1);
  write_file (f->dir, "secret", "secret", -1);
  link = g_build_filename (f->root, "escape", NULL);
  g_assert_cmpint (symlink ("../secret", link), ==, 0);
  if (data != NULL)
    write_file (f->root, "pxelinux.cfg/default", data, -1);

  config.root_dir = g_strdup (f->root);
  config.state_dir = g_strdup (f->state);
  config.address = g_strdup ("127.0.0.1");
  config.http_port = 0;
  config.no_tftp = TRUE;
  config.no_dhcp = TRUE;
  f->server = yard_server_new (&config);
  f->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->server, "event", G_CALLBACK (event_cb), f);
  if (data != NULL)
    g_test_expect_message ("yard-server", G_LOG_LEVEL_WARNING, "*MENU END without MENU BEGIN*");
  g_assert_true (yard_server_start (f->server, &error));
  g_assert_no_error (error);
  if (data != NULL)
    g_test_assert_expected_messages ();

  f->port = yard_server_get_http_port (f->server);
  g_assert_cmpuint (f->port, >, 0);
  token_path = g_build_filename (f->state, "api-token", NULL);
  g_assert_true (g_file_get_contents (token_path, &f->token, NULL, NULL));
  g_strstrip (f->token);
  g_assert_cmpuint (strlen (f->token), ==, 64);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  yard_server_stop (f->server);
  g_signal_handlers_disconnect_by_data (f->server, f);
  /* Let libsoup drop the last references of finished connections. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_ptr_array_unref (f->events);
  g_free (f->token);
  g_free (f->dir);
  g_free (f->root);
  g_free (f->state);
}

typedef struct
{
  gboolean done;
  GBytes  *bytes;
  GError  *error;
} Wait;

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *w = user_data;

  w->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &w->error);
  w->done = TRUE;
}

static Reply *request_raw (Fixture *f, const char *method, const char *path, const char *token,
                            GBytes *body, const char *type, SoupMessageHeaders *extra);

/* token: NULL → the right one; "" → none; else that one. */
static Reply *
request_full (Fixture            *f,
              const char         *method,
              const char         *path,
              const char         *token,
              const char         *body,
              SoupMessageHeaders *extra)
{
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  return request_raw (f, method, path, token, bytes, "application/json", extra);
}

static Reply *
request_raw (Fixture            *f,
             const char         *method,
             const char         *path,
             const char         *token,
             GBytes             *body,
             const char         *type,
             SoupMessageHeaders *extra)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s", f->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  Wait w = { 0, };
  Reply *r;

  g_assert_nonnull (msg);
  if (token == NULL)
    token = f->token;
  if (*token != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (extra != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, extra);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, type, body);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (w.error);

  r = g_new0 (Reply, 1);
  r->status = soup_message_get_status (msg);
  r->body = w.bytes;
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static Reply *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *body)
{
  return request_full (f, method, path, NULL, body, NULL);
}

static char *
reply_text (Reply *r)
{
  gsize len;
  const char *data = g_bytes_get_data (r->body, &len);
  return data != NULL ? g_strndup (data, len) : g_strdup ("");
}

static JsonObject *
reply_json (Reply *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = reply_text (r);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/json");
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* A 400/401/404... must carry {"error": text, "field": field-or-null}. */
static void
assert_error (Reply      *r,
              guint       status,
              const char *field)
{
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpuint (r->status, ==, status);
  object = reply_json (r);
  g_assert_true (json_object_has_member (object, "error"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "error")), >, 10);
  g_assert_true (json_object_has_member (object, "field"));
  if (field == NULL)
    g_assert_true (json_object_get_null_member (object, "field"));
  else
    g_assert_cmpstr (json_object_get_string_member (object, "field"), ==, field);
}

/* Boot files */

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SoupMessageHeaders) extra = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(Reply) r = NULL;
  g_autofree char *text = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *modified = NULL;

  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  text = reply_text (r);
  g_assert_cmpstr (text, ==, "0123456789abcdef");
  g_assert_cmpint (soup_message_headers_get_content_length (r->headers), ==, 16);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Accept-Ranges"), ==, "bytes");
  etag = g_strdup (soup_message_headers_get_one (r->headers, "ETag"));
  modified = g_strdup (soup_message_headers_get_one (r->headers, "Last-Modified"));
  g_assert_nonnull (etag);
  g_assert_nonnull (modified);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&text, g_free);

  /* HEAD: the headers of GET, no body. */
  r = request_full (f, "HEAD", "/boot/hello.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (r->headers), ==, 16);
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "ETag"), ==, etag);
  g_clear_pointer (&r, reply_free);

  /* Ranges: A-B, A-, -N; past the end 416; several ranges get the whole file. */
  {
    struct { const char *range; guint status; const char *body; const char *content_range; }
    cases[] = {
      { "bytes=2-5", 206, "2345", "bytes 2-5/16" },
      { "bytes=10-", 206, "abcdef", "bytes 10-15/16" },
      { "bytes=-3", 206, "def", "bytes 13-15/16" },
      { "bytes=14-100", 206, "ef", "bytes 14-15/16" },
      { "bytes=0-0", 206, "0", "bytes 0-0/16" },
      { "bytes=16-", 416, NULL, "bytes */16" },
      { "bytes=-0", 416, NULL, "bytes */16" },
      { "bytes=0-1,4-5", 200, "0123456789abcdef", NULL },
      { "bytes=5-2", 200, "0123456789abcdef", NULL },
      { "lines=1-2", 200, "0123456789abcdef", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        soup_message_headers_replace (extra, "Range", cases[i].range);
        r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
        g_test_message ("Range: %s", cases[i].range);
        g_assert_cmpuint (r->status, ==, cases[i].status);
        g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Range"), ==,
                         cases[i].content_range);
        if (cases[i].body != NULL)
          {
            text = reply_text (r);
            g_assert_cmpstr (text, ==, cases[i].body);
            g_assert_cmpint (soup_message_headers_get_content_length (r->headers), ==,
                             strlen (cases[i].body));
            g_clear_pointer (&text, g_free);
          }
        g_clear_pointer (&r, reply_free);
      }
    soup_message_headers_remove (extra, "Range");
  }

  /* If-Range with another validator: the whole file. */
  soup_message_headers_replace (extra, "Range", "bytes=2-5");
  soup_message_headers_replace (extra, "If-Range", "\"other\"");
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  soup_message_headers_replace (extra, "If-Range", etag);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 206);
  g_clear_pointer (&r, reply_free);
  soup_message_headers_remove (extra, "Range");
  soup_message_headers_remove (extra, "If-Range");

  /* Conditional GETs. */
  soup_message_headers_replace (extra, "If-None-Match", etag);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, 0);
  g_clear_pointer (&r, reply_free);
  soup_message_headers_replace (extra, "If-None-Match", "\"nope\", W/\"other\"");
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  soup_message_headers_remove (extra, "If-None-Match");
  soup_message_headers_replace (extra, "If-Modified-Since", modified);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 304);
  g_clear_pointer (&r, reply_free);
  soup_message_headers_replace (extra, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT");
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, extra);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);

  /* Paths: subdirectories and escaped names work; escapes and the missing do not. */
  r = request_full (f, "GET", "/boot/sub/dir/file.bin", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "GET", "/boot/with%20space.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  text = reply_text (r);
  g_assert_cmpstr (text, ==, "spaced");
  g_clear_pointer (&r, reply_free);
  {
    const char *refused[] = { "/boot/escape", "/boot/..%2Fsecret", "/boot/sub/..%2F..%2Fsecret",
                              "/boot/nothing.bin", "/boot/sub", "/boot/%00hello.txt",
                              "/boot/sub%5C..%5C..%5Csecret" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autofree char *body = NULL;

        r = request_full (f, "GET", refused[i], "", NULL, NULL);
        g_test_message ("%s → %u", refused[i], r->status);
        g_assert_true (r->status == 400 || r->status == 403 || r->status == 404);
        body = reply_text (r);
        g_assert_null (strstr (body, "secret"));
        g_clear_pointer (&r, reply_free);
      }
  }

  r = request_full (f, "POST", "/boot/hello.txt", "", "{}", NULL);
  g_assert_cmpuint (r->status, ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Allow"), ==, "GET, HEAD");
  g_clear_pointer (&r, reply_free);

  g_assert_true (g_ptr_array_find_with_equal_func (f->events, "transfer-started", g_str_equal,
                                                   NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (f->events, "transfer-finished", g_str_equal,
                                                   NULL));
}

/* Runs curl while this thread's main loop serves it; returns curl's stdout. */
typedef struct
{
  gboolean  done;
  GBytes   *out;
  GError   *error;
} Proc;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Proc *p = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &p->out, NULL, &p->error);
  p->done = TRUE;
}

static char *
run_curl (const char * const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Proc p = { 0, };
  gsize len;
  const char *data;
  char *text;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (proc, NULL, NULL, communicate_cb, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (p.error);
  g_assert_true (g_subprocess_get_successful (proc));
  data = g_bytes_get_data (p.out, &len);
  text = g_strndup (data, len);
  g_bytes_unref (p.out);
  return text;
}

/* curl --range against a 2 GiB sparse file, the bytes checked where data was written. */
static void
test_big_file_ranges (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->root, "big.img", NULL);
  g_autofree char *out = g_build_filename (f->dir, "range.out", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/boot/big.img", f->port);
  g_autofree char *summary = NULL;
  g_autofree char *want = NULL;
  const guint64 size = G_GUINT64_CONSTANT (2) << 30;
  struct { guint64 offset; const char *bytes; } marks[] = {
    { 0, "START" },
    { (G_GUINT64_CONSTANT (1) << 30) - 3, "MIDDLE" },
    { (G_GUINT64_CONSTANT (2) << 30) - 3, "END" },
  };
  struct { const char *range; guint64 first; guint64 length; } cases[] = {
    { "0-4", 0, 5 },
    { "1073741821-1073741826", (G_GUINT64_CONSTANT (1) << 30) - 3, 6 },
    { "2147483640-", (G_GUINT64_CONSTANT (2) << 30) - 8, 8 },
    { "-5", (G_GUINT64_CONSTANT (2) << 30) - 5, 5 },
    { "1073741820-1073741830", (G_GUINT64_CONSTANT (1) << 30) - 4, 11 },
    { "1073741000-1074790400", 1073741000, 1074790400 - 1073741000 + 1 },
    { "1073741000-1073741830", 1073741000, 831 },
    { "1072693248-1075838975", 1072693248, 3 * 1024 * 1024 },
  };
  int fd;

  if (g_find_program_in_path ("curl") == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    g_assert_cmpint (pwrite (fd, marks[i].bytes, strlen (marks[i].bytes), marks[i].offset), ==,
                     (gssize) strlen (marks[i].bytes));
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_malloc0 (cases[i].length);
      g_autofree char *got = NULL;
      g_autofree char *result = NULL;
      g_autofree char *want_result = g_strdup_printf ("206 %" G_GUINT64_FORMAT, cases[i].length);
      const char *argv[] = { "curl", "-s", "-o", out, "-w", "%{http_code} %{size_download}",
                             "--range", cases[i].range, url, NULL };
      gsize got_len = 0;

      for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
        for (gsize k = 0; k < strlen (marks[m].bytes); k++)
          {
            guint64 at = marks[m].offset + k;
            if (at >= cases[i].first && at < cases[i].first + cases[i].length)
              expected[at - cases[i].first] = marks[m].bytes[k];
          }

      result = run_curl (argv);
      g_test_message ("--range %s: %s", cases[i].range, result);
      g_assert_cmpstr (result, ==, want_result);
      g_assert_true (g_file_get_contents (out, &got, &got_len, NULL));
      g_assert_cmpuint (got_len, ==, cases[i].length);
      g_assert_true (memcmp (got, expected, got_len) == 0);
    }

  /* After a body the connection stays alive for the next request. */
  {
    g_autofree char *out2 = g_build_filename (f->dir, "range2.out", NULL);
    g_autofree char *got = NULL;
    const char *argv[] = { "curl", "-s", "-w", "%{num_connects} ", "-r", "0-1048575", "-o", out,
                           url, "--next", "-s", "-w", "%{num_connects} %{http_code}",
                           "-r", "0-4", "-o", out2, url, NULL };

    summary = run_curl (argv);
    g_assert_cmpstr (summary, ==, "1 0 206");
    g_assert_true (g_file_get_contents (out2, &got, NULL, NULL));
    g_assert_cmpstr (got, ==, "START");
    g_clear_pointer (&summary, g_free);
  }

  /* The whole 2 GiB, streamed: size and the server's memory stay sane. */
  {
    const char *argv[] = { "curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                           url, NULL };
    summary = run_curl (argv);
    want = g_strdup_printf ("200 %" G_GUINT64_FORMAT, size);
    g_assert_cmpstr (summary, ==, want);
  }
  /* HTTP/1.0: 512 MiB of a range, then the connection closes. */
  {
    const char *argv[] = { "curl", "-s", "--http1.0", "-o", "/dev/null", "-w",
                           "%{http_code} %{size_download}", "--range", "0-536870911", url, NULL };
    g_free (summary);
    summary = run_curl (argv);
    g_assert_cmpstr (summary, ==, "206 536870912");
  }
  {
    g_autofree char *status = NULL;
    const char *hwm;

    g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
    hwm = strstr (status, "VmHWM:");
    g_assert_nonnull (hwm);
    /* Streaming, not reading whole: far below what was sent (this process includes the test
     * itself; libsoup's chunked path is test-http-raw.py's). */
    g_assert_cmpint (g_ascii_strtoll (hwm + 6, NULL, 10), <, 256 * 1024);
  }
  {
    const char *argv[] = { "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                           "--range", "2147483648-", url, NULL };
    g_free (summary);
    summary = run_curl (argv);
    g_assert_cmpstr (summary, ==, "416");
  }
}


/* Auth: no token or a wrong one is 401 and changes nothing. */
static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *tokens[] = { "", "wrong", "0000000000000000000000000000000000000000000000000000000000000000" };
  g_autoptr(YardHost) host = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      struct { const char *method; const char *path; const char *body; } calls[] = {
        { "GET", "/api/v1/status", NULL },
        { "POST", "/api/v1/services/stop", NULL },
        { "GET", "/api/v1/hosts", NULL },
        { "PUT", "/api/v1/hosts/52:54:00:00:00:09", "{\"mode\": \"disk\"}" },
        { "PATCH", "/api/v1/menu", "{\"title\": \"Hacked\"}" },
        { "DELETE", "/api/v1/images/x.iso", NULL },
        { "GET", "/api/v1/events", NULL },
        { "GET", "/api/v1/nothing", NULL },
      };

      for (guint j = 0; j < G_N_ELEMENTS (calls); j++)
        {
          g_autoptr(Reply) r = request_full (f, calls[j].method, calls[j].path, tokens[i],
                                             calls[j].body, NULL);
          assert_error (r, 401, NULL);
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "WWW-Authenticate"));
        }
    }

  /* Nothing happened. */
  g_assert_true (yard_server_get_services_running (f->server));
  host = yard_host_table_dup_host (yard_server_get_host_table (f->server), "52:54:00:00:00:09");
  g_assert_null (host);
  {
    g_autoptr(Reply) r = request (f, "GET", "/api/v1/menu", NULL);
    g_autoptr(JsonObject) menu = reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (menu, "title"), !=, "Hacked");
  }
}

static void
test_hosts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) host = NULL;
  g_autoptr(JsonObject) list = NULL;

  r = request (f, "GET", "/api/v1/hosts", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  list = reply_json (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "hosts")), ==, 0);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&list, json_object_unref);

  /* Create (dashes and capitals in the path), then change. */
  r = request (f, "PUT", "/api/v1/hosts/52-54-00-AB-CD-EF",
               "{\"name\": \"lab-1\", \"mode\": \"script\", "
               "\"script\": \"#!ipxe\\necho hi\\n\", \"once\": true}");
  g_assert_cmpuint (r->status, ==, 201);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "mac"), ==, "52:54:00:ab:cd:ef");
  g_assert_cmpstr (json_object_get_string_member (host, "name"), ==, "lab-1");
  g_assert_cmpstr (json_object_get_string_member (host, "mode"), ==, "script");
  g_assert_cmpstr (json_object_get_string_member (host, "script"), ==, "#!ipxe\necho hi\n");
  g_assert_true (json_object_get_boolean_member (host, "once"));
  g_assert_true (json_object_get_null_member (host, "lastSeen"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  r = request (f, "PUT", "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"once\": false}");
  g_assert_cmpuint (r->status, ==, 200);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "mode"), ==, "script");
  g_assert_cmpstr (json_object_get_string_member (host, "name"), ==, "lab-1");
  g_assert_false (json_object_get_boolean_member (host, "once"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  /* Disk clears the script (OVHcloud's bootId semantics). */
  r = request (f, "PUT", "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mode\": \"disk\"}");
  g_assert_cmpuint (r->status, ==, 200);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "mode"), ==, "disk");
  g_assert_true (json_object_get_null_member (host, "script"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  r = request (f, "GET", "/api/v1/hosts/52:54:00:AB:CD:EF", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "mode"), ==, "disk");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  /* What a GET returned can be sent back: read-only fields are ignored. */
  r = request (f, "PUT", "/api/v1/hosts/52:54:00:ab:cd:ef",
               "{\"mac\": \"52:54:00:ab:cd:ef\", \"name\": \"lab-1\", \"mode\": \"url\", "
               "\"script\": null, \"scriptUrl\": \"https://example.org/boot.ipxe\", "
               "\"once\": false, \"arch\": \"bios\", \"lastSeen\": null, \"address\": null, "
               "\"vendorClass\": null, \"uuid\": null}");
  g_assert_cmpuint (r->status, ==, 200);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "scriptUrl"), ==,
                   "https://example.org/boot.ipxe");
  g_assert_true (json_object_get_null_member (host, "arch"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  /* Bad input: 400 with the field, nothing changed. */
  {
    struct { const char *path; const char *body; const char *field; } bad[] = {
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mode\": \"script\", \"script\": \"echo hi\"}", "script" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"scriptUrl\": \"ftp://example.org/x\"}", "scriptUrl" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"scriptUrl\": \"file:///etc/passwd\"}", "scriptUrl" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mode\": \"rescue\"}", "mode" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"bootId\": 1}", "bootId" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"once\": \"yes\"}", "once" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"name\": 5}", "name" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mac\": \"52:54:00:00:00:01\"}", "mac" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mode\": \"url\", \"scriptUrl\": null}", "scriptUrl" },
      { "/api/v1/hosts/52:54:00:ab:cd", "{\"mode\": \"disk\"}", "mac" },
      { "/api/v1/hosts/zz:54:00:ab:cd:ef", "{\"mode\": \"disk\"}", "mac" },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "{\"mode\": ", NULL },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "[1, 2]", NULL },
      { "/api/v1/hosts/52:54:00:ab:cd:ef", "", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_test_message ("PUT %s %s", bad[i].path, bad[i].body);
        r = request (f, "PUT", bad[i].path, bad[i].body);
        assert_error (r, 400, bad[i].field);
        g_clear_pointer (&r, reply_free);
      }
  }
  r = request (f, "GET", "/api/v1/hosts/52:54:00:ab:cd:ef", NULL);
  host = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (host, "mode"), ==, "url");
  g_assert_cmpstr (json_object_get_string_member (host, "scriptUrl"), ==,
                   "https://example.org/boot.ipxe");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&host, json_object_unref);

  r = request (f, "GET", "/api/v1/hosts/52:54:00:00:00:01", NULL);
  assert_error (r, 404, "mac");
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/hosts/nope", NULL);
  assert_error (r, 400, "mac");
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/hosts", "{}");
  assert_error (r, 405, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Allow"), ==, "GET");
  g_clear_pointer (&r, reply_free);

  r = request (f, "GET", "/api/v1/hosts", NULL);
  list = reply_json (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "hosts")), ==, 1);
  g_clear_pointer (&r, reply_free);

  r = request (f, "DELETE", "/api/v1/hosts/52-54-00-ab-cd-ef", NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_clear_pointer (&r, reply_free);
  r = request (f, "DELETE", "/api/v1/hosts/52-54-00-ab-cd-ef", NULL);
  assert_error (r, 404, "mac");
  g_clear_pointer (&r, reply_free);

  g_assert_true (g_ptr_array_find_with_equal_func (f->events, "host-changed", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (f->events, "host-removed", g_str_equal, NULL));
}


/* Feeds the server's event signal (and so the boot doctor) one event given as JSON text. */
static void
emit_event (Fixture    *f,
            const char *kind,
            const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  yard_server_emit_event (f->server, kind, json_node_get_object (json_parser_get_root (parser)));
}

/* The boot of mac in GET /activity's answer (newest first), or NULL. */
static JsonObject *
activity_boot (JsonObject *answer,
               const char *mac)
{
  JsonArray *boots = json_object_get_array_member (answer, "boots");

  for (guint i = 0; i < json_array_get_length (boots); i++)
    {
      JsonObject *boot = json_array_get_object_element (boots, i);

      if (g_strcmp0 (json_object_get_string_member (boot, "mac"), mac) == 0)
        return boot;
    }
  return NULL;
}

/* GET /doctor and GET /activity as docs/api.md writes them: the doctor's verdicts and boots in
 * core's codec, each boot with its host's name at the answer (null when it has none). */
static void
test_doctor_activity (Fixture       *f,
                      gconstpointer  data)
{
  const char *verdict_members[] = { "mac", "address", "arch", "verdict", "ok", "title",
                                    "detail", "advice", "file", "time" };
  const char *boot_members[] = { "id", "mac", "address", "arch", "started", "updated",
                                 "verdict", "events", "name" };
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *verdicts, *boots;
  JsonObject *verdict, *boot;
  guint n_verdicts = 0;

  r = request (f, "GET", "/api/v1/doctor", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  answer = reply_json (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "verdicts")), ==,
                    0);
  g_assert_true (json_object_get_null_member (answer, "network"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  /* two clients answered, a third of an architecture without a boot file */
  emit_event (f, "dhcp-answered",
              "{\"mac\": \"52:54:00:00:00:21\", \"arch\": 0, \"bootFile\": \"pxelinux.0\"}");
  emit_event (f, "dhcp-answered",
              "{\"mac\": \"52:54:00:00:00:22\", \"arch\": 0, \"bootFile\": \"pxelinux.0\"}");
  emit_event (f, "dhcp-unanswered",
              "{\"mac\": \"52:54:00:00:00:23\", \"arch\": 42, \"reason\": \"no boot file\"}");
  r = request (f, "PUT", "/api/v1/hosts/52:54:00:00:00:21", "{\"name\": \"lab-1\"}");
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);

  r = request (f, "GET", "/api/v1/doctor", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  answer = reply_json (r);
  verdicts = json_object_get_array_member (answer, "verdicts");
  g_assert_cmpuint (json_array_get_length (verdicts), ==, 1);
  verdict = json_array_get_object_element (verdicts, 0);
  g_assert_cmpuint (json_object_get_size (verdict), ==, G_N_ELEMENTS (verdict_members));
  for (guint i = 0; i < G_N_ELEMENTS (verdict_members); i++)
    g_assert_true (json_object_has_member (verdict, verdict_members[i]));
  g_assert_cmpstr (json_object_get_string_member (verdict, "mac"), ==, "52:54:00:00:00:23");
  g_assert_cmpstr (json_object_get_string_member (verdict, "verdict"), ==, "unsupported-arch");
  g_assert_false (json_object_get_boolean_member (verdict, "ok"));
  g_assert_true (json_object_get_null_member (answer, "network"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  r = request (f, "GET", "/api/v1/doctor/52-54-00-00-00-21", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  answer = reply_json (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "verdicts")), ==,
                    0);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  r = request (f, "GET", "/api/v1/activity", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  answer = reply_json (r);
  boots = json_object_get_array_member (answer, "boots");
  /* at least a boot each, newest first */
  g_assert_cmpuint (json_array_get_length (boots), >=, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (boots, 0), "mac"),
                   ==, "52:54:00:00:00:23");
  for (guint i = 0; i < json_array_get_length (boots); i++)
    {
      JsonNode *node;

      boot = json_array_get_object_element (boots, i);
      g_assert_cmpuint (json_object_get_size (boot), ==, G_N_ELEMENTS (boot_members));
      for (guint j = 0; j < G_N_ELEMENTS (boot_members); j++)
        g_assert_true (json_object_has_member (boot, boot_members[j]));
      node = json_object_get_member (boot, "verdict");
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          /* a verdict: the same object as GET /doctor's */
          g_assert_cmpstr (json_object_get_string_member (boot, "mac"), ==, "52:54:00:00:00:23");
          g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "verdict"),
                           ==, "unsupported-arch");
          g_assert_true (json_object_get_null_member (boot, "name"));
          n_verdicts++;
        }
    }
  g_assert_cmpuint (n_verdicts, ==, 1);
  boot = activity_boot (answer, "52:54:00:00:00:21");
  g_assert_nonnull (boot);
  g_assert_cmpstr (json_object_get_string_member (boot, "name"), ==, "lab-1");
  g_assert_cmpstr (json_object_get_string_member (boot, "arch"), ==, "bios");
  g_assert_true (json_object_get_null_member (boot, "verdict"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (boot, "events")), ==, 1);
  /* no host: null */
  boot = activity_boot (answer, "52:54:00:00:00:22");
  g_assert_nonnull (boot);
  g_assert_true (json_object_get_null_member (boot, "name"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  /* the name is the host's at the answer: a rename shows at once, in the client's own list */
  r = request (f, "PUT", "/api/v1/hosts/52:54:00:00:00:21", "{\"name\": \"lab-2\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/activity/52-54-00-00-00-21", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  answer = reply_json (r);
  boots = json_object_get_array_member (answer, "boots");
  g_assert_cmpuint (json_array_get_length (boots), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (boots, 0),
                                                  "name"), ==, "lab-2");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  /* a host without a name is no name */
  r = request (f, "PUT", "/api/v1/hosts/52:54:00:00:00:21", "{\"name\": \"\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/activity/52:54:00:00:00:21", NULL);
  answer = reply_json (r);
  g_assert_true (json_object_get_null_member (activity_boot (answer, "52:54:00:00:00:21"), "name"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&answer, json_object_unref);

  r = request (f, "GET", "/api/v1/activity/52:54:00:00", NULL);
  assert_error (r, 400, "mac");
  g_clear_pointer (&r, reply_free);
  g_assert_true (g_ptr_array_find_with_equal_func (f->events, "boot-verdict", g_str_equal, NULL));
}

static gboolean
saw_event (Fixture    *f,
           const char *kind)
{
  return g_ptr_array_find_with_equal_func (f->events, kind, g_str_equal, NULL);
}

static char *
root_file (Fixture    *f,
           const char *name)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static void
test_status_services (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonObject *http;

  r = request (f, "GET", "/api/v1/status", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  status = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (status, "version"), ==, PACKAGE_VERSION);
  g_assert_true (json_object_get_boolean_member (status, "servicesRunning"));
  http = json_object_get_object_member (json_object_get_object_member (status, "services"), "http");
  g_assert_cmpstr (json_object_get_string_member (http, "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (http, "port"), ==, f->port);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (status, "services"),
                                                    "tftp"), "state"), ==, "disabled");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&status, json_object_unref);

  /* Stop: /boot/ is off, the API stays. */
  r = request (f, "POST", "/api/v1/services/stop", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  status = reply_json (r);
  g_assert_false (json_object_get_boolean_member (status, "servicesRunning"));
  http = json_object_get_object_member (json_object_get_object_member (status, "services"), "http");
  g_assert_cmpstr (json_object_get_string_member (http, "state"), ==, "stopped");
  g_assert_cmpint (json_object_get_int_member (http, "port"), ==, 0);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&status, json_object_unref);
  g_assert_true (saw_event (f, "service-state"));

  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 503);
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "GET", "/boot/52:54:00:00:00:01.ipxe", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 503);
  g_clear_pointer (&r, reply_free);

  r = request (f, "POST", "/api/v1/services/start", "{}");
  g_assert_cmpuint (r->status, ==, 200);
  status = reply_json (r);
  g_assert_true (json_object_get_boolean_member (status, "servicesRunning"));
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);

  r = request (f, "POST", "/api/v1/services/stop", "{\"force\": true}");
  assert_error (r, 400, "force");
  g_clear_pointer (&r, reply_free);
  g_assert_true (yard_server_get_services_running (f->server));
  r = request (f, "GET", "/api/v1/services/start", NULL);
  assert_error (r, 405, NULL);
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/services/restart", NULL);
  assert_error (r, 404, NULL);
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/status", NULL);
  assert_error (r, 405, NULL);
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/nothing/here", NULL);
  assert_error (r, 404, NULL);
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "GET", "/elsewhere", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_clear_pointer (&r, reply_free);

  /* A JSON body over 1 MiB is refused, not buffered. */
  {
    g_autofree char *big = g_malloc (2 * 1024 * 1024 + 1);
    memset (big, ' ', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    big[0] = '{';
    big[2 * 1024 * 1024 - 1] = '}';
    r = request (f, "PUT", "/api/v1/hosts/52:54:00:00:00:02", big);
    assert_error (r, 413, NULL);
    g_clear_pointer (&r, reply_free);
  }
}

static JsonObject *
menu_entry (JsonObject *menu,
            guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (menu, "entries"), i);
}

static void
test_menu (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) menu = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *id = NULL;
  g_autofree char *location = NULL;
  g_autofree char *live = NULL;
  g_autofree char *bios = NULL;
  g_autofree char *efi = NULL;
  g_autofree char *ipxe = NULL;
  guint n;

  r = request (f, "GET", "/api/v1/menu", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  n = json_array_get_length (json_object_get_array_member (menu, "entries"));
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpstr (json_object_get_string_member (menu_entry (menu, 0), "id"), ==, "local");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);

  r = request (f, "PATCH", "/api/v1/menu", "{\"title\": \"Lab boot\", \"timeout\": 12}");
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "title"), ==, "Lab boot");
  g_assert_cmpint (json_object_get_int_member (menu, "timeout"), ==, 12);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);
  bios = root_file (f, "pxelinux.cfg/default");
  efi = root_file (f, "efi64/pxelinux.cfg/default");
  ipxe = root_file (f, "boot/menu.ipxe");
  g_assert_nonnull (strstr (bios, "Lab boot"));
  g_assert_nonnull (strstr (efi, "Lab boot"));
  g_assert_nonnull (ipxe);
  g_assert_true (g_str_has_prefix (ipxe, "#!ipxe"));
  g_assert_true (saw_event (f, "menu-changed"));

  /* Add, at the end and at a position. */
  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"label\": \"Debian installer\", \"kind\": \"linux\", \"kernel\": \"debian/linux\", "
               "\"initrds\": [\"debian/initrd.gz\"], \"append\": \"vga=788 --- quiet\"}");
  g_assert_cmpuint (r->status, ==, 201);
  entry = reply_json (r);
  id = g_strdup (json_object_get_string_member (entry, "id"));
  g_assert_nonnull (id);
  location = g_strdup_printf ("/api/v1/menu/entries/%s", id);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, location);
  g_assert_cmpstr (json_object_get_string_member (entry, "kernel"), ==, "debian/linux");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&entry, json_object_unref);
  g_free (bios);
  bios = root_file (f, "pxelinux.cfg/default");
  g_assert_nonnull (strstr (bios, "debian/linux"));

  /* An imported live image's arguments name the server as ${bootyard_http}: pxelinux cannot
   * expand it, so the file gets this server's URL. */
  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"label\": \"Live\", \"kind\": \"linux\", \"kernel\": \"images/live/vmlinuz\", "
               "\"append\": \"boot=live fetch=${bootyard_http}/images/live.iso\"}");
  g_assert_cmpuint (r->status, ==, 201);
  entry = reply_json (r);
  {
    g_autofree char *expected = g_strdup_printf ("boot=live fetch=http://127.0.0.1:%u/boot/images/live.iso",
                                                 f->port);
    g_assert_cmpstr (json_object_get_string_member (entry, "append"), ==, expected);
    g_free (bios);
    bios = root_file (f, "pxelinux.cfg/default");
    g_assert_nonnull (strstr (bios, expected));
    g_assert_null (strstr (bios, "${bootyard_http}"));
    live = g_strdup_printf ("/api/v1/menu/entries/%s", json_object_get_string_member (entry, "id"));
  }
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&entry, json_object_unref);
  r = request (f, "DELETE", live, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_clear_pointer (&r, reply_free);

  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"label\": \"netboot.xyz\", \"kind\": \"chain\", "
               "\"url\": \"https://boot.netboot.xyz\", \"position\": 0}");
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/menu", NULL);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu_entry (menu, 0), "kind"), ==, "chain");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (menu, "entries")), ==,
                    n + 2);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);

  /* Edit, move, read one. */
  r = request (f, "PATCH", location, "{\"label\": \"Debian 12\"}");
  g_assert_cmpuint (r->status, ==, 200);
  entry = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (entry, "label"), ==, "Debian 12");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&entry, json_object_unref);
  {
    g_autofree char *move = g_strconcat (location, "/move", NULL);

    r = request (f, "POST", move, "{\"position\": 0}");
    g_assert_cmpuint (r->status, ==, 200);
    menu = reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (menu_entry (menu, 0), "id"), ==, id);
    g_clear_pointer (&r, reply_free);
    g_clear_pointer (&menu, json_object_unref);

    r = request (f, "POST", move, "{}");
    assert_error (r, 400, "position");
    g_clear_pointer (&r, reply_free);
    r = request (f, "POST", move, "{\"position\": -1}");
    assert_error (r, 400, "position");
    g_clear_pointer (&r, reply_free);
    r = request (f, "POST", "/api/v1/menu/entries/nope/move", "{\"position\": 0}");
    g_assert_cmpuint (r->status, ==, 404);
    g_clear_pointer (&r, reply_free);
  }
  r = request (f, "GET", location, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);

  /* Bad input changes nothing. */
  {
    struct { const char *method; const char *path; const char *body; guint status; const char *field; } bad[] = {
      { "PATCH", "/api/v1/menu", "{\"entries\": []}", 400, "entries" },
      { "PATCH", "/api/v1/menu", "{\"colour\": \"red\"}", 400, "colour" },
      { "PATCH", "/api/v1/menu", "{\"timeout\": \"soon\"}", 400, "timeout" },
      { "PATCH", "/api/v1/menu", "{\"default\": \"nope\"}", 400, "default" },
      { "PATCH", "/api/v1/menu", "not json", 400, NULL },
      { "POST", "/api/v1/menu/entries", "{\"label\": \"x\", \"kind\": \"chain\", \"url\": \"ftp://x\"}", 400, "url" },
      { "POST", "/api/v1/menu/entries", "{\"label\": \"x\", \"kind\": \"ipxe\", \"script\": \"shell\"}", 400, "script" },
      { "POST", "/api/v1/menu/entries", "{\"label\": \"x\", \"kind\": \"warp\"}", 400, "kind" },
      { "POST", "/api/v1/menu/entries", "{\"label\": \"x\", \"kind\": \"localboot\", \"position\": \"top\"}", 400, "position" },
      { "PATCH", "/api/v1/menu/entries/nope", "{\"label\": \"x\"}", 404, "id" },
      { "DELETE", "/api/v1/menu/entries/nope", NULL, 404, "id" },
      { "DELETE", "/api/v1/menu", NULL, 405, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_test_message ("%s %s %s", bad[i].method, bad[i].path, bad[i].body);
        r = request (f, bad[i].method, bad[i].path, bad[i].body);
        assert_error (r, bad[i].status, bad[i].field);
        g_clear_pointer (&r, reply_free);
      }
  }
  r = request (f, "GET", "/api/v1/menu", NULL);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "title"), ==, "Lab boot");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (menu, "entries")), ==,
                    n + 2);
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);

  /* PUT the whole menu back, without the chain entry. */
  {
    g_autoptr(JsonObject) whole = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;
    JsonArray *entries;

    r = request (f, "GET", "/api/v1/menu", NULL);
    whole = reply_json (r);
    g_clear_pointer (&r, reply_free);
    entries = json_object_get_array_member (whole, "entries");
    for (guint i = 0; i < json_array_get_length (entries); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (entries, i), "kind"), "chain"))
        {
          json_array_remove_element (entries, i);
          break;
        }
    json_object_set_string_member (whole, "title", "Replaced");
    node = json_node_init_object (json_node_alloc (), whole);
    text = json_to_string (node, FALSE);
    r = request (f, "PUT", "/api/v1/menu", text);
    g_assert_cmpuint (r->status, ==, 200);
    menu = reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (menu, "title"), ==, "Replaced");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (menu, "entries")), ==,
                      n + 1);
    g_clear_pointer (&r, reply_free);
    g_clear_pointer (&menu, json_object_unref);
  }

  r = request (f, "DELETE", location, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_clear_pointer (&r, reply_free);
  r = request (f, "DELETE", location, NULL);
  assert_error (r, 404, "id");
  g_clear_pointer (&r, reply_free);
  g_free (bios);
  bios = root_file (f, "pxelinux.cfg/default");
  g_assert_null (strstr (bios, "debian/linux"));
}

/* The loader setting: in the menu object, in STATE-DIR/settings.json, read back at start. */
static char *
settings_loader (const char *state)
{
  g_autofree char *path = g_build_filename (state, "settings.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "loader", NULL));
}

static char *
start_second_server (Fixture           *f,
                     YardLoaderSetting  setting)
{
  g_auto(YardServerConfig) config = { 0, };
  g_autoptr(YardServer) second = NULL;
  g_autoptr(GError) error = NULL;
  char *loader;

  config.root_dir = g_strdup (f->root);
  config.state_dir = g_strdup (f->state);
  config.address = g_strdup ("127.0.0.1");
  config.http_port = 0;
  config.no_tftp = TRUE;
  config.no_dhcp = TRUE;
  second = yard_server_new (&config);
  g_assert_true (yard_server_start (second, &error));
  g_assert_no_error (error);
  loader = g_strdup (yard_server_get_loader (second, setting));
  yard_server_stop (second);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&second));
  return loader;
}

static void
test_menu_loader (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) menu = NULL;
  g_autofree char *settings = g_build_filename (f->state, "settings.json", NULL);
  g_autofree char *stored = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *after = NULL;

  r = request (f, "GET", "/api/v1/menu", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "pxelinux");
  g_assert_cmpstr (json_object_get_string_member (menu, "uefiLoader"), ==, "auto");
  g_assert_false (g_file_test (settings, G_FILE_TEST_EXISTS));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);

  /* UEFI's loader is its own setting: syslinux.efi stays a choice; BIOS values are not UEFI's */
  r = request (f, "PATCH", "/api/v1/menu", "{\"uefiLoader\": \"syslinux\"}");
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "uefiLoader"), ==, "syslinux");
  g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "pxelinux");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);
  g_assert_cmpstr (yard_server_get_loader (f->server, YARD_LOADER_UEFI), ==, "syslinux");
  r = request (f, "PATCH", "/api/v1/menu", "{\"uefiLoader\": \"pxelinux\"}");
  assert_error (r, 400, "uefiLoader");
  g_clear_pointer (&r, reply_free);
  r = request (f, "PATCH", "/api/v1/menu", "{\"uefiLoader\": \"grub\", \"timeout\": -1}");
  assert_error (r, 400, "timeout");
  g_clear_pointer (&r, reply_free);
  g_assert_cmpstr (yard_server_get_loader (f->server, YARD_LOADER_UEFI), ==, "syslinux");
  r = request (f, "PATCH", "/api/v1/menu", "{\"uefiLoader\": \"grub\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);

  r = request (f, "PATCH", "/api/v1/menu", "{\"loader\": \"ipxe\"}");
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "ipxe");
  g_assert_cmpstr (json_object_get_string_member (menu_entry (menu, 0), "id"), ==, "local");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);
  g_assert_true (saw_event (f, "menu-changed"));
  g_assert_cmpstr (yard_server_get_loader (f->server, YARD_LOADER_BIOS), ==, "ipxe");
  stored = settings_loader (f->state);
  g_assert_cmpstr (stored, ==, "ipxe");

  /* Bad values, and a bad menu field beside a good loader: 400, nothing changed. */
  {
    struct { const char *body; const char *field; } bad[] = {
      { "{\"loader\": \"grub\"}", "loader" },
      { "{\"loader\": \"IPXE\"}", "loader" },
      { "{\"loader\": 1}", "loader" },
      { "{\"loader\": null}", "loader" },
      { "{\"loader\": [\"ipxe\"]}", "loader" },
      { "{\"loader\": \"pxelinux\", \"timeout\": \"soon\"}", "timeout" },
      { "{\"loader\": \"pxelinux\", \"colour\": \"red\"}", "colour" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_test_message ("PATCH %s", bad[i].body);
        r = request (f, "PATCH", "/api/v1/menu", bad[i].body);
        assert_error (r, 400, bad[i].field);
        g_clear_pointer (&r, reply_free);
        g_assert_cmpstr (yard_server_get_loader (f->server, YARD_LOADER_BIOS), ==, "ipxe");
        g_free (stored);
        stored = settings_loader (f->state);
        g_assert_cmpstr (stored, ==, "ipxe");
      }
  }

  /* GET says it; a new server on the same state directory reads it back. */
  r = request (f, "GET", "/api/v1/menu", NULL);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "ipxe");
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);
  loader = start_second_server (f, YARD_LOADER_BIOS);
  g_assert_cmpstr (loader, ==, "ipxe");
  g_clear_pointer (&loader, g_free);

  /* PATCH with other fields, then PUT: without "loader" it stays, with it it changes. */
  r = request (f, "PATCH", "/api/v1/menu", "{\"loader\": \"pxelinux\", \"title\": \"Both\"}");
  g_assert_cmpuint (r->status, ==, 200);
  menu = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "pxelinux");
  g_assert_cmpstr (json_object_get_string_member (menu, "title"), ==, "Both");
  g_clear_pointer (&r, reply_free);
  {
    g_autoptr(JsonObject) whole = g_steal_pointer (&menu);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), whole);
    g_autofree char *text = NULL;

    json_object_remove_member (whole, "loader");
    text = json_to_string (node, FALSE);
    r = request (f, "PUT", "/api/v1/menu", text);
    g_assert_cmpuint (r->status, ==, 200);
    menu = reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "pxelinux");
    g_clear_pointer (&r, reply_free);
    g_clear_pointer (&menu, json_object_unref);

    json_object_set_string_member (whole, "loader", "ipxe");
    g_free (text);
    text = json_to_string (node, FALSE);
    r = request (f, "PUT", "/api/v1/menu", text);
    g_assert_cmpuint (r->status, ==, 200);
    menu = reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (menu, "loader"), ==, "ipxe");
    g_assert_cmpstr (json_object_get_string_member (menu, "title"), ==, "Both");
    g_clear_pointer (&r, reply_free);
    g_clear_pointer (&menu, json_object_unref);
    g_free (stored);
    stored = settings_loader (f->state);
    g_assert_cmpstr (stored, ==, "ipxe");
  }

  /* A settings file that does not parse is named and never overwritten. */
  g_assert_true (g_file_set_contents (settings, "{\"loader\": \"ipxe\", broken", -1, NULL));
  r = request (f, "PATCH", "/api/v1/menu", "{\"loader\": \"pxelinux\"}");
  assert_error (r, 409, "loader");
  menu = reply_json (r);
  g_assert_nonnull (strstr (json_object_get_string_member (menu, "error"), settings));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&menu, json_object_unref);
  g_assert_true (g_file_get_contents (settings, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "{\"loader\": \"ipxe\", broken");
  g_assert_cmpstr (yard_server_get_loader (f->server, YARD_LOADER_BIOS), ==, "ipxe");
  g_test_expect_message ("yard-server", G_LOG_LEVEL_WARNING, "*settings.json*");
  loader = start_second_server (f, YARD_LOADER_BIOS);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (loader, ==, "pxelinux");
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (settings, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "{\"loader\": \"ipxe\", broken");

  /* A file from before the UEFI setting: "loader": "ipxe" meant iPXE for every client. */
  g_assert_true (g_file_set_contents (settings, "{\"loader\": \"ipxe\"}", -1, NULL));
  loader = start_second_server (f, YARD_LOADER_UEFI);
  g_assert_cmpstr (loader, ==, "ipxe");
}

#define BROKEN_MENU "DEFAULT local\nMENU END\nLABEL local\n  LOCALBOOT 0\n"

static void
test_menu_broken (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autofree char *after = NULL;

  r = request (f, "GET", "/api/v1/menu", NULL);
  g_assert_cmpuint (r->status, ==, 409);
  error = reply_json (r);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "error"), "pxelinux.cfg/default:2"));
  g_clear_pointer (&r, reply_free);

  r = request (f, "PATCH", "/api/v1/menu", "{\"title\": \"Overwrite\"}");
  assert_error (r, 409, NULL);
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/menu/entries", "{\"label\": \"x\", \"kind\": \"localboot\"}");
  assert_error (r, 409, NULL);
  g_clear_pointer (&r, reply_free);

  after = root_file (f, "pxelinux.cfg/default");
  g_assert_cmpstr (after, ==, BROKEN_MENU);

  /* A menu host still gets a script that says why and boots its disk. */
  r = request_full (f, "GET", "/boot/52-54-00-00-00-07.ipxe", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_free (after);
  after = reply_text (r);
  g_assert_true (g_str_has_prefix (after, "#!ipxe\n"));
  g_assert_nonnull (strstr (after, "menu is broken"));
  g_assert_nonnull (strstr (after, "sanboot --no-describe --drive 0x80"));
  g_clear_pointer (&r, reply_free);

  /* Fixed by hand: picked up without a restart. */
  g_free (after);
  after = g_build_filename (f->root, "pxelinux.cfg", "default", NULL);
  g_assert_true (g_file_set_contents (after, "DEFAULT local\nLABEL local\n  LOCALBOOT 0\n", -1, NULL));
  r = request (f, "GET", "/api/v1/menu", NULL);
  g_assert_cmpuint (r->status, ==, 200);
}

/* Golden per-host scripts, one per mode. YARD_UPDATE_GOLDEN=1 rewrites them. */
static void
check_golden (Fixture    *f,
              const char *mac,
              const char *name)
{
  g_autofree char *path = g_strdup_printf ("/boot/%s.ipxe", mac);
  g_autofree char *golden_path = g_test_build_filename (G_TEST_DIST, "data", "ipxe-host", name, NULL);
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *text = NULL;
  g_autofree char *golden = NULL;
  g_autoptr(Reply) r = NULL;
  g_autoptr(GString) normal = NULL;

  r = request_full (f, "GET", path, "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Cache-Control"), ==, "no-store");
  text = reply_text (r);
  normal = g_string_new (text);
  g_string_replace (normal, server, "SERVER", 0);

  if (g_getenv ("YARD_UPDATE_GOLDEN") != NULL)
    g_assert_true (g_file_set_contents (golden_path, normal->str, -1, NULL));
  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, NULL));
  g_assert_cmpstr (normal->str, ==, golden);
}

static void
put_host (Fixture    *f,
          const char *mac,
          const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/hosts/%s", mac);
  g_autoptr(Reply) r = request (f, "PUT", path, body);

  g_assert_true (r->status == 200 || r->status == 201);
}

static void
test_host_scripts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(YardHost) host = NULL;

  /* Unknown: recorded, in menu mode. */
  check_golden (f, "52-54-00-00-00-01", "menu.ipxe");
  host = yard_host_table_dup_host (yard_server_get_host_table (f->server), "52:54:00:00:00:01");
  g_assert_nonnull (host);
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_MENU);
  g_assert_cmpstr (host->address, ==, "127.0.0.1");
  g_assert_cmpint (host->last_seen, >, 0);
  g_assert_true (saw_event (f, "host-seen"));

  put_host (f, "52:54:00:00:00:02",
            "{\"mode\": \"script\", \"script\": \"#!ipxe\\ndhcp\\nchain http://10.0.0.1/${bootyard_mac}\\n\"}");
  check_golden (f, "52:54:00:00:00:02", "script.ipxe");
  put_host (f, "52:54:00:00:00:03",
            "{\"mode\": \"url\", \"scriptUrl\": \"https://example.org/boot.ipxe?mac=${mac}\"}");
  check_golden (f, "52:54:00:00:00:03", "url.ipxe");
  put_host (f, "52:54:00:00:00:04", "{\"mode\": \"disk\"}");
  check_golden (f, "52-54-00-00-00-04", "disk.ipxe");
  put_host (f, "52:54:00:00:00:05", "{\"mode\": \"ignore\"}");
  check_golden (f, "52:54:00:00:00:05", "ignore.ipxe");

  /* Issue 17's bug: what the API accepts, the script writer writes (iPXE wants the scheme in
   * lower case; the rest stays as given). */
  {
    static const char * const urls[] = { "HTTP://Example.org/x.ipxe", "Https://example.org/y" };
    static const char * const written[] = { "chain --autofree http://Example.org/x.ipxe\n",
                                            "chain --autofree https://example.org/y\n" };

    for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"mode\": \"url\", \"scriptUrl\": \"%s\"}",
                                                 urls[i]);
        g_autoptr(Reply) r = NULL;
        g_autofree char *text = NULL;

        put_host (f, "52:54:00:00:00:06", body);
        r = request_full (f, "GET", "/boot/52:54:00:00:00:06.ipxe", "", NULL, NULL);
        g_assert_cmpuint (r->status, ==, 200);
        text = reply_text (r);
        g_assert_nonnull (strstr (text, written[i]));
      }
  }

  /* What the machine is: the request that every host script makes, as iPXE fills it in */
  {
    static const struct { const char *path; guint status; } reports[] = {
      { "/boot/52:54:00:00:00:01.machine?manufacturer=QEMU&product=Standard%20PC%20%28i440FX%29"
        "&serial=&uuid=12345678-1234-1234-1234-123456789abc&memsize=512&chip=virtio-net", 200 },
      /* a MAC the table does not have: a report never adds a host */
      { "/boot/52:54:00:00:00:99.machine?manufacturer=QEMU", 404 },
      { "/boot/52:54:00:00:00:01.machine", 400 },
      { "/boot/52:54:00:00:00:01.machine?memsize=lots", 400 },
    };
    g_autoptr(YardHost) reported = NULL;
    g_autoptr(Reply) r = NULL;
    g_autofree char *text = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
      {
        g_autoptr(Reply) ri = request_full (f, "GET", reports[i].path, "", NULL, NULL);

        g_test_message ("%s", reports[i].path);
        g_assert_cmpuint (ri->status, ==, reports[i].status);
      }
    g_assert_null (yard_host_table_dup_host (yard_server_get_host_table (f->server),
                                             "52:54:00:00:00:99"));
    reported = yard_host_table_dup_host (yard_server_get_host_table (f->server),
                                         "52:54:00:00:00:01");
    g_assert_nonnull (reported->machine);
    g_assert_cmpstr (reported->machine->product, ==, "Standard PC (i440FX)");
    g_assert_cmpint (reported->machine->memory, ==, 512 * 1024 * 1024);
    g_assert_null (reported->machine->serial);

    /* the API shows it */
    r = request_full (f, "GET", "/api/v1/hosts/52:54:00:00:00:01", f->token, NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
    text = reply_text (r);
    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, "virtio-net"));
  }
}

/* Issue 17: whatever the API takes for an entry or a host, every writer writes and every boot
 * URL answers. Each value is sent through the API as JSON (so control characters arrive as
 * they would from any client); a value taken must come back from pxelinux.cfg/default as it
 * was sent, and leave the UEFI, GRUB and iPXE files written and readable; a value refused
 * names its member and changes nothing. */
static char *
json_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  return json_to_string (node, FALSE);
}

static void
check_entry_written (Fixture    *f,
                     const char *id,
                     const char *label,
                     const char *kernel,
                     const char *append)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) bios = yard_pxelinux_load_root (f->root, &error);
  g_autofree char *efi_path = g_build_filename (f->root, "efi64", "pxelinux.cfg", "default",
                                                NULL);
  g_autofree char *efi_base = g_build_filename (f->root, "efi64", NULL);
  g_autoptr(YardBootMenu) efi = NULL;
  g_autofree char *grub = root_file (f, "grub/grub.cfg");
  g_autofree char *grub_id = g_strdup_printf ("--id='%s'", id);
  g_autofree char *grub_reason = NULL;
  g_autoptr(Reply) menu = NULL;
  g_autoptr(Reply) host = NULL;
  g_autofree char *ipxe = NULL;
  YardBootEntry *entry;

  g_assert_no_error (error);
  entry = yard_boot_menu_find_entry (bios, id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (yard_boot_entry_get_label (entry), ==, label);
  g_assert_cmpstr (yard_boot_entry_get_kernel (entry), ==, kernel);
  g_assert_cmpstr (yard_boot_entry_get_append (entry) ?: "", ==, append);

  efi = yard_pxelinux_load_file (efi_base, efi_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (efi);

  /* GRUB lists it, or leaves it out saying why, as core's rule for GRUB says */
  g_assert_nonnull (grub);
  grub_reason = yard_grub_entry_unsupported (entry, f->root);
  if (grub_reason == NULL)
    g_assert_nonnull (strstr (grub, grub_id));
  else
    {
      g_autofree char *left_out = g_strdup_printf ("# left out: %s: ", id);

      g_test_message ("GRUB leaves it out: %s", grub_reason);
      g_assert_null (strstr (grub, grub_id));
      g_assert_nonnull (strstr (grub, left_out));
    }

  menu = request (f, "GET", "/boot/boot/menu.ipxe", NULL);
  g_assert_cmpuint (menu->status, ==, 200);
  ipxe = reply_text (menu);
  g_assert_true (g_str_has_prefix (ipxe, "#!ipxe"));
  g_assert_nonnull (strstr (ipxe, id));
  /* a host in menu mode gets the menu written for it */
  host = request (f, "GET", "/boot/52:54:00:00:07:01.ipxe", NULL);
  g_assert_cmpuint (host->status, ==, 200);
}

static void
test_tricky_values (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *long_label = g_strnfill (500, 'L');
  g_autofree char *long_dir = g_strnfill (200, 'd');
  g_autofree char *long_path = g_strdup_printf ("files/%s/%s/%s/vmlinuz", long_dir, long_dir,
                                                long_dir);
  const struct
  {
    const char *what;
    const char *label;
    const char *kernel;
    const char *append;
    const char *refused; /* the member the API names, NULL: taken */
  } entries[] = {
    { "plain", "Debian", "files/debian/linux", "quiet", NULL },
    { "unicode label", "Größe – 日本語 ✓", "files/debian/linux", "", NULL },
    { "quotes and backslash in a label", "say \"hi\" 'there' \\o/", "files/debian/linux", "", NULL },
    { "commas, semicolons, ${} and a caret", "a, b; ${x} ^Install #1", "files/debian/linux", "",
      NULL },
    { "a very long label", long_label, "files/debian/linux", "", NULL },
    { "a newline in a label", "two\nlines", "files/debian/linux", "", "label" },
    { "a control character in a label", "bell\a", "files/debian/linux", "", "label" },
    { "a tab in a label", "tab\there", "files/debian/linux", "", "label" },
    { "a blank label", "   ", "files/debian/linux", "", "label" },
    { "a space in a path", "Spaced", "files/with space/linux", "", "kernel" },
    { "a comma in a path", "Comma", "files/a,b/linux", "", "kernel" },
    { "a quote in a path", "Quote", "files/a\"b/linux", "", NULL },
    { "unicode in a path", "Unicode path", "files/café/linux", "", NULL },
    { "a very long path", "Long path", long_path, "", NULL },
    { "a path out of the root", "Escape", "../etc/passwd", "", "kernel" },
    { "an absolute path", "Absolute", "/etc/passwd", "", "kernel" },
    { "quotes in the arguments", "Args", "files/debian/linux", "a=\"b c\" d='e'", NULL },
    { "a newline in the arguments", "Args newline", "files/debian/linux", "a\nb", "append" },
  };
  const struct
  {
    const char *what;
    const char *mac;
    const char *member;
    const char *value;
    gboolean    taken;
  } hosts[] = {
    { "colons", "52:54:00:00:07:10", "name", "Größe 日本", TRUE },
    { "dashes, upper case", "52-54-00-AB-07-11", "name", "quote \" and \\", TRUE },
    { "a very long name", "52:54:00:00:07:12", "name", long_label, TRUE },
    { "a newline in a name", "52:54:00:00:07:13", "name", "a\nb", FALSE },
    { "an upper-case scheme", "52:54:00:00:07:14", "scriptUrl", "HTTP://Example.org/x.ipxe", TRUE },
    { "a query with ${mac}", "52:54:00:00:07:15", "scriptUrl",
      "https://example.org/boot.ipxe?mac=${mac}&x=1", TRUE },
    { "a space in a URL", "52:54:00:00:07:16", "scriptUrl", "http://a b/x", FALSE },
    { "a quote in a URL", "52:54:00:00:07:17", "scriptUrl", "http://h/\"x\"", FALSE },
    { "not http", "52:54:00:00:07:18", "scriptUrl", "ftp://example.org/x", FALSE },
    { "a script", "52:54:00:00:07:19", "script", "#!ipxe\necho Größe \"${mac}\"\nshell\n", TRUE },
    { "a script without #!ipxe", "52:54:00:00:07:1a", "script", "echo hi\n", FALSE },
    { "mixed separators", "52:54-00:00:07:1b", "name", "mixed", FALSE },
  };
  guint taken = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *body = NULL;
      g_autofree char *before = root_file (f, "pxelinux.cfg/default");
      g_autofree char *after = NULL;
      g_autoptr(Reply) r = NULL;
      g_autoptr(JsonObject) answer = NULL;

      g_test_message ("entry: %s", entries[i].what);
      /* GRUB's menu lists an entry only when its kernel is there */
      if (entries[i].refused == NULL)
        write_file (f->root, entries[i].kernel, "kernel", -1);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "linux");
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, entries[i].label);
      json_builder_set_member_name (builder, "kernel");
      json_builder_add_string_value (builder, entries[i].kernel);
      json_builder_set_member_name (builder, "append");
      json_builder_add_string_value (builder, entries[i].append);
      json_builder_end_object (builder);
      body = json_text (builder);

      r = request (f, "POST", "/api/v1/menu/entries", body);
      answer = reply_json (r);
      if (entries[i].refused != NULL)
        {
          g_assert_cmpuint (r->status, ==, 400);
          g_assert_cmpstr (json_object_get_string_member (answer, "field"), ==,
                           entries[i].refused);
          after = root_file (f, "pxelinux.cfg/default");
          g_assert_cmpstr (after, ==, before);
          continue;
        }
      g_assert_cmpuint (r->status, ==, 201);
      check_entry_written (f, json_object_get_string_member (answer, "id"), entries[i].label,
                           entries[i].kernel, entries[i].append);
      taken++;
    }
  g_assert_cmpuint (taken, ==, 9);

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *body = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/hosts/%s", hosts[i].mac);
      g_autoptr(Reply) r = NULL;
      const char *mode = g_str_equal (hosts[i].member, "scriptUrl") ? "url"
                         : g_str_equal (hosts[i].member, "script") ? "script" : "menu";

      g_test_message ("host: %s", hosts[i].what);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, mode);
      json_builder_set_member_name (builder, hosts[i].member);
      json_builder_add_string_value (builder, hosts[i].value);
      json_builder_end_object (builder);
      body = json_text (builder);

      r = request (f, "PUT", path, body);
      if (!hosts[i].taken)
        {
          g_assert_cmpuint (r->status, ==, 400);
          continue;
        }
      g_assert_cmpuint (r->status, ==, 201);
      /* its script, by either spelling of its MAC */
      for (guint sep = 0; sep < 2; sep++)
        {
          g_autofree char *mac = g_ascii_strdown (hosts[i].mac, -1);
          g_autofree char *boot = NULL;
          g_autoptr(Reply) script = NULL;
          g_autofree char *text = NULL;

          g_strdelimit (mac, ":-", sep == 0 ? ':' : '-');
          boot = g_strdup_printf ("/boot/%s.ipxe", mac);
          script = request (f, "GET", boot, NULL);
          g_assert_cmpuint (script->status, ==, 200);
          text = reply_text (script);
          g_assert_true (g_str_has_prefix (text, "#!ipxe"));
        }
    }
}

static void
test_once (Fixture       *f,
           gconstpointer  data)
{
  YardHostTable *table = yard_server_get_host_table (f->server);
  g_autoptr(YardHost) host = NULL;
  g_autoptr(Reply) r = NULL;

  put_host (f, "52:54:00:00:00:0a",
            "{\"mode\": \"script\", \"script\": \"#!ipxe\\nkernel hello.txt\\nboot\\n\", \"once\": true}");
  put_host (f, "52:54:00:00:00:0b",
            "{\"mode\": \"url\", \"scriptUrl\": \"http://10.0.0.1/x.ipxe\", \"once\": false}");

  /* A fetch before the script does not count. */
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_clear_pointer (&r, reply_free);
  host = yard_host_table_dup_host (table, "52:54:00:00:00:0a");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_SCRIPT);
  g_clear_pointer (&host, yard_host_free);

  /* The script, then a HEAD (no fetch): still the script. */
  r = request_full (f, "GET", "/boot/52:54:00:00:00:0a.ipxe", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "HEAD", "/boot/hello.txt", "", NULL, NULL);
  g_clear_pointer (&r, reply_free);
  host = yard_host_table_dup_host (table, "52:54:00:00:00:0a");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_SCRIPT);
  g_clear_pointer (&host, yard_host_free);

  /* Its kernel: now the disk, script gone, saved, and the app told. */
  g_ptr_array_set_size (f->events, 0);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  host = yard_host_table_dup_host (table, "52:54:00:00:00:0a");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_DISK);
  g_assert_null (host->script);
  g_assert_true (host->once);
  g_clear_pointer (&host, yard_host_free);
  g_assert_true (saw_event (f, "host-changed"));
  {
    g_autofree char *path = g_build_filename (f->state, "hosts.json", NULL);
    g_autoptr(YardHostTable) reread = yard_host_table_new (path);

    g_assert_true (yard_host_table_load (reread, NULL));
    host = yard_host_table_dup_host (reread, "52:54:00:00:00:0a");
    g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_DISK);
    g_clear_pointer (&host, yard_host_free);
  }
  r = request_full (f, "GET", "/boot/52:54:00:00:00:0a.ipxe", "", NULL, NULL);
  {
    g_autofree char *text = reply_text (r);
    g_assert_nonnull (strstr (text, "sanboot --no-describe --drive 0x80"));
  }
  g_clear_pointer (&r, reply_free);

  /* once: false stays. */
  r = request_full (f, "GET", "/boot/52:54:00:00:00:0b.ipxe", "", NULL, NULL);
  g_clear_pointer (&r, reply_free);
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);
  g_clear_pointer (&r, reply_free);
  host = yard_host_table_dup_host (table, "52:54:00:00:00:0b");
  g_assert_cmpint (host->mode, ==, YARD_HOST_MODE_URL);
}

/* Images: streamed upload, inspection, list, delete; refusals leave nothing behind. */
static guint
count_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint
count_uploads (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".upload-"))
      n++;
  return n;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until count_uploads() == want, for at most 5 s. */
static void
wait_uploads (const char *images,
              guint       want)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &expired);

  while (count_uploads (images) != want && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_cmpuint (count_uploads (images), ==, want);
}

/* A client that goes away in the middle of an upload leaves nothing behind. */
static void
test_upload_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *images = g_build_filename (f->root, "images", NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *chunk = g_malloc0 (64 * 1024);
  GOutputStream *out;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  head = g_strdup_printf ("PUT /api/v1/images/half.iso HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Length: 100000000\r\n\r\n",
                          f->token);
  g_assert_true (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, chunk, 64 * 1024, NULL, NULL, &error));
  g_assert_no_error (error);

  wait_uploads (images, 1);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  wait_uploads (images, 0);
  g_assert_cmpuint (count_dir (images), ==, 0);
}

static void
test_images (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *images = g_build_filename (f->root, "images", NULL);
  g_autofree char *floppy = g_build_filename (f->dir, "dos.img", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Reply) r = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) list = NULL;
  JsonObject *inspection;
  gsize len;

  if (g_find_program_in_path ("mkfs.fat") == NULL)
    {
      g_test_skip ("mkfs.fat (dosfstools) is not installed");
      return;
    }
  {
    g_autofree char *cmd = g_strdup_printf ("mkfs.fat -C '%s' 1440 >/dev/null", floppy);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_assert_true (g_file_get_contents (floppy, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

  r = request_raw (f, "PUT", "/api/v1/images/dos.img", NULL, bytes, "application/octet-stream", NULL);
  g_test_message ("%s", g_bytes_get_data (r->body, NULL) ? (const char *) g_bytes_get_data (r->body, NULL) : "");
  g_assert_cmpuint (r->status, ==, 201);
  object = reply_json (r);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "dos.img");
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, 1440 * 1024);
  inspection = json_object_get_object_member (object, "inspection");
  g_assert_nonnull (inspection);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (inspection, "entry"), "kind"), ==, "memdisk");
  {
    JsonObject *entry = json_object_get_object_member (inspection, "entry");
    JsonObject *support = json_object_get_object_member (entry, "support");
    JsonObject *firmware = json_object_get_object_member (support, "firmware");

    /* a floppy named by its file (no volume label); memdisk: BIOS only, image + 1 MiB */
    g_assert_cmpstr (json_object_get_string_member (inspection, "label"), ==, "dos");
    g_assert_cmpstr (json_object_get_string_member (entry, "label"), ==, "dos");
    g_assert_true (json_object_get_null_member (firmware, "bios"));
    g_assert_nonnull (json_object_get_string_member (firmware, "uefi"));
    g_assert_cmpint (json_object_get_int_member (support, "memoryNeeded"), ==,
                     1440 * 1024 + (1 << 20));
  }
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&object, json_object_unref);
  g_assert_cmpuint (count_dir (images), ==, 1);

  /* Same name again: 409 with what is there, nothing written; replaced (200) when asked. */
  r = request_raw (f, "PUT", "/api/v1/images/dos.img", NULL, bytes, "application/octet-stream", NULL);
  assert_error (r, 409, "name");
  object = reply_json (r);
  {
    JsonObject *there = json_object_get_object_member (object, "image");

    g_assert_nonnull (there);
    g_assert_cmpstr (json_object_get_string_member (there, "name"), ==, "dos.img");
    g_assert_cmpint (json_object_get_int_member (there, "size"), ==, 1440 * 1024);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (there, "inspection"), "class"), ==, "memdisk");
  }
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&r, reply_free);
  g_assert_cmpuint (count_dir (images), ==, 1);
  r = request_raw (f, "PUT", "/api/v1/images/dos.img?replace=true", NULL, bytes, "application/octet-stream", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, reply_free);
  g_assert_cmpuint (count_dir (images), ==, 1);

  /* GET of one image: inspected again, with the entry its upload suggested. */
  r = request (f, "GET", "/api/v1/images/dos.img", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  object = reply_json (r);
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, 1440 * 1024);
  inspection = json_object_get_object_member (object, "inspection");
  g_assert_cmpstr (json_object_get_string_member (inspection, "class"), ==, "memdisk");
  {
    JsonObject *entry = json_object_get_object_member (inspection, "entry");

    g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "memdisk");
    g_assert_cmpstr (json_object_get_string_member (entry, "image"), ==, "images/dos.img");
    g_assert_cmpstr (json_object_get_string_member (entry, "imageType"), ==, "floppy");
  }
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&object, json_object_unref);

  r = request (f, "GET", "/api/v1/images", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  list = reply_json (r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "images")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (list, "images"), 0), "name"), ==, "dos.img");
  /* How it boots, for clients listing images of earlier sessions; no entry boots it yet. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (list, "images"), 0), "class"), ==, "memdisk");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (list, "images"), 0), "menuEntries")), ==, 0);
  g_clear_pointer (&r, reply_free);

  /* Not an image: 400, and no file of it (nor a temporary) stays. */
  {
    g_autofree char *zeros = g_malloc0 (300 * 1024);
    g_autoptr(GBytes) junk = g_bytes_new_take (g_steal_pointer (&zeros), 300 * 1024);

    r = request_raw (f, "PUT", "/api/v1/images/junk.iso", NULL, junk, "application/octet-stream", NULL);
    assert_error (r, 400, NULL);
    g_clear_pointer (&r, reply_free);
    g_assert_cmpuint (count_dir (images), ==, 1);

    r = request_raw (f, "PUT", "/api/v1/images/a/b.iso", NULL, junk, "application/octet-stream", NULL);
    assert_error (r, 400, "name");
    g_clear_pointer (&r, reply_free);
    r = request_raw (f, "PUT", "/api/v1/images/a%2Fb.iso", NULL, junk, "application/octet-stream", NULL);
    assert_error (r, 400, "name");
    g_clear_pointer (&r, reply_free);
    r = request_raw (f, "PUT", "/api/v1/images/.hidden", NULL, junk, "application/octet-stream", NULL);
    assert_error (r, 400, "name");
    g_clear_pointer (&r, reply_free);
    r = request_raw (f, "PUT", "/api/v1/images/x.iso", "wrong", junk, "application/octet-stream", NULL);
    assert_error (r, 401, NULL);
    g_clear_pointer (&r, reply_free);
    g_assert_cmpuint (count_dir (images), ==, 1);
  }

  /* An image an entry boots: its deletion is refused, naming the entry; with ?entries=true
   * the entry goes first, then the image. An unrelated entry stays. */
  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"label\": \"DOS floppy\", \"kind\": \"memdisk\", \"image\": \"images/dos.img\", "
               "\"imageType\": \"floppy\"}");
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"label\": \"Other\", \"kind\": \"memdisk\", \"image\": \"images/dos.img.bak\"}");
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);
  r = request (f, "DELETE", "/api/v1/images/dos.img", NULL);
  assert_error (r, 409, "name");
  object = reply_json (r);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "error"), "“DOS floppy”"));
  g_assert_null (strstr (json_object_get_string_member (object, "error"), "Other"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "entries")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (object, "entries"), 0), "label"), ==, "DOS floppy");
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&r, reply_free);
  g_assert_cmpuint (count_dir (images), ==, 1);
  r = request (f, "DELETE", "/api/v1/images/dos.img?entries=true", NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/menu", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  {
    g_autofree char *menu = reply_text (r);

    g_assert_null (strstr (menu, "DOS floppy"));
    g_assert_nonnull (strstr (menu, "images/dos.img.bak"));
  }
  g_clear_pointer (&r, reply_free);
  r = request (f, "DELETE", "/api/v1/images/dos.img", NULL);
  assert_error (r, 404, "name");
  g_clear_pointer (&r, reply_free);
  g_assert_cmpuint (count_dir (images), ==, 0);

  /* pxelinux.cfg/default keeps an entry whose image is not there, greyed out, and the upload
   * of the image takes the mark away (the other menus leave such an entry out) */
  r = request (f, "POST", "/api/v1/menu/entries",
               "{\"id\": \"later\", \"label\": \"Later\", \"kind\": \"memdisk\", "
               "\"image\": \"images/dos.img\", \"imageType\": \"floppy\"}");
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);
  {
    g_autofree char *bios = root_file (f, "pxelinux.cfg/default");

    g_assert_nonnull (strstr (bios, "LABEL later\n"));
    g_assert_nonnull (strstr (bios, "  MENU LABEL Later (file missing)\n  MENU DISABLE\n"));
  }
  r = request_raw (f, "PUT", "/api/v1/images/dos.img", NULL, bytes, "application/octet-stream", NULL);
  g_assert_cmpuint (r->status, ==, 201);
  g_clear_pointer (&r, reply_free);
  {
    g_autofree char *bios = root_file (f, "pxelinux.cfg/default");

    g_assert_nonnull (strstr (bios, "LABEL later\n"));
    g_assert_null (strstr (bios, "Later (file missing)"));
    /* the entry above whose image never came stays marked */
    g_assert_nonnull (strstr (bios, "  MENU LABEL Other (file missing)\n  MENU DISABLE\n"));
  }
  r = request (f, "DELETE", "/api/v1/images/dos.img?entries=true", NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_clear_pointer (&r, reply_free);
  g_assert_cmpuint (count_dir (images), ==, 0);
  r = request (f, "GET", "/api/v1/images/dos.img", NULL);
  assert_error (r, 404, "name");
  g_clear_pointer (&r, reply_free);
  r = request (f, "GET", "/api/v1/images/.hidden", NULL);
  assert_error (r, 400, "name");
  g_clear_pointer (&r, reply_free);
  r = request (f, "POST", "/api/v1/images/dos.img", "{}");
  assert_error (r, 405, NULL);
  g_clear_pointer (&r, reply_free);

  /* A file put there by hand that is no boot image: listed, and GET says why. */
  write_file (images, "notes.txt", "not an image", -1);
  r = request (f, "GET", "/api/v1/images/notes.txt", NULL);
  g_assert_cmpuint (r->status, ==, 200);
  object = reply_json (r);
  g_assert_true (json_object_get_null_member (object, "inspection"));
  g_assert_nonnull (json_object_get_string_member (object, "error"));
  g_clear_pointer (&r, reply_free);
  g_clear_pointer (&object, json_object_unref);

  /* A Linux image: uploaded, its kernel and initrd are copied out and GET suggests them; put
   * there by hand (the copies gone), GET suggests nothing and says why. */
  if (tools_available ())
    {
      g_autofree char *iso = make_linux_iso (f->dir, "debian.iso", DISTRO_DEBIAN_INSTALLER);
      g_autofree char *iso_data = NULL;
      g_autofree char *stem = g_build_filename (images, "debian", NULL);
      g_autoptr(GBytes) iso_bytes = NULL;
      JsonObject *entry;

      g_assert_true (g_file_get_contents (iso, &iso_data, &len, NULL));
      iso_bytes = g_bytes_new_take (g_steal_pointer (&iso_data), len);
      r = request_raw (f, "PUT", "/api/v1/images/debian.iso", NULL, iso_bytes,
                       "application/octet-stream", NULL);
      g_assert_cmpuint (r->status, ==, 201);
      g_clear_pointer (&r, reply_free);

      r = request (f, "GET", "/api/v1/images/debian.iso", NULL);
      g_assert_cmpuint (r->status, ==, 200);
      object = reply_json (r);
      inspection = json_object_get_object_member (object, "inspection");
      g_assert_cmpstr (json_object_get_string_member (inspection, "class"), ==, "linux");
      entry = json_object_get_object_member (inspection, "entry");
      g_assert_nonnull (entry);
      g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "linux");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (entry, "kernel"),
                                       "images/debian/"));
      g_clear_pointer (&r, reply_free);
      g_clear_pointer (&object, json_object_unref);

      g_assert_true (yard_test_remove_tree (stem));
      r = request (f, "GET", "/api/v1/images/debian.iso", NULL);
      g_assert_cmpuint (r->status, ==, 200);
      object = reply_json (r);
      inspection = json_object_get_object_member (object, "inspection");
      g_assert_true (json_object_get_null_member (inspection, "entry"));
      g_assert_nonnull (strstr (json_object_get_string_member (inspection, "reason"),
                                "Upload it again"));
    }
}

/* The event stream: server-sent events, read as a client reads them. */
typedef struct
{
  gboolean      done;
  GInputStream *stream;
  char         *line;
  GError       *error;
} Stream;

static void
stream_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Stream *s = user_data;

  s->stream = soup_session_send_finish (SOUP_SESSION (source), result, &s->error);
  s->done = TRUE;
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Stream *s = user_data;

  s->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                        &s->error);
  s->done = TRUE;
}

static char *
next_line (GDataInputStream *in,
           Stream           *s)
{
  s->done = FALSE;
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, line_read_cb, s);
  while (!s->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (s->error);
  return g_steal_pointer (&s->line);
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/api/v1/events", f->port);
  g_autofree char *auth = g_strconcat ("Bearer ", f->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(Reply) r = NULL;
  gboolean hello = FALSE, changed = FALSE, transfer = FALSE;
  Stream s = { 0, };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, stream_sent_cb, &s);
  while (!s.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (s.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "text/event-stream");
  in = g_data_input_stream_new (s.stream);
  g_clear_object (&s.stream);

  {
    g_autofree char *l1 = next_line (in, &s);
    g_autofree char *l2 = next_line (in, &s);
    g_autofree char *l3 = next_line (in, &s);

    g_assert_cmpstr (l1, ==, "event: hello");
    g_assert_true (g_str_has_prefix (l2, "data: {\"version\":"));
    g_assert_cmpstr (l3, ==, "");
    hello = TRUE;
  }

  /* Something happens: the stream says so, as "event: KIND\ndata: JSON\n\n". */
  put_host (f, "52:54:00:00:00:0c", "{\"name\": \"streamed\"}");
  r = request_full (f, "GET", "/boot/hello.txt", "", NULL, NULL);

  while (!changed || !transfer)
    {
      g_autofree char *event = next_line (in, &s);
      g_autofree char *payload = next_line (in, &s);
      g_autofree char *blank = next_line (in, &s);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_nonnull (event);
      g_assert_true (g_str_has_prefix (event, "event: "));
      g_assert_true (g_str_has_prefix (payload, "data: "));
      g_assert_cmpstr (blank, ==, "");
      g_assert_true (json_parser_load_from_data (parser, payload + 6, -1, NULL));
      if (g_str_equal (event, "event: host-changed"))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          g_assert_cmpstr (json_object_get_string_member (o, "mac"), ==, "52:54:00:00:00:0c");
          g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "streamed");
          changed = TRUE;
        }
      if (g_str_equal (event, "event: transfer-finished"))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          g_assert_cmpstr (json_object_get_string_member (o, "protocol"), ==, "http");
          g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, "hello.txt");
          g_assert_cmpint (json_object_get_int_member (o, "bytes"), ==, 16);
          g_assert_cmpint (json_object_get_int_member (o, "size"), ==, 16);
          transfer = TRUE;
        }
    }
  g_assert_true (hello);
  g_input_stream_close (G_INPUT_STREAM (in), NULL, NULL);
}

/* A second server on the same port: one clear error, nothing half started. */
static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(YardServerConfig) config = { 0, };
  g_autoptr(YardServer) second = NULL;
  g_autoptr(GError) error = NULL;

  config.root_dir = g_strdup (f->root);
  config.state_dir = g_build_filename (f->dir, "state2", NULL);
  config.address = g_strdup ("127.0.0.1");
  config.http_port = f->port;
  config.no_tftp = TRUE;
  config.no_dhcp = TRUE;
  second = yard_server_new (&config);
  g_assert_false (yard_server_start (second, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, "--http-port"));
  g_assert_cmpuint (yard_server_get_http_port (second), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&second));
}

int
main (int   argc,
      char *argv[])
{
  yard_test_no_proxy_resolver ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/yard/http/files", Fixture, NULL, fixture_set_up, test_files, fixture_tear_down);
  g_test_add ("/yard/http/big-file-ranges", Fixture, NULL, fixture_set_up, test_big_file_ranges,
              fixture_tear_down);
  g_test_add ("/yard/http/auth", Fixture, NULL, fixture_set_up, test_auth, fixture_tear_down);
  g_test_add ("/yard/http/hosts", Fixture, NULL, fixture_set_up, test_hosts, fixture_tear_down);
  g_test_add ("/yard/http/doctor-activity", Fixture, NULL, fixture_set_up, test_doctor_activity,
              fixture_tear_down);
  g_test_add ("/yard/http/status-services", Fixture, NULL, fixture_set_up, test_status_services,
              fixture_tear_down);
  g_test_add ("/yard/http/menu", Fixture, NULL, fixture_set_up, test_menu, fixture_tear_down);
  g_test_add ("/yard/http/menu-loader", Fixture, NULL, fixture_set_up, test_menu_loader,
              fixture_tear_down);
  g_test_add ("/yard/http/menu-broken", Fixture, BROKEN_MENU, fixture_set_up, test_menu_broken,
              fixture_tear_down);
  g_test_add ("/yard/http/host-scripts", Fixture, NULL, fixture_set_up, test_host_scripts,
              fixture_tear_down);
  g_test_add ("/yard/http/once", Fixture, NULL, fixture_set_up, test_once, fixture_tear_down);
  g_test_add ("/yard/http/tricky-values", Fixture, NULL, fixture_set_up, test_tricky_values,
              fixture_tear_down);
  g_test_add ("/yard/http/images", Fixture, NULL, fixture_set_up, test_images, fixture_tear_down);
  g_test_add ("/yard/http/events", Fixture, NULL, fixture_set_up, test_events, fixture_tear_down);
  g_test_add ("/yard/http/port-in-use", Fixture, NULL, fixture_set_up, test_port_in_use,
              fixture_tear_down);
  g_test_add ("/yard/http/upload-cancelled", Fixture, NULL, fixture_set_up, test_upload_cancelled,
              fixture_tear_down);

  return g_test_run ();
}
