/* tftp-fetch.c: a TFTP client that keeps up with the server, for the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   tftp-fetch HOST PORT FILE BLKSIZE WINDOWSIZE OUT
 *
 * Reads FILE with the options blksize and windowsize (RFC 2348, RFC 7440) and writes it to
 * OUT. It takes the blocks of a window with one recvmmsg and writes 1 MiB at a time, so that
 * with a window it costs the client far less than the server: a row run with it shows what
 * the server can send, where atftp (one recvfrom and one write per block) sets the pace
 * itself. A server that answers without windowsize (tftpd-hpa, dnsmasq) gets lock-step
 * ACKs. A block out of order is answered with an ACK of the last block in order, as RFC 7440
 * asks; a silent second makes it ACK again, five silent seconds end it with exit status 1.
 * Built by run.sh with the system compiler; plain C, no GLib.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_WINDOW 64
#define OUT_BUF (1 << 20)

static int sock;
static int out_fd;
static uint8_t out_buf[OUT_BUF];
static size_t out_len;

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

static void
flush_out (void)
{
  size_t off = 0;
  while (off < out_len)
    {
      ssize_t n = write (out_fd, out_buf + off, out_len - off);
      if (n < 0)
        die ("write");
      off += (size_t) n;
    }
  out_len = 0;
}

static void
send_ack (uint16_t block)
{
  uint8_t ack[4] = { 0, 4, block >> 8, block & 0xff };
  if (send (sock, ack, sizeof ack, 0) < 0)
    die ("send ACK");
}

/* The value of option NAME in an OACK, or 0 when the server did not accept it. */
static unsigned long
oack_value (const uint8_t *p, size_t len, const char *name)
{
  size_t i = 2;
  while (i < len)
    {
      const char *key = (const char *) p + i;
      size_t klen = strnlen (key, len - i);
      if (i + klen + 1 >= len)
        break;
      const char *val = key + klen + 1;
      size_t vlen = strnlen (val, len - i - klen - 1);
      if (strcasecmp (key, name) == 0)
        return strtoul (val, NULL, 10);
      i += klen + 1 + vlen + 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc != 7)
    {
      fprintf (stderr, "usage: tftp-fetch HOST PORT FILE BLKSIZE WINDOWSIZE OUT\n");
      return 2;
    }
  unsigned long blksize = strtoul (argv[4], NULL, 10);
  unsigned long window = strtoul (argv[5], NULL, 10);
  if (blksize < 8 || blksize > 65464 || window < 1 || window > MAX_WINDOW)
    {
      fprintf (stderr, "tftp-fetch: blksize 8..65464, windowsize 1..%d\n", MAX_WINDOW);
      return 2;
    }

  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM }, *ai;
  int rc = getaddrinfo (argv[1], argv[2], &hints, &ai);
  if (rc != 0)
    {
      fprintf (stderr, "tftp-fetch: %s: %s\n", argv[1], gai_strerror (rc));
      return 1;
    }
  sock = socket (ai->ai_family, SOCK_DGRAM, 0);
  if (sock < 0)
    die ("socket");
  int rcvbuf = 8 << 20;
  setsockopt (sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  out_fd = open (argv[6], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out_fd < 0)
    die (argv[6]);

  char rrq[600];
  int rrq_len = snprintf (rrq, sizeof rrq, "..%s%coctet%cblksize%c%lu%cwindowsize%c%lu", argv[3],
                          0, 0, 0, blksize, 0, 0, window);
  if (rrq_len < 0 || (size_t) rrq_len + 1 > sizeof rrq)
    return 2;
  rrq[0] = 0, rrq[1] = 1;
  if (sendto (sock, rrq, (size_t) rrq_len + 1, 0, ai->ai_addr, ai->ai_addrlen) < 0)
    die ("send RRQ");

  size_t pkt_size = blksize + 4;
  uint8_t *bufs = malloc (pkt_size * MAX_WINDOW);
  if (bufs == NULL)
    die ("malloc");
  struct mmsghdr msgs[MAX_WINDOW];
  struct iovec iovs[MAX_WINDOW];

  /* The first answer comes from the server's transfer port (its TID): an OACK, or the
   * first DATA block when the server takes no options. Everything after it goes there. */
  struct sockaddr_storage peer;
  socklen_t peer_len = sizeof peer;
  struct pollfd pfd = { .fd = sock, .events = POLLIN };
  if (poll (&pfd, 1, 5000) <= 0)
    {
      fprintf (stderr, "tftp-fetch: no answer\n");
      return 1;
    }
  ssize_t n = recvfrom (sock, bufs, pkt_size, 0, (struct sockaddr *) &peer, &peer_len);
  if (n < 4)
    die ("recv");
  if (connect (sock, (struct sockaddr *) &peer, peer_len) < 0)
    die ("connect");

  uint16_t last = 0;           /* the last block received in order */
  unsigned long since_ack = 0; /* blocks in order since the last ACK */
  int pending = 0;             /* bufs[0] holds a DATA packet not yet taken */
  if (bufs[1] == 6)
    {
      unsigned long b = oack_value (bufs, (size_t) n, "blksize");
      unsigned long w = oack_value (bufs, (size_t) n, "windowsize");
      blksize = b ? b : 512;
      window = w ? w : 1;
      send_ack (0);
    }
  else if (bufs[1] == 3)
    {
      blksize = 512, window = 1; /* no options: RFC 1350 lock-step */
      pending = 1;
      msgs[0].msg_len = (unsigned) n;
    }
  else
    {
      fprintf (stderr, "tftp-fetch: error from server: %.*s\n", (int) n - 4, bufs + 4);
      return 1;
    }

  int silent = 0;
  for (;;)
    {
      int got;
      if (pending)
        got = 1, pending = 0;
      else
        {
          if (poll (&pfd, 1, 1000) == 0)
            {
              if (++silent == 5)
                {
                  fprintf (stderr, "tftp-fetch: the server went silent after block %u\n", last);
                  return 1;
                }
              send_ack (last);
              since_ack = 0;
              continue;
            }
          for (unsigned long i = 0; i < window; i++)
            {
              iovs[i] = (struct iovec) { bufs + i * pkt_size, pkt_size };
              msgs[i].msg_hdr = (struct msghdr) { .msg_iov = &iovs[i], .msg_iovlen = 1 };
            }
          got = recvmmsg (sock, msgs, (unsigned) window, MSG_DONTWAIT, NULL);
          if (got < 0)
            {
              if (errno == EAGAIN || errno == EINTR)
                continue;
              die ("recvmmsg");
            }
        }
      silent = 0;
      for (int i = 0; i < got; i++)
        {
          const uint8_t *p = bufs + (size_t) i * pkt_size;
          size_t len = msgs[i].msg_len;
          if (len < 4 || p[1] == 5)
            {
              fprintf (stderr, "tftp-fetch: error from server: %.*s\n",
                       len > 4 ? (int) len - 4 : 0, p + 4);
              return 1;
            }
          uint16_t block = (uint16_t) (p[2] << 8 | p[3]);
          if (p[1] != 3)
            continue;
          if (block != (uint16_t) (last + 1))
            {
              /* A gap or a resent block: ACK what arrived in order, the server goes on
               * from there. */
              if (block != last)
                {
                  send_ack (last);
                  since_ack = 0;
                }
              break;
            }
          last = block;
          size_t data = len - 4;
          if (out_len + data > OUT_BUF)
            flush_out ();
          memcpy (out_buf + out_len, p + 4, data);
          out_len += data;
          if (data < blksize)
            {
              send_ack (last);
              flush_out ();
              return close (out_fd) == 0 ? 0 : 1;
            }
          if (++since_ack == window)
            {
              send_ack (last);
              since_ack = 0;
            }
        }
    }
}
