/* test-event-stream.c: the server-sent events parser, fed in awkward chunks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-event-stream"

#include "config.h"

#include <string.h>

#include "yard-sse-parser.h"

typedef struct
{
  GPtrArray *events; /* "kind|data|id" */
} Collector;

static void
collect_cb (const char *kind,
            const char *data,
            const char *id,
            gpointer    user_data)
{
  Collector *c = user_data;

  g_ptr_array_add (c->events, g_strdup_printf ("%s|%s|%s", kind, data, id ? id : "(null)"));
}

/* Feeds text in pieces of the given sizes (cycled), returns the events joined by "\n". */
static char *
parse_in_chunks (const char  *text,
                 gsize        len,
                 const gsize *sizes,
                 guint        n_sizes)
{
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(YardSseParser) parser = yard_sse_parser_new (collect_cb, &c);
  gsize off = 0;
  guint i = 0;
  char *joined;

  while (off < len)
    {
      gsize n = MIN (sizes[i++ % n_sizes], len - off);
      /* A copy of exactly n bytes, so reading past the chunk would be caught by valgrind/ASan. */
      g_autofree char *piece = g_memdup2 (text + off, n);

      yard_sse_parser_feed (parser, piece, n);
      off += n;
    }

  g_ptr_array_add (c.events, NULL);
  joined = g_strjoinv ("\n", (char **) c.events->pdata);
  g_ptr_array_unref (c.events);
  return joined;
}

static char *
parse_whole (const char *text)
{
  const gsize all[] = { G_MAXSIZE };

  return parse_in_chunks (text, strlen (text), all, 1);
}

/* The same events, whatever the chunk sizes: every split point of the input is tried with
 * two-piece feeds, then byte by byte and odd sizes. */
static void
assert_split_invariant (const char *text,
                        const char *expected)
{
  gsize len = strlen (text);
  const gsize one[] = { 1 };
  const gsize odd[] = { 3, 1, 7, 2 };
  g_autofree char *bytewise = NULL;
  g_autofree char *oddwise = NULL;

  for (gsize split = 0; split <= len; split++)
    {
      const gsize two[] = { split == 0 ? len : split, len };
      g_autofree char *got = parse_in_chunks (text, len, two, 2);

      if (g_strcmp0 (got, expected) != 0)
        g_error ("split at %" G_GSIZE_FORMAT ": got\n%s\nexpected\n%s", split, got, expected);
    }

  bytewise = parse_in_chunks (text, len, one, 1);
  g_assert_cmpstr (bytewise, ==, expected);
  oddwise = parse_in_chunks (text, len, odd, G_N_ELEMENTS (odd));
  g_assert_cmpstr (oddwise, ==, expected);
}

static void
test_basic (void)
{
  const char *text =
    "event: hello\n"
    "data: {\"version\": \"0.1.0\"}\n"
    "\n"
    ": keep-alive\n"
    "\n"
    "event: host-seen\n"
    "data: {\"mac\": \"52:54:00:12:34:56\"}\n"
    "\n";
  const char *expected =
    "hello|{\"version\": \"0.1.0\"}|(null)\n"
    "host-seen|{\"mac\": \"52:54:00:12:34:56\"}|(null)";
  g_autofree char *got = parse_whole (text);

  g_assert_cmpstr (got, ==, expected);
  assert_split_invariant (text, expected);
}

static void
test_line_endings (void)
{
  /* CRLF, lone CR and LF mixed: a CR at the end of one chunk and the LF at the start of the
   * next are one line end, not a line end and an empty line (which would dispatch early). */
  const char *text =
    "event: a\r\n"
    "data: 1\r\n"
    "data: 2\r\n"
    "\r\n"
    "event: b\r"
    "data: 3\r"
    "\r"
    "event: c\n"
    "data: 4\r\n"
    "\n";
  const char *expected = "a|1\n2|(null)\nb|3|(null)\nc|4|(null)";

  assert_split_invariant (text, expected);
}

static void
test_fields (void)
{
  /* No space after the colon; only one leading space is stripped; a field without colon;
   * unknown fields ignored; an event without "event:" is a "message"; an event with no data
   * is not dispatched and does not leak its kind into the next one. */
  const char *text =
    "data:nospace\n"
    "\n"
    "data:  two spaces\n"
    "foo: bar\n"
    "\n"
    "event: lonely\n"
    "\n"
    "data\n"
    "data\n"
    "\n"
    "event: x\n"
    "data: a:b:c\n"
    "\n";
  const char *expected =
    "message|nospace|(null)\n"
    "message| two spaces|(null)\n"
    "message|\n|(null)\n"
    "x|a:b:c|(null)";

  assert_split_invariant (text, expected);
}

static void
test_id_retry_bom (void)
{
  /* A byte order mark only at the very start; id persists to later events; retry only when
   * all digits. The BOM is 3 bytes, so split invariance also tests a BOM cut in the middle. */
  const char *text =
    "\xEF\xBB\xBF" "event: e\n"
    "id: 7\n"
    "retry: 2500\n"
    "data: {}\n"
    "\n"
    "retry: soon\n"
    "data: {\"n\": 2}\n"
    "\n";
  const char *expected = "e|{}|7\nmessage|{\"n\": 2}|7";
  g_autoptr(YardSseParser) parser = NULL;
  Collector c = { g_ptr_array_new_with_free_func (g_free) };

  assert_split_invariant (text, expected);

  parser = yard_sse_parser_new (collect_cb, &c);
  g_assert_cmpint (yard_sse_parser_get_retry (parser), ==, -1);
  yard_sse_parser_feed (parser, text, strlen (text));
  g_assert_cmpint (yard_sse_parser_get_retry (parser), ==, 2500);
  g_assert_cmpstr (yard_sse_parser_get_last_id (parser), ==, "7");
  g_assert_cmpuint (c.events->len, ==, 2);
  g_ptr_array_unref (c.events);
}

static void
test_incomplete_and_reset (void)
{
  Collector c = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(YardSseParser) parser = yard_sse_parser_new (collect_cb, &c);
  const char *partial = "event: half\ndata: {\"cut\":";
  const char *fresh = "event: whole\ndata: {}\n\n";

  /* No blank line yet: nothing is dispatched. */
  yard_sse_parser_feed (parser, partial, strlen (partial));
  g_assert_cmpuint (c.events->len, ==, 0);

  /* A new connection drops the unfinished event: its data must not join the next one. */
  yard_sse_parser_reset (parser);
  yard_sse_parser_feed (parser, fresh, strlen (fresh));
  g_assert_cmpuint (c.events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c.events, 0), ==, "whole|{}|(null)");

  /* A zero-length feed is harmless. */
  yard_sse_parser_feed (parser, "", 0);
  g_assert_cmpuint (c.events->len, ==, 1);
  g_ptr_array_unref (c.events);
}

static void
test_utf8_split (void)
{
  /* "Größe" and a 4-byte emoji split inside their sequences come out whole. */
  const char *text = "event: ü\ndata: {\"label\": \"Größe 🚀\"}\n\n";
  const char *expected = "ü|{\"label\": \"Größe 🚀\"}|(null)";

  assert_split_invariant (text, expected);
}

static void
test_long_line (void)
{
  /* A 2 MiB data line (larger than any socket read) arrives in 8 KiB reads and comes out
   * whole, as the longest menu-changed event might. */
  gsize n = 2 * 1024 * 1024;
  GString *text = g_string_new ("event: big\ndata: ");
  const gsize chunk[] = { 8192 };
  g_autofree char *got = NULL;

  for (gsize i = 0; i < n; i++)
    g_string_append_c (text, 'a' + (i % 26));
  g_string_append (text, "\n\n");

  got = parse_in_chunks (text->str, text->len, chunk, 1);
  g_assert_true (g_str_has_prefix (got, "big|abcdefghijklmnopqrstuvwxyzabc"));
  g_assert_cmpuint (strlen (got), ==, strlen ("big|") + n + strlen ("|(null)"));
  g_string_free (text, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/event-stream/basic", test_basic);
  g_test_add_func ("/yard/event-stream/line-endings", test_line_endings);
  g_test_add_func ("/yard/event-stream/fields", test_fields);
  g_test_add_func ("/yard/event-stream/id-retry-bom", test_id_retry_bom);
  g_test_add_func ("/yard/event-stream/incomplete-and-reset", test_incomplete_and_reset);
  g_test_add_func ("/yard/event-stream/utf8-split", test_utf8_split);
  g_test_add_func ("/yard/event-stream/long-line", test_long_line);

  return g_test_run ();
}
