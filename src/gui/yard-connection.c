/* yard-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Like Fragments with its torrent daemon: the app talks to the server on this computer and
 * starts it when none answers (stopping it again on quit), or to a remote server given in
 * Preferences. Everything else in the app reads the state and the client from here, so the
 * window can say "connecting" or "unreachable" instead of showing empty lists.
 */

#define G_LOG_DOMAIN "yard-connection"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <sys/prctl.h>

#include "yard-connection.h"
#include "yard-error.h"
#include "yard-event-stream.h"
#include "yard-paths.h"

#define STATUS_POLL_SECONDS  3
#define START_POLL_MS        200
#define START_TIMEOUT_MS     15000
#define STDERR_KEEP          4096

struct _YardConnection
{
  GObject              parent_instance;

  char                *server_url;   /* NULL: the local server */
  char                *token_file;   /* NULL: the local server's */
  guint16              local_port;
  guint16              tftp_port;    /* passed to a server we start; 0: its default */
  char                *interface;    /* passed to a server we start */

  YardConnectionState  state;
  YardConnectionProblem problem;     /* why FAILED */
  char                *error_message;
  YardClient          *client;
  YardEventStream     *events;
  YardServerStatus    *status;
  GCancellable        *cancellable;  /* the current attempt and its polls */

  GSubprocess         *server;       /* the server we started, NULL otherwise */
  GString             *server_stderr;
  gint64               start_deadline;
  gboolean             probed;       /* asked without a token whether a server runs */
  gboolean             system_token; /* the local server refused ours: trying the system's */
  guint                retry_id;
  guint                poll_id;
};

G_DEFINE_FINAL_TYPE (YardConnection, yard_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void try_connect (YardConnection *self);

static void
set_state (YardConnection      *self,
           YardConnectionState  state,
           const char          *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_failed (YardConnection        *self,
            YardConnectionProblem  problem,
            const char            *error_message)
{
  /* Before the state's notify, so that its handlers read the new problem. */
  self->problem = problem;
  set_state (self, YARD_CONNECTION_FAILED, error_message);
}

static YardConnectionProblem
problem_of (const GError *error)
{
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    return YARD_CONNECTION_PROBLEM_TOKEN_REFUSED;
  return YARD_CONNECTION_PROBLEM_UNREACHABLE;
}

static void
set_status (YardConnection   *self,
            YardServerStatus *status)
{
  g_clear_pointer (&self->status, yard_server_status_free);
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
stop_server (YardConnection *self)
{
  if (self->server == NULL)
    return;

  if (g_subprocess_get_identifier (self->server) != NULL)
    {
      g_debug ("Stopping the bootyard-server we started");
      g_subprocess_send_signal (self->server, SIGTERM);
      /* It stops within milliseconds; don't leave it behind if it hangs. */
      for (guint i = 0; i < 50 && g_subprocess_get_identifier (self->server) != NULL; i++)
        g_usleep (G_USEC_PER_SEC / 20);
      if (g_subprocess_get_identifier (self->server) != NULL)
        g_subprocess_force_exit (self->server);
    }
  g_clear_object (&self->server);
}

static void
yard_connection_dispose (GObject *object)
{
  YardConnection *self = YARD_CONNECTION (object);

  yard_connection_disconnect (self);

  G_OBJECT_CLASS (yard_connection_parent_class)->dispose (object);
}

static void
yard_connection_finalize (GObject *object)
{
  YardConnection *self = YARD_CONNECTION (object);

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token_file, g_free);
  g_clear_pointer (&self->interface, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->status, yard_server_status_free);
  if (self->server_stderr != NULL)
    g_string_free (self->server_stderr, TRUE);

  G_OBJECT_CLASS (yard_connection_parent_class)->finalize (object);
}

static void
yard_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  YardConnection *self = YARD_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_connection_class_init (YardConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_connection_dispose;
  object_class->finalize = yard_connection_finalize;
  object_class->get_property = yard_connection_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, YARD_CONNECTION_DISCONNECTED, YARD_CONNECTION_FAILED,
                      YARD_CONNECTION_DISCONNECTED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* GET /status as last seen; notified on every poll so that views follow the services. */
  properties[PROP_STATUS] =
    g_param_spec_boxed ("status", NULL, NULL, YARD_TYPE_SERVER_STATUS,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * YardConnection::event:
   * @event: the event (YardBootEvent), detailed by its kind ("transfer-progress",
   *   "menu-changed", ... see docs/api.md)
   *
   * The server's event stream, while connected.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, YARD_TYPE_BOOT_EVENT);
}

static void
yard_connection_init (YardConnection *self)
{
  self->local_port = YARD_DEFAULT_HTTP_PORT;
}

YardConnection *
yard_connection_new (void)
{
  return g_object_new (YARD_TYPE_CONNECTION, NULL);
}

/* server_url NULL or empty: the server on this computer, which we may start ourselves. */
void
yard_connection_set_target (YardConnection *self,
                            const char     *server_url,
                            const char     *token_file)
{
  g_return_if_fail (YARD_IS_CONNECTION (self));

  g_free (self->server_url);
  self->server_url = (server_url && *server_url) ? g_strdup (server_url) : NULL;
  g_free (self->token_file);
  self->token_file = (token_file && *token_file) ? g_strdup (token_file) : NULL;
}

/* How a server that we start listens: its HTTP and API port and its TFTP port (0 keeps the
 * default) and the interface it answers boot requests on (NULL or empty: the default
 * route's). */
void
yard_connection_set_local_options (YardConnection *self,
                                   guint16         http_port,
                                   guint16         tftp_port,
                                   const char     *interface)
{
  g_return_if_fail (YARD_IS_CONNECTION (self));

  self->local_port = http_port ? http_port : YARD_DEFAULT_HTTP_PORT;
  self->tftp_port = tftp_port;
  g_free (self->interface);
  self->interface = (interface && *interface) ? g_strdup (interface) : NULL;
}

/* BOOTYARD_SERVER overrides; run from a build tree we take the server built beside us;
 * installed, the one in BINDIR. */
char *
yard_connection_dup_server_program (void)
{
  const char *env = g_getenv ("BOOTYARD_SERVER");
  g_autofree char *self_exe = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_exe);
      g_autofree char *built = g_build_filename (dir, "..", "daemon", "bootyard-server", NULL);
      g_autofree char *ninja = g_build_filename (dir, "..", "..", "build.ninja", NULL);

      if (g_file_test (ninja, G_FILE_TEST_EXISTS) &&
          g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&built);
    }

  return g_build_filename (BINDIR, "bootyard-server", NULL);
}

static char *
local_url (YardConnection *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->local_port);
}

/* The client's messages speak to bootyardctl users (--server, --token-file); the window
 * speaks of Preferences instead. Other errors are the server's own words. */
static char *
describe_error (YardConnection *self,
                const GError   *error,
                const char     *url)
{
  if (error == NULL)
    return g_strdup (_("The server sent no status."));
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNREACHABLE))
    return g_strdup_printf (_("Cannot reach the Bootyard server at %s. Check that it is running "
                              "and that its address in Preferences is right."), url);
  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      if (self->token_file != NULL)
        return g_strdup_printf (_("The server at %s did not accept the API token in “%s”. "
                                  "Copy the token file from the server and choose it in "
                                  "Preferences."), url, self->token_file);
      return g_strdup_printf (_("The server at %s did not accept this computer’s API token. "
                                "Choose the server’s token file in Preferences."), url);
    }
  return g_strdup (error->message);
}

static void
clear_timers (YardConnection *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->events, self);
      yard_event_stream_stop (self->events);
      g_clear_object (&self->events);
    }
}

static void
stream_event_cb (YardEventStream *stream,
                 YardBootEvent   *event,
                 YardConnection  *self)
{
  const char *kind = yard_boot_event_get_kind (event);

  /* Services change state without the app asking (another client, a failure): follow. */
  if (g_str_equal (kind, "service-state"))
    yard_connection_refresh_status (self);
  g_signal_emit (self, signals[SIGNAL_EVENT], g_quark_from_string (kind), event);
}

/* "(bootyard-server:42): yard-tftp-server-WARNING **: 15:59:38.931: Port 69 …" → "Port 69 …":
 * GLib's log line prefixes mean nothing to a user. */
static char *
strip_log_prefix (const char *line)
{
  g_autoptr(GRegex) prefix = g_regex_new ("^(\\([^)]*\\): )?[A-Za-z0-9_.-]+-"
                                          "(Message|INFO|DEBUG|WARNING|CRITICAL|ERROR)"
                                          "( \\*\\*)?: ([0-9:.]+: )?",
                                          G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);

  return g_regex_replace_literal (prefix, line, -1, 0, "", G_REGEX_MATCH_DEFAULT, NULL);
}

static char *
server_last_words (YardConnection *self)
{
  g_auto(GStrv) lines = NULL;
  guint n;

  if (self->server_stderr == NULL || self->server_stderr->len == 0)
    return NULL;

  lines = g_strsplit (g_strstrip (self->server_stderr->str), "\n", -1);
  n = g_strv_length (lines);
  for (guint i = n; i > 0; i--)
    {
      const char *line = lines[i - 1];
      if (g_str_has_prefix (line, "bootyard-server: "))
        return g_strdup (line + strlen ("bootyard-server: "));
    }
  if (n == 0)
    return NULL;
  /* A stop on a signal is no failure to explain: someone ended it (kill, a logout). */
  if (strstr (lines[n - 1], "Stopping on signal") != NULL)
    return g_strdup (_("it was told to stop (by a signal from outside Bootyard)"));
  return strip_log_prefix (lines[n - 1]);
}

static void
stderr_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(YardConnection) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;

  data = g_bytes_get_data (bytes, &len);
  g_debug ("server: %.*s", (int) len, data);
  if (self->server_stderr == NULL)
    self->server_stderr = g_string_new (NULL);
  g_string_append_len (self->server_stderr, data, len);
  if (self->server_stderr->len > STDERR_KEEP)
    g_string_erase (self->server_stderr, 0, self->server_stderr->len - STDERR_KEEP);

  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT, NULL,
                                   stderr_read_cb, g_object_ref (self));
}

static void
server_exited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YardConnection) self = user_data;
  g_autofree char *words = NULL;
  g_autofree char *message = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL))
    return;
  if (self->server != G_SUBPROCESS (source))
    return;

  words = server_last_words (self);
  g_clear_object (&self->server);
  g_cancellable_cancel (self->cancellable);
  clear_timers (self);
  set_status (self, NULL);

  message = words ? g_strdup_printf (_("The Bootyard server stopped: %s"), words)
                  : g_strdup (_("The Bootyard server stopped unexpectedly."));
  set_failed (self, YARD_CONNECTION_PROBLEM_SERVER_STOPPED, message);
}

/* In the child: the server we start ends with the app even if the app is killed. */
static void
server_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_server (YardConnection  *self,
              GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *program = yard_connection_dup_server_program ();
  const char *extra = g_getenv ("BOOTYARD_SERVER_ARGS");

  g_ptr_array_add (argv, g_strdup (program));
  /* The services start from the switch, where a port we may not use is explained; the
   * server keeps its API up for the pages meanwhile. */
  g_ptr_array_add (argv, g_strdup ("--services-off"));
  g_ptr_array_add (argv, g_strdup ("--http-port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", self->local_port));
  if (self->tftp_port != 0)
    {
      g_ptr_array_add (argv, g_strdup ("--tftp-port"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", self->tftp_port));
    }
  if (self->interface != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--interface"));
      g_ptr_array_add (argv, g_strdup (self->interface));
    }
  /* For development and tests: more options for the server we start (test ports...). */
  if (extra != NULL && *extra != '\0')
    {
      g_auto(GStrv) words = NULL;

      if (!g_shell_parse_argv (extra, NULL, &words, error))
        {
          g_prefix_error (error, "BOOTYARD_SERVER_ARGS: ");
          return FALSE;
        }
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (words[i]));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  g_debug ("Starting %s", program);
  self->server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               error);
  if (self->server == NULL)
    {
      g_prefix_error (error, _("Cannot start %s: "), program);
      return FALSE;
    }

  if (self->server_stderr != NULL)
    g_string_truncate (self->server_stderr, 0);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->server), 4096,
                                   G_PRIORITY_DEFAULT, NULL, stderr_read_cb,
                                   g_object_ref (self));
  g_subprocess_wait_async (self->server, NULL, server_exited_cb, g_object_ref (self));
  self->start_deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;
  return TRUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  YardConnection *self = user_data;

  self->retry_id = 0;
  try_connect (self);
  return G_SOURCE_REMOVE;
}

static void poll_status_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
poll_timeout_cb (gpointer user_data)
{
  YardConnection *self = user_data;

  if (self->client != NULL)
    yard_client_get_status_async (self->client, self->cancellable, poll_status_cb,
                                  g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
poll_status_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(YardConnection) self = user_data;
  g_autoptr(YardServerStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = yard_client_get_status_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (YARD_CLIENT (source) != self->client)
    return;

  if (status == NULL)
    {
      g_autofree char *url = self->server_url ? g_strdup (self->server_url) : local_url (self);
      g_autofree char *reason = describe_error (self, error, url);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Lost the connection to the server: %s"), reason);
      clear_timers (self);
      set_status (self, NULL);
      set_failed (self, problem_of (error), message);
      return;
    }

  set_status (self, g_steal_pointer (&status));
}

/* A server answers here, and not to a token we can read: most likely the system service,
 * whose token the bootyard group may read (data/bootyard-server.service.in). */
static void
set_foreign_server_failed (YardConnection *self,
                           const char     *url)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("A Bootyard server already runs on this computer (%s), but its "
                               "API token cannot be read. If it is the system service, add "
                               "your user to the bootyard group (“sudo adduser $USER "
                               "bootyard”, then log in again) so that it may read %s/%s, or "
                               "choose a copy of that file in Preferences."),
                             url, YARD_SYSTEM_STATE_DIR, YARD_API_TOKEN_FILE);
  set_failed (self, YARD_CONNECTION_PROBLEM_TOKEN_REFUSED, message);
}

static void
first_status_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(YardConnection) self = user_data;
  g_autoptr(YardServerStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = yard_client_get_status_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* An answer for an attempt that a newer one replaced. */
  if (YARD_CLIENT (source) != self->client)
    return;

  if (status != NULL)
    {
      set_status (self, g_steal_pointer (&status));
      set_state (self, YARD_CONNECTION_CONNECTED, NULL);
      self->poll_id = g_timeout_add_seconds (STATUS_POLL_SECONDS, poll_timeout_cb, self);
      self->events = yard_event_stream_new (self->client);
      g_signal_connect (self->events, "event", G_CALLBACK (stream_event_cb), self);
      yard_event_stream_start (self->events);
      return;
    }

  g_clear_object (&self->client);

  /* The local server refused this user's token: it is not the one we start but the system
   * service (started by the window's "Run as System Service", or at boot), whose token is
   * the system's. */
  if (self->server_url == NULL && self->token_file == NULL && self->server == NULL &&
      g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      g_autofree char *url = local_url (self);
      g_autofree char *system_file = g_build_filename (YARD_SYSTEM_STATE_DIR,
                                                       YARD_API_TOKEN_FILE, NULL);

      if (!self->system_token)
        self->client = yard_client_new_from_files (url, system_file, NULL);
      self->system_token = TRUE;
      if (self->client == NULL)
        {
          set_foreign_server_failed (self, url);
          return;
        }
      g_debug ("Trying the system service's token, %s", system_file);
      yard_client_get_status_async (self->client, self->cancellable, first_status_cb,
                                    g_object_ref (self));
      return;
    }

  /* The local server: start it if none answered, then wait for the one we started. */
  if (self->server_url == NULL && !g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      g_autoptr(GError) start_error = NULL;

      if (self->server == NULL && !start_server (self, &start_error))
        {
          set_failed (self, YARD_CONNECTION_PROBLEM_START_FAILED, start_error->message);
          return;
        }
      if (g_get_monotonic_time () < self->start_deadline)
        {
          self->retry_id = g_timeout_add (START_POLL_MS, retry_cb, self);
          return;
        }
    }

  {
    g_autofree char *url = self->server_url ? g_strdup (self->server_url) : local_url (self);
    g_autofree char *message = describe_error (self, error, url);

    set_failed (self, problem_of (error), message);
  }
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(YardConnection) self = user_data;
  g_autoptr(YardServerStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = yard_client_get_status_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, YARD_ERROR, YARD_ERROR_UNAUTHORIZED))
    {
      set_foreign_server_failed (self, yard_client_get_base_url (YARD_CLIENT (source)));
      return;
    }

  /* Nothing answers (or something that is not Bootyard): start ours. */
  try_connect (self);
}

static void
try_connect (YardConnection *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = self->server_url ? g_strdup (self->server_url) : local_url (self);

  self->client = yard_client_new_from_files (url, self->token_file, &error);
  if (self->client == NULL)
    {
      /* No token yet: a local server that never ran, or ours that is still starting. */
      if (self->server_url == NULL && self->token_file == NULL)
        {
          g_autoptr(GError) start_error = NULL;

          /* Unless one already answers (a system service whose token we may not read). */
          if (self->server == NULL && !self->probed)
            {
              g_autoptr(YardClient) probe = yard_client_new (url, NULL);

              self->probed = TRUE;
              yard_client_get_status_async (probe, self->cancellable, probe_cb,
                                            g_object_ref (self));
              return;
            }
          if (self->server == NULL && !start_server (self, &start_error))
            {
              set_failed (self, YARD_CONNECTION_PROBLEM_START_FAILED, start_error->message);
              return;
            }
          if (g_get_monotonic_time () < self->start_deadline)
            {
              self->retry_id = g_timeout_add (START_POLL_MS, retry_cb, self);
              return;
            }
        }
      if (self->token_file != NULL)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Cannot read the API token file “%s”. Copy it from the "
                                       "server (STATE-DIR/api-token) and choose it in "
                                       "Preferences."), self->token_file);
          set_failed (self, YARD_CONNECTION_PROBLEM_TOKEN_REFUSED, message);
        }
      else
        set_failed (self, YARD_CONNECTION_PROBLEM_START_FAILED, error->message);
      return;
    }

  yard_client_get_status_async (self->client, self->cancellable, first_status_cb,
                                g_object_ref (self));
}

/* Connects (again) to the target; "state" goes to CONNECTING, then CONNECTED or FAILED. */
void
yard_connection_connect (YardConnection *self)
{
  g_return_if_fail (YARD_IS_CONNECTION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_timers (self);
  g_clear_object (&self->client);
  set_status (self, NULL);

  /* A server we started for another target is no longer ours to keep. */
  if (self->server_url != NULL)
    stop_server (self);

  self->cancellable = g_cancellable_new ();
  self->probed = FALSE;
  self->system_token = FALSE;
  self->start_deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;
  set_state (self, YARD_CONNECTION_CONNECTING, NULL);
  try_connect (self);
}

/* Drops the connection and stops the server if we started it (on quit). */
void
yard_connection_disconnect (YardConnection *self)
{
  g_return_if_fail (YARD_IS_CONNECTION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_timers (self);
  g_clear_object (&self->client);
  stop_server (self);
  if (self->status != NULL)
    set_status (self, NULL);
  set_state (self, YARD_CONNECTION_DISCONNECTED, NULL);
}

/* "Keep Serving" on close: the server we started goes on without the app (SIGUSR1: it drops
 * its tie to us and our stderr pipe, src/daemon/bootyard-server.c), and the connection no
 * longer counts it as ours, so quitting leaves it running. FALSE if it did not confirm. */
gboolean
yard_connection_detach_server (YardConnection *self)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  gboolean confirmed = FALSE;

  g_return_val_if_fail (YARD_IS_CONNECTION (self), FALSE);

  if (self->server == NULL || g_subprocess_get_identifier (self->server) == NULL)
    return FALSE;
  if (self->server_stderr != NULL)
    g_string_truncate (self->server_stderr, 0);
  g_subprocess_send_signal (self->server, SIGUSR1);
  /* Its last line to our pipe says it is on its own; the pipe closes with the app. */
  while (!confirmed && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      confirmed = self->server_stderr != NULL &&
                  strstr (self->server_stderr->str, "Serving in the background") != NULL;
      if (!confirmed)
        g_usleep (10000);
    }
  if (!confirmed)
    return FALSE;
  g_debug ("The server we started serves on in the background");
  g_clear_object (&self->server);
  return TRUE;
}

YardConnectionState
yard_connection_get_state (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), YARD_CONNECTION_DISCONNECTED);
  return self->state;
}

YardConnectionProblem
yard_connection_get_problem (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), YARD_CONNECTION_PROBLEM_NONE);
  return self->state == YARD_CONNECTION_FAILED ? self->problem : YARD_CONNECTION_PROBLEM_NONE;
}

const char *
yard_connection_get_error_message (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), NULL);
  return self->error_message;
}

/* NULL unless connected. */
YardClient *
yard_connection_get_client (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), NULL);
  return self->state == YARD_CONNECTION_CONNECTED ? self->client : NULL;
}

const YardServerStatus *
yard_connection_get_status (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), NULL);
  return self->status;
}

gboolean
yard_connection_get_is_local (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), FALSE);
  return self->server_url == NULL;
}

gboolean
yard_connection_get_started_server (YardConnection *self)
{
  g_return_val_if_fail (YARD_IS_CONNECTION (self), FALSE);
  return self->server != NULL;
}

/* Asks for GET /status now (after starting or stopping services). */
void
yard_connection_refresh_status (YardConnection *self)
{
  g_return_if_fail (YARD_IS_CONNECTION (self));

  if (self->state == YARD_CONNECTION_CONNECTED)
    poll_timeout_cb (self);
}
