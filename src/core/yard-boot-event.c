/* yard-boot-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data of an event is kept as the server sent it: the history hands it back whole, and
 * the kinds carry members (TFTP's blksize, bytesSent...) that only some readers want. The
 * getters are the one place where the clients name those members.
 */

#define G_LOG_DOMAIN "yard-boot-event"

#include "config.h"

#include "yard-arch.h"
#include "yard-boot-event.h"
#include "yard-json.h"
#include "yard-json-member.h"

struct _YardBootEvent
{
  GObject     parent_instance;

  char       *kind;
  char       *time;  /* NULL: unknown */
  JsonObject *data;
};

G_DEFINE_FINAL_TYPE (YardBootEvent, yard_boot_event, G_TYPE_OBJECT)

static void
yard_boot_event_finalize (GObject *object)
{
  YardBootEvent *self = YARD_BOOT_EVENT (object);

  g_free (self->kind);
  g_free (self->time);
  g_clear_pointer (&self->data, json_object_unref);

  G_OBJECT_CLASS (yard_boot_event_parent_class)->finalize (object);
}

static void
yard_boot_event_class_init (YardBootEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_boot_event_finalize;
}

static void
yard_boot_event_init (YardBootEvent *self)
{
}

YardBootEvent *
yard_boot_event_new (const char *kind,
                     const char *time,
                     JsonObject *data)
{
  YardBootEvent *self;

  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (YARD_TYPE_BOOT_EVENT, NULL);
  self->kind = g_strdup (kind);
  self->time = g_strdup (time);
  self->data = data != NULL ? json_object_ref (data) : json_object_new ();
  return self;
}

const char *
yard_boot_event_get_kind (YardBootEvent *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), NULL);
  return self->kind;
}

const char *
yard_boot_event_get_time (YardBootEvent *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), NULL);
  return self->time;
}

JsonObject *
yard_boot_event_get_data (YardBootEvent *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), NULL);
  return self->data;
}

static const char *
data_string (YardBootEvent *self,
             const char    *member)
{
  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), NULL);

  return yard_json_get_string (self->data, member);
}

static gint64
data_int (YardBootEvent *self,
          const char    *member,
          gint64         fallback)
{
  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), fallback);

  return yard_json_get_int (self->data, member, fallback);
}

const char *yard_boot_event_get_mac (YardBootEvent *self) { return data_string (self, "mac"); }
const char *yard_boot_event_get_address (YardBootEvent *self) { return data_string (self, "address"); }
const char *yard_boot_event_get_peer (YardBootEvent *self) { return data_string (self, "peer"); }
const char *yard_boot_event_get_file (YardBootEvent *self) { return data_string (self, "file"); }
const char *yard_boot_event_get_boot_file (YardBootEvent *self) { return data_string (self, "bootFile"); }
const char *yard_boot_event_get_protocol (YardBootEvent *self) { return data_string (self, "protocol"); }
const char *yard_boot_event_get_error (YardBootEvent *self) { return data_string (self, "error"); }
const char *yard_boot_event_get_reason (YardBootEvent *self) { return data_string (self, "reason"); }
gint64 yard_boot_event_get_size (YardBootEvent *self) { return data_int (self, "size", 0); }
gint64 yard_boot_event_get_bytes (YardBootEvent *self) { return data_int (self, "bytes", 0); }
int yard_boot_event_get_arch (YardBootEvent *self) { return (int) data_int (self, "arch", -1); }

char *
yard_boot_event_dup_arch_name (YardBootEvent *self)
{
  const char *name = data_string (self, "arch");
  gint64 code = data_int (self, "arch", -1);

  if (name != NULL)
    return g_strdup (name);
  return code >= 0 && code <= G_MAXUINT16 ? yard_client_arch_dup_name ((guint) code) : NULL;
}

double
yard_boot_event_get_duration (YardBootEvent *self)
{
  JsonNode *node;

  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), 0);

  node = json_object_get_member (self->data, "duration");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return 0;
  return json_node_get_double (node);
}

JsonObject *
yard_boot_event_to_json (YardBootEvent *self)
{
  JsonObject *event = json_object_new ();
  JsonNode *data;

  g_return_val_if_fail (YARD_IS_BOOT_EVENT (self), event);

  json_object_set_string_member (event, "kind", self->kind);
  yard_json_set_string_or_null (event, "time", self->time);
  /* a copy: the reader may change it, and an event's data is shared with the emitter's */
  data = json_node_alloc ();
  json_node_init_object (data, self->data);
  json_object_set_member (event, "data", json_node_copy (data));
  json_node_unref (data);
  return event;
}

YardBootEvent *
yard_boot_event_new_from_json (JsonObject  *object,
                               GError     **error)
{
  static const char what[] = "a boot event";
  g_autofree char *kind = NULL;
  g_autofree char *time = NULL;
  JsonObject *data;

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_json_member_read_string (object, what, "kind", TRUE, &kind, error) ||
      !yard_json_member_read_string (object, what, "time", FALSE, &time, error) ||
      !yard_json_member_read_object (object, what, "data", &data, error))
    return NULL;
  if (data == NULL)
    {
      yard_json_member_error (error, what, "data");
      return NULL;
    }
  return yard_boot_event_new (kind, time, data);
}
