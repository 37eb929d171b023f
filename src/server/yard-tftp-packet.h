/* yard-tftp-packet.h: TFTP requests and option negotiation, without sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  YARD_TFTP_OP_RRQ   = 1,
  YARD_TFTP_OP_WRQ   = 2,
  YARD_TFTP_OP_DATA  = 3,
  YARD_TFTP_OP_ACK   = 4,
  YARD_TFTP_OP_ERROR = 5,
  YARD_TFTP_OP_OACK  = 6,
} YardTftpOpcode;

/* RFC 1350 error codes, plus RFC 2347's option negotiation failure. */
typedef enum
{
  YARD_TFTP_ERR_UNDEFINED      = 0,
  YARD_TFTP_ERR_NOT_FOUND      = 1,
  YARD_TFTP_ERR_ACCESS         = 2,
  YARD_TFTP_ERR_DISK_FULL      = 3,
  YARD_TFTP_ERR_ILLEGAL_OP     = 4,
  YARD_TFTP_ERR_UNKNOWN_TID    = 5,
  YARD_TFTP_ERR_EXISTS         = 6,
  YARD_TFTP_ERR_NO_USER        = 7,
  YARD_TFTP_ERR_OPTION_REFUSED = 8,
} YardTftpErrorCode;

typedef enum
{
  YARD_TFTP_MODE_OCTET,
  YARD_TFTP_MODE_NETASCII,
} YardTftpMode;

#define YARD_TFTP_DEFAULT_BLKSIZE 512
#define YARD_TFTP_MIN_BLKSIZE     8
#define YARD_TFTP_MAX_BLKSIZE     65464
#define YARD_TFTP_MIN_TIMEOUT     1
#define YARD_TFTP_MAX_TIMEOUT     255
#define YARD_TFTP_MAX_WINDOWSIZE  65535

/* What a client asked for. Strings point into the packet (NUL-terminated there). Options with
 * a value out of range or not a number are left unset (has_* FALSE): RFC 2347 lets a server
 * ignore what it does not accept, and it then answers only what it did accept. */
typedef struct
{
  YardTftpOpcode  opcode;
  const char     *filename;
  gsize           filename_len;
  YardTftpMode    mode;
  gboolean        has_blksize;
  guint           blksize;     /* 8..65464; a larger request is clamped to 65464 */
  gboolean        has_timeout;
  guint           timeout;     /* seconds, 1..255 */
  gboolean        has_tsize;
  guint64         tsize;       /* 0 in a read request, the file size in a write request */
  gboolean        has_windowsize;
  guint           windowsize;  /* 1..65535 */
  guint           n_options;   /* options seen, including ignored ones */
} YardTftpRequest;

gboolean yard_tftp_parse_request (const guint8     *packet,
                                  gsize             len,
                                  YardTftpRequest  *request,
                                  GError          **error);

/* Writes an OACK for the accepted options into buf (at most buf_size bytes); returns its
 * length, or 0 when there is nothing to acknowledge (then the transfer starts as in RFC 1350).
 * has_tsize with tsize is what to answer (the file's size for a read). */
gsize    yard_tftp_build_oack    (guint8           *buf,
                                  gsize             buf_size,
                                  gboolean          has_blksize,
                                  guint             blksize,
                                  gboolean          has_timeout,
                                  guint             timeout,
                                  gboolean          has_tsize,
                                  guint64           tsize,
                                  gboolean          has_windowsize,
                                  guint             windowsize);

/* Writes an ERROR packet; the message, made plain ASCII, is cut to fit. Returns its length. */
gsize    yard_tftp_build_error   (guint8           *buf,
                                  gsize             buf_size,
                                  YardTftpErrorCode code,
                                  const char       *message);

/* Reads the 16-bit big-endian field at offset 0 and 2 of a DATA/ACK/ERROR packet. */
static inline guint16
yard_tftp_get_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline void
yard_tftp_put_u16 (guint8  *p,
                   guint16  v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) (v & 0xff);
}

/* Netascii (RFC 764 as RFC 1350 uses it): LF -> CR LF, CR -> CR NUL. Converts from in into
 * out until either runs out; *pending carries the second byte of a pair that did not fit
 * (-1 when none). Returns bytes written; *consumed says how many input bytes were used. */
gsize    yard_tftp_netascii_encode (const guint8 *in,
                                    gsize         in_len,
                                    gsize        *consumed,
                                    guint8       *out,
                                    gsize         out_len,
                                    int          *pending);

/* The reverse, for uploads: CR LF -> LF, CR NUL -> CR. *cr_pending is TRUE when the last
 * input byte was a CR whose partner is in the next block. Returns bytes written to out, which
 * must hold in_len + 1 bytes. */
gsize    yard_tftp_netascii_decode (const guint8 *in,
                                    gsize         in_len,
                                    guint8       *out,
                                    gboolean     *cr_pending);

G_END_DECLS
