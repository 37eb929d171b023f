/* test-wol.c: the Wake-on-LAN magic packet arrives on a veth, in both forms, byte for byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two network namespaces of the test's own with a veth pair between them: the packet is sent
 * from one (setns on this thread) and read with a raw socket opened in the other. Needs root.
 */

#include "config.h"

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "yard-error.h"
#include "yard-wol.h"

static char ns_send[32], ns_recv[32];
static int home_ns = -1;

static void
run (const char *cmd)
{
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
enter_ns (const char *name)
{
  g_autofree char *path = name != NULL ? g_strdup_printf ("/run/netns/%s", name) : NULL;
  int fd = name != NULL ? open (path, O_RDONLY | O_CLOEXEC) : home_ns;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (setns (fd, CLONE_NEWNET), ==, 0);
  if (name != NULL)
    close (fd);
}

static void
lab_up (void)
{
  g_autofree char *cmd = NULL;

  g_snprintf (ns_send, sizeof ns_send, "yw-s-%d", getpid ());
  g_snprintf (ns_recv, sizeof ns_recv, "yw-r-%d", getpid ());
  home_ns = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  cmd = g_strdup_printf ("ip netns add %s && ip netns add %s && "
                         "ip link add ywa netns %s type veth peer name ywb netns %s && "
                         "ip -n %s link set ywa up && ip -n %s link set ywb up && "
                         "ip -n %s addr add 10.77.0.1/24 dev ywa",
                         ns_send, ns_recv, ns_send, ns_recv, ns_send, ns_recv, ns_send);
  run (cmd);
}

static void
lab_down (void)
{
  g_autofree char *cmd = g_strdup_printf ("ip netns del %s; ip netns del %s", ns_send,
                                          ns_recv);
  enter_ns (NULL);
  g_assert_cmpint (system (cmd), ==, 0);
  close (home_ns);
}

static void
test_magic (void)
{
  const guint8 mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
  guint8 magic[YARD_WOL_MAGIC_SIZE];

  yard_wol_build_magic (mac, magic);
  for (guint i = 0; i < 6; i++)
    g_assert_cmphex (magic[i], ==, 0xff);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpmem (magic + 6 + i * 6, 6, mac, 6);
}

static void
test_both_forms (void)
{
  const guint8 mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
  guint8 magic[YARD_WOL_MAGIC_SIZE];
  g_autoptr(GError) error = NULL;
  gboolean got_udp = FALSE, got_raw = FALSE;
  YardWolSent sent = 0;
  struct sockaddr_ll bind_to = { .sll_family = AF_PACKET, .sll_protocol = htons (ETH_P_ALL) };
  gint64 deadline;
  int fd;

  if (getuid () != 0)
    {
      g_test_skip ("needs root for network namespaces");
      return;
    }
  yard_wol_build_magic (mac, magic);
  lab_up ();

  enter_ns (ns_recv);
  fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons (ETH_P_ALL));
  g_assert_cmpint (fd, >=, 0);
  bind_to.sll_ifindex = (int) if_nametoindex ("ywb");
  g_assert_cmpint (bind_to.sll_ifindex, >, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &bind_to, sizeof bind_to), ==, 0);

  enter_ns (ns_send);
  /* the MAC as people type it */
  g_assert_true (yard_wol_send ("ywa", "52-54-00-AB-CD-EF", &sent, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sent, ==, YARD_WOL_SENT_UDP | YARD_WOL_SENT_RAW);

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while ((!got_udp || !got_raw) && g_get_monotonic_time () < deadline)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      guint8 frame[2048];
      const struct ether_header *eth = (const struct ether_header *) frame;
      ssize_t n;

      if (poll (&p, 1, 200) <= 0)
        continue;
      n = recv (fd, frame, sizeof frame, 0);
      if (n < ETH_HLEN)
        continue;
      if (memcmp (eth->ether_dhost, "\xff\xff\xff\xff\xff\xff", 6) != 0)
        continue;
      if (ntohs (eth->ether_type) == 0x0842 && n >= ETH_HLEN + YARD_WOL_MAGIC_SIZE)
        {
          g_assert_cmpmem (frame + ETH_HLEN, YARD_WOL_MAGIC_SIZE, magic, YARD_WOL_MAGIC_SIZE);
          got_raw = TRUE;
        }
      else if (ntohs (eth->ether_type) == ETHERTYPE_IP)
        {
          const struct iphdr *ip = (const struct iphdr *) (frame + ETH_HLEN);
          const struct udphdr *udp = (const struct udphdr *) (frame + ETH_HLEN + ip->ihl * 4);
          const guint8 *payload = (const guint8 *) (udp + 1);

          if (ip->protocol != IPPROTO_UDP || ntohs (udp->dest) != 9)
            continue;
          g_assert_cmpuint (ip->daddr, ==, htonl (INADDR_BROADCAST));
          g_assert_cmpint (ntohs (udp->len), ==, 8 + YARD_WOL_MAGIC_SIZE);
          g_assert_cmpmem (payload, YARD_WOL_MAGIC_SIZE, magic, YARD_WOL_MAGIC_SIZE);
          got_udp = TRUE;
        }
    }
  close (fd);
  lab_down ();
  g_assert_true (got_udp);
  g_assert_true (got_raw);
}

static void
test_refusals (void)
{
  g_autoptr(GError) error = NULL;
  YardWolSent sent = YARD_WOL_SENT_UDP;

  g_assert_false (yard_wol_send (NULL, "52:54:00:ab:cd:ef", &sent, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (sent, ==, 0);
  g_clear_error (&error);

  g_assert_false (yard_wol_send ("lo", "52:54:00:ab:cd", &sent, &error));
  g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (yard_wol_send ("no-such-if0", "52:54:00:ab:cd:ef", &sent, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no-such-if0"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/wol/magic", test_magic);
  g_test_add_func ("/yard/wol/both-forms", test_both_forms);
  g_test_add_func ("/yard/wol/refusals", test_refusals);
  return g_test_run ();
}
