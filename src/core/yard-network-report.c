/* yard-network-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-network-report"

#include "config.h"

#include "yard-json.h"
#include "yard-json-member.h"
#include "yard-network-report.h"

struct _YardNetworkReport
{
  GObject    parent_instance;

  char      *interface;
  char      *time;
  GPtrArray *responders;  /* YardResponder */
};

G_DEFINE_FINAL_TYPE (YardNetworkReport, yard_network_report, G_TYPE_OBJECT)

void
yard_responder_clear (YardResponder *r)
{
  g_clear_pointer (&r->address, g_free);
  g_clear_pointer (&r->offered_address, g_free);
  g_clear_pointer (&r->boot_file, g_free);
  g_clear_pointer (&r->next_server, g_free);
}

static void
responder_free (YardResponder *r)
{
  yard_responder_clear (r);
  g_free (r);
}

static void
yard_network_report_finalize (GObject *object)
{
  YardNetworkReport *self = YARD_NETWORK_REPORT (object);

  g_free (self->interface);
  g_free (self->time);
  g_clear_pointer (&self->responders, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_network_report_parent_class)->finalize (object);
}

static void
yard_network_report_class_init (YardNetworkReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_network_report_finalize;
}

static void
yard_network_report_init (YardNetworkReport *self)
{
  self->responders = g_ptr_array_new_with_free_func ((GDestroyNotify) responder_free);
}

YardNetworkReport *
yard_network_report_new (const char *interface,
                         const char *time)
{
  YardNetworkReport *self = g_object_new (YARD_TYPE_NETWORK_REPORT, NULL);

  self->interface = g_strdup (interface);
  self->time = g_strdup (time);
  return self;
}

const char *
yard_network_report_get_interface (YardNetworkReport *self)
{
  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), NULL);
  return self->interface;
}

const char *
yard_network_report_get_time (YardNetworkReport *self)
{
  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), NULL);
  return self->time;
}

GPtrArray *
yard_network_report_get_responders (YardNetworkReport *self)
{
  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), NULL);
  return self->responders;
}

void
yard_network_report_add_responder (YardNetworkReport   *self,
                                   const YardResponder *responder)
{
  YardResponder *r;

  g_return_if_fail (YARD_IS_NETWORK_REPORT (self));
  g_return_if_fail (responder != NULL);

  r = g_new0 (YardResponder, 1);
  r->address = g_strdup (responder->address);
  r->dhcp = responder->dhcp;
  r->offered_address = g_strdup (responder->offered_address);
  r->pxe = responder->pxe;
  r->boot_file = g_strdup (responder->boot_file);
  r->next_server = g_strdup (responder->next_server);
  r->self = responder->self;
  g_ptr_array_add (self->responders, r);
}

guint
yard_network_report_count_other_servers (YardNetworkReport *self)
{
  guint n = 0;

  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), 0);

  for (guint i = 0; i < self->responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (self->responders, i);

      if (r->pxe && !r->self)
        n++;
    }
  return n;
}

JsonArray *
yard_network_report_responders_to_json (YardNetworkReport *self)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), array);

  for (guint i = 0; i < self->responders->len; i++)
    {
      const YardResponder *r = g_ptr_array_index (self->responders, i);
      JsonObject *item = json_object_new ();

      yard_json_set_string_or_null (item, "address", r->address);
      json_object_set_boolean_member (item, "dhcp", r->dhcp);
      yard_json_set_string_or_null (item, "offeredAddress", r->offered_address);
      json_object_set_boolean_member (item, "pxe", r->pxe);
      yard_json_set_string_or_null (item, "bootFile", r->boot_file);
      yard_json_set_string_or_null (item, "nextServer", r->next_server);
      json_object_set_boolean_member (item, "self", r->self);
      json_array_add_object_element (array, item);
    }
  return array;
}

JsonObject *
yard_network_report_to_json (YardNetworkReport *self)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (YARD_IS_NETWORK_REPORT (self), object);

  yard_json_set_string_or_null (object, "interface", self->interface);
  yard_json_set_string_or_null (object, "time", self->time);
  json_object_set_array_member (object, "responders",
                                yard_network_report_responders_to_json (self));
  return object;
}

static gboolean
read_responders (YardNetworkReport  *self,
                 JsonArray          *array,
                 GError            **error)
{
  static const char what[] = "a network report";

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item;
      YardResponder *r;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return yard_json_member_error (error, what, "responders");
      item = json_node_get_object (node);
      r = g_new0 (YardResponder, 1);
      g_ptr_array_add (self->responders, r);
      if (!yard_json_member_read_string (item, what, "address", FALSE, &r->address, error) ||
          !yard_json_member_read_boolean (item, what, "dhcp", FALSE, &r->dhcp, error) ||
          !yard_json_member_read_string (item, what, "offeredAddress", FALSE,
                                         &r->offered_address, error) ||
          !yard_json_member_read_boolean (item, what, "pxe", FALSE, &r->pxe, error) ||
          !yard_json_member_read_string (item, what, "bootFile", FALSE, &r->boot_file, error) ||
          !yard_json_member_read_string (item, what, "nextServer", FALSE, &r->next_server,
                                         error) ||
          !yard_json_member_read_boolean (item, what, "self", FALSE, &r->self, error))
        return FALSE;
    }
  return TRUE;
}

YardNetworkReport *
yard_network_report_new_from_json (JsonObject  *object,
                                   GError     **error)
{
  static const char what[] = "a network report";
  g_autoptr(YardNetworkReport) self = yard_network_report_new (NULL, NULL);
  JsonArray *responders;

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_json_member_read_string (object, what, "interface", FALSE, &self->interface, error) ||
      !yard_json_member_read_string (object, what, "time", FALSE, &self->time, error) ||
      !yard_json_member_read_array (object, what, "responders", &responders, error))
    return NULL;
  if (responders == NULL)
    {
      yard_json_member_error (error, what, "responders");
      return NULL;
    }
  if (!read_responders (self, responders, error))
    return NULL;
  return g_steal_pointer (&self);
}
