/* yard-server-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-server-status"

#include "config.h"

#include "yard-error.h"
#include "yard-json.h"
#include "yard-json-member.h"
#include "yard-server-status.h"

G_DEFINE_BOXED_TYPE (YardServerStatus, yard_server_status,
                     yard_server_status_copy, yard_server_status_free)

static const char * const state_names[] = {
  [YARD_SERVICE_STATE_STOPPED] = "stopped",
  [YARD_SERVICE_STATE_RUNNING] = "running",
  [YARD_SERVICE_STATE_DISABLED] = "disabled",
  [YARD_SERVICE_STATE_FAILED] = "failed",
};

const char *
yard_service_state_to_string (YardServiceState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return NULL;
  return state_names[state];
}

gboolean
yard_service_state_from_string (const char       *name,
                                YardServiceState *state)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (state_names[i], name))
      {
        *state = (YardServiceState) i;
        return TRUE;
      }
  return FALSE;
}

static void
service_free (YardServiceStatus *service)
{
  g_free (service->name);
  g_free (service->address);
  g_free (service->last_error);
  g_free (service);
}

static void
problem_free (YardStatusProblem *problem)
{
  g_free (problem->file);
  g_free (problem->error);
  g_free (problem);
}

YardServerStatus *
yard_server_status_new (void)
{
  YardServerStatus *status = g_new0 (YardServerStatus, 1);

  status->services = g_ptr_array_new_with_free_func ((GDestroyNotify) service_free);
  status->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  return status;
}

void
yard_server_status_free (YardServerStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->version);
  g_free (status->root);
  g_free (status->program);
  g_free (status->interface);
  g_free (status->server_address);
  g_ptr_array_unref (status->services);
  g_ptr_array_unref (status->problems);
  g_free (status);
}

YardServiceStatus *
yard_server_status_add_service (YardServerStatus *status,
                                const char       *name,
                                YardServiceState  state)
{
  YardServiceStatus *service;

  g_return_val_if_fail (status != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  service = g_new0 (YardServiceStatus, 1);
  service->name = g_strdup (name);
  service->state = state;
  service->address = g_strdup ("");
  service->error_code = YARD_ERROR_FAILED;
  g_ptr_array_add (status->services, service);
  return service;
}

const YardServiceStatus *
yard_server_status_find_service (const YardServerStatus *status,
                                 const char             *name)
{
  g_return_val_if_fail (status != NULL, NULL);

  for (guint i = 0; name != NULL && i < status->services->len; i++)
    {
      const YardServiceStatus *service = g_ptr_array_index (status->services, i);

      if (g_str_equal (service->name, name))
        return service;
    }
  return NULL;
}

void
yard_server_status_add_problem (YardServerStatus *status,
                                const char       *file,
                                const char       *error)
{
  YardStatusProblem *problem;

  g_return_if_fail (status != NULL);

  problem = g_new0 (YardStatusProblem, 1);
  problem->file = g_strdup (file);
  problem->error = g_strdup (error);
  g_ptr_array_add (status->problems, problem);
}

YardServerStatus *
yard_server_status_copy (const YardServerStatus *status)
{
  YardServerStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = yard_server_status_new ();
  copy->version = g_strdup (status->version);
  copy->services_running = status->services_running;
  copy->root = g_strdup (status->root);
  copy->program = g_strdup (status->program);
  copy->interface = g_strdup (status->interface);
  copy->server_address = g_strdup (status->server_address);
  for (guint i = 0; i < status->services->len; i++)
    {
      const YardServiceStatus *service = g_ptr_array_index (status->services, i);
      YardServiceStatus *to = yard_server_status_add_service (copy, service->name,
                                                              service->state);

      g_free (to->address);
      to->address = g_strdup (service->address);
      to->port = service->port;
      to->last_error = g_strdup (service->last_error);
      to->error_code = service->error_code;
      to->error_port = service->error_port;
    }
  for (guint i = 0; i < status->problems->len; i++)
    {
      const YardStatusProblem *problem = g_ptr_array_index (status->problems, i);

      yard_server_status_add_problem (copy, problem->file, problem->error);
    }
  return copy;
}

JsonObject *
yard_server_status_to_json (const YardServerStatus *status)
{
  JsonObject *object = json_object_new ();
  JsonObject *services;
  JsonArray *problems;

  g_return_val_if_fail (status != NULL, object);

  services = json_object_new ();
  problems = json_array_new ();
  yard_json_set_string_or_null (object, "version", status->version);
  json_object_set_boolean_member (object, "servicesRunning", status->services_running);
  yard_json_set_string_or_null (object, "root", status->root);
  if (status->program != NULL)
    json_object_set_string_member (object, "program", status->program);
  yard_json_set_string_or_null (object, "interface", status->interface);
  yard_json_set_string_or_null (object, "serverAddress", status->server_address);
  for (guint i = 0; i < status->services->len; i++)
    {
      const YardServiceStatus *service = g_ptr_array_index (status->services, i);
      JsonObject *svc = json_object_new ();

      json_object_set_string_member (svc, "state", yard_service_state_to_string (service->state));
      json_object_set_string_member (svc, "address", service->address ? service->address : "");
      json_object_set_int_member (svc, "port", service->port);
      /* What the failure is about, for clients that say it in their own words (the app names
       * its settings, not the server's options). */
      if (service->last_error != NULL)
        {
          json_object_set_string_member (svc, "lastError", service->last_error);
          json_object_set_string_member (svc, "errorCode",
                                         yard_error_code_to_nick (service->error_code));
          if (service->error_port != 0)
            json_object_set_int_member (svc, "errorPort", service->error_port);
        }
      json_object_set_object_member (services, service->name, svc);
    }
  json_object_set_object_member (object, "services", services);
  for (guint i = 0; i < status->problems->len; i++)
    {
      const YardStatusProblem *problem = g_ptr_array_index (status->problems, i);
      JsonObject *item = json_object_new ();

      yard_json_set_string_or_null (item, "file", problem->file);
      yard_json_set_string_or_null (item, "error", problem->error);
      json_array_add_object_element (problems, item);
    }
  json_object_set_array_member (object, "problems", problems);
  return object;
}

static gboolean
protocol_error (GError     **error,
                const char  *member)
{
  return yard_json_member_error (error, "a status", member);
}

/* A string member or null into *out (absent: NULL); NAME is what the error calls it */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char  *name,
             char       **out,
             GError     **error)
{
  g_clear_pointer (out, g_free);
  return yard_json_dup_string_or_null (object, member, out) || protocol_error (error, name);
}

/* A port member (absent: 0) */
static gboolean
read_port (JsonObject  *object,
           const char  *member,
           const char  *name,
           guint       *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT16)
    return protocol_error (error, name);
  *out = (guint) json_node_get_int (node);
  return TRUE;
}

static gboolean
read_service (YardServerStatus  *status,
              const char        *name,
              JsonNode          *node,
              GError           **error)
{
  g_autofree char *where = g_strdup_printf ("services.%s", name);
  g_autofree char *member = NULL;
  g_autofree char *state_name = NULL;
  g_autofree char *error_code = NULL;
  YardServiceStatus *service;
  YardServiceState state;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, where);
  object = json_node_get_object (node);
  member = g_strdup_printf ("%s.state", where);
  if (!read_string (object, "state", member, &state_name, error))
    return FALSE;
  if (!yard_service_state_from_string (state_name, &state))
    return protocol_error (error, member);
  service = yard_server_status_add_service (status, name, state);
  g_free (member);
  member = g_strdup_printf ("%s.address", where);
  if (!read_string (object, "address", member, &service->address, error))
    return FALSE;
  if (service->address == NULL)
    service->address = g_strdup ("");
  g_free (member);
  member = g_strdup_printf ("%s.port", where);
  if (!read_port (object, "port", member, &service->port, error))
    return FALSE;
  g_free (member);
  member = g_strdup_printf ("%s.lastError", where);
  if (!read_string (object, "lastError", member, &service->last_error, error))
    return FALSE;
  g_free (member);
  member = g_strdup_printf ("%s.errorCode", where);
  if (!read_string (object, "errorCode", member, &error_code, error))
    return FALSE;
  service->error_code = yard_error_code_from_nick (error_code);
  g_free (member);
  member = g_strdup_printf ("%s.errorPort", where);
  return read_port (object, "errorPort", member, &service->error_port, error);
}

YardServerStatus *
yard_server_status_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(YardServerStatus) status = yard_server_status_new ();
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  if (!read_string (object, "version", "version", &status->version, error) ||
      !read_string (object, "root", "root", &status->root, error) ||
      !read_string (object, "program", "program", &status->program, error) ||
      !read_string (object, "interface", "interface", &status->interface, error) ||
      !read_string (object, "serverAddress", "serverAddress", &status->server_address, error))
    return NULL;
  node = json_object_get_member (object, "servicesRunning");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) ||
                       json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    {
      protocol_error (error, "servicesRunning");
      return NULL;
    }
  status->services_running = node != NULL && json_node_get_boolean (node);

  node = json_object_get_member (object, "services");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *services = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (services);

      for (GList *l = names; l != NULL; l = l->next)
        if (!read_service (status, l->data, json_object_get_member (services, l->data), error))
          return NULL;
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      protocol_error (error, "services");
      return NULL;
    }

  node = json_object_get_member (object, "problems");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *file = NULL;
          g_autofree char *text = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (item) ||
              !read_string (json_node_get_object (item), "file", "problems.file", &file, error) ||
              !read_string (json_node_get_object (item), "error", "problems.error", &text, error))
            {
              if (error == NULL || *error == NULL)
                protocol_error (error, "problems");
              return NULL;
            }
          yard_server_status_add_problem (status, file, text);
        }
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      protocol_error (error, "problems");
      return NULL;
    }
  return g_steal_pointer (&status);
}
