/* yard-boot-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-boot-record"

#include "config.h"

#include "yard-boot-record.h"
#include "yard-json.h"
#include "yard-json-member.h"

struct _YardBootRecord
{
  GObject          parent_instance;

  gint64           id;
  char            *mac;
  char            *address;
  char            *name;
  gboolean         named;    /* set_name was called: "name" is written, null for none */
  char            *arch;
  char            *started;
  char            *updated;
  YardBootVerdict *verdict;  /* NULL: none yet */
  GPtrArray       *events;   /* YardBootEvent */
};

G_DEFINE_FINAL_TYPE (YardBootRecord, yard_boot_record, G_TYPE_OBJECT)

static void
yard_boot_record_finalize (GObject *object)
{
  YardBootRecord *self = YARD_BOOT_RECORD (object);

  g_free (self->mac);
  g_free (self->address);
  g_free (self->name);
  g_free (self->arch);
  g_free (self->started);
  g_free (self->updated);
  g_clear_object (&self->verdict);
  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_boot_record_parent_class)->finalize (object);
}

static void
yard_boot_record_class_init (YardBootRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_boot_record_finalize;
}

static void
yard_boot_record_init (YardBootRecord *self)
{
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
}

YardBootRecord *
yard_boot_record_new (gint64      id,
                      const char *started)
{
  YardBootRecord *self;

  g_return_val_if_fail (id > 0, NULL);
  g_return_val_if_fail (started != NULL, NULL);

  self = g_object_new (YARD_TYPE_BOOT_RECORD, NULL);
  self->id = id;
  self->started = g_strdup (started);
  self->updated = g_strdup (started);
  return self;
}

YardBootRecord *
yard_boot_record_copy (YardBootRecord *self)
{
  YardBootRecord *copy;

  g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), NULL);

  copy = yard_boot_record_new (self->id, self->started);
  copy->mac = g_strdup (self->mac);
  copy->address = g_strdup (self->address);
  copy->name = g_strdup (self->name);
  copy->named = self->named;
  copy->arch = g_strdup (self->arch);
  g_free (copy->updated);
  copy->updated = g_strdup (self->updated);
  g_set_object (&copy->verdict, self->verdict);
  for (guint i = 0; i < self->events->len; i++)
    g_ptr_array_add (copy->events, g_object_ref (self->events->pdata[i]));
  return copy;
}

gint64
yard_boot_record_get_id (YardBootRecord *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), 0);
  return self->id;
}

#define GETTER(member)                                                   \
  const char *                                                           \
  yard_boot_record_get_##member (YardBootRecord *self)                   \
  {                                                                      \
    g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), NULL);             \
    return self->member;                                                 \
  }

GETTER (mac)
GETTER (address)
GETTER (name)
GETTER (arch)
GETTER (started)
GETTER (updated)

#undef GETTER

YardBootVerdict *
yard_boot_record_get_verdict (YardBootRecord *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), NULL);
  return self->verdict;
}

GPtrArray *
yard_boot_record_get_events (YardBootRecord *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), NULL);
  return self->events;
}

static void
replace_string (char       **field,
                const char  *value)
{
  if (value != NULL && g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
yard_boot_record_set_client (YardBootRecord *self,
                             const char     *mac,
                             const char     *address,
                             const char     *arch)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  replace_string (&self->mac, mac);
  replace_string (&self->address, address);
  replace_string (&self->arch, arch);
}

void
yard_boot_record_set_name (YardBootRecord *self,
                           const char     *name)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  g_free (self->name);
  self->name = g_strdup (name);
  self->named = TRUE;
}

void
yard_boot_record_set_updated (YardBootRecord *self,
                              const char     *updated)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  g_return_if_fail (updated != NULL);
  replace_string (&self->updated, updated);
}

void
yard_boot_record_set_verdict (YardBootRecord  *self,
                              YardBootVerdict *verdict)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  g_return_if_fail (verdict == NULL || YARD_IS_BOOT_VERDICT (verdict));
  g_set_object (&self->verdict, verdict);
}

void
yard_boot_record_add_event (YardBootRecord *self,
                            YardBootEvent  *event)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  g_return_if_fail (YARD_IS_BOOT_EVENT (event));
  g_ptr_array_add (self->events, g_object_ref (event));
}

void
yard_boot_record_truncate_events (YardBootRecord *self,
                                  guint           max)
{
  g_return_if_fail (YARD_IS_BOOT_RECORD (self));
  if (self->events->len > max)
    g_ptr_array_set_size (self->events, max);
}

JsonObject *
yard_boot_record_to_json (YardBootRecord *self)
{
  JsonObject *boot = json_object_new ();
  JsonArray *events = json_array_new ();

  g_return_val_if_fail (YARD_IS_BOOT_RECORD (self), boot);

  json_object_set_int_member (boot, "id", self->id);
  yard_json_set_string_or_null (boot, "mac", self->mac);
  yard_json_set_string_or_null (boot, "address", self->address);
  yard_json_set_string_or_null (boot, "arch", self->arch);
  json_object_set_string_member (boot, "started", self->started);
  json_object_set_string_member (boot, "updated", self->updated);
  if (self->verdict != NULL)
    json_object_set_object_member (boot, "verdict", yard_boot_verdict_to_json (self->verdict));
  else
    json_object_set_null_member (boot, "verdict");
  for (guint i = 0; i < self->events->len; i++)
    json_array_add_object_element (events, yard_boot_event_to_json (self->events->pdata[i]));
  json_object_set_array_member (boot, "events", events);
  if (self->named)
    yard_json_set_string_or_null (boot, "name", self->name);
  return boot;
}

YardBootRecord *
yard_boot_record_new_from_json (JsonObject  *object,
                                GError     **error)
{
  static const char what[] = "a boot";
  g_autoptr(YardBootRecord) self = g_object_new (YARD_TYPE_BOOT_RECORD, NULL);
  JsonObject *verdict;
  JsonArray *events;

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_json_member_read_int (object, what, "id", 0, &self->id, error))
    return NULL;
  if (self->id <= 0)
    {
      yard_json_member_error (error, what, "id");
      return NULL;
    }
  if (!yard_json_member_read_string (object, what, "mac", FALSE, &self->mac, error) ||
      !yard_json_member_read_string (object, what, "address", FALSE, &self->address, error) ||
      !yard_json_member_read_string (object, what, "name", FALSE, &self->name, error) ||
      !yard_json_member_read_string (object, what, "arch", FALSE, &self->arch, error) ||
      !yard_json_member_read_string (object, what, "started", TRUE, &self->started, error) ||
      !yard_json_member_read_string (object, what, "updated", TRUE, &self->updated, error) ||
      !yard_json_member_read_object (object, what, "verdict", &verdict, error) ||
      !yard_json_member_read_array (object, what, "events", &events, error))
    return NULL;
  if (events == NULL)
    {
      yard_json_member_error (error, what, "events");
      return NULL;
    }
  self->named = json_object_has_member (object, "name");
  if (verdict != NULL && (self->verdict = yard_boot_verdict_new_from_json (verdict, error)) == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      YardBootEvent *event;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          yard_json_member_error (error, what, "events");
          return NULL;
        }
      if ((event = yard_boot_event_new_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (self->events, event);
    }
  return g_steal_pointer (&self);
}
