/* test-dhcp-probe.c: the network doctor finds dnsmasq's DHCP and a dnsmasq ProxyDHCP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lab of the test's own: a bridge in one namespace, and three namespaces on it: the
 * prober, a dnsmasq handing out addresses, a dnsmasq that is only a ProxyDHCP. The probe runs
 * in the prober's namespace as a child process of this test (`ip netns exec`, this program
 * with --probe), so its worker thread is in that namespace too. Needs root and dnsmasq.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yard-dhcp-probe.h"

#include "test-dirs.h"

static char prefix[16];
static char *tmpdir;

static char *
ns (const char *role)
{
  return g_strdup_printf ("%s-%s", prefix, role);
}

static void
run (const char *cmd)
{
  if (system (cmd) != 0)
    g_error ("failed: %s", cmd);
}

static void
lab_up (void)
{
  g_autofree char *lab = ns ("lab");
  const char *roles[] = { "probe", "dhcp", "proxy" };
  const char *addrs[] = { "10.78.0.1", "10.78.0.2", "10.78.0.3" };
  g_autofree char *cmd = g_strdup_printf ("ip netns add %s && ip -n %s link add br0 type bridge"
                                          " && ip -n %s link set br0 up", lab, lab, lab);

  run (cmd);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *name = ns (roles[i]);
      g_autofree char *c = g_strdup_printf (
        "ip netns add %s && ip link add eth0 netns %s type veth peer name p%u netns %s && "
        "ip -n %s link set p%u master br0 up && ip -n %s link set eth0 up && "
        "ip -n %s link set lo up && ip -n %s addr add %s/24 dev eth0",
        name, name, i, lab, lab, i, name, name, name, addrs[i]);

      run (c);
    }
}

static void
lab_down (void)
{
  const char *roles[] = { "probe", "dhcp", "proxy", "lab" };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *name = ns (roles[i]);
      g_autofree char *cmd = g_strdup_printf ("ip netns pids %s 2>/dev/null | xargs -r kill; "
                                              "ip netns del %s 2>/dev/null", name, name);

      g_assert_cmpint (system (cmd), >=, 0);
    }
}

static void
start_dnsmasq (const char *role,
               const char *options)
{
  g_autofree char *name = ns (role);
  g_autofree char *cmd = g_strdup_printf (
    "ip netns exec %s dnsmasq --user=root --port=0 --no-resolv --no-hosts --interface=eth0 "
    "--bind-interfaces --dhcp-leasefile=%s/%s.leases --pid-file=%s/%s.pid %s",
    name, tmpdir, role, tmpdir, role, options);

  run (cmd);
}

/* Runs the probe in the prober's namespace and returns what it found, read back with core's
 * codec from what the child wrote with it. */
static YardNetworkReport *
probe (void)
{
  g_autofree char *name = ns ("probe");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *cmd = g_strdup_printf ("ip netns exec %s %s --probe eth0", name, self);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  YardNetworkReport *report;
  int status = 0;

  g_spawn_command_line_sync (cmd, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  report = yard_network_report_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                              &error);
  g_assert_no_error (error);
  return report;
}

static const YardResponder *
find (YardNetworkReport *report,
      const char        *address)
{
  GPtrArray *responders = yard_network_report_get_responders (report);

  for (guint i = 0; i < responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (responders, i);

      if (g_strcmp0 (r->address, address) == 0)
        return r;
    }
  return NULL;
}

static void
test_lab (void)
{
  g_autoptr(YardNetworkReport) alone = NULL;
  g_autoptr(YardNetworkReport) found = NULL;
  g_autoptr(GError) error = NULL;
  const YardResponder *dhcp, *proxy;

  if (getuid () != 0 || !g_file_test ("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs root and dnsmasq (dnsmasq-base)");
      return;
    }
  tmpdir = yard_test_make_dir ("dhcp-probe");
  g_snprintf (prefix, sizeof prefix, "yp%d", getpid ());
  atexit (lab_down);   /* also when an assertion fails */
  lab_up ();

  /* alone on the network: nobody */
  alone = probe ();
  g_assert_cmpuint (yard_network_report_get_responders (alone)->len, ==, 0);
  /* the report says where and when it asked */
  g_assert_cmpstr (yard_network_report_get_interface (alone), ==, "eth0");
  g_assert_nonnull (yard_network_report_get_time (alone));
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (yard_network_report_get_time (alone),
                                                              NULL);

    g_assert_nonnull (time);
    g_assert_cmpint (g_date_time_get_utc_offset (time), ==, 0);
  }

  start_dnsmasq ("dhcp", "--dhcp-range=10.78.0.50,10.78.0.60,12h");
  start_dnsmasq ("proxy", "--dhcp-range=10.78.0.0,proxy "
                 "--pxe-service=x86PC,\"Network boot\",pxelinux");
  g_usleep (G_USEC_PER_SEC / 2);   /* dnsmasq has bound its sockets */
  found = probe ();
  {
    g_autoptr(JsonObject) object = yard_network_report_to_json (found);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
    g_autofree char *text = json_to_string (node, FALSE);

    g_test_message ("found: %s", text);
  }

  dhcp = find (found, "10.78.0.2");
  g_assert (dhcp != NULL);
  g_assert_true (dhcp->dhcp);
  g_assert_false (dhcp->self);
  g_assert_true (g_str_has_prefix (dhcp->offered_address, "10.78.0."));

  proxy = find (found, "10.78.0.3");
  g_assert (proxy != NULL);
  g_assert_false (proxy->dhcp);
  g_assert_true (proxy->pxe);
  g_assert_false (proxy->self);
  g_assert_null (proxy->offered_address);
  g_assert_cmpuint (yard_network_report_get_responders (found)->len, ==, 2);
  g_assert_cmpuint (yard_network_report_count_other_servers (found), ==, 1);

  lab_down ();
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The child: probe, print the report as the API sends it, exit. */
static int
probe_main (const char *if_name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YardNetworkReport) report = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  /* 5 s: dnsmasq pings an address before it offers it to a new client */
  yard_dhcp_probe_async (if_name, 67, 5000, NULL, probe_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = yard_dhcp_probe_finish (result, &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  object = yard_network_report_to_json (report);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  g_print ("%s\n", text);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "--probe") == 0)
    return probe_main (argv[2]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/yard/dhcp-probe/lab", test_lab);
  return g_test_run ();
}
