/* test-server-status.c: GET /status's codec, which the server writes and the clients read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "yard-error.h"
#include "yard-server-status.h"

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
test_round_trip (void)
{
  g_autoptr(YardServerStatus) status = yard_server_status_new ();
  g_autoptr(YardServerStatus) back = NULL;
  g_autoptr(YardServerStatus) copy = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  YardServiceStatus *service;
  const YardServiceStatus *dhcp;

  status->version = g_strdup ("0.1.0");
  status->services_running = TRUE;
  status->root = g_strdup ("/srv/boot");
  status->program = g_strdup ("/usr/bin/bootyard-server");
  status->interface = g_strdup ("eth0");
  service = yard_server_status_add_service (status, "tftp", YARD_SERVICE_STATE_RUNNING);
  service->port = 69;
  service = yard_server_status_add_service (status, "dhcp", YARD_SERVICE_STATE_FAILED);
  service->last_error = g_strdup ("ProxyDHCP cannot use port 67");
  service->error_code = YARD_ERROR_PERMISSION_DENIED;
  service->error_port = 67;
  service = yard_server_status_add_service (status, "http", YARD_SERVICE_STATE_DISABLED);
  g_free (service->address);
  service->address = g_strdup ("10.0.0.1");
  yard_server_status_add_problem (status, "/var/lib/bootyard/hosts.json", "broken");

  json = yard_server_status_to_json (status);
  text = to_text (json);
  g_assert_cmpstr (text, ==,
                   "{\"version\":\"0.1.0\",\"servicesRunning\":true,\"root\":\"/srv/boot\","
                   "\"program\":\"/usr/bin/bootyard-server\",\"interface\":\"eth0\","
                   "\"serverAddress\":null,\"services\":{"
                   "\"tftp\":{\"state\":\"running\",\"address\":\"\",\"port\":69},"
                   "\"dhcp\":{\"state\":\"failed\",\"address\":\"\",\"port\":0,"
                   "\"lastError\":\"ProxyDHCP cannot use port 67\","
                   "\"errorCode\":\"permission-denied\",\"errorPort\":67},"
                   "\"http\":{\"state\":\"disabled\",\"address\":\"10.0.0.1\",\"port\":0}},"
                   "\"problems\":[{\"file\":\"/var/lib/bootyard/hosts.json\","
                   "\"error\":\"broken\"}]}");

  back = yard_server_status_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (back->services_running);
  g_assert_null (back->server_address);
  g_assert_cmpuint (back->services->len, ==, 3);
  g_assert_cmpstr (((YardServiceStatus *) g_ptr_array_index (back->services, 0))->name, ==,
                   "tftp");
  dhcp = yard_server_status_find_service (back, "dhcp");
  g_assert_nonnull (dhcp);
  g_assert_cmpint (dhcp->state, ==, YARD_SERVICE_STATE_FAILED);
  g_assert_cmpint (dhcp->error_code, ==, YARD_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (dhcp->error_port, ==, 67);
  g_assert_null (yard_server_status_find_service (back, "nfs"));
  g_assert_cmpuint (back->problems->len, ==, 1);

  copy = yard_server_status_copy (back);
  again = yard_server_status_to_json (copy);
  text_again = to_text (again);
  g_assert_cmpstr (text_again, ==, text);
}

/* A failure from outside YARD_ERROR reads as "failed"; a status with no program omits it. */
static void
test_minimal (void)
{
  g_autoptr(JsonNode) node =
    json_from_string ("{\"version\":\"9\",\"services\":{\"tftp\":{\"state\":\"failed\","
                      "\"lastError\":\"no\",\"errorCode\":\"from-the-future\"}}}", NULL);
  g_autoptr(YardServerStatus) status = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  status = yard_server_status_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_false (status->services_running);
  g_assert_null (status->program);
  g_assert_cmpint (yard_server_status_find_service (status, "tftp")->error_code, ==,
                   YARD_ERROR_FAILED);
  json = yard_server_status_to_json (status);
  text = to_text (json);
  g_assert_null (strstr (text, "program"));
  g_assert_nonnull (strstr (text, "\"errorCode\":\"failed\""));
  g_assert_nonnull (strstr (text, "\"problems\":[]"));
}

static void
test_bad (void)
{
  static const char *bad[][2] = {
    { "{\"version\": 1}", "“version”" },
    { "{\"servicesRunning\": \"yes\"}", "“servicesRunning”" },
    { "{\"services\": []}", "“services”" },
    { "{\"services\": {\"tftp\": 1}}", "“services.tftp”" },
    { "{\"services\": {\"tftp\": {}}}", "“services.tftp.state”" },
    { "{\"services\": {\"tftp\": {\"state\": \"sleeping\"}}}", "“services.tftp.state”" },
    { "{\"services\": {\"tftp\": {\"state\": \"running\", \"port\": 70000}}}",
      "“services.tftp.port”" },
    { "{\"services\": {\"tftp\": {\"state\": \"running\", \"port\": \"69\"}}}",
      "“services.tftp.port”" },
    { "{\"services\": {\"dhcp\": {\"state\": \"failed\", \"errorPort\": -1}}}",
      "“services.dhcp.errorPort”" },
    { "{\"problems\": {}}", "“problems”" },
    { "{\"problems\": [1]}", "“problems”" },
    { "{\"problems\": [{\"file\": 2}]}", "“problems.file”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i][0], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(YardServerStatus) status = NULL;

      g_test_message ("%s", bad[i][0]);
      status = yard_server_status_new_from_json (json_node_get_object (node), &error);
      g_assert_null (status);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, bad[i][1]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yard/server-status/round-trip", test_round_trip);
  g_test_add_func ("/yard/server-status/minimal", test_minimal);
  g_test_add_func ("/yard/server-status/bad", test_bad);
  return g_test_run ();
}
