/* test-gui-connection.c: the app starts a local server when none answers, and stops it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "yard-connection.h"
#include "yard-error.h"

#include "test-dirs.h"

static void
wait_for_state (YardConnection      *connection,
                YardConnectionState  state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (yard_connection_get_state (connection) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* No server answers on this computer: the connection starts bootyard-server (BOOTYARD_SERVER),
 * waits for it, reads its token from the user's state directory, and stops it again. */
static void
test_starts_local_server (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  g_autofree char *program = yard_connection_dup_server_program ();
  guint16 port = free_port ();
  const YardServerStatus *status;

  g_assert_cmpstr (program, ==, g_getenv ("BOOTYARD_SERVER"));
  g_assert_false (port_answers (port));

  yard_connection_set_target (connection, NULL, NULL);
  yard_connection_set_local_options (connection, port, 0, NULL);
  g_assert_true (yard_connection_get_is_local (connection));
  yard_connection_connect (connection);
  g_assert_cmpint (yard_connection_get_state (connection), ==, YARD_CONNECTION_CONNECTING);
  wait_for_state (connection, YARD_CONNECTION_CONNECTED);

  g_assert_true (yard_connection_get_started_server (connection));
  g_assert_nonnull (yard_connection_get_client (connection));
  status = yard_connection_get_status (connection);
  g_assert_nonnull (status);
  g_assert_cmpstr (status->version, ==, PACKAGE_VERSION);
  /* The boot services wait for the switch: a port the user may not bind is explained there,
   * and never ends the server that the pages talk to. */
  g_assert_false (status->services_running);
  g_assert_true (port_answers (port));

  /* On quit: the server we started goes away. */
  yard_connection_disconnect (connection);
  g_assert_false (yard_connection_get_started_server (connection));
  g_assert_cmpint (yard_connection_get_state (connection), ==, YARD_CONNECTION_DISCONNECTED);
  g_assert_false (port_answers (port));
}

/* The server we start fails (here: a bad option); its own message is what the user sees. */
static void
test_server_failure_is_shown (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  const char *message;

  g_setenv ("BOOTYARD_SERVER_ARGS",
            "--no-dhcp --tftp-port 0 --address 127.0.0.1 --interface no-such-iface0", TRUE);
  yard_connection_set_target (connection, NULL, NULL);
  yard_connection_set_local_options (connection, free_port (), 0, NULL);
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_FAILED);
  g_setenv ("BOOTYARD_SERVER_ARGS", "--no-dhcp --tftp-port 0 --address 127.0.0.1", TRUE);

  message = yard_connection_get_error_message (connection);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "no-such-iface0"));
  g_assert_false (yard_connection_get_started_server (connection));
}

/* A server already runs here whose token we cannot read (the system service's, say): the
 * connection says so instead of starting a second one that could only fail. */
static void
test_foreign_local_server (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  g_autofree char *dir = g_dir_make_tmp ("bootyard-conn-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *root = g_build_filename (dir, "root", NULL);
  g_autofree char *port_text = NULL;
  g_autofree char *user_token = g_build_filename (g_get_user_state_dir (), "bootyard",
                                                  "api-token", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = free_port ();
  const char *message;

  if (g_file_test ("/var/lib/bootyard/api-token", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("/var/lib/bootyard/api-token exists: the local server's token is readable");
      return;
    }

  g_unlink (user_token);
  port_text = g_strdup_printf ("%u", port);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("BOOTYARD_SERVER"),
                             "--root", root, "--state-dir", state, "--address", "127.0.0.1",
                             "--no-dhcp", "--tftp-port", "0", "--http-port", port_text, NULL);
  g_assert_no_error (error);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (!port_answers (port))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (20000);
      }
  }

  yard_connection_set_target (connection, NULL, NULL);
  yard_connection_set_local_options (connection, port, 0, NULL);
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_FAILED);
  message = yard_connection_get_error_message (connection);
  g_assert_nonnull (strstr (message, "already runs"));
  g_assert_false (yard_connection_get_started_server (connection));

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
  g_assert_true (yard_test_remove_tree (dir));
}

/* A remote server that is not there: no server is started, the state says so. */
static void
test_remote_unreachable (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  g_autofree char *dir = g_dir_make_tmp ("bootyard-conn-XXXXXX", NULL);
  g_autofree char *token = g_build_filename (dir, "token", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", free_port ());

  g_assert_true (g_file_set_contents (token, "abc\n", -1, NULL));
  yard_connection_set_target (connection, url, token);
  g_assert_false (yard_connection_get_is_local (connection));
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_FAILED);
  g_assert_false (yard_connection_get_started_server (connection));
  g_assert_nonnull (strstr (yard_connection_get_error_message (connection), url));
  g_unlink (token);
  g_rmdir (dir);
}

/* Our child bootyard-server processes (the one the connection started). */
static GPid
our_server_pid (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stat_path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *after_comm;

      if (!g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          strstr (stat, "(bootyard-server)") == NULL ||
          (after_comm = strrchr (stat, ')')) == NULL)
        continue;
      /* ") S PPID ..." */
      if (g_ascii_strtoll (after_comm + 4, NULL, 10) == getpid ())
        return (GPid) g_ascii_strtoll (name, NULL, 10);
    }
  return 0;
}

/* The server we started is killed from outside: the state says "stopped" in words, with no
 * log line prefix ("bootyard-server-Message: 15:59:38.931: ..."). */
static void
test_server_stopped_in_words (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  const char *message;
  GPid pid;

  yard_connection_set_target (connection, NULL, NULL);
  yard_connection_set_local_options (connection, free_port (), 0, NULL);
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_CONNECTED);
  g_assert_cmpint (yard_connection_get_problem (connection), ==, YARD_CONNECTION_PROBLEM_NONE);

  pid = our_server_pid ();
  g_assert_cmpint (pid, >, 0);
  kill (pid, SIGTERM);
  wait_for_state (connection, YARD_CONNECTION_FAILED);

  message = yard_connection_get_error_message (connection);
  g_test_message ("%s", message);
  g_assert_cmpint (yard_connection_get_problem (connection), ==,
                   YARD_CONNECTION_PROBLEM_SERVER_STOPPED);
  g_assert_null (strstr (message, "-Message"));
  g_assert_null (strstr (message, "Stopping on signal"));
  g_assert_false (g_regex_match_simple ("[0-9][0-9]:[0-9][0-9]:[0-9][0-9]", message, 0, 0));
  yard_connection_disconnect (connection);
}

/* A remote URL where nothing listens, and a local server that refuses our token, are two
 * problems with two titles. */
static void
test_problems_have_names (void)
{
  g_autoptr(YardConnection) connection = yard_connection_new ();
  g_autoptr(YardConnection) refused = yard_connection_new ();
  g_autofree char *dir = g_dir_make_tmp ("bootyard-conn-XXXXXX", NULL);
  g_autofree char *token = g_build_filename (dir, "token", NULL);
  g_autofree char *wrong = g_build_filename (dir, "wrong", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", free_port ());
  guint16 port = free_port ();
  g_autofree char *local = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *real_token = NULL;

  g_assert_true (g_file_set_contents (token, "abc\n", -1, NULL));
  yard_connection_set_target (connection, url, token);
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_FAILED);
  g_assert_cmpint (yard_connection_get_problem (connection), ==,
                   YARD_CONNECTION_PROBLEM_UNREACHABLE);

  /* A real server (the one a local connection starts), asked with the wrong token. */
  yard_connection_set_target (connection, NULL, NULL);
  yard_connection_set_local_options (connection, port, 0, NULL);
  yard_connection_connect (connection);
  wait_for_state (connection, YARD_CONNECTION_CONNECTED);
  g_assert_true (g_file_set_contents (wrong, "not-the-token\n", -1, NULL));
  yard_connection_set_target (refused, local, wrong);
  yard_connection_connect (refused);
  wait_for_state (refused, YARD_CONNECTION_FAILED);
  g_assert_cmpint (yard_connection_get_problem (refused), ==,
                   YARD_CONNECTION_PROBLEM_TOKEN_REFUSED);

  yard_connection_disconnect (connection);
  g_unlink (token);
  g_unlink (wrong);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("bootyard-home-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  int ret;

  /* Before GLib reads them: the server we start keeps its state and root in here. */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("BOOTYARD_SERVER_ARGS", "--no-dhcp --tftp-port 0 --address 127.0.0.1", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/gui-connection/starts-local-server", test_starts_local_server);
  g_test_add_func ("/yard/gui-connection/server-failure-is-shown", test_server_failure_is_shown);
  g_test_add_func ("/yard/gui-connection/remote-unreachable", test_remote_unreachable);
  g_test_add_func ("/yard/gui-connection/foreign-local-server", test_foreign_local_server);
  g_test_add_func ("/yard/gui-connection/server-stopped-in-words", test_server_stopped_in_words);
  g_test_add_func ("/yard/gui-connection/problems-have-names", test_problems_have_names);
  ret = g_test_run ();

  yard_test_remove_tree (home);
  return ret;
}
