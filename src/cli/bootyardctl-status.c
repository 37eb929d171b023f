/* bootyardctl-status.c: status and services start/stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* status */

static void
print_status (Ctl                    *ctl,
              const YardServerStatus *status)
{
  Table *table;

  g_print ("Server:    %s (bootyard-server %s)\n", yard_client_get_base_url (ctl->client),
           status->version ? status->version : "?");
  if (status->root != NULL)
    g_print ("Root:      %s\n", status->root);
  g_print ("Services:  %s\n", status->services_running ? "running" : "stopped");
  /* Files the server could not use (a broken hosts.json), each saying what to do. */
  for (guint i = 0; i < status->problems->len; i++)
    {
      const YardStatusProblem *problem = g_ptr_array_index (status->problems, i);

      g_print ("%s%s: %s\n", i == 0 ? "Problems:  " : "           ",
               problem->file ? problem->file : "?", problem->error ? problem->error : "?");
    }
  if (status->services->len == 0)
    return;

  g_print ("\n");
  table = table_new ("SERVICE", "STATE", "ADDRESS", "PORT", "ERROR", NULL);
  for (guint i = 0; i < status->services->len; i++)
    {
      const YardServiceStatus *svc = g_ptr_array_index (status->services, i);
      const char *error = svc->last_error;

      table_add_row (table, g_strdup (svc->name),
                     g_strdup (yard_service_state_to_string (svc->state)),
                     g_strdup (svc->address && *svc->address ? svc->address : "*"),
                     svc->port > 0 ? g_strdup_printf ("%u", svc->port) : g_strdup ("-"),
                     error != NULL ? text_or_dash (error) : g_strdup (""));
    }
  table_print_and_free (table);
}

int
cmd_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardServerStatus) status = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "GET", "/status", NULL);

  yard_client_get_status_async (ctl->client, ctl->cancellable, result_cb, &result);
  status = yard_client_get_status_finish (ctl->client, wait_for (&result), &error);
  if (status == NULL)
    return fail (error);
  print_status (ctl, status);
  return EXIT_SUCCESS;
}

static int
cmd_services (Ctl      *ctl,
              int       argc,
              char    **argv,
              gboolean  start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardServerStatus) status = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "POST", start ? "/services/start" : "/services/stop", NULL);

  if (start)
    {
      yard_client_start_services_async (ctl->client, ctl->cancellable, result_cb, &result);
      status = yard_client_start_services_finish (ctl->client, wait_for (&result), &error);
    }
  else
    {
      yard_client_stop_services_async (ctl->client, ctl->cancellable, result_cb, &result);
      status = yard_client_stop_services_finish (ctl->client, wait_for (&result), &error);
    }
  if (status == NULL)
    return fail (error);
  print_status (ctl, status);
  return EXIT_SUCCESS;
}

int
cmd_services_start (Ctl   *ctl,
                    int    argc,
                    char **argv)
{
  return cmd_services (ctl, argc, argv, TRUE);
}

int
cmd_services_stop (Ctl   *ctl,
                   int    argc,
                   char **argv)
{
  return cmd_services (ctl, argc, argv, FALSE);
}
