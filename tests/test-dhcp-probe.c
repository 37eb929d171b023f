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

/* Runs the probe in the prober's namespace and returns what it found. */
static JsonArray *
probe (void)
{
  g_autofree char *name = ns ("probe");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *cmd = g_strdup_printf ("ip netns exec %s %s --probe eth0", name, self);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_command_line_sync (cmd, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonObject *
find (JsonArray  *responders,
      const char *address)
{
  for (guint i = 0; i < json_array_get_length (responders); i++)
    {
      JsonObject *r = json_array_get_object_element (responders, i);

      if (g_strcmp0 (json_object_get_string_member (r, "address"), address) == 0)
        return r;
    }
  return NULL;
}

static void
test_lab (void)
{
  g_autoptr(JsonArray) alone = NULL;
  g_autoptr(JsonArray) found = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *dhcp, *proxy;

  if (getuid () != 0 || !g_file_test ("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs root and dnsmasq (dnsmasq-base)");
      return;
    }
  tmpdir = g_dir_make_tmp ("test-dhcp-probe-XXXXXX", &error);
  g_assert_no_error (error);
  g_snprintf (prefix, sizeof prefix, "yp%d", getpid ());
  atexit (lab_down);   /* also when an assertion fails */
  lab_up ();

  /* alone on the network: nobody */
  alone = probe ();
  g_assert_cmpuint (json_array_get_length (alone), ==, 0);

  start_dnsmasq ("dhcp", "--dhcp-range=10.78.0.50,10.78.0.60,12h");
  start_dnsmasq ("proxy", "--dhcp-range=10.78.0.0,proxy "
                 "--pxe-service=x86PC,\"Network boot\",pxelinux");
  g_usleep (G_USEC_PER_SEC / 2);   /* dnsmasq has bound its sockets */
  found = probe ();
  {
    g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), found);
    g_autofree char *text = json_to_string (node, FALSE);

    g_test_message ("found: %s", text);
  }

  dhcp = find (found, "10.78.0.2");
  g_assert_nonnull (dhcp);
  g_assert_true (json_object_get_boolean_member (dhcp, "dhcp"));
  g_assert_false (json_object_get_boolean_member (dhcp, "self"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (dhcp, "offeredAddress"),
                                   "10.78.0."));

  proxy = find (found, "10.78.0.3");
  g_assert_nonnull (proxy);
  g_assert_false (json_object_get_boolean_member (proxy, "dhcp"));
  g_assert_true (json_object_get_boolean_member (proxy, "pxe"));
  g_assert_false (json_object_get_boolean_member (proxy, "self"));
  g_assert_cmpuint (json_array_get_length (found), ==, 2);

  lab_down ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The child: probe, print the JSON, exit. */
static int
probe_main (const char *if_name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) responders = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  /* 5 s: dnsmasq pings an address before it offers it to a new client */
  yard_dhcp_probe_async (if_name, 67, 5000, NULL, probe_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  responders = yard_dhcp_probe_finish (result, &error);
  if (responders == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  node = json_node_init_array (json_node_alloc (), responders);
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

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/dhcp-probe/lab", test_lab);
  return g_test_run ();
}
