/* yard-api-doctor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's boot doctor: GET /doctor[/MAC], POST /doctor/network and GET /activity[/MAC].
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
#include "yard-boot-menu.h"
#include "yard-boot-record.h"
#include "yard-boot-support.h"
#include "yard-boot-verdict.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-image.h"
#include "yard-image-file.h"
#include "yard-image-import.h"
#include "yard-json.h"
#include "yard-network-report.h"
#include "yard-paths.h"
#include "yard-root-file.h"
#include "yard-api-private.h"

/* The doctor: GET /doctor[/MAC] (verdicts, and the last network report), POST
 * /doctor/network (ask the network now; answers when the probe is done, in about 4 s). */

static void
network_probed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  RequestData *data = _yard_api_request_data (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardNetworkReport) report = yard_server_probe_network_finish (YARD_SERVER (source),
                                                                          result, &error);
  g_autoptr(JsonObject) object = NULL;

  if (data != NULL && data->finished)
    return;
  if (report == NULL)
    _yard_api_send_gerror (msg, NULL, error);
  else
    {
      object = yard_network_report_to_json (report);
      _yard_api_send_object (msg, SOUP_STATUS_OK, object);
    }
  soup_server_message_unpause (msg);
}

void
_yard_api_handle_doctor (YardApi           *self,
                         SoupServerMessage *msg,
                         char             **parts,
                         guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;
  YardNetworkReport *network;
  JsonArray *list;

  if (n_parts == 2 && g_str_equal (parts[1], "network"))
    {
      if (method != SOUP_METHOD_POST)
        {
          _yard_api_send_method_not_allowed (msg, "POST");
          return;
        }
      soup_server_message_pause (msg);
      yard_server_probe_network_async (self->server, NULL, network_probed_cb,
                                       g_object_ref (msg));
      return;
    }
  if (n_parts > 2)
    {
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }
  if (method != SOUP_METHOD_GET)
    {
      _yard_api_send_method_not_allowed (msg, "GET");
      return;
    }
  if (n_parts == 2 && (mac = yard_mac_normalize (parts[1], &error)) == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }
  verdicts = yard_server_dup_verdicts (self->server, mac);
  list = json_array_new ();
  for (guint i = 0; i < verdicts->len; i++)
    json_array_add_object_element (list, yard_boot_verdict_to_json (verdicts->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "verdicts", list);
  network = yard_server_get_network_report (self->server);
  if (network != NULL)
    json_object_set_object_member (object, "network", yard_network_report_to_json (network));
  else
    json_object_set_null_member (object, "network");
  _yard_api_send_object (msg, SOUP_STATUS_OK, object);
}

/* GET /activity[/MAC]: the recent boots, newest first, each with the host's name now (null
 * when it has none): named on a copy, since the doctor's record goes on and the saved history
 * keeps no names. */
void
_yard_api_handle_activity (YardApi           *self,
                           SoupServerMessage *msg,
                           char             **parts,
                           guint              n_parts)
{
  YardHostTable *hosts = yard_server_get_host_table (self->server);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mac = NULL;
  JsonArray *boots;

  if (n_parts > 2)
    {
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      _yard_api_send_method_not_allowed (msg, "GET");
      return;
    }
  if (n_parts == 2 && (mac = yard_mac_normalize (parts[1], &error)) == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "mac", error->message);
      return;
    }
  history = yard_server_dup_history (self->server, mac);
  boots = json_array_new ();
  for (guint i = 0; i < history->len; i++)
    {
      g_autoptr(YardBootRecord) boot = yard_boot_record_copy (history->pdata[i]);
      const char *boot_mac = yard_boot_record_get_mac (boot);
      g_autoptr(YardHost) host = NULL;

      if (boot_mac != NULL && hosts != NULL)
        host = yard_host_table_dup_host (hosts, boot_mac);
      yard_boot_record_set_name (boot, host != NULL && host->name != NULL && *host->name != '\0'
                                       ? host->name : NULL);
      json_array_add_object_element (boots, yard_boot_record_to_json (boot));
    }
  object = json_object_new ();
  json_object_set_array_member (object, "boots", boots);
  _yard_api_send_object (msg, SOUP_STATUS_OK, object);
}
