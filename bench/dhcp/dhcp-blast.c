/* dhcp-blast.c: sends PXE DHCPDISCOVERs on one interface and measures the answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   dhcp-blast IFACE latency N [MACS]
 *                 N requests one after the other: latency percentiles
 *   dhcp-blast IFACE throughput SECONDS WINDOW [MACS]
 *                 WINDOW requests in flight for SECONDS: answers per second
 *
 * Every request is the same BIOS PXE DISCOVER a real ROM sends (options 53, 55, 57, 93, 94,
 * 97, 60 "PXEClient:Arch:00000:UNDI:002001"), with its own xid; the MAC cycles through MACS
 * addresses (a lab of that many hosts), or is new for every request when MACS is 0 (default). A request not answered
 * within 200 ms counts as lost. Built by run.sh with the system compiler; plain C, no GLib,
 * so that the sender costs as little as possible next to the servers it measures.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RING 65536
#define LOST_NS 200000000LL

static uint8_t packet[400];
static size_t packet_len;
static uint32_t n_macs;

static long long
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static size_t
put_opt (size_t pos, uint8_t code, const void *data, uint8_t len)
{
  packet[pos] = code;
  packet[pos + 1] = len;
  memcpy (packet + pos + 2, data, len);
  return pos + 2 + len;
}

static void
build_template (void)
{
  static const uint8_t params[] = { 1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 67,
                                    128, 129, 130, 131, 132, 133, 134, 135 };
  static const uint8_t type = 1, mms[2] = { 0x04, 0xec }, arch[2] = { 0, 0 },
                       ndi[3] = { 1, 2, 1 };
  uint8_t uuid[17] = { 0 };
  const char *vendor = "PXEClient:Arch:00000:UNDI:002001";
  size_t pos = 240;

  memset (packet, 0, sizeof packet);
  packet[0] = 1;
  packet[1] = 1;
  packet[2] = 6;
  packet[10] = 0x80;   /* broadcast */
  packet[28] = 0x52;
  packet[29] = 0x54;
  packet[236] = 99;
  packet[237] = 130;
  packet[238] = 83;
  packet[239] = 99;
  for (int i = 1; i < 17; i++)
    uuid[i] = (uint8_t) (i * 7);
  pos = put_opt (pos, 53, &type, 1);
  pos = put_opt (pos, 57, mms, 2);
  pos = put_opt (pos, 55, params, sizeof params);
  pos = put_opt (pos, 97, uuid, sizeof uuid);
  pos = put_opt (pos, 94, ndi, sizeof ndi);
  pos = put_opt (pos, 93, arch, sizeof arch);
  pos = put_opt (pos, 60, vendor, (uint8_t) strlen (vendor));
  packet[pos++] = 255;
  packet_len = pos < 300 ? 300 : pos;
}

static int
send_request (int fd, uint32_t seq)
{
  struct sockaddr_in dest = { 0 };
  uint32_t xid = htonl (seq);
  uint32_t host = n_macs ? seq % n_macs : seq;

  memcpy (packet + 4, &xid, 4);
  packet[30] = (uint8_t) (host >> 24);   /* 52:54:xx:xx:xx:xx */
  packet[31] = (uint8_t) (host >> 16);
  packet[32] = (uint8_t) (host >> 8);
  packet[33] = (uint8_t) host;
  dest.sin_family = AF_INET;
  dest.sin_port = htons (67);
  dest.sin_addr.s_addr = htonl (INADDR_BROADCAST);
  return sendto (fd, packet, packet_len, 0, (struct sockaddr *) &dest, sizeof dest) < 0 ? -1 : 0;
}

/* The xid of a BOOTREPLY, -1 for anything else, -2 when nothing is waiting */
static long long
receive_answer (int fd)
{
  uint8_t buf[2048];
  uint32_t xid;
  ssize_t n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);

  if (n < 0)
    return -2;
  if (n < 240 || buf[0] != 2)
    return -1;
  memcpy (&xid, buf + 4, 4);
  return ntohl (xid);
}

static int
compare (const void *a, const void *b)
{
  long long x = *(const long long *) a, y = *(const long long *) b;
  return x < y ? -1 : x > y;
}

static int
latency (int fd, int n)
{
  long long *rtt = calloc ((size_t) n, sizeof *rtt);
  int got = 0, lost = 0;

  for (int i = 0; i < n; i++)
    {
      uint32_t seq = (uint32_t) i + 1;
      long long start = now_ns ();

      send_request (fd, seq);
      for (;;)
        {
          struct pollfd pfd = { fd, POLLIN, 0 };
          long long left = LOST_NS - (now_ns () - start);
          long long xid;

          if (left <= 0)
            {
              lost++;
              break;
            }
          if (poll (&pfd, 1, (int) (left / 1000000) + 1) <= 0)
            continue;
          while ((xid = receive_answer (fd)) != -2)
            if (xid == seq)
              break;
          if (xid == seq)
            {
              rtt[got++] = now_ns () - start;
              break;
            }
        }
    }

  qsort (rtt, (size_t) got, sizeof *rtt, compare);
  if (got == 0)
    printf ("answered=0 lost=%d\n", lost);
  else
    printf ("answered=%d lost=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f\n", got, lost,
            rtt[got / 2] / 1e3, rtt[got * 9 / 10] / 1e3, rtt[got * 99 / 100] / 1e3,
            rtt[got - 1] / 1e3);
  free (rtt);
  return got > 0 ? 0 : 1;
}

static int
throughput (int fd, double seconds, int window)
{
  static long long sent_at[RING];
  long long start = now_ns ();
  long long end = start + (long long) (seconds * 1e9);
  uint32_t next = 1, oldest = 1;
  long long answered = 0, lost = 0, sent = 0;
  int inflight = 0;

  memset (sent_at, 0, sizeof sent_at);
  while (now_ns () < end)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      long long t, xid;

      while (inflight < window && now_ns () < end)
        {
          if (send_request (fd, next) < 0)
            break;
          sent_at[next % RING] = now_ns ();
          next++;
          sent++;
          inflight++;
        }
      poll (&pfd, 1, 5);
      while ((xid = receive_answer (fd)) != -2)
        {
          if (xid < 0)
            continue;
          if (xid >= oldest && xid < next && sent_at[xid % RING] != 0)
            {
              sent_at[xid % RING] = 0;
              answered++;
              inflight--;
            }
        }
      /* Requests unanswered for 200 ms are lost: free their slot in the window. */
      t = now_ns ();
      while (oldest < next && (sent_at[oldest % RING] == 0 ||
                               t - sent_at[oldest % RING] > LOST_NS))
        {
          if (sent_at[oldest % RING] != 0)
            {
              sent_at[oldest % RING] = 0;
              lost++;
              inflight--;
            }
          oldest++;
        }
    }

  printf ("sent=%lld answered=%lld lost=%lld answers_per_s=%.0f\n", sent, answered, lost,
          answered / ((now_ns () - start) / 1e9));
  return answered > 0 ? 0 : 1;
}

int
main (int argc, char *argv[])
{
  struct sockaddr_in addr = { 0 };
  int one = 1, fd, rcvbuf = 4 << 20;

  if (argc < 4)
    {
      fprintf (stderr, "usage: %s IFACE latency N | IFACE throughput SECONDS WINDOW\n", argv[0]);
      return 2;
    }

  build_template ();
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (setsockopt (fd, SOL_SOCKET, SO_BINDTODEVICE, argv[1], (socklen_t) strlen (argv[1]) + 1))
    {
      perror ("SO_BINDTODEVICE");
      return 2;
    }
  addr.sin_family = AF_INET;
  addr.sin_port = htons (68);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr))
    {
      perror ("bind :68");
      return 2;
    }

  if (strcmp (argv[2], "latency") == 0)
    {
      n_macs = argc > 4 ? (uint32_t) atol (argv[4]) : 0;
      return latency (fd, atoi (argv[3]));
    }
  if (strcmp (argv[2], "throughput") == 0 && argc >= 5)
    {
      n_macs = argc > 5 ? (uint32_t) atol (argv[5]) : 0;
      return throughput (fd, atof (argv[3]), atoi (argv[4]));
    }
  fprintf (stderr, "unknown mode %s\n", argv[2]);
  return 2;
}
