/* yard-tftp-packet.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything a TFTP request carries is parsed here, from bytes anybody on the network can
 * send, with no sockets and no allocation: the server and the fuzzer share this code. Option
 * rules follow RFC 2347 (names case-insensitive, unknown ones ignored), RFC 2348 (blksize
 * 8..65464, a larger request answered with 65464), RFC 2349 (timeout 1..255, tsize) and
 * RFC 7440 (windowsize 1..65535). A value out of range is ignored, as tftpd-hpa does, so the
 * OACK never holds a value the client did not allow.
 */

#define G_LOG_DOMAIN "yard-tftp-packet"

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-parse.h"
#include "yard-tftp-packet.h"

/* Returns the NUL-terminated field starting at *pos, and moves *pos past its NUL; NULL when
 * the packet ends before a NUL. */
static const char *
next_field (const guint8 *packet,
            gsize         len,
            gsize        *pos,
            gsize        *field_len)
{
  const guint8 *start = packet + *pos;
  const guint8 *nul;

  if (*pos >= len)
    return NULL;
  nul = memchr (start, '\0', len - *pos);
  if (nul == NULL)
    return NULL;
  *field_len = (gsize) (nul - start);
  *pos += *field_len + 1;
  return (const char *) start;
}

gboolean
yard_tftp_parse_request (const guint8     *packet,
                         gsize             len,
                         YardTftpRequest  *request,
                         GError          **error)
{
  const char *mode;
  gsize mode_len;
  gsize pos = 2;
  guint16 opcode;

  g_return_val_if_fail (packet != NULL || len == 0, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  memset (request, 0, sizeof *request);

  if (len < 4)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "Packet too short for a request");
      return FALSE;
    }

  opcode = yard_tftp_get_u16 (packet);
  if (opcode != YARD_TFTP_OP_RRQ && opcode != YARD_TFTP_OP_WRQ)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "Opcode %u is not a read or write request", opcode);
      return FALSE;
    }
  request->opcode = opcode;

  request->filename = next_field (packet, len, &pos, &request->filename_len);
  if (request->filename == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "File name not terminated");
      return FALSE;
    }

  mode = next_field (packet, len, &pos, &mode_len);
  if (mode == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL, "Transfer mode missing");
      return FALSE;
    }
  if (mode_len == 5 && g_ascii_strncasecmp (mode, "octet", 5) == 0)
    request->mode = YARD_TFTP_MODE_OCTET;
  else if (mode_len == 8 && g_ascii_strncasecmp (mode, "netascii", 8) == 0)
    request->mode = YARD_TFTP_MODE_NETASCII;
  else
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "Transfer mode “%.*s” is not supported: use octet or netascii",
                   (int) MIN (mode_len, 32), mode);
      return FALSE;
    }

  /* Options: name NUL value NUL, repeated. A trailing half option (some clients pad the
   * packet) is ignored; the first occurrence of an option wins. */
  for (;;)
    {
      const char *name;
      const char *value;
      gsize name_len, value_len;
      guint64 n;

      name = next_field (packet, len, &pos, &name_len);
      if (name == NULL)
        break;
      value = next_field (packet, len, &pos, &value_len);
      if (value == NULL)
        break;
      if (name_len == 0)
        continue;

      request->n_options++;

      if (name_len == 7 && g_ascii_strncasecmp (name, "blksize", 7) == 0)
        {
          if (!request->has_blksize && yard_parse_decimal (value, value_len, &n) &&
              n >= YARD_TFTP_MIN_BLKSIZE)
            {
              request->has_blksize = TRUE;
              request->blksize = (guint) MIN (n, (guint64) YARD_TFTP_MAX_BLKSIZE);
            }
        }
      else if (name_len == 7 && g_ascii_strncasecmp (name, "timeout", 7) == 0)
        {
          if (!request->has_timeout && yard_parse_decimal (value, value_len, &n) &&
              n >= YARD_TFTP_MIN_TIMEOUT && n <= YARD_TFTP_MAX_TIMEOUT)
            {
              request->has_timeout = TRUE;
              request->timeout = (guint) n;
            }
        }
      else if (name_len == 5 && g_ascii_strncasecmp (name, "tsize", 5) == 0)
        {
          if (!request->has_tsize && yard_parse_decimal (value, value_len, &n))
            {
              request->has_tsize = TRUE;
              request->tsize = n;
            }
        }
      else if (name_len == 10 && g_ascii_strncasecmp (name, "windowsize", 10) == 0)
        {
          if (!request->has_windowsize && yard_parse_decimal (value, value_len, &n) &&
              n >= 1 && n <= YARD_TFTP_MAX_WINDOWSIZE)
            {
              request->has_windowsize = TRUE;
              request->windowsize = (guint) n;
            }
        }
      /* Anything else (utimeout, multicast, rollover, ...) is not ours to answer. */
    }

  return TRUE;
}

static gboolean
append_option (guint8     *buf,
               gsize       buf_size,
               gsize      *pos,
               const char *name,
               guint64     value)
{
  char number[24];
  gsize name_len = strlen (name);
  gsize number_len = (gsize) g_snprintf (number, sizeof number, "%" G_GUINT64_FORMAT, value);

  if (*pos + name_len + 1 + number_len + 1 > buf_size)
    return FALSE;
  memcpy (buf + *pos, name, name_len + 1);
  *pos += name_len + 1;
  memcpy (buf + *pos, number, number_len + 1);
  *pos += number_len + 1;
  return TRUE;
}

gsize
yard_tftp_build_oack (guint8   *buf,
                      gsize     buf_size,
                      gboolean  has_blksize,
                      guint     blksize,
                      gboolean  has_timeout,
                      guint     timeout,
                      gboolean  has_tsize,
                      guint64   tsize,
                      gboolean  has_windowsize,
                      guint     windowsize)
{
  gsize pos = 2;

  g_return_val_if_fail (buf != NULL, 0);

  if (!(has_blksize || has_timeout || has_tsize || has_windowsize) || buf_size < 2)
    return 0;

  yard_tftp_put_u16 (buf, YARD_TFTP_OP_OACK);
  if ((has_blksize && !append_option (buf, buf_size, &pos, "blksize", blksize)) ||
      (has_timeout && !append_option (buf, buf_size, &pos, "timeout", timeout)) ||
      (has_tsize && !append_option (buf, buf_size, &pos, "tsize", tsize)) ||
      (has_windowsize && !append_option (buf, buf_size, &pos, "windowsize", windowsize)))
    return 0;
  return pos;
}

/* The ASCII a character of an error message becomes on the wire. */
static const char *
ascii_for (gunichar c)
{
  switch (c)
    {
    case 0x201c: case 0x201d: case 0x201e: case 0x00ab: case 0x00bb:
      return "\"";
    case 0x2018: case 0x2019: case 0x201a:
      return "'";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
      return "-";
    case 0x2026:
      return "...";
    case 0x00a0:
      return " ";
    default:
      return "?";
    }
}

/* RFC 1350 messages are netascii, and a PXE ROM prints them as bytes: our messages' quotes
 * and any other UTF-8 (or bytes that are not UTF-8, from a file name the client sent) become
 * plain ASCII, control characters a space. */
gsize
yard_tftp_build_error (guint8            *buf,
                       gsize              buf_size,
                       YardTftpErrorCode  code,
                       const char        *message)
{
  gsize room, pos = 4;
  const char *p;

  g_return_val_if_fail (buf != NULL && buf_size >= 5, 0);

  if (message == NULL)
    message = "";
  room = buf_size - 1; /* the NUL */
  yard_tftp_put_u16 (buf, YARD_TFTP_OP_ERROR);
  yard_tftp_put_u16 (buf + 2, code);
  for (p = message; *p != '\0' && pos < room; )
    {
      guchar byte = (guchar) *p;
      const char *ascii;
      gsize ascii_len;

      if (byte < 0x80)
        {
          buf[pos++] = byte < 0x20 || byte == 0x7f ? ' ' : byte;
          p++;
          continue;
        }
      {
        gunichar c = g_utf8_get_char_validated (p, -1);

        if (c == (gunichar) -1 || c == (gunichar) -2)
          {
            ascii = "?";
            p++;
          }
        else
          {
            ascii = ascii_for (c);
            p = g_utf8_next_char (p);
          }
      }
      ascii_len = strlen (ascii);
      if (pos + ascii_len > room)
        break;
      memcpy (buf + pos, ascii, ascii_len);
      pos += ascii_len;
    }
  buf[pos] = '\0';
  return pos + 1;
}

gsize
yard_tftp_netascii_encode (const guint8 *in,
                           gsize         in_len,
                           gsize        *consumed,
                           guint8       *out,
                           gsize         out_len,
                           int          *pending)
{
  gsize o = 0;
  gsize i = 0;

  if (*pending >= 0 && o < out_len)
    {
      out[o++] = (guint8) *pending;
      *pending = -1;
    }

  while (o < out_len && i < in_len)
    {
      guint8 c = in[i++];

      if (c == '\n' || c == '\r')
        {
          guint8 second = c == '\n' ? '\n' : '\0';

          out[o++] = '\r';
          if (o < out_len)
            out[o++] = second;
          else
            *pending = second;
        }
      else
        out[o++] = c;
    }

  *consumed = i;
  return o;
}

gsize
yard_tftp_netascii_decode (const guint8 *in,
                           gsize         in_len,
                           guint8       *out,
                           gboolean     *cr_pending)
{
  gsize o = 0;

  for (gsize i = 0; i < in_len; i++)
    {
      guint8 c = in[i];

      if (*cr_pending)
        {
          *cr_pending = FALSE;
          if (c == '\n')
            {
              out[o++] = '\n';
              continue;
            }
          out[o++] = '\r';
          if (c == '\0')
            continue;
        }
      if (c == '\r')
        *cr_pending = TRUE;
      else
        out[o++] = c;
    }
  return o;
}
