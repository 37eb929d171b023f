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
#include "yard-server.h"

struct _YardServer
{
  GObject           parent_instance;
  YardServerConfig  config;
  gboolean          running;
};

G_DEFINE_FINAL_TYPE (YardServer, yard_server, G_TYPE_OBJECT)

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
  return TRUE;
}

void
yard_server_stop (YardServer *self)
{
  g_return_if_fail (YARD_IS_SERVER (self));

  if (!self->running)
    return;

  self->running = FALSE;
}
