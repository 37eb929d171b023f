/* fuzz-tftp-packet.c: libFuzzer harness for what a TFTP request carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every byte of a request comes from the network. This feeds arbitrary packets to the request
 * parser, answers what it accepted with an OACK as the server does, and runs the data through
 * the netascii coder both ways, with AddressSanitizer watching. See README.md for how to run it.
 */

#include "config.h"

#include <string.h>

#include "yard-tftp-packet.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  YardTftpRequest req;
  guint8 oack[128];
  guint8 error[512];
  guint8 *encoded;
  guint8 *decoded;
  gsize consumed = 0;
  gsize n, total = 0;
  int pending = -1;
  gboolean cr = FALSE;

  if (yard_tftp_parse_request (data, size, &req, NULL))
    {
      /* What the parser hands on must lie inside the packet and hold no NUL. */
      g_assert ((const guint8 *) req.filename >= data);
      g_assert ((const guint8 *) req.filename + req.filename_len < data + size);
      g_assert (memchr (req.filename, '\0', req.filename_len) == NULL);
      g_assert (!req.has_blksize || (req.blksize >= 8 && req.blksize <= 65464));
      g_assert (!req.has_timeout || (req.timeout >= 1 && req.timeout <= 255));
      g_assert (!req.has_windowsize || (req.windowsize >= 1 && req.windowsize <= 65535));

      n = yard_tftp_build_oack (oack, sizeof oack, req.has_blksize, req.blksize,
                                req.has_timeout, req.timeout, req.has_tsize, req.tsize,
                                req.has_windowsize, req.windowsize);
      g_assert (n <= sizeof oack);
      if (n > 0)
        {
          /* Our own OACK is not a request, and must say so. */
          g_assert (!yard_tftp_parse_request (oack, n, &req, NULL));
        }
    }

  {
    /* Error messages come from GError texts that quote the client's name. */
    g_autofree char *message = g_strndup ((const char *) data, size);

    n = yard_tftp_build_error (error, sizeof error, YARD_TFTP_ERR_NOT_FOUND, message);
    g_assert (n <= sizeof error && error[n - 1] == '\0');
  }

  /* Netascii: encoding in small pieces (as blocks cut it) and decoding gives the input back. */
  encoded = g_malloc (2 * size + 1);
  while (consumed < size || pending >= 0)
    {
      gsize used = 0;
      gsize room = MIN ((gsize) 7, 2 * size + 1 - total);

      total += yard_tftp_netascii_encode (data + consumed, size - consumed, &used,
                                          encoded + total, room, &pending);
      consumed += used;
    }
  decoded = g_malloc (total + 1);
  n = yard_tftp_netascii_decode (encoded, total, decoded, &cr);
  g_assert (!cr);
  g_assert (n == size);
  g_assert (size == 0 || memcmp (decoded, data, size) == 0);
  g_free (encoded);
  g_free (decoded);
  return 0;
}
