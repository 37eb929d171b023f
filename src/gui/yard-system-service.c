/* yard-system-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * systemd's Manager on the system bus, as systemctl asks it: LoadUnit and the unit's
 * LoadState to know whether the unit is installed, StartUnit "replace" with interactive
 * authorization (so polkit asks for the password) and the job's JobRemoved signal to know how
 * the start ended. The system bus is BOOTYARD_SYSTEM_BUS_ADDRESS when set: a test hook, so
 * that the GUI tests can give the app a bus with a systemd of their own.
 */

#define G_LOG_DOMAIN "yard-system-service"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-error.h"
#include "yard-system-service.h"

#define SYSTEMD_NAME      "org.freedesktop.systemd1"
#define SYSTEMD_PATH      "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER   "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT      "org.freedesktop.systemd1.Unit"

/* The one place that reads the test hook. */
static void
get_system_bus_async (GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  const char *address = g_getenv ("BOOTYARD_SYSTEM_BUS_ADDRESS");

  if (address != NULL && *address != '\0')
    g_dbus_connection_new_for_address (address,
                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                       NULL, cancellable, callback, user_data);
  else
    g_bus_get (G_BUS_TYPE_SYSTEM, cancellable, callback, user_data);
}

static GDBusConnection *
get_system_bus_finish (GAsyncResult  *result,
                       GError       **error)
{
  const char *address = g_getenv ("BOOTYARD_SYSTEM_BUS_ADDRESS");
  g_autoptr(GError) local_error = NULL;
  GDBusConnection *bus;

  if (address != NULL && *address != '\0')
    bus = g_dbus_connection_new_for_address_finish (result, &local_error);
  else
    bus = g_bus_get_finish (result, &local_error);
  if (bus == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, YARD_ERROR, YARD_ERROR_UNREACHABLE,
                     _("Cannot reach the system bus, so systemd cannot be asked to start the "
                       "system service (%s)."), local_error->message);
    }
  return bus;
}

/* A D-Bus error from systemd (or the bus) in words: what happened and what to do. */
static void
propagate_dbus_error (GTask  *task,
                      GError *error)
{
  g_autofree char *name = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == YARD_ERROR)
    {
      g_task_return_error (task, error);
      return;
    }
  name = g_dbus_error_get_remote_error (error);
  g_dbus_error_strip_remote_error (error);
  g_debug ("systemd: %s (%s)", error->message, name ? name : "local");

  if (g_strcmp0 (name, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
      g_strcmp0 (name, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0)
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_UNREACHABLE,
                             _("systemd does not run on this computer, so there is no system "
                               "service to start: use one of the other ways."));
  else if (g_strcmp0 (name, "org.freedesktop.systemd1.NoSuchUnit") == 0)
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_NOT_FOUND,
                             _("The bootyard-server system service is not installed on this "
                               "computer."));
  else if (g_strcmp0 (name, "org.freedesktop.DBus.Error.AccessDenied") == 0 ||
           g_strcmp0 (name, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired") == 0)
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                             _("You may not start the bootyard-server system service, or the "
                               "password was not given. An administrator can start it with "
                               "“sudo systemctl start bootyard-server”."));
  else
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_FAILED,
                             _("systemd could not start the bootyard-server system service: %s"),
                             error->message);
  g_error_free (error);
}

/* Installed? */

static void
load_state_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  g_autoptr(GVariant) value = NULL;
  const char *state;

  if (reply == NULL)
    {
      propagate_dbus_error (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(v)", &value);
  state = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ? g_variant_get_string (value, NULL)
                                                              : "";
  if (g_str_equal (state, "loaded"))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_NOT_FOUND,
                             _("The bootyard-server system service is not installed on this "
                               "computer (systemd: %s)."), state);
}

static void
load_unit_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  const char *path;

  if (reply == NULL)
    {
      propagate_dbus_error (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  g_dbus_connection_call (G_DBUS_CONNECTION (source), SYSTEMD_NAME, path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", SYSTEMD_UNIT, "LoadState"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), load_state_cb, g_object_ref (task));
}

static void
query_bus_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = get_system_bus_finish (result, &error);

  if (bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* LoadUnit, not GetUnit: a unit that no one started yet is not loaded until asked for. */
  g_dbus_connection_call (bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, "LoadUnit",
                          g_variant_new ("(s)", YARD_SYSTEM_SERVICE_UNIT),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          g_task_get_cancellable (task), load_unit_cb, g_object_ref (task));
}

void
yard_system_service_query_async (GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, yard_system_service_query_async);
  get_system_bus_async (cancellable, query_bus_cb, task);
}

gboolean
yard_system_service_query_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Start */

typedef struct
{
  GDBusConnection *bus;
  guint            job_removed_id;
  char            *job;      /* StartUnit's answer, NULL until then */
  GHashTable      *ended;    /* job path -> result, for jobs that ended before the answer */
} StartData;

static void
start_data_free (StartData *data)
{
  if (data->job_removed_id != 0)
    g_dbus_connection_signal_unsubscribe (data->bus, data->job_removed_id);
  g_clear_object (&data->bus);
  g_free (data->job);
  g_hash_table_unref (data->ended);
  g_free (data);
}

static void
return_job_result (GTask      *task,
                   const char *result)
{
  const char *why;

  if (g_str_equal (result, "done"))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_str_equal (result, "timeout"))
    why = _("it did not say it was ready in time");
  else if (g_str_equal (result, "dependency"))
    why = _("a unit it needs did not start");
  else if (g_str_equal (result, "canceled"))
    why = _("its start was cancelled");
  else
    why = _("it failed");
  g_task_return_new_error (task, YARD_ERROR, YARD_ERROR_FAILED,
                           _("The bootyard-server system service did not start: %s. "
                             "“journalctl -u bootyard-server” says why."), why);
}

static void
job_removed_cb (GDBusConnection *bus,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  const char *job;
  const char *unit;
  const char *result;
  guint32 id;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uoss)")))
    return;
  g_variant_get (parameters, "(u&o&s&s)", &id, &job, &unit, &result);
  if (data->job == NULL)
    {
      g_hash_table_insert (data->ended, g_strdup (job), g_strdup (result));
      return;
    }
  if (!g_str_equal (job, data->job) || g_task_get_completed (task))
    return;
  g_dbus_connection_signal_unsubscribe (bus, data->job_removed_id);
  data->job_removed_id = 0;
  return_job_result (task, result);
  g_object_unref (task);  /* the signal's reference */
}

static void
start_unit_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  const char *ended;

  if (reply == NULL)
    {
      g_dbus_connection_signal_unsubscribe (data->bus, data->job_removed_id);
      data->job_removed_id = 0;
      g_object_unref (task);  /* the signal's reference */
      propagate_dbus_error (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(o)", &data->job);
  g_debug ("systemd queued %s", data->job);
  ended = g_hash_table_lookup (data->ended, data->job);
  if (ended != NULL)
    {
      g_dbus_connection_signal_unsubscribe (data->bus, data->job_removed_id);
      data->job_removed_id = 0;
      g_object_unref (task);  /* the signal's reference */
      return_job_result (task, ended);
    }
  /* Otherwise the signal's reference keeps the task until the job ends. */
}

static void
start_bus_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->bus = get_system_bus_finish (result, &error);
  if (data->bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Listening before asking, so that a job that ends at once is not missed. The signal holds
   * a reference to the task until the job ends. */
  data->job_removed_id =
    g_dbus_connection_signal_subscribe (data->bus, SYSTEMD_NAME, SYSTEMD_MANAGER, "JobRemoved",
                                        SYSTEMD_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        job_removed_cb, g_object_ref (task), NULL);
  /* systemd sends its signals only while someone subscribed (as systemctl does). */
  g_dbus_connection_call (data->bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, "Subscribe",
                          NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
  /* No timeout: polkit's password dialog waits for the user. */
  g_dbus_connection_call (data->bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER, "StartUnit",
                          g_variant_new ("(ss)", YARD_SYSTEM_SERVICE_UNIT, "replace"),
                          G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START |
                          G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                          G_MAXINT, g_task_get_cancellable (task), start_unit_cb,
                          g_object_ref (task));
}

void
yard_system_service_start_async (GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  StartData *data = g_new0 (StartData, 1);

  data->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_source_tag (task, yard_system_service_start_async);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  get_system_bus_async (cancellable, start_bus_cb, task);
}

gboolean
yard_system_service_start_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
