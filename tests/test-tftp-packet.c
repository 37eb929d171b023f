/* test-tftp-packet.c: TFTP requests and option negotiation as bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-tftp-packet.h"

/* Builds a request from NUL-separated fields: opcode, then "name", "mode", "opt", "val"... */
static GByteArray *
request_new (guint16      opcode,
             const char  *first,
             ...)
{
  GByteArray *pkt = g_byte_array_new ();
  guint8 op[2] = { opcode >> 8, opcode & 0xff };
  va_list ap;

  g_byte_array_append (pkt, op, 2);
  va_start (ap, first);
  for (const char *s = first; s != NULL; s = va_arg (ap, const char *))
    g_byte_array_append (pkt, (const guint8 *) s, strlen (s) + 1);
  va_end (ap);
  return pkt;
}

static void
test_plain_rrq (void)
{
  g_autoptr(GByteArray) pkt = request_new (1, "pxelinux.0", "octet", NULL);
  g_autoptr(GError) error = NULL;
  YardTftpRequest req;

  g_assert_true (yard_tftp_parse_request (pkt->data, pkt->len, &req, &error));
  g_assert_no_error (error);
  g_assert_cmpint (req.opcode, ==, YARD_TFTP_OP_RRQ);
  g_assert_cmpuint (req.filename_len, ==, 10);
  g_assert_cmpint (strncmp (req.filename, "pxelinux.0", 10), ==, 0);
  g_assert_cmpint (req.mode, ==, YARD_TFTP_MODE_OCTET);
  g_assert_false (req.has_blksize || req.has_timeout || req.has_tsize || req.has_windowsize);
  g_assert_cmpuint (req.n_options, ==, 0);
}

static void
test_modes (void)
{
  g_autoptr(GByteArray) ascii = request_new (2, "a", "NetASCII", NULL);
  g_autoptr(GByteArray) upper = request_new (1, "a", "OCTET", NULL);
  g_autoptr(GByteArray) mail = request_new (1, "a", "mail", NULL);
  g_autoptr(GError) error = NULL;
  YardTftpRequest req;

  g_assert_true (yard_tftp_parse_request (ascii->data, ascii->len, &req, NULL));
  g_assert_cmpint (req.mode, ==, YARD_TFTP_MODE_NETASCII);
  g_assert_cmpint (req.opcode, ==, YARD_TFTP_OP_WRQ);
  g_assert_true (yard_tftp_parse_request (upper->data, upper->len, &req, NULL));
  g_assert_cmpint (req.mode, ==, YARD_TFTP_MODE_OCTET);
  g_assert_false (yard_tftp_parse_request (mail->data, mail->len, &req, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
}

static void
test_options (void)
{
  g_autoptr(GByteArray) pkt = request_new (1, "f", "octet", "BLKSIZE", "1468", "tsize", "0",
                                           "timeout", "3", "windowsize", "32",
                                           "utimeout", "5000", NULL);
  YardTftpRequest req;

  g_assert_true (yard_tftp_parse_request (pkt->data, pkt->len, &req, NULL));
  g_assert_true (req.has_blksize);
  g_assert_cmpuint (req.blksize, ==, 1468);
  g_assert_true (req.has_tsize);
  g_assert_cmpuint (req.tsize, ==, 0);
  g_assert_true (req.has_timeout);
  g_assert_cmpuint (req.timeout, ==, 3);
  g_assert_true (req.has_windowsize);
  g_assert_cmpuint (req.windowsize, ==, 32);
  g_assert_cmpuint (req.n_options, ==, 5);
}

typedef struct
{
  const char *name;
  const char *value;
  gboolean    accepted;
  guint64     expected;
} OptionCase;

static void
test_option_ranges (void)
{
  const OptionCase cases[] = {
    { "blksize", "7", FALSE, 0 },
    { "blksize", "8", TRUE, 8 },
    { "blksize", "512", TRUE, 512 },
    { "blksize", "65464", TRUE, 65464 },
    { "blksize", "65465", TRUE, 65464 },         /* RFC 2348: answer at most what we can */
    { "blksize", "99999999999999999999999", FALSE, 0 },
    { "blksize", "-1", FALSE, 0 },
    { "blksize", "", FALSE, 0 },
    { "blksize", "12a", FALSE, 0 },
    { "blksize", " 512", FALSE, 0 },
    { "timeout", "0", FALSE, 0 },
    { "timeout", "1", TRUE, 1 },
    { "timeout", "255", TRUE, 255 },
    { "timeout", "256", FALSE, 0 },
    { "windowsize", "0", FALSE, 0 },
    { "windowsize", "1", TRUE, 1 },
    { "windowsize", "65535", TRUE, 65535 },
    { "windowsize", "65536", FALSE, 0 },
    { "tsize", "0", TRUE, 0 },
    { "tsize", "18446744073709551615", TRUE, G_MAXUINT64 },
    { "tsize", "18446744073709551616", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) pkt = request_new (1, "f", "octet", cases[i].name, cases[i].value,
                                               NULL);
      YardTftpRequest req;
      gboolean has;
      guint64 value;

      g_test_message ("%s=%s", cases[i].name, cases[i].value);
      g_assert_true (yard_tftp_parse_request (pkt->data, pkt->len, &req, NULL));
      if (g_str_equal (cases[i].name, "blksize"))
        has = req.has_blksize, value = req.blksize;
      else if (g_str_equal (cases[i].name, "timeout"))
        has = req.has_timeout, value = req.timeout;
      else if (g_str_equal (cases[i].name, "windowsize"))
        has = req.has_windowsize, value = req.windowsize;
      else
        has = req.has_tsize, value = req.tsize;
      g_assert_cmpint (has, ==, cases[i].accepted);
      if (has)
        g_assert_cmpuint (value, ==, cases[i].expected);
    }
}

static void
test_first_option_wins (void)
{
  g_autoptr(GByteArray) pkt = request_new (1, "f", "octet", "blksize", "1024",
                                           "blksize", "8", NULL);
  YardTftpRequest req;

  g_assert_true (yard_tftp_parse_request (pkt->data, pkt->len, &req, NULL));
  g_assert_cmpuint (req.blksize, ==, 1024);
}

static void
test_malformed (void)
{
  const guint8 short_pkt[] = { 0, 1, 'a' };
  const guint8 no_nul[] = { 0, 1, 'a', 'b', 'c' };
  const guint8 no_mode[] = { 0, 1, 'a', 0 };
  const guint8 mode_no_nul[] = { 0, 1, 'a', 0, 'o', 'c', 't', 'e', 't' };
  const guint8 data[] = { 0, 3, 0, 1, 'x' };
  const guint8 half_option[] = { 0, 1, 'a', 0, 'o', 'c', 't', 'e', 't', 0, 'b', 'l', 'k', 0 };
  YardTftpRequest req;

  g_assert_false (yard_tftp_parse_request (short_pkt, sizeof short_pkt, &req, NULL));
  g_assert_false (yard_tftp_parse_request (no_nul, sizeof no_nul, &req, NULL));
  g_assert_false (yard_tftp_parse_request (no_mode, sizeof no_mode, &req, NULL));
  g_assert_false (yard_tftp_parse_request (mode_no_nul, sizeof mode_no_nul, &req, NULL));
  g_assert_false (yard_tftp_parse_request (data, sizeof data, &req, NULL));
  g_assert_false (yard_tftp_parse_request (NULL, 0, &req, NULL));
  /* A trailing half option is padding, not an error. */
  g_assert_true (yard_tftp_parse_request (half_option, sizeof half_option, &req, NULL));
  g_assert_cmpuint (req.n_options, ==, 0);
}

static void
test_oack (void)
{
  guint8 buf[128];
  const guint8 expected[] = "\0\6blksize\0" "1468\0tsize\0" "1048576\0windowsize\0" "8";
  gsize len;

  len = yard_tftp_build_oack (buf, sizeof buf, TRUE, 1468, FALSE, 0, TRUE, 1048576, TRUE, 8);
  g_assert_cmpmem (buf, len, expected, sizeof expected);

  /* Nothing accepted: no OACK, the transfer starts as in RFC 1350. */
  g_assert_cmpuint (yard_tftp_build_oack (buf, sizeof buf, FALSE, 0, FALSE, 0, FALSE, 0,
                                          FALSE, 0), ==, 0);
  /* Too small a buffer never writes past it. */
  g_assert_cmpuint (yard_tftp_build_oack (buf, 12, TRUE, 1468, TRUE, 5, FALSE, 0,
                                          FALSE, 0), ==, 0);
}

static void
test_error (void)
{
  guint8 buf[16];
  const guint8 expected[] = "\0\5\0\1File not fo";
  gsize len = yard_tftp_build_error (buf, sizeof buf, YARD_TFTP_ERR_NOT_FOUND, "File not found");

  g_assert_cmpmem (buf, len, expected, sizeof expected);
}

/* RFC 1350 asks for netascii in ERROR messages: the quotes of our GError messages, any other
 * UTF-8, bytes that are not UTF-8 (a name from the network) and control characters become
 * plain ASCII, and never more than the buffer holds. */
static void
test_error_ascii (void)
{
  guint8 buf[512];
  gsize len = yard_tftp_build_error (buf, sizeof buf, YARD_TFTP_ERR_NOT_FOUND,
                                     "File \u201cna\xffme\u201d \u2018x\u2019 \u2014 "
                                     "caf\u00e9\r\n\t\u2026");
  const char expected[] = "File \"na?me\" 'x' - caf?   ...";

  g_assert_cmpuint (len, ==, 4 + strlen (expected) + 1);
  g_assert_cmpstr ((const char *) buf + 4, ==, expected);
  for (gsize i = 4; i < len - 1; i++)
    g_assert_true (buf[i] >= 0x20 && buf[i] < 0x7f);

  /* A replacement that does not fit is left out whole. */
  len = yard_tftp_build_error (buf, 8, YARD_TFTP_ERR_UNDEFINED, "ab\u2026");
  g_assert_cmpuint (len, ==, 7);
  g_assert_cmpstr ((const char *) buf + 4, ==, "ab");
}

static void
test_netascii (void)
{
  const char *text = "a\nb\r\nc\r";
  const guint8 wire[] = "a\r\nb\r\0\r\nc\r"; /* sizeof counts the NUL after the CR */
  guint8 out[64];
  guint8 back[64];
  gsize consumed, n, m;
  int pending = -1;
  gboolean cr = FALSE;

  n = yard_tftp_netascii_encode ((const guint8 *) text, strlen (text), &consumed, out,
                                 sizeof out, &pending);
  g_assert_cmpuint (consumed, ==, strlen (text));
  g_assert_cmpint (pending, ==, -1);
  g_assert_cmpmem (out, n, wire, sizeof wire);

  /* An output that ends in the middle of a pair keeps the second byte for the next block. */
  n = yard_tftp_netascii_encode ((const guint8 *) "x\n", 2, &consumed, out, 2, &pending);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (pending, ==, '\n');
  n = yard_tftp_netascii_encode (NULL, 0, &consumed, out, 4, &pending);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (out[0], ==, '\n');

  /* Decoding across a block boundary that splits CR from its partner. */
  m = yard_tftp_netascii_decode (wire, 5, back, &cr);
  g_assert_true (cr);
  m += yard_tftp_netascii_decode (wire + 5, sizeof wire - 5, back + m, &cr);
  g_assert_false (cr); /* the final CR came as CR NUL (the literal's own NUL) */
  g_assert_cmpmem (back, m, text, strlen (text));

  /* A lone CR at the end of a block waits for the next one. */
  cr = FALSE;
  m = yard_tftp_netascii_decode ((const guint8 *) "x\r", 2, back, &cr);
  g_assert_cmpuint (m, ==, 1);
  g_assert_true (cr);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yard/tftp-packet/plain-rrq", test_plain_rrq);
  g_test_add_func ("/yard/tftp-packet/modes", test_modes);
  g_test_add_func ("/yard/tftp-packet/options", test_options);
  g_test_add_func ("/yard/tftp-packet/option-ranges", test_option_ranges);
  g_test_add_func ("/yard/tftp-packet/first-option-wins", test_first_option_wins);
  g_test_add_func ("/yard/tftp-packet/malformed", test_malformed);
  g_test_add_func ("/yard/tftp-packet/oack", test_oack);
  g_test_add_func ("/yard/tftp-packet/error", test_error);
  g_test_add_func ("/yard/tftp-packet/error-ascii", test_error_ascii);
  g_test_add_func ("/yard/tftp-packet/netascii", test_netascii);

  return g_test_run ();
}
