/* yard-api-hosts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's hosts: GET /hosts[/MAC], PUT and DELETE /hosts/MAC, POST /hosts/MAC/wake.
 */

#define G_LOG_DOMAIN "yard-api"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "yard-api.h"
#include "yard-boot-support.h"
#include "yard-boot-menu.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-image.h"
#include "yard-image-file.h"
#include "yard-image-import.h"
#include "yard-json.h"
#include "yard-paths.h"
#include "yard-root-file.h"
#include "yard-api-private.h"

/* Hosts */

static void
send_host (SoupServerMessage *msg,
           guint              status,
           const YardHost    *host)
{
  g_autoptr(JsonObject) object = yard_host_to_json (host);
  _yard_api_send_object (msg, status, object);
}

/* The host of mac (a new one when the table has none) with patch applied; NULL after a 400
 * naming the member. */
static YardHost *
patched_host (YardHostTable     *table,
              SoupServerMessage *msg,
              const char        *mac,
              JsonObject        *patch)
{
  g_autoptr(YardHost) host = yard_host_table_dup_host (table, mac);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  if (host == NULL)
    host = yard_host_new (mac);
  if (!yard_host_update_from_json (host, patch, &field, &error))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, field, error->message);
      return NULL;
    }
  return g_steal_pointer (&host);
}

static void
handle_host_put (YardApi           *self,
                 SoupServerMessage *msg,
                 const char        *mac)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(YardHost) stored = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;

  if ((body = _yard_api_body_object (msg, FALSE)) == NULL ||
      (host = patched_host (table, msg, mac, body)) == NULL)
    return;
  if (!yard_host_table_put (table, host, &created, &error))
    {
      _yard_api_send_gerror (msg, NULL, error);
      return;
    }
  stored = yard_host_table_dup_host (table, mac);
  send_host (msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, stored);
}

/* POST /hosts/MAC/wake: the magic packet, on the services' interface. A body is the policy of
 * the boot it wakes the host for (a host's members, as PUT takes them), set as "once" first;
 * when the packet cannot go, the host is left as it was. */
static void
handle_host_wake (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *mac)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(YardHost) before = NULL;
  g_autoptr(YardHost) host = NULL;
  g_autoptr(GError) error = NULL;

  if ((body = _yard_api_body_object (msg, TRUE)) == NULL)
    return;
  if (json_object_get_size (body) > 0)
    {
      if (json_object_has_member (body, "once"))
        {
          _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "once",
                      "A wake's policy is for one boot: leave “once” out");
          return;
        }
      json_object_set_boolean_member (body, "once", TRUE);
      before = yard_host_table_dup_host (table, mac);
      if ((host = patched_host (table, msg, mac, body)) == NULL)
        return;
      if (!yard_host_table_put (table, host, NULL, &error))
        {
          _yard_api_send_gerror (msg, NULL, error);
          return;
        }
    }
  if (!yard_server_wake_host (self->server, mac, &error))
    {
      g_autoptr(GError) undo_error = NULL;

      if (host != NULL &&
          !(before != NULL ? yard_host_table_put (table, before, NULL, &undo_error)
                           : yard_host_table_remove (table, mac, &undo_error)))
        g_warning ("Could not put host %s back as it was: %s", mac, undo_error->message);
      _yard_api_send_gerror (msg, NULL, error);
      return;
    }
  if (host != NULL)
    {
      g_autoptr(YardHost) stored = yard_host_table_dup_host (table, mac);

      send_host (msg, SOUP_STATUS_OK, stored);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
_yard_api_handle_hosts (YardApi           *self,
                        SoupServerMessage *msg,
                        char             **parts,
                        guint              n_parts)
{
  YardHostTable *table = yard_server_get_host_table (self->server);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;

  if (n_parts == 1)
    {
      g_autoptr(GPtrArray) hosts = NULL;
      g_autoptr(JsonObject) object = NULL;
      JsonArray *array;

      if (method != SOUP_METHOD_GET)
        {
          _yard_api_send_method_not_allowed (msg, "GET");
          return;
        }
      hosts = yard_host_table_dup_hosts (table);
      array = json_array_sized_new (hosts->len);
      for (guint i = 0; i < hosts->len; i++)
        json_array_add_object_element (array, yard_host_to_json (hosts->pdata[i]));
      object = json_object_new ();
      json_object_set_array_member (object, "hosts", array);
      _yard_api_send_object (msg, SOUP_STATUS_OK, object);
      return;
    }

  if (n_parts != 2 && !(n_parts == 3 && g_str_equal (parts[2], "wake")))
    {
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }

  mac = yard_mac_normalize (parts[1], &error);
  if (mac == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }

  if (n_parts == 3)
    {
      if (method != SOUP_METHOD_POST)
        _yard_api_send_method_not_allowed (msg, "POST");
      else
        handle_host_wake (self, msg, mac);
      return;
    }

  if (method == SOUP_METHOD_GET)
    {
      g_autoptr(YardHost) host = yard_host_table_dup_host (table, mac);

      if (host == NULL)
        {
          g_autofree char *message = g_strdup_printf ("No host with MAC %s", mac);
          _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, "mac", message);
        }
      else
        send_host (msg, SOUP_STATUS_OK, host);
    }
  else if (method == SOUP_METHOD_PUT)
    handle_host_put (self, msg, mac);
  else if (method == SOUP_METHOD_DELETE)
    {
      if (!yard_host_table_remove (table, mac, &error))
        _yard_api_send_gerror (msg, "mac", error);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    _yard_api_send_method_not_allowed (msg, "GET, PUT, DELETE");
}
