/* test-tftp-server.c: YardTftpServer's events and lifecycle, with curl as the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/resource.h>

#include "yard-machine.h"
#include "yard-tftp-server.h"

#include "test-dirs.h"

typedef struct
{
  char           *dir;
  char           *root;
  YardTftpServer *server;
  GPtrArray      *kinds;     /* char* */
  GPtrArray      *payloads;  /* JsonObject* */
  struct rlimit   saved;     /* the descriptor limit, when the test lowered it */
  gboolean        lowered;
} Fixture;

static void
event_cb (YardTftpServer *server,
          const char     *kind,
          JsonObject     *payload,
          Fixture        *f)
{
  g_ptr_array_add (f->kinds, g_strdup (kind));
  g_ptr_array_add (f->payloads, json_object_ref (payload));
}

static void
write_file (Fixture    *f,
            const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);
  g_autofree guint8 *data = g_malloc (size ? size : 1);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = yard_test_make_dir ("tftp");
  f->root = g_build_filename (f->dir, "root", NULL);
  g_assert_cmpint (g_mkdir (f->root, 0755), ==, 0);
  f->kinds = g_ptr_array_new_with_free_func (g_free);
  f->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  /* data: a descriptor limit for the server to size its slots by */
  if (data != NULL && getrlimit (RLIMIT_NOFILE, &f->saved) == 0)
    {
      struct rlimit low = f->saved;

      low.rlim_cur = GPOINTER_TO_UINT (data);
      f->lowered = setrlimit (RLIMIT_NOFILE, &low) == 0;
    }
  f->server = yard_tftp_server_new (f->root);
  g_signal_connect (f->server, "transfer-event", G_CALLBACK (event_cb), f);
  g_assert_true (yard_tftp_server_start (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (yard_tftp_server_get_port (f->server), !=, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  yard_tftp_server_stop (f->server);
  g_assert_finalize_object (f->server);
  if (f->lowered)
    g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &f->saved), ==, 0);
  g_ptr_array_unref (f->kinds);
  g_ptr_array_unref (f->payloads);
  g_free (f->root);
  g_free (f->dir);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *done = TRUE;
}

/* Runs argv while the main loop serves it; returns its exit status. */
static int
run (Fixture            *f,
     const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  gboolean done = FALSE;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (proc == NULL)
    {
      g_test_skip (error->message);
      return -1;
    }
  g_subprocess_wait_async (proc, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* Let the server see the last ACK. */
  while (yard_tftp_server_get_n_transfers (f->server) > 0)
    g_main_context_iteration (NULL, TRUE);
  return g_subprocess_get_exit_status (proc);
}

static guint
count_kind (Fixture    *f,
            const char *kind)
{
  guint n = 0;

  for (guint i = 0; i < f->kinds->len; i++)
    n += g_str_equal (g_ptr_array_index (f->kinds, i), kind);
  return n;
}

static JsonObject *
last_of_kind (Fixture    *f,
              const char *kind)
{
  for (guint i = f->kinds->len; i > 0; i--)
    if (g_str_equal (g_ptr_array_index (f->kinds, i - 1), kind))
      return g_ptr_array_index (f->payloads, i - 1);
  return NULL;
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  JsonObject *finished, *started;
  gint64 duration;
  guint progress;

  write_file (f, "kernel", 6 * 1024 * 1024 + 3);
  url = g_strdup_printf ("tftp://127.0.0.1:%u/kernel", yard_tftp_server_get_port (f->server));
  {
    const char *argv[] = { "curl", "-sS", "--tftp-blksize", "1024", "-o", out, url, NULL };
    if (run (f, argv) != 0)
      {
        if (!g_test_failed ())
          g_test_fail_printf ("curl failed");
        return;
      }
  }

  g_assert_cmpuint (count_kind (f, "transfer-started"), ==, 1);
  g_assert_cmpuint (count_kind (f, "transfer-finished"), ==, 1);
  g_assert_cmpuint (count_kind (f, "transfer-failed"), ==, 0);
  g_assert_cmpstr (g_ptr_array_index (f->kinds, 0), ==, "transfer-started");
  g_assert_cmpstr (g_ptr_array_index (f->kinds, f->kinds->len - 1), ==, "transfer-finished");

  started = last_of_kind (f, "transfer-started");
  g_assert_cmpstr (json_object_get_string_member (started, "file"), ==, "kernel");
  g_assert_cmpint (json_object_get_int_member (started, "bytesSent"), ==, 0);

  finished = last_of_kind (f, "transfer-finished");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (finished, "peer"),
                                   "127.0.0.1:"));
  g_assert_cmpstr (json_object_get_string_member (finished, "file"), ==, "kernel");
  g_assert_cmpint (json_object_get_int_member (finished, "size"), ==, 6 * 1024 * 1024 + 3);
  g_assert_cmpint (json_object_get_int_member (finished, "bytesSent"), ==, 6 * 1024 * 1024 + 3);
  g_assert_cmpint (json_object_get_int_member (finished, "blksize"), ==, 1024);
  g_assert_cmpint (json_object_get_int_member (finished, "windowsize"), ==, 1);
  duration = json_object_get_int_member (finished, "durationMs");
  g_assert_cmpint (duration, >=, 0);

  progress = count_kind (f, "transfer-progress");
  g_assert_cmpuint (progress, <=, duration / 250 + 1);
}

/* A slow client (60 blocks, 20 ms apart): progress comes, but at most 4 times a second. */
static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "integration", "tftp-raw.py",
                                                   NULL);
  g_autofree char *port = g_strdup_printf ("%u", yard_tftp_server_get_port (f->server));
  const char *argv[] = { "/usr/bin/python3", script, "127.0.0.1", port, "slow", "f", "20",
                         NULL };
  gint64 duration, last = 0;
  guint progress;

  write_file (f, "f", 60 * 512 - 1);
  if (run (f, argv) != 0)
    {
      if (!g_test_failed ())
        g_test_fail_printf ("tftp-raw.py failed");
      return;
    }

  g_assert_cmpuint (count_kind (f, "transfer-finished"), ==, 1);
  duration = json_object_get_int_member (last_of_kind (f, "transfer-finished"), "durationMs");
  progress = count_kind (f, "transfer-progress");
  g_test_message ("%u progress events in %" G_GINT64_FORMAT " ms", progress, duration);
  g_assert_cmpint (duration, >=, 1000);
  g_assert_cmpuint (progress, >=, 2);
  g_assert_cmpuint (progress, <=, duration / 250 + 1);
  for (guint i = 0; i < f->kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (f->kinds, i), "transfer-progress"))
      {
        JsonObject *p = g_ptr_array_index (f->payloads, i);
        gint64 sent = json_object_get_int_member (p, "bytesSent");

        g_assert_cmpint (sent, >, last);
        g_assert_cmpint (sent, <, 60 * 512 - 1);
        g_assert_cmpint (json_object_get_int_member (p, "size"), ==, 60 * 512 - 1);
        last = sent;
      }
}

static void
test_silent_client (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "integration", "tftp-raw.py",
                                                   NULL);
  g_autofree char *port = g_strdup_printf ("%u", yard_tftp_server_get_port (f->server));
  const char *argv[] = { "/usr/bin/python3", script, "127.0.0.1", port, "stall", "big", NULL };
  JsonObject *failed;

  write_file (f, "big", 100000);
  if (run (f, argv) != 0)
    {
      if (!g_test_failed ())
        g_test_fail_printf ("tftp-raw.py failed");
      return;
    }

  g_assert_cmpuint (yard_tftp_server_get_n_transfers (f->server), ==, 0);
  g_assert_cmpuint (count_kind (f, "transfer-failed"), ==, 1);
  g_assert_cmpuint (count_kind (f, "transfer-finished"), ==, 0);
  failed = last_of_kind (f, "transfer-failed");
  g_assert_nonnull (strstr (json_object_get_string_member (failed, "error"),
                            "stopped answering"));
  g_assert_cmpint (json_object_get_int_member (failed, "bytesSent"), ==, 0);
}

/* A client that asks for the longest timeout and never acknowledges the first block is
 * dropped a few seconds after its request, not after 5 x 255 s (issue 19). */
static void
test_silent_first_block (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "integration", "tftp-raw.py",
                                                   NULL);
  g_autofree char *port = g_strdup_printf ("%u", yard_tftp_server_get_port (f->server));
  const char *argv[] = { "/usr/bin/python3", script, "127.0.0.1", port, "stall", "big", "255",
                         NULL };
  JsonObject *failed;

  write_file (f, "big", 100000);
  if (run (f, argv) != 0)
    {
      if (!g_test_failed ())
        g_test_fail_printf ("tftp-raw.py failed");
      return;
    }

  g_assert_cmpuint (yard_tftp_server_get_n_transfers (f->server), ==, 0);
  g_assert_cmpuint (count_kind (f, "transfer-failed"), ==, 1);
  failed = last_of_kind (f, "transfer-failed");
  g_assert_nonnull (strstr (json_object_get_string_member (failed, "error"),
                            "stopped answering"));
  g_assert_cmpint (json_object_get_int_member (failed, "durationMs"), >=, 2900);
  g_assert_cmpint (json_object_get_int_member (failed, "durationMs"), <, 4000);
}

/* Requests from one address past its share (8 at 200 descriptors) are refused with an ERROR
 * packet saying why; another address is still served, and a freed slot serves the first
 * address again. */
static void
test_per_address_limit (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) lo2 = g_inet_address_new_from_string ("127.0.0.2");
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (lo,
                                                            yard_tftp_server_get_port (f->server));
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  const char rrq[] = "\0\1big\0octet\0timeout\0" "255"; /* not "\0255": an octal escape */
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) other = NULL;
  g_autoptr(GSocketAddress) other_bind = NULL;
  char answer[600];
  gssize n;

  write_file (f, "big", 100000);
  for (guint i = 0; i < 9; i++)
    {
      GSocket *c = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                 G_SOCKET_PROTOCOL_UDP, &error);

      g_assert_no_error (error);
      g_ptr_array_add (clients, c);
      g_assert_cmpint (g_socket_send_to (c, to, rrq, sizeof rrq, NULL, &error), ==, sizeof rrq);
      g_assert_no_error (error);
    }
  while (yard_tftp_server_get_n_transfers (f->server) < 8)
    g_main_context_iteration (NULL, TRUE);

  /* The ninth: an ERROR from the server's port, in ASCII. */
  g_socket_set_timeout (g_ptr_array_index (clients, 8), 5);
  while (!g_socket_condition_check (g_ptr_array_index (clients, 8), G_IO_IN))
    g_main_context_iteration (NULL, FALSE);
  n = g_socket_receive (g_ptr_array_index (clients, 8), answer, sizeof answer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 4);
  answer[n] = '\0';
  g_assert_cmpint (answer[1], ==, 5);
  g_assert_cmpstr (answer + 4, ==,
                   "Too many transfers from your address, try again when one ends");
  g_assert_cmpuint (yard_tftp_server_get_n_transfers (f->server), ==, 8);

  /* 127.0.0.2 gets a transfer at once. */
  other = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                        &error);
  g_assert_no_error (error);
  other_bind = g_inet_socket_address_new (lo2, 0);
  g_assert_true (g_socket_bind (other, other_bind, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_send_to (other, to, rrq, sizeof rrq, NULL, &error), ==, sizeof rrq);
  while (yard_tftp_server_get_n_transfers (f->server) < 9)
    g_main_context_iteration (NULL, TRUE);

  /* Once the silent ones are dropped (FIRST_BLOCK_US), 127.0.0.1 is served again. */
  while (yard_tftp_server_get_n_transfers (f->server) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_socket_send_to (g_ptr_array_index (clients, 8), to, rrq, sizeof rrq, NULL,
                                     &error), ==, sizeof rrq);
  while (yard_tftp_server_get_n_transfers (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_stop_frees_transfers (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = NULL;
  const char rrq[] = "\0\1big\0octet";
  g_autoptr(GError) error = NULL;

  write_file (f, "big", 100000);
  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                         &error);
  g_assert_no_error (error);
  to = g_inet_socket_address_new (lo, yard_tftp_server_get_port (f->server));
  g_assert_cmpint (g_socket_send_to (client, to, rrq, sizeof rrq, NULL, &error), ==,
                   sizeof rrq);
  while (yard_tftp_server_get_n_transfers (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);

  yard_tftp_server_stop (f->server);
  g_assert_cmpuint (yard_tftp_server_get_n_transfers (f->server), ==, 0);
  g_assert_cmpuint (yard_tftp_server_get_port (f->server), ==, 0);

  /* And it starts again. */
  g_assert_true (yard_tftp_server_start (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
}

static void
test_bad_root (void)
{
  g_autoptr(YardTftpServer) server = yard_tftp_server_new ("/nonexistent/bootyard-root");
  g_autoptr(GError) error = NULL;

  g_assert_false (yard_tftp_server_start (server, "127.0.0.1", 0, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "--root"));
}

static void
machine_cb (YardTftpServer *server,
            const char     *mac,
            YardMachine    *machine,
            GPtrArray      *reports)
{
  g_autoptr(JsonObject) object = yard_machine_to_json (machine);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  g_ptr_array_add (reports, g_strdup (mac));
  g_ptr_array_add (reports, json_to_string (node, FALSE));
}

/* GRUB's machine report (a read of "boot/MAC.machine/KEY=VALUE/..."): the server keeps what
 * it says and answers an empty file, with no transfer events; a file of that name that is not
 * a report is just not there. */
static void
test_machine_report (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *url = g_strdup_printf ("tftp://127.0.0.1:%u/boot/52:54:00:12:34:56.machine/"
                                          "manufacturer=QEMU/product=Standard%%20PC%%20(Q35)",
                                          yard_tftp_server_get_port (f->server));
  g_autofree char *bad = g_strdup_printf ("tftp://127.0.0.1:%u/boot/52:54:00:12:34.machine/"
                                          "manufacturer=QEMU",
                                          yard_tftp_server_get_port (f->server));
  g_autofree char *contents = NULL;
  gsize length = 1;
  gulong id = g_signal_connect (f->server, "machine-reported", G_CALLBACK (machine_cb), reports);

  {
    const char *argv[] = { "curl", "-sS", "-o", out, url, NULL };

    if (run (f, argv) != 0)
      {
        if (!g_test_failed ())
          g_test_fail_printf ("curl failed");
        return;
      }
  }
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, 0);
  g_assert_cmpuint (reports->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (reports, 0), ==, "52:54:00:12:34:56");
  g_assert_cmpstr (g_ptr_array_index (reports, 1), ==,
                   "{\"manufacturer\":\"QEMU\",\"product\":\"Standard PC (Q35)\"}");
  g_assert_cmpuint (f->kinds->len, ==, 0);

  {
    const char *argv[] = { "curl", "-sS", "-o", out, bad, NULL };

    g_assert_cmpint (run (f, argv), !=, 0);
  }
  g_assert_cmpuint (reports->len, ==, 2);
  g_assert_cmpuint (count_kind (f, "transfer-refused"), ==, 1);
  g_signal_handler_disconnect (f->server, id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/yard/tftp-server/events", Fixture, NULL,
              fixture_set_up, test_events, fixture_tear_down);
  g_test_add ("/yard/tftp-server/progress", Fixture, NULL,
              fixture_set_up, test_progress, fixture_tear_down);
  g_test_add ("/yard/tftp-server/silent-client", Fixture, NULL,
              fixture_set_up, test_silent_client, fixture_tear_down);
  g_test_add ("/yard/tftp-server/silent-first-block", Fixture, NULL,
              fixture_set_up, test_silent_first_block, fixture_tear_down);
  g_test_add ("/yard/tftp-server/per-address-limit", Fixture, GUINT_TO_POINTER (200),
              fixture_set_up, test_per_address_limit, fixture_tear_down);
  g_test_add ("/yard/tftp-server/stop-frees-transfers", Fixture, NULL,
              fixture_set_up, test_stop_frees_transfers, fixture_tear_down);
  g_test_add_func ("/yard/tftp-server/bad-root", test_bad_root);
  g_test_add ("/yard/tftp-server/machine-report", Fixture, NULL,
              fixture_set_up, test_machine_report, fixture_tear_down);

  return g_test_run ();
}
