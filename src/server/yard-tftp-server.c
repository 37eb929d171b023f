/* yard-tftp-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TFTP server. Requests arrive on the listening socket; each transfer then gets its own
 * connected UDP socket on an ephemeral port (its TID, RFC 1350) and its own GSource on the
 * main context, which watches that socket and the transfer's retransmission deadline. No
 * thread and no process per client.
 *
 * The data path reads a window of blocks (at least 32 KiB) with one pread into a buffer the
 * transfer keeps, and sends the whole window with one sendmmsg: a header and a slice of that
 * buffer per packet, no copy. An ACK for the block before the window (a duplicate) never
 * triggers a resend: only the timeout does (no Sorcerer's Apprentice). An ACK inside the
 * window restarts it right after the acknowledged block (RFC 7440).
 */

#define G_LOG_DOMAIN "yard-tftp-server"
#define _GNU_SOURCE /* sendmmsg, in6_pktinfo */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "yard-error.h"
#include "yard-fd-limits.h"
#include "yard-host-table.h"
#include "yard-rate-limit.h"
#include "yard-root-file.h"
#include "yard-socket.h"
#include "yard-tftp-packet.h"
#include "yard-tftp-server.h"

#define DEFAULT_TIMEOUT_S     1
#define MAX_TRIES             5       /* sends of the same window before the client is dropped */
/* Until its first block is acknowledged, a client has sent one packet, which anybody can send
 * with any source address: it gets this long in all, whatever timeout it asked for. */
#define FIRST_BLOCK_US        (3 * G_USEC_PER_SEC)
/* One address cannot take the slots the others need (dnsmasq's --tftp-max, per client):
 * yard-fd-limits sizes both with HTTP's (14 of 224 at systemd's 1024 descriptors). */
#define REFUSAL_LOG_INTERVAL_US (10 * G_USEC_PER_SEC)
#define MIN_READ_AHEAD        (16 * 1024)
#define MAX_WINDOW_BYTES      (512 * 1024)
#define PROGRESS_INTERVAL_US  (250 * G_TIME_SPAN_MILLISECOND)
#define MAX_REQUESTS_PER_WAKE 64
#define RX_SIZE               (YARD_TFTP_MAX_BLKSIZE + 4 + 1)

typedef struct _Transfer Transfer;

struct _YardTftpServer
{
  GObject     parent_instance;
  char       *root_dir;      /* construct-only */
  gboolean    allow_upload;
  int         root_fd;       /* -1 while stopped */
  GSocket    *socket;        /* NULL while stopped */
  guint       listen_id;
  guint16     port;
  guint       max_transfers; /* what the fd limit allows: a socket and a file each */
  guint       max_per_address;
  GHashTable *transfers;     /* peer "addr port" -> Transfer (a GSource) */
  GHashTable *per_address;   /* peer address -> GUINT_TO_POINTER (transfers it runs) */
  YardRateLimit refusals;    /* "busy" and "too many from one address" in the log */
  guint8     *rx;            /* RX_SIZE bytes, shared by every receive on the main loop */
};

G_DEFINE_FINAL_TYPE (YardTftpServer, yard_tftp_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOT_DIR,
  PROP_ALLOW_UPLOAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TRANSFER_EVENT,
  SIGNAL_MACHINE_REPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _Transfer
{
  GSource          source;
  YardTftpServer  *server;        /* unowned: the server destroys its transfers on stop */
  int              fd;            /* connected to the peer */
  gpointer         fd_tag;
  GIOCondition     fd_events;
  char            *key;           /* owned by the server's table */
  char            *peer;
  char            *address;       /* the peer without its port: the per-address count's key */
  char            *file;
  gboolean         upload;
  YardTftpMode     mode;
  guint            blksize;
  guint            windowsize;
  guint            timeout_s;
  guint            tries;
  gint64           started_us;
  gint64           last_progress_us;
  gint64           deadline_us;
  gboolean         got_packet;    /* the client answered at least once */
  gboolean         report;        /* a machine report's empty answer: no transfer events */
  gboolean         done;          /* upload complete: only re-ACKs a repeated last block */
  guint8          *ctl;           /* OACK or ACK to resend on timeout */
  gsize            ctl_len;
  gboolean         ctl_pending;   /* an OACK not answered yet (downloads) */

  /* Downloads */
  int              file_fd;
  gint64           size;          /* -1 when unknown (netascii until EOF) */
  guint64          acked;         /* last acknowledged block, counted past 65535 */
  guint64          window_end;    /* last block of the window on the wire */
  guint64          last_block;    /* the final (short) block; 0 until known */
  guint64          bytes_sent;    /* bytes acknowledged by the client */
  guint8          *buf;
  gsize            buf_size;
  guint64          buf_start;     /* octet: file offset of buf; netascii: block of buf */
  gsize            buf_len;
  guint64          na_offset;     /* netascii: next file byte to convert */
  int              na_pending;
  gboolean         na_eof;
  struct mmsghdr  *msgs;
  struct iovec    *iov;
  guint8          *headers;
  guint            send_pos;      /* packets of msgs already sent */
  guint            send_count;

  /* Uploads */
  int              dir_fd;
  char            *base_name;
  char            *tmp_name;
  guint64          received;      /* last block received in order */
  guint            window_count;
  gboolean         cr_pending;
};

static void transfer_finish (Transfer   *t,
                             const char *error_message);

/* Events ------------------------------------------------------------------------------------ */

static void
emit_transfer_event (Transfer   *t,
                     const char *kind,
                     const char *error_message)
{
  g_autoptr(JsonObject) payload = NULL;
  gint64 now = g_get_monotonic_time ();

  if (t->report ||
      !g_signal_has_handler_pending (t->server, signals[SIGNAL_TRANSFER_EVENT], 0, FALSE))
    return;

  payload = json_object_new ();
  json_object_set_string_member (payload, "peer", t->peer);
  json_object_set_string_member (payload, "file", t->file);
  json_object_set_string_member (payload, "direction", t->upload ? "write" : "read");
  json_object_set_string_member (payload, "mode",
                                 t->mode == YARD_TFTP_MODE_OCTET ? "octet" : "netascii");
  json_object_set_int_member (payload, "size", t->size);
  json_object_set_int_member (payload, "bytesSent", (gint64) t->bytes_sent);
  json_object_set_int_member (payload, "blksize", t->blksize);
  json_object_set_int_member (payload, "windowsize", t->windowsize);
  json_object_set_int_member (payload, "durationMs", (now - t->started_us) / 1000);
  if (error_message != NULL)
    json_object_set_string_member (payload, "error", error_message);
  g_signal_emit (t->server, signals[SIGNAL_TRANSFER_EVENT], 0, kind, payload);
}

/* Sockets ----------------------------------------------------------------------------------- */

/* "addr:port" ("[addr]:port" for IPv6); *address gets the address alone. */
static char *
format_peer (const struct sockaddr  *sa,
             socklen_t               len,
             char                  **address)
{
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  const char *h = host;

  if (getnameinfo (sa, len, host, sizeof host, serv, sizeof serv,
                   NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    {
      *address = g_strdup ("?");
      return g_strdup ("?");
    }
  if (g_str_has_prefix (host, "::ffff:") && strchr (host, '.') != NULL)
    h = host + 7;
  *address = g_strdup (h);
  if (strchr (h, ':') != NULL)
    return g_strdup_printf ("[%s]:%s", h, serv);
  return g_strdup_printf ("%s:%s", h, serv);
}

/* The client acknowledged its first block (a download) or sent it (an upload). */
static gboolean
transfer_past_first_block (Transfer *t)
{
  return t->upload ? t->received > 0 : t->acked > 0;
}

static void
transfer_arm_timer (Transfer *t)
{
  gint64 now = g_get_monotonic_time ();

  if (transfer_past_first_block (t))
    t->deadline_us = now + (gint64) t->timeout_s * G_USEC_PER_SEC;
  else
    /* Resent every second at most, and not past FIRST_BLOCK_US from the request: a flood of
     * requests that never answer holds its slots for seconds, not 5 x 255 s. */
    t->deadline_us = MIN (now + G_USEC_PER_SEC, t->started_us + FIRST_BLOCK_US);
  /* The source wakes at the earliest deadline it was given and re-arms itself when the
   * deadline moved on since: one call per window is cheaper than one per ACK. */
  if (g_source_get_ready_time ((GSource *) t) < 0)
    g_source_set_ready_time ((GSource *) t, t->deadline_us);
}

static void
transfer_want_writable (Transfer *t,
                        gboolean  writable)
{
  GIOCondition events = G_IO_IN | G_IO_ERR | G_IO_HUP | (writable ? G_IO_OUT : 0);

  if (events != t->fd_events)
    {
      g_source_modify_unix_fd ((GSource *) t, t->fd_tag, events);
      t->fd_events = events;
    }
}

/* Sends packets [send_pos, send_count) of msgs; FALSE on a hard error (the peer went away). */
static gboolean
transfer_flush (Transfer *t)
{
  while (t->send_pos < t->send_count)
    {
      int n = sendmmsg (t->fd, t->msgs + t->send_pos, t->send_count - t->send_pos, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == ENOBUFS)
            {
              transfer_want_writable (t, TRUE);
              return TRUE;
            }
          return FALSE;
        }
      t->send_pos += (guint) n;
    }
  transfer_want_writable (t, FALSE);
  return TRUE;
}

static gboolean
transfer_send_ctl (Transfer *t)
{
  if (send (t->fd, t->ctl, t->ctl_len, 0) < 0 && errno != EAGAIN && errno != ENOBUFS)
    return FALSE;
  transfer_arm_timer (t);
  return TRUE;
}

static void
transfer_send_error (Transfer          *t,
                     YardTftpErrorCode  code,
                     const char        *message)
{
  guint8 pkt[512];
  gsize len = yard_tftp_build_error (pkt, sizeof pkt, code, message);

  (void) send (t->fd, pkt, len, 0);
}

/* Downloads --------------------------------------------------------------------------------- */

static gboolean
read_full (int      fd,
           guint8  *buf,
           gsize    size,
           guint64  offset,
           gsize   *out_len)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = pread (fd, buf + done, size - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      done += (gsize) n;
    }
  *out_len = done;
  return TRUE;
}

/* Makes sure buf holds the octet bytes of blocks [first, first + n); returns the pointer to
 * block first and sets *avail to the bytes there, NULL on a read error. */
static const guint8 *
octet_window (Transfer *t,
              guint64   first,
              guint     n,
              gsize    *avail)
{
  guint64 offset = (first - 1) * t->blksize;
  guint64 end = MIN (offset + (guint64) n * t->blksize, (guint64) t->size);

  if (offset < t->buf_start || end > t->buf_start + t->buf_len)
    {
      t->buf_len = 0;  /* a failed read leaves nothing that looks valid */
      if (!read_full (t->file_fd, t->buf, t->buf_size, offset, &t->buf_len))
        return NULL;
      t->buf_start = offset;
    }
  if (end > t->buf_start + t->buf_len)
    {
      errno = EIO; /* the file shrank while we served it */
      return NULL;
    }
  *avail = (gsize) (t->buf_start + t->buf_len - offset);
  return t->buf + (offset - t->buf_start);
}

/* Netascii: buf holds the converted bytes from block buf_start on. Drops the blocks before
 * first and converts more of the file until n blocks are there or the file ended. */
static const guint8 *
netascii_window (Transfer *t,
                 guint64   first,
                 guint     n,
                 gsize    *avail)
{
  gsize want = (gsize) n * t->blksize;

  if (first > t->buf_start)
    {
      gsize drop = MIN ((gsize) (first - t->buf_start) * t->blksize, t->buf_len);

      memmove (t->buf, t->buf + drop, t->buf_len - drop);
      t->buf_len -= drop;
      t->buf_start = first;
    }

  while (t->buf_len < want && !(t->na_eof && t->na_pending < 0))
    {
      guint8 raw[8192];
      gsize raw_len = 0;
      gsize consumed = 0;

      if (!t->na_eof)
        {
          if (!read_full (t->file_fd, raw, MIN (sizeof raw, want - t->buf_len), t->na_offset,
                          &raw_len))
            return NULL;
          if (raw_len == 0)
            t->na_eof = TRUE;
        }
      t->buf_len += yard_tftp_netascii_encode (raw, raw_len, &consumed, t->buf + t->buf_len,
                                               want - t->buf_len, &t->na_pending);
      t->na_offset += consumed;
    }

  if (t->buf_len < want)
    {
      t->last_block = t->buf_start + t->buf_len / t->blksize;
      t->size = (gint64) ((t->buf_start - 1) * t->blksize + t->buf_len);
    }
  *avail = t->buf_len;
  return t->buf;
}

/* Sends the window that starts right after the last acknowledged block. */
static gboolean
transfer_send_window (Transfer *t)
{
  guint64 first = t->acked + 1;
  guint n = t->windowsize;
  const guint8 *data;
  gsize avail = 0;

  if (t->last_block != 0)
    n = (guint) MIN ((guint64) n, t->last_block - t->acked);

  if (t->mode == YARD_TFTP_MODE_OCTET)
    data = octet_window (t, first, n, &avail);
  else
    data = netascii_window (t, first, n, &avail);
  if (data == NULL)
    {
      transfer_send_error (t, YARD_TFTP_ERR_UNDEFINED, "Read error on the server");
      transfer_finish (t, g_strerror (errno));
      return FALSE;
    }
  if (t->last_block != 0)
    n = (guint) MIN ((guint64) n, t->last_block - t->acked);

  for (guint i = 0; i < n; i++)
    {
      guint64 block = first + i;
      gsize off = (gsize) i * t->blksize;
      gsize len = off < avail ? MIN (avail - off, t->blksize) : 0;
      guint8 *h = t->headers + 4 * i;

      yard_tftp_put_u16 (h, YARD_TFTP_OP_DATA);
      yard_tftp_put_u16 (h + 2, (guint16) (block & 0xffff));
      t->iov[2 * i].iov_base = h;
      t->iov[2 * i].iov_len = 4;
      t->iov[2 * i + 1].iov_base = (void *) (data + off);
      t->iov[2 * i + 1].iov_len = len;
      t->msgs[i].msg_hdr.msg_iov = &t->iov[2 * i];
      t->msgs[i].msg_hdr.msg_iovlen = 2;
    }
  t->window_end = t->acked + n;
  t->send_pos = 0;
  t->send_count = n;
  transfer_arm_timer (t);

  if (!transfer_flush (t))
    {
      transfer_finish (t, "The client went away");
      return FALSE;
    }

  /* The window is in the socket now (UDP copies on send), so the buffer is free: read the next
   * window while the client works on this one, as tftpd-hpa reads ahead, and its ACK finds the
   * data there. A resend reads its window again. */
  if (t->mode == YARD_TFTP_MODE_OCTET && t->send_pos == t->send_count &&
      t->window_end < t->last_block)
    {
      gsize ahead;

      octet_window (t, t->window_end + 1,
                    (guint) MIN ((guint64) t->windowsize, t->last_block - t->window_end), &ahead);
    }
  return TRUE;
}

static void
transfer_maybe_progress (Transfer *t)
{
  gint64 now = g_get_monotonic_time ();

  if (now - t->last_progress_us >= PROGRESS_INTERVAL_US)
    {
      t->last_progress_us = now;
      emit_transfer_event (t, "transfer-progress", NULL);
    }
}

static void
download_handle (Transfer     *t,
                 const guint8 *pkt,
                 gsize         len)
{
  guint16 block = yard_tftp_get_u16 (pkt + 2);
  guint64 delta, acked;

  if (t->ctl_pending)
    {
      if (block != 0)
        return;
      t->ctl_pending = FALSE;
      t->tries = 0;
      transfer_send_window (t);
      return;
    }

  /* The block number as the client counts it, mapped into the window on the wire. */
  delta = (guint64) ((guint16) (block - (guint16) (t->acked & 0xffff)));
  acked = t->acked + delta;
  if (delta == 0 || acked > t->window_end)
    return; /* a duplicate or stale ACK: only the timeout resends */

  t->bytes_sent = acked * t->blksize;
  if (t->size >= 0)
    t->bytes_sent = MIN (t->bytes_sent, (guint64) t->size);
  t->acked = acked;
  t->tries = 0;

  if (acked == t->last_block)
    {
      transfer_finish (t, NULL);
      return;
    }
  if (acked != t->window_end)
    g_debug ("%s %s: ACK %" G_GUINT64_FORMAT " inside the window ending at %" G_GUINT64_FORMAT
             ", restarting there", t->peer, t->file, acked, t->window_end);
  transfer_maybe_progress (t);
  /* Either the window is complete, or the client lost block acked + 1 and says so:
   * both continue right after the acknowledged block (RFC 7440). */
  transfer_send_window (t);
}

/* Uploads ----------------------------------------------------------------------------------- */

static void
set_ack (Transfer *t,
         guint64   block)
{
  yard_tftp_put_u16 (t->ctl, YARD_TFTP_OP_ACK);
  yard_tftp_put_u16 (t->ctl + 2, (guint16) (block & 0xffff));
  t->ctl_len = 4;
}

static gboolean
write_full (int           fd,
            const guint8 *data,
            gsize         len,
            guint64       offset)
{
  while (len > 0)
    {
      ssize_t n = pwrite (fd, data, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
      offset += (guint64) n;
    }
  return TRUE;
}

static void
upload_complete (Transfer *t)
{
  if ((t->cr_pending && !write_full (t->file_fd, (const guint8 *) "\r", 1, t->bytes_sent)) ||
      fsync (t->file_fd) != 0 ||
      renameat (t->dir_fd, t->tmp_name, t->dir_fd, t->base_name) != 0)
    {
      int saved = errno;
      transfer_send_error (t, saved == ENOSPC ? YARD_TFTP_ERR_DISK_FULL : YARD_TFTP_ERR_ACCESS,
                           "Cannot store the file");
      transfer_finish (t, g_strerror (saved));
      return;
    }
  g_clear_pointer (&t->tmp_name, g_free);
  t->size = (gint64) t->bytes_sent;
  t->done = TRUE;
  (void) send (t->fd, t->ctl, t->ctl_len, 0);
  emit_transfer_event (t, "transfer-finished", NULL);
  {
    double seconds = MAX (g_get_monotonic_time () - t->started_us, 1) / (double) G_USEC_PER_SEC;

    g_message ("Received %s from %s: %" G_GUINT64_FORMAT " bytes in %.3f s (%.1f MiB/s, "
               "blksize %u, windowsize %u)", t->file, t->peer, t->bytes_sent, seconds,
               t->bytes_sent / 1048576.0 / seconds, t->blksize, t->windowsize);
  }
  /* Stay a little (RFC 1350's dally) to ACK the last block again if our ACK got lost. */
  transfer_arm_timer (t);
}

static void
upload_write_failed (Transfer *t)
{
  int saved = errno;

  transfer_send_error (t, saved == ENOSPC ? YARD_TFTP_ERR_DISK_FULL : YARD_TFTP_ERR_UNDEFINED,
                       "Cannot write the file");
  transfer_finish (t, g_strerror (saved));
}

static void
upload_handle (Transfer     *t,
               const guint8 *pkt,
               gsize         len)
{
  guint16 block = yard_tftp_get_u16 (pkt + 2);
  guint64 expected = t->received + 1;
  const guint8 *data = pkt + 4;
  gsize data_len = len - 4;

  if (t->done || block != (guint16) (expected & 0xffff))
    {
      /* A repeat or a gap: tell the client where we are (RFC 7440 restarts from there). */
      set_ack (t, t->received);
      t->window_count = 0;
      if (!transfer_send_ctl (t))
        transfer_finish (t, "The client went away");
      return;
    }

  if (data_len > t->blksize)
    {
      transfer_send_error (t, YARD_TFTP_ERR_ILLEGAL_OP, "Block larger than the block size");
      transfer_finish (t, "The client sent a block larger than the block size");
      return;
    }

  if (t->mode == YARD_TFTP_MODE_NETASCII)
    {
      g_autofree guint8 *decoded = g_malloc (data_len + 1);
      gsize n = yard_tftp_netascii_decode (data, data_len, decoded, &t->cr_pending);

      if (!write_full (t->file_fd, decoded, n, t->bytes_sent))
        {
          upload_write_failed (t);
          return;
        }
      t->bytes_sent += n;
    }
  else
    {
      if (!write_full (t->file_fd, data, data_len, t->bytes_sent))
        {
          upload_write_failed (t);
          return;
        }
      t->bytes_sent += data_len;
    }

  t->received = expected;
  t->tries = 0;
  t->window_count++;

  if (data_len < t->blksize)
    {
      /* The last ACK says the file is stored: rename first, then answer. */
      set_ack (t, t->received);
      upload_complete (t);
      return;
    }

  transfer_maybe_progress (t);
  if (t->window_count >= t->windowsize)
    {
      t->window_count = 0;
      set_ack (t, t->received);
      if (!transfer_send_ctl (t))
        transfer_finish (t, "The client went away");
    }
  else
    transfer_arm_timer (t);
}

/* The transfer's source --------------------------------------------------------------------- */

static void
transfer_handle_packet (Transfer     *t,
                        const guint8 *pkt,
                        gsize         len)
{
  guint16 opcode;

  if (len < 4)
    return;
  opcode = yard_tftp_get_u16 (pkt);
  t->got_packet = TRUE;

  if (opcode == YARD_TFTP_OP_ERROR)
    {
      g_autofree char *msg = g_strndup ((const char *) pkt + 4, MIN (len - 4, 200));
      g_autofree char *valid = g_utf8_make_valid (msg, -1);
      g_autofree char *why = g_strdup_printf ("The client aborted: %s (code %u)", valid,
                                              yard_tftp_get_u16 (pkt + 2));
      if (t->done)
        transfer_finish (t, NULL);
      else
        transfer_finish (t, why);
      return;
    }

  if (!t->upload && opcode == YARD_TFTP_OP_ACK)
    download_handle (t, pkt, len);
  else if (t->upload && opcode == YARD_TFTP_OP_DATA)
    upload_handle (t, pkt, len);
}

static void
transfer_timeout (Transfer *t)
{
  if (t->done)
    {
      transfer_finish (t, NULL);
      return;
    }

  g_debug ("%s %s: timeout after block %" G_GUINT64_FORMAT " (try %u)", t->peer, t->file,
           t->acked, t->tries + 1);
  if (!transfer_past_first_block (t) &&
      g_get_monotonic_time () >= t->started_us + FIRST_BLOCK_US)
    {
      g_autofree char *why = g_strdup_printf ("The client stopped answering (no first block "
                                              "acknowledged within %d s of the request)",
                                              (int) (FIRST_BLOCK_US / G_USEC_PER_SEC));
      transfer_send_error (t, YARD_TFTP_ERR_UNDEFINED, "Timed out");
      transfer_finish (t, why);
      return;
    }
  if (++t->tries >= MAX_TRIES)
    {
      g_autofree char *why = g_strdup_printf ("The client stopped answering (%u tries, %u s "
                                              "apart)", t->tries, t->timeout_s);
      transfer_send_error (t, YARD_TFTP_ERR_UNDEFINED, "Timed out");
      transfer_finish (t, why);
      return;
    }

  if (t->upload || t->ctl_pending)
    {
      if (!transfer_send_ctl (t))
        transfer_finish (t, "The client went away");
    }
  else
    transfer_send_window (t);
}

static gboolean
transfer_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  Transfer *t = (Transfer *) source;
  GIOCondition revents = g_source_query_unix_fd (source, t->fd_tag);
  gint64 ready = g_source_get_ready_time (source);

  if (revents & G_IO_OUT)
    {
      if (!transfer_flush (t))
        {
          transfer_finish (t, "The client went away");
          return G_SOURCE_CONTINUE;
        }
    }

  if (revents & (G_IO_IN | G_IO_ERR | G_IO_HUP))
    {
      ssize_t n = recv (t->fd, t->server->rx, RX_SIZE, 0);

      if (n < 0 && errno != EAGAIN && errno != EINTR)
        {
          /* ICMP port unreachable on the connected socket: nobody listens any more. */
          transfer_finish (t, "The client went away");
          return G_SOURCE_CONTINUE;
        }
      if (n >= 0)
        transfer_handle_packet (t, t->server->rx, (gsize) n);
      if (g_source_is_destroyed (source))
        return G_SOURCE_CONTINUE;
    }

  if (ready >= 0 && g_source_get_time (source) >= ready)
    {
      if (g_source_get_time (source) >= t->deadline_us)
        {
          g_source_set_ready_time (source, -1);
          transfer_timeout (t);
          if (!g_source_is_destroyed (source) && g_source_get_ready_time (source) < 0)
            g_source_set_ready_time (source, t->deadline_us);
        }
      else
        g_source_set_ready_time (source, t->deadline_us);
    }
  return G_SOURCE_CONTINUE;
}

static void
transfer_source_finalize (GSource *source)
{
  Transfer *t = (Transfer *) source;

  if (t->fd >= 0)
    close (t->fd);
  if (t->file_fd >= 0)
    close (t->file_fd);
  if (t->tmp_name != NULL && t->dir_fd >= 0)
    unlinkat (t->dir_fd, t->tmp_name, 0);
  if (t->dir_fd >= 0)
    close (t->dir_fd);
  g_free (t->peer);
  g_free (t->address);
  g_free (t->file);
  g_free (t->ctl);
  g_free (t->buf);
  g_free (t->msgs);
  g_free (t->iov);
  g_free (t->headers);
  g_free (t->base_name);
  g_free (t->tmp_name);
}

static GSourceFuncs transfer_source_funcs = {
  .dispatch = transfer_dispatch,
  .finalize = transfer_source_finalize,
};

/* Ends a transfer: error_message NULL means it completed. Frees the socket, the file and the
 * buffers (the source's finalize) once the main loop lets go of it. */
static void
transfer_finish (Transfer   *t,
                 const char *error_message)
{
  YardTftpServer *self = t->server;
  gint64 elapsed_us = MAX (g_get_monotonic_time () - t->started_us, 1);

  if (error_message != NULL)
    {
      emit_transfer_event (t, "transfer-failed", error_message);
      g_message ("%s %s %s failed after %" G_GUINT64_FORMAT " bytes: %s",
                 t->upload ? "Upload of" : "Transfer of", t->file, t->upload ? "from" : "to",
                 t->bytes_sent, error_message);
    }
  else if (!t->upload)
    {
      emit_transfer_event (t, "transfer-finished", NULL);
      g_message ("Sent %s to %s: %" G_GUINT64_FORMAT " bytes in %.3f s (%.1f MiB/s, "
                 "blksize %u, windowsize %u)",
                 t->file, t->peer, t->bytes_sent, elapsed_us / (double) G_USEC_PER_SEC,
                 (t->bytes_sent / 1048576.0) / (elapsed_us / (double) G_USEC_PER_SEC),
                 t->blksize, t->windowsize);
    }

  g_source_destroy ((GSource *) t);
  {
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, t->address));

    if (n > 1)
      g_hash_table_insert (self->per_address, g_strdup (t->address), GUINT_TO_POINTER (n - 1));
    else
      g_hash_table_remove (self->per_address, t->address);
  }
  g_hash_table_remove (self->transfers, t->key);
}

/* Requests ---------------------------------------------------------------------------------- */

static void
send_request_error (YardTftpServer        *self,
                    const struct sockaddr *peer,
                    socklen_t              peer_len,
                    YardTftpErrorCode      code,
                    const char            *message)
{
  guint8 pkt[512];
  gsize len = yard_tftp_build_error (pkt, sizeof pkt, code, message);

  (void) sendto (g_socket_get_fd (self->socket), pkt, len, 0, peer, peer_len);
}

static YardTftpErrorCode
error_code_for (const GError *error)
{
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_NOT_FOUND))
    return YARD_TFTP_ERR_NOT_FOUND;
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH) ||
      g_error_matches (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED))
    return YARD_TFTP_ERR_ACCESS;
  return YARD_TFTP_ERR_UNDEFINED;
}

/* A connected socket for the transfer, from the address the client wrote to (so a multi-homed
 * server answers from the right one) on a fresh port. */
static int
open_transfer_socket (YardTftpServer          *self,
                      const struct sockaddr   *peer,
                      socklen_t                peer_len,
                      const struct sockaddr_storage *local,
                      socklen_t                local_len)
{
  int fd = socket (peer->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct sockaddr_storage any = { 0, };
  int off = 0;

  if (fd < 0)
    return -1;
  if (peer->sa_family == AF_INET6)
    (void) setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);

  if (local_len == 0 || bind (fd, (const struct sockaddr *) local, local_len) != 0)
    {
      any.ss_family = peer->sa_family;
      if (bind (fd, (struct sockaddr *) &any,
                peer->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                            : sizeof (struct sockaddr_in)) != 0)
        {
          close (fd);
          return -1;
        }
    }
  if (connect (fd, peer, peer_len) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Opens the directory an upload goes to, inside the root, and splits off the file's name. */
static int
open_upload_dir (YardTftpServer  *self,
                 const char      *relative,
                 char           **base_name)
{
  g_autofree char *dir = g_path_get_dirname (relative);
  struct open_how how = {
    .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
  };

  *base_name = g_path_get_basename (relative);
  return (int) syscall (SYS_openat2, self->root_fd, dir, &how, sizeof how);
}

static gboolean
transfer_prepare_upload (YardTftpServer  *self,
                         Transfer        *t,
                         const YardTftpRequest *req,
                         YardTftpErrorCode *code,
                         GError         **error)
{
  g_autofree char *relative = yard_root_normalize_name (req->filename, req->filename_len, error);

  if (relative == NULL)
    {
      *code = YARD_TFTP_ERR_ACCESS;
      return FALSE;
    }

  t->dir_fd = open_upload_dir (self, relative, &t->base_name);
  if (t->dir_fd < 0)
    {
      int saved = errno;
      *code = saved == ENOENT || saved == ENOTDIR ? YARD_TFTP_ERR_NOT_FOUND
                                                  : YARD_TFTP_ERR_ACCESS;
      g_set_error (error, YARD_ERROR, YARD_ERROR_UNSAFE_PATH,
                   "Cannot upload “%s”: %s", relative, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < 16 && t->file_fd < 0; i++)
    {
      g_free (t->tmp_name);
      t->tmp_name = g_strdup_printf (".%s.upload-%08x", t->base_name, g_random_int ());
      t->file_fd = openat (t->dir_fd, t->tmp_name,
                           O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (t->file_fd < 0 && errno != EEXIST)
        break;
    }
  if (t->file_fd < 0)
    {
      int saved = errno;
      g_clear_pointer (&t->tmp_name, g_free);
      *code = saved == ENOSPC ? YARD_TFTP_ERR_DISK_FULL : YARD_TFTP_ERR_ACCESS;
      g_set_error (error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                   "Cannot upload “%s”: %s", relative, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* A request refused for want of a slot: logged at most once per REFUSAL_LOG_INTERVAL_US, with
 * how many were refused in between, so that a flood does not bury the log. */
static void
log_refusal (YardTftpServer *self,
             const char     *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
log_refusal (YardTftpServer *self,
             const char     *format,
             ...)
{
  g_autofree char *text = NULL;
  guint suppressed = 0;
  va_list args;

  if (!yard_rate_limit_check (&self->refusals, g_get_monotonic_time (), REFUSAL_LOG_INTERVAL_US,
                              &suppressed))
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (suppressed > 0)
    g_message ("%s; %u more requests refused since the last such message", text, suppressed);
  else
    g_message ("%s", text);
}

/* Answers a request that will not become a transfer, and frees what was made for it. */
static void
refuse_request (YardTftpServer        *self,
                Transfer              *t,
                const struct sockaddr *peer,
                socklen_t              peer_len,
                YardTftpErrorCode      code,
                const GError          *error)
{
  g_message ("Refused %s of “%s” %s %s: %s", t->upload ? "an upload" : "a transfer",
             t->file, t->upload ? "from" : "to", t->peer, error->message);
  send_request_error (self, peer, peer_len, code, error->message);
  if (!t->upload && g_signal_has_handler_pending (self, signals[SIGNAL_TRANSFER_EVENT], 0, FALSE))
    {
      g_autoptr(JsonObject) payload = json_object_new ();

      json_object_set_string_member (payload, "peer", t->peer);
      json_object_set_string_member (payload, "file", t->file);
      json_object_set_string_member (payload, "reason",
                                     code == YARD_TFTP_ERR_NOT_FOUND ? "not-found"
                                     : code == YARD_TFTP_ERR_ACCESS ? "forbidden" : "refused");
      json_object_set_string_member (payload, "error", error->message);
      g_signal_emit (self, signals[SIGNAL_TRANSFER_EVENT], 0, "transfer-refused", payload);
    }
  g_source_unref ((GSource *) t);
}

static void
handle_request (YardTftpServer                *self,
                const guint8                  *pkt,
                gsize                          len,
                const struct sockaddr         *peer,
                socklen_t                      peer_len,
                const struct sockaddr_storage *local,
                socklen_t                      local_len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *peer_str = NULL;
  g_autofree char *address = NULL;
  YardTftpErrorCode code = YARD_TFTP_ERR_UNDEFINED;
  YardTftpRequest req;
  Transfer *t, *existing;
  guint8 oack[128];
  gsize oack_len;
  guint max_window;
  guint from_address;

  peer_str = format_peer (peer, peer_len, &address);

  if (!yard_tftp_parse_request (pkt, len, &req, &error))
    {
      g_debug ("Bad request from %s: %s", peer_str, error->message);
      /* An answer to garbage that is not even a request would let anybody make us talk. */
      if (len >= 2 && (yard_tftp_get_u16 (pkt) == YARD_TFTP_OP_RRQ ||
                       yard_tftp_get_u16 (pkt) == YARD_TFTP_OP_WRQ))
        send_request_error (self, peer, peer_len, YARD_TFTP_ERR_ILLEGAL_OP, error->message);
      return;
    }

  /* A client that repeats its request before our first answer arrived gets that answer
   * again from the transfer's timer, not a second transfer. */
  key = g_strdup (peer_str);
  existing = g_hash_table_lookup (self->transfers, key);
  if (existing != NULL)
    {
      if (!existing->got_packet)
        return;
      transfer_finish (existing, "The client started over");
    }

  from_address = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
  if (from_address >= self->max_per_address)
    {
      log_refusal (self, "Refused “%.*s” to %s: %u transfers from %s already run (the limit "
                   "per address, so that one machine cannot take what others need)",
                   (int) MIN (req.filename_len, 200), req.filename, peer_str, from_address,
                   address);
      send_request_error (self, peer, peer_len, YARD_TFTP_ERR_UNDEFINED,
                          "Too many transfers from your address, try again when one ends");
      return;
    }

  if (g_hash_table_size (self->transfers) >= self->max_transfers)
    {
      log_refusal (self, "Refused “%.*s” to %s: %u transfers already run (the open file limit, "
                   "ulimit -n, allows no more)", (int) MIN (req.filename_len, 200), req.filename,
                   peer_str, self->max_transfers);
      send_request_error (self, peer, peer_len, YARD_TFTP_ERR_UNDEFINED,
                          "Server busy, try again later");
      return;
    }

  if (req.opcode == YARD_TFTP_OP_WRQ && !self->allow_upload)
    {
      g_message ("Refused an upload of “%.*s” from %s: uploads are off "
                 "(--tftp-allow-upload turns them on)",
                 (int) MIN (req.filename_len, 200), req.filename, peer_str);
      send_request_error (self, peer, peer_len, YARD_TFTP_ERR_ACCESS,
                          "Uploads are not allowed on this server");
      return;
    }

  t = (Transfer *) g_source_new (&transfer_source_funcs, sizeof (Transfer));
  g_source_set_static_name ((GSource *) t, "[yard-tftp-transfer]");
  /* GLib removes and re-adds the fds of a source that cannot recurse around each dispatch,
   * with two eventfd writes and a read: three system calls per packet. Dispatch never
   * iterates the context, so recursion is no concern. */
  g_source_set_can_recurse ((GSource *) t, TRUE);
  t->server = self;
  t->fd = -1;
  t->file_fd = -1;
  t->dir_fd = -1;
  t->na_pending = -1;
  t->peer = g_steal_pointer (&peer_str);
  t->address = g_strdup (address);
  t->file = g_strndup (req.filename, MIN (req.filename_len, YARD_ROOT_NAME_MAX));
  t->upload = req.opcode == YARD_TFTP_OP_WRQ;
  t->mode = req.mode;
  t->blksize = req.has_blksize ? req.blksize : YARD_TFTP_DEFAULT_BLKSIZE;
  t->timeout_s = req.has_timeout ? req.timeout : DEFAULT_TIMEOUT_S;
  /* Our window buffer stays bounded: a smaller windowsize in the OACK is what RFC 7440
   * allows the server to answer. */
  max_window = MAX (1, MAX_WINDOW_BYTES / t->blksize);
  t->windowsize = req.has_windowsize ? MIN (req.windowsize, max_window) : 1;
  t->started_us = g_get_monotonic_time ();
  t->last_progress_us = t->started_us;
  t->size = -1;

  if (t->upload)
    {
      if (!transfer_prepare_upload (self, t, &req, &code, &error))
        {
          refuse_request (self, t, peer, peer_len, code, error);
          return;
        }
    }
  else
    {
      struct stat st = { 0 };
      g_autofree char *report_mac = NULL;
      g_autoptr(YardMachine) machine = NULL;

      /* GRUB's machine report (yard_machine_from_path): kept, and answered with an
       * empty file, which GRUB's "source" reads without a word */
      if (yard_machine_from_path (req.filename, req.filename_len, &report_mac, &machine))
        {
          g_debug ("TFTP: host %s reported its machine", report_mac);
          if (machine != NULL)
            g_signal_emit (self, signals[SIGNAL_MACHINE_REPORTED], 0, report_mac, machine);
          t->report = TRUE;
          t->file_fd = memfd_create ("bootyard-machine-report", MFD_CLOEXEC);
          if (t->file_fd < 0)
            {
              int saved = errno;

              g_set_error (&error, YARD_ERROR, YARD_ERROR_FAILED,
                           "No empty file for the answer: %s", g_strerror (saved));
            }
        }
      else
        t->file_fd = yard_root_open_file (self->root_fd, req.filename, req.filename_len, &st,
                                          &error);
      if (t->file_fd < 0)
        {
          refuse_request (self, t, peer, peer_len, error_code_for (error), error);
          return;
        }
      if (t->mode == YARD_TFTP_MODE_OCTET)
        {
          t->size = st.st_size;
          t->last_block = (guint64) st.st_size / t->blksize + 1;
        }
      t->buf_size = (gsize) t->windowsize * t->blksize;
      if (t->mode == YARD_TFTP_MODE_OCTET)
        t->buf_size = MAX (t->buf_size, MIN_READ_AHEAD);
      t->buf = g_malloc (t->buf_size);
      t->msgs = g_new0 (struct mmsghdr, t->windowsize);
      t->iov = g_new0 (struct iovec, 2 * t->windowsize);
      t->headers = g_malloc (4 * t->windowsize);
    }

  t->fd = open_transfer_socket (self, peer, peer_len, local, local_len);
  if (t->fd < 0)
    {
      int saved = errno;
      g_set_error (&error, YARD_ERROR, YARD_ERROR_FAILED,
                   "No socket for the transfer: %s", g_strerror (saved));
      refuse_request (self, t, peer, peer_len, YARD_TFTP_ERR_UNDEFINED, error);
      return;
    }
  if (!t->upload && (gsize) t->windowsize * (t->blksize + 64) > 128 * 1024)
    {
      int sndbuf = (int) MIN ((gsize) t->windowsize * (t->blksize + 64), 4 * 1024 * 1024);
      (void) setsockopt (t->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    }

  /* tsize is answered with the file's size, except for an empty file: curl (7.88) takes
   * "tsize 0" in an OACK for an error, and leaving an option out is always allowed. */
  oack_len = yard_tftp_build_oack (oack, sizeof oack,
                                   req.has_blksize, t->blksize,
                                   req.has_timeout, t->timeout_s,
                                   req.has_tsize && (t->upload || t->size > 0),
                                   t->upload ? req.tsize : (guint64) MAX (t->size, 0),
                                   req.has_windowsize, t->windowsize);
  t->ctl = g_malloc (MAX (oack_len, 4));
  if (oack_len > 0)
    {
      memcpy (t->ctl, oack, oack_len);
      t->ctl_len = oack_len;
      t->ctl_pending = !t->upload;
    }
  else if (t->upload)
    set_ack (t, 0);

  t->key = g_steal_pointer (&key);
  g_hash_table_insert (self->transfers, t->key, t);
  g_hash_table_insert (self->per_address, g_steal_pointer (&address),
                       GUINT_TO_POINTER (from_address + 1));
  t->fd_events = G_IO_IN | G_IO_ERR | G_IO_HUP;
  t->fd_tag = g_source_add_unix_fd ((GSource *) t, t->fd, t->fd_events);
  g_source_attach ((GSource *) t, NULL);

  g_debug ("%s %s %s (blksize %u, windowsize %u, timeout %u)", t->peer,
           t->upload ? "uploads" : "reads", t->file, t->blksize, t->windowsize, t->timeout_s);
  emit_transfer_event (t, "transfer-started", NULL);

  if (t->ctl_len > 0)
    {
      if (!transfer_send_ctl (t))
        transfer_finish (t, "The client went away");
    }
  else
    transfer_send_window (t);
}

static gboolean
listen_cb (int           fd,
           GIOCondition  condition,
           gpointer      user_data)
{
  YardTftpServer *self = user_data;

  for (guint i = 0; i < MAX_REQUESTS_PER_WAKE; i++)
    {
      struct sockaddr_storage peer;
      struct sockaddr_storage local = { 0, };
      socklen_t local_len = 0;
      union {
        struct cmsghdr align;
        char buf[CMSG_SPACE (sizeof (struct in6_pktinfo)) + CMSG_SPACE (sizeof (struct in_pktinfo))];
      } control;
      struct iovec iov = { self->rx, RX_SIZE };
      struct msghdr msg = {
        .msg_name = &peer,
        .msg_namelen = sizeof peer,
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof control.buf,
      };
      ssize_t n = recvmsg (fd, &msg, MSG_DONTWAIT);

      if (n < 0)
        break;

      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        {
          if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
            {
              struct in_pktinfo info;
              struct sockaddr_in *sin = (struct sockaddr_in *) &local;

              memcpy (&info, CMSG_DATA (c), sizeof info);
              sin->sin_family = AF_INET;
              sin->sin_addr = info.ipi_spec_dst;
              local_len = sizeof *sin;
            }
          else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
            {
              struct in6_pktinfo info;
              struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &local;

              memcpy (&info, CMSG_DATA (c), sizeof info);
              sin6->sin6_family = AF_INET6;
              sin6->sin6_addr = info.ipi6_addr;
              if (IN6_IS_ADDR_LINKLOCAL (&info.ipi6_addr))
                sin6->sin6_scope_id = (uint32_t) info.ipi6_ifindex;
              local_len = sizeof *sin6;
            }
        }

      handle_request (self, self->rx, (gsize) n, (struct sockaddr *) &peer, msg.msg_namelen,
                      &local, local_len);
    }
  return G_SOURCE_CONTINUE;
}

/* GObject ----------------------------------------------------------------------------------- */

static void
yard_tftp_server_dispose (GObject *object)
{
  YardTftpServer *self = YARD_TFTP_SERVER (object);

  yard_tftp_server_stop (self);

  G_OBJECT_CLASS (yard_tftp_server_parent_class)->dispose (object);
}

static void
yard_tftp_server_finalize (GObject *object)
{
  YardTftpServer *self = YARD_TFTP_SERVER (object);

  g_clear_pointer (&self->root_dir, g_free);
  g_clear_pointer (&self->transfers, g_hash_table_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_clear_pointer (&self->rx, g_free);

  G_OBJECT_CLASS (yard_tftp_server_parent_class)->finalize (object);
}

static void
yard_tftp_server_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  YardTftpServer *self = YARD_TFTP_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOT_DIR:
      g_value_set_string (value, self->root_dir);
      break;
    case PROP_ALLOW_UPLOAD:
      g_value_set_boolean (value, self->allow_upload);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_tftp_server_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  YardTftpServer *self = YARD_TFTP_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOT_DIR:
      self->root_dir = g_value_dup_string (value);
      break;
    case PROP_ALLOW_UPLOAD:
      yard_tftp_server_set_allow_upload (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_tftp_server_class_init (YardTftpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_tftp_server_dispose;
  object_class->finalize = yard_tftp_server_finalize;
  object_class->get_property = yard_tftp_server_get_property;
  object_class->set_property = yard_tftp_server_set_property;

  properties[PROP_ROOT_DIR] =
    g_param_spec_string ("root-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_UPLOAD] =
    g_param_spec_boolean ("allow-upload", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * YardTftpServer::transfer-event:
   * @kind: "transfer-started", "transfer-progress" (at most 4 a second per transfer),
   *        "transfer-finished" or "transfer-failed"; "transfer-refused" for a read request
   *        that did not become a transfer
   * @payload: peer, file, direction, mode, size (-1 unknown), bytesSent, blksize, windowsize,
   *           durationMs, and error for a failure; a refusal: peer, file, reason
   *           ("not-found", "forbidden", "refused") and error
   */
  signals[SIGNAL_TRANSFER_EVENT] =
    g_signal_new ("transfer-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);

  /**
   * YardTftpServer::machine-reported:
   * @mac: the host's MAC, normalized
   * @machine: what it reported, checked (yard_machine_from_path)
   *
   * A read request for "boot/MAC.machine/KEY=VALUE/..." (GRUB's report), answered with an
   * empty file and no transfer events.
   */
  signals[SIGNAL_MACHINE_REPORTED] =
    g_signal_new ("machine-reported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, YARD_TYPE_MACHINE);
}

static void
yard_tftp_server_init (YardTftpServer *self)
{
  self->root_fd = -1;
  self->transfers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_source_unref);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rx = g_malloc (RX_SIZE);
}

YardTftpServer *
yard_tftp_server_new (const char *root_dir)
{
  g_return_val_if_fail (root_dir != NULL, NULL);

  return g_object_new (YARD_TYPE_TFTP_SERVER, "root-dir", root_dir, NULL);
}

const char *
yard_tftp_server_get_root_dir (YardTftpServer *self)
{
  g_return_val_if_fail (YARD_IS_TFTP_SERVER (self), NULL);
  return self->root_dir;
}

gboolean
yard_tftp_server_get_allow_upload (YardTftpServer *self)
{
  g_return_val_if_fail (YARD_IS_TFTP_SERVER (self), FALSE);
  return self->allow_upload;
}

void
yard_tftp_server_set_allow_upload (YardTftpServer *self,
                                   gboolean        allow_upload)
{
  g_return_if_fail (YARD_IS_TFTP_SERVER (self));

  allow_upload = !!allow_upload;
  if (self->allow_upload == allow_upload)
    return;
  self->allow_upload = allow_upload;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_UPLOAD]);
}

gboolean
yard_tftp_server_start (YardTftpServer  *self,
                        const char      *address,
                        guint16          port,
                        GError         **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  int root_fd;
  int one = 1;
  int fd;

  g_return_val_if_fail (YARD_IS_TFTP_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (self->socket != NULL)
    return TRUE;

  root_fd = open (self->root_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "TFTP cannot open the boot root “%s”: %s. Choose another with --root",
                   self->root_dir, g_strerror (saved));
      return FALSE;
    }

  socket = yard_udp_socket_new (address, port, "TFTP", "--tftp-port", error);
  if (socket == NULL)
    {
      close (root_fd);
      return FALSE;
    }

  fd = g_socket_get_fd (socket);
  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    (void) setsockopt (fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
  else
    (void) setsockopt (fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);

  {
    YardFdLimits limits;

    /* Split with HTTP in one place: both flooded at once still fit in the limit. */
    yard_fd_limits_for_process (&limits);
    self->max_transfers = limits.tftp_transfers;
    self->max_per_address = limits.tftp_per_address;
  }

  bound = g_socket_get_local_address (socket, NULL);
  self->port = bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : port;
  self->root_fd = root_fd;
  self->socket = g_steal_pointer (&socket);
  self->listen_id = yard_fd_watch_add (fd, listen_cb, self, "[yard-tftp-listen]");

  g_message ("TFTP serving %s on %s port %u%s", self->root_dir, address, self->port,
             self->allow_upload ? " (uploads allowed)" : "");
  return TRUE;
}

void
yard_tftp_server_stop (YardTftpServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (YARD_IS_TFTP_SERVER (self));

  if (self->socket == NULL)
    return;

  g_hash_table_iter_init (&iter, self->transfers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_source_destroy (value);
  g_hash_table_remove_all (self->transfers);
  g_hash_table_remove_all (self->per_address);

  g_clear_handle_id (&self->listen_id, g_source_remove);
  g_clear_object (&self->socket);
  if (self->root_fd >= 0)
    close (self->root_fd);
  self->root_fd = -1;
  self->port = 0;
}

guint16
yard_tftp_server_get_port (YardTftpServer *self)
{
  g_return_val_if_fail (YARD_IS_TFTP_SERVER (self), 0);
  return self->port;
}

guint
yard_tftp_server_get_n_transfers (YardTftpServer *self)
{
  g_return_val_if_fail (YARD_IS_TFTP_SERVER (self), 0);
  return g_hash_table_size (self->transfers);
}
