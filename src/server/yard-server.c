/* yard-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The composition root of the headless server: it owns the boot root, the state directory and
 * each service, starts and stops them, and funnels their events into one "event" signal that
 * the log and the API's event stream both read. The daemon's main() only parses options.
 */

#define G_LOG_DOMAIN "yard-server"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "yard-error.h"
#include "yard-proxy-dhcp.h"
#include "yard-server.h"
#include "yard-tftp-server.h"

struct _YardServer
{
  GObject           parent_instance;
  YardServerConfig  config;
  gboolean          running;          /* directories made, API up */
  gboolean          services_running; /* what the app's one switch turns on */
  GHashTable       *last_errors;      /* service name -> message of its last failure */
  /* Each service's object lives here, NULL while stopped. */
  YardTftpServer   *tftp;
  YardProxyDhcp    *dhcp;
};

G_DEFINE_FINAL_TYPE (YardServer, yard_server, G_TYPE_OBJECT)

/* The boot services the app's switch and POST /services/start control. Each one adds its row
 * here: start binds and begins serving (a clear GError otherwise), stop frees everything,
 * port returns the bound port (0 while stopped). disabled says whether the config turned it
 * off (--no-tftp, ...). */
typedef struct
{
  const char *name;
  gboolean  (*disabled) (YardServer *self);
  gboolean  (*start)    (YardServer *self, GError **error);
  void      (*stop)     (YardServer *self);
  guint16   (*port)     (YardServer *self);
} ServiceOps;

static void
tftp_event_cb (YardTftpServer *tftp,
               const char     *kind,
               JsonObject     *payload,
               YardServer     *self)
{
  yard_server_emit_event (self, kind, payload);
}

static gboolean
tftp_disabled (YardServer *self)
{
  return self->config.no_tftp;
}

/* With no --address, "::" takes IPv6 and (as ::ffff:a.b.c.d) IPv4 clients; a machine without
 * IPv6 falls back to 0.0.0.0. */
static gboolean
tftp_start (YardServer  *self,
            GError     **error)
{
  g_autoptr(YardTftpServer) tftp = yard_tftp_server_new (self->config.root_dir);
  g_autoptr(GError) local_error = NULL;

  yard_tftp_server_set_allow_upload (tftp, self->config.tftp_allow_upload);
  g_signal_connect (tftp, "transfer-event", G_CALLBACK (tftp_event_cb), self);

  if (self->config.address != NULL)
    {
      if (!yard_tftp_server_start (tftp, self->config.address, self->config.tftp_port, error))
        return FALSE;
    }
  else if (!yard_tftp_server_start (tftp, "::", self->config.tftp_port, &local_error))
    {
      if (g_error_matches (local_error, YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE) ||
          g_error_matches (local_error, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED) ||
          !yard_tftp_server_start (tftp, "0.0.0.0", self->config.tftp_port, error))
        {
          if (local_error != NULL && (error == NULL || *error == NULL))
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  self->tftp = g_steal_pointer (&tftp);
  return TRUE;
}

static void
tftp_stop (YardServer *self)
{
  if (self->tftp == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->tftp, tftp_event_cb, self);
  yard_tftp_server_stop (self->tftp);
  g_clear_object (&self->tftp);
}

static guint16
tftp_port (YardServer *self)
{
  return self->tftp != NULL ? yard_tftp_server_get_port (self->tftp) : 0;
}

static void
dhcp_event_cb (YardProxyDhcp *dhcp,
               const char    *kind,
               JsonObject    *payload,
               YardServer    *self)
{
  yard_server_emit_event (self, kind, payload);
}

static gboolean
dhcp_disabled (YardServer *self)
{
  return self->config.no_dhcp;
}

/* ProxyDHCP, or full DHCP with --dhcp-range. The hosts table's policy and the menu flavor are
 * set on self->dhcp by whoever owns them (yard_proxy_dhcp_set_policy_func ()). */
static gboolean
dhcp_start (YardServer  *self,
            GError     **error)
{
  g_autoptr(YardProxyDhcp) dhcp = yard_proxy_dhcp_new (self->config.interface,
                                                       self->config.address,
                                                       self->config.root_dir);

  yard_proxy_dhcp_set_ports (dhcp, self->config.dhcp_port, self->config.pxe_port);
  yard_proxy_dhcp_set_http_port (dhcp, self->config.http_port);
  if (self->config.dhcp_range != NULL &&
      !yard_proxy_dhcp_set_range (dhcp, self->config.dhcp_range, self->config.state_dir, error))
    return FALSE;
  g_signal_connect (dhcp, "dhcp-event", G_CALLBACK (dhcp_event_cb), self);

  if (!yard_proxy_dhcp_start (dhcp, error))
    return FALSE;

  self->dhcp = g_steal_pointer (&dhcp);
  return TRUE;
}

static void
dhcp_stop (YardServer *self)
{
  if (self->dhcp == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->dhcp, dhcp_event_cb, self);
  yard_proxy_dhcp_stop (self->dhcp);
  g_clear_object (&self->dhcp);
}

static guint16
dhcp_port (YardServer *self)
{
  return self->dhcp != NULL ? yard_proxy_dhcp_get_port (self->dhcp) : 0;
}

static const ServiceOps services[] = {
  { "tftp", tftp_disabled, tftp_start, tftp_stop, tftp_port },
  { "dhcp", dhcp_disabled, dhcp_start, dhcp_stop, dhcp_port },
  { NULL, }
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
yard_server_config_clear (YardServerConfig *config)
{
  g_clear_pointer (&config->root_dir, g_free);
  g_clear_pointer (&config->state_dir, g_free);
  g_clear_pointer (&config->address, g_free);
  g_clear_pointer (&config->interface, g_free);
  g_clear_pointer (&config->dhcp_range, g_free);
}

static void
yard_server_dispose (GObject *object)
{
  YardServer *self = YARD_SERVER (object);

  yard_server_stop (self);

  G_OBJECT_CLASS (yard_server_parent_class)->dispose (object);
}

static void
yard_server_finalize (GObject *object)
{
  YardServer *self = YARD_SERVER (object);

  yard_server_config_clear (&self->config);
  g_clear_pointer (&self->last_errors, g_hash_table_unref);

  G_OBJECT_CLASS (yard_server_parent_class)->finalize (object);
}

static void
yard_server_class_init (YardServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_server_dispose;
  object_class->finalize = yard_server_finalize;

  /**
   * YardServer::event:
   * @kind: "host-seen", "dhcp-answered", "transfer-started", "transfer-progress",
   *        "transfer-finished", "transfer-failed", "service-state", ...
   * @payload: the event's fields, as the API's event stream sends them
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT);
}

static void
yard_server_init (YardServer *self)
{
  self->last_errors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

YardServer *
yard_server_new (const YardServerConfig *config)
{
  YardServer *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->root_dir != NULL, NULL);
  g_return_val_if_fail (config->state_dir != NULL, NULL);

  self = g_object_new (YARD_TYPE_SERVER, NULL);
  self->config = *config;
  self->config.root_dir = g_strdup (config->root_dir);
  self->config.state_dir = g_strdup (config->state_dir);
  self->config.address = g_strdup (config->address);
  self->config.interface = g_strdup (config->interface);
  self->config.dhcp_range = g_strdup (config->dhcp_range);
  return self;
}

const YardServerConfig *
yard_server_get_config (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);
  return &self->config;
}

void
yard_server_emit_event (YardServer *self,
                        const char *kind,
                        JsonObject *payload)
{
  g_return_if_fail (YARD_IS_SERVER (self));
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, kind, payload);
}

static gboolean
ensure_directory (const char  *path,
                  int          mode,
                  const char  *what,
                  GError     **error)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    {
      int saved = errno;
      g_set_error (error, YARD_ERROR,
                   saved == EACCES ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                   "Cannot create the %s “%s”: %s. Choose another with --%s",
                   what, path, g_strerror (saved),
                   g_str_equal (what, "boot root") ? "root" : "state-dir");
      return FALSE;
    }
  return TRUE;
}

static void
emit_service_state (YardServer *self,
                    const char *name,
                    const char *state)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  const char *error = g_hash_table_lookup (self->last_errors, name);

  json_object_set_string_member (payload, "service", name);
  json_object_set_string_member (payload, "state", state);
  if (error != NULL)
    json_object_set_string_member (payload, "lastError", error);
  yard_server_emit_event (self, "service-state", payload);
}

/* Starts every enabled service; on the first failure stops those already started, so the
 * switch is all or nothing, and remembers the error for GET /status. */
gboolean
yard_server_start_services (YardServer  *self,
                            GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (self->services_running)
    return TRUE;

  for (guint i = 0; services[i].name != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (services[i].disabled (self))
        continue;

      if (!services[i].start (self, &local_error))
        {
          g_hash_table_replace (self->last_errors, (gpointer) services[i].name,
                                g_strdup (local_error->message));
          emit_service_state (self, services[i].name, "failed");
          for (guint j = 0; j < i; j++)
            if (!services[j].disabled (self))
              services[j].stop (self);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_hash_table_remove (self->last_errors, services[i].name);
      emit_service_state (self, services[i].name, "running");
    }

  self->services_running = TRUE;
  return TRUE;
}

void
yard_server_stop_services (YardServer *self)
{
  g_return_if_fail (YARD_IS_SERVER (self));

  if (!self->services_running)
    return;

  for (guint i = 0; services[i].name != NULL; i++)
    {
      if (services[i].disabled (self))
        continue;
      services[i].stop (self);
      emit_service_state (self, services[i].name, "stopped");
    }
  self->services_running = FALSE;
}

gboolean
yard_server_get_services_running (YardServer *self)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);
  return self->services_running;
}

/* GET /status: {"version", "servicesRunning", "services": {name: {state, address, port,
 * lastError}}} */
JsonObject *
yard_server_dup_status (YardServer *self)
{
  JsonObject *status = json_object_new ();
  JsonObject *list = json_object_new ();

  g_return_val_if_fail (YARD_IS_SERVER (self), NULL);

  json_object_set_string_member (status, "version", PACKAGE_VERSION);
  json_object_set_boolean_member (status, "servicesRunning", self->services_running);
  json_object_set_string_member (status, "root", self->config.root_dir);
  for (guint i = 0; services[i].name != NULL; i++)
    {
      JsonObject *svc = json_object_new ();
      const char *error = g_hash_table_lookup (self->last_errors, services[i].name);
      const char *state;

      if (services[i].disabled (self))
        state = "disabled";
      else if (error != NULL)
        state = "failed";
      else if (self->services_running)
        state = "running";
      else
        state = "stopped";

      json_object_set_string_member (svc, "state", state);
      json_object_set_string_member (svc, "address",
                                     self->config.address ? self->config.address : "");
      json_object_set_int_member (svc, "port", services[i].port (self));
      if (error != NULL)
        json_object_set_string_member (svc, "lastError", error);
      json_object_set_object_member (list, services[i].name, svc);
    }
  json_object_set_object_member (status, "services", list);
  return status;
}

/* Makes the directories and brings up what must always run (the API), then the boot services. */
gboolean
yard_server_start (YardServer  *self,
                   GError     **error)
{
  g_return_val_if_fail (YARD_IS_SERVER (self), FALSE);

  if (self->running)
    return TRUE;

  if (!ensure_directory (self->config.root_dir, 0755, "boot root", error) ||
      !ensure_directory (self->config.state_dir, 0700, "state directory", error))
    return FALSE;

  self->running = TRUE;

  if (!yard_server_start_services (self, error))
    {
      yard_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
yard_server_stop (YardServer *self)
{
  g_return_if_fail (YARD_IS_SERVER (self));

  if (!self->running)
    return;

  yard_server_stop_services (self);
  self->running = FALSE;
}
