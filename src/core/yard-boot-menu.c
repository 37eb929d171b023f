/* yard-boot-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-boot-menu"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "yard-boot-menu.h"
#include "yard-boot-menu-private.h"
#include "yard-boot-support.h"
#include "yard-error.h"

struct _YardBootMenu
{
  GObject         parent_instance;

  char           *title;
  guint           timeout_tenths;
  char           *default_id;
  gboolean        serial;
  guint           serial_port;
  guint           serial_baud;
  GPtrArray      *entries;   /* YardBootEntry, owned */
  YardBootMenu   *parent;    /* not owned: the menu holding our SUBMENU entry */

  gpointer        origin;    /* yard-pxelinux.c's document */
  GDestroyNotify  origin_destroy;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YardBootMenu, yard_boot_menu, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
list_model_get_item_type (GListModel *model)
{
  return YARD_TYPE_BOOT_ENTRY;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return YARD_BOOT_MENU (model)->entries->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  YardBootMenu *self = YARD_BOOT_MENU (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
detach_entry (gpointer data)
{
  YardBootEntry *entry = data;
  YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);

  _yard_boot_entry_set_menu (entry, NULL);
  if (submenu != NULL)
    submenu->parent = NULL;
  g_object_unref (entry);
}

static void
yard_boot_menu_dispose (GObject *object)
{
  YardBootMenu *self = (YardBootMenu *)object;

  if (self->origin != NULL && self->origin_destroy != NULL)
    self->origin_destroy (self->origin);
  self->origin = NULL;
  self->origin_destroy = NULL;
  if (self->entries != NULL)
    g_ptr_array_set_size (self->entries, 0);

  G_OBJECT_CLASS (yard_boot_menu_parent_class)->dispose (object);
}

static void
yard_boot_menu_finalize (GObject *object)
{
  YardBootMenu *self = (YardBootMenu *)object;

  g_free (self->title);
  g_free (self->default_id);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_boot_menu_parent_class)->finalize (object);
}

static void
yard_boot_menu_class_init (YardBootMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_boot_menu_dispose;
  object_class->finalize = yard_boot_menu_finalize;

  /**
   * YardBootMenu::changed:
   *
   * Emitted on the top-level menu after any change made through the menu API.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
yard_boot_menu_init (YardBootMenu *self)
{
  self->entries = g_ptr_array_new_with_free_func (detach_entry);
}

YardBootMenu *
yard_boot_menu_new (void)
{
  return g_object_new (YARD_TYPE_BOOT_MENU, NULL);
}

static void
emit_changed (YardBootMenu *self)
{
  g_signal_emit (_yard_boot_menu_get_root (self), signals[CHANGED], 0);
}

YardBootMenu *
yard_boot_menu_new_starter (const char *memtest_path)
{
  g_autoptr(YardBootMenu) self = yard_boot_menu_new ();
  g_autoptr(YardBootEntry) local = yard_boot_entry_new_local ("local", "Boot from local disk");

  self->title = g_strdup ("Bootyard");
  self->timeout_tenths = 50;
  _yard_boot_menu_append_parsed (self, local);
  if (memtest_path != NULL && *memtest_path != '\0')
    {
      /* memtest86+ 6 images follow the Linux boot protocol (LINUX keyword, not KERNEL, so a
       * .bin name is not taken for a boot sector). */
      g_autoptr(YardBootEntry) memtest =
        yard_boot_entry_new_linux ("memtest", "Memory test (memtest86+)", memtest_path, NULL, NULL);

      _yard_boot_menu_append_parsed (self, memtest);
    }
  self->default_id = g_strdup ("local");
  return g_steal_pointer (&self);
}

const char *
yard_boot_menu_get_title (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);
  return self->title;
}

void
yard_boot_menu_set_title (YardBootMenu *self,
                          const char   *title)
{
  g_return_if_fail (YARD_IS_BOOT_MENU (self));

  if (title != NULL && *title == '\0')
    title = NULL;
  if (g_strcmp0 (title, self->title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  emit_changed (self);
}

guint
yard_boot_menu_get_timeout (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), 0);
  return (self->timeout_tenths + 9) / 10;
}

guint
yard_boot_menu_get_timeout_tenths (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), 0);
  return self->timeout_tenths;
}

void
yard_boot_menu_set_timeout (YardBootMenu *self,
                            guint         seconds)
{
  g_return_if_fail (YARD_IS_BOOT_MENU (self));

  /* pxelinux's TIMEOUT is at most 35996 tenths (an hour). */
  seconds = MIN (seconds, 3599);
  if (yard_boot_menu_get_timeout (self) == seconds)
    return;
  self->timeout_tenths = seconds * 10;
  emit_changed (self);
}

void
_yard_boot_menu_set_timeout_tenths (YardBootMenu *self,
                                    guint         tenths)
{
  self->timeout_tenths = tenths;
}

const char *
yard_boot_menu_get_default_id (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);
  return self->default_id;
}

gboolean
yard_boot_menu_set_default_id (YardBootMenu  *self,
                               const char    *id,
                               GError       **error)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);

  if (id != NULL && yard_boot_menu_get_position (self, id) < 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("There is no entry “%s” in this menu to make the default: "
                     "use the id of one of its entries"), id);
      return FALSE;
    }
  if (g_strcmp0 (id, self->default_id) == 0)
    return TRUE;
  g_free (self->default_id);
  self->default_id = g_strdup (id);
  emit_changed (self);
  return TRUE;
}

void
_yard_boot_menu_set_default_unchecked (YardBootMenu *self,
                                       const char   *id)
{
  if (self->default_id == id)
    return;
  g_free (self->default_id);
  self->default_id = g_strdup (id);
}

gboolean
yard_boot_menu_get_serial (YardBootMenu *self,
                           guint        *port,
                           guint        *baud)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);

  if (port != NULL)
    *port = self->serial_port;
  if (baud != NULL)
    *baud = self->serial_baud;
  return self->serial;
}

static gboolean
check_serial (guint    port,
              guint    baud,
              GError **error)
{
  if (port > 3)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("Serial port %u does not exist: use 0 to 3 (COM1 to COM4)"), port);
      return FALSE;
    }
  if (baud < 75 || baud > 115200 || 115200 % baud != 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("%u baud is not a serial speed pxelinux can set: use 115200, 57600, 38400, "
                     "19200 or 9600"), baud);
      return FALSE;
    }
  return TRUE;
}

gboolean
yard_boot_menu_set_serial (YardBootMenu  *self,
                           guint          port,
                           guint          baud,
                           GError       **error)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);

  if (!check_serial (port, baud, error))
    return FALSE;
  if (self->serial && self->serial_port == port && self->serial_baud == baud)
    return TRUE;
  self->serial = TRUE;
  self->serial_port = port;
  self->serial_baud = baud;
  emit_changed (self);
  return TRUE;
}

void
yard_boot_menu_clear_serial (YardBootMenu *self)
{
  g_return_if_fail (YARD_IS_BOOT_MENU (self));

  if (!self->serial)
    return;
  self->serial = FALSE;
  emit_changed (self);
}

void
_yard_boot_menu_set_serial_unchecked (YardBootMenu *self,
                                      gboolean      enabled,
                                      guint         port,
                                      guint         baud)
{
  self->serial = enabled;
  self->serial_port = port;
  self->serial_baud = baud;
}

guint
yard_boot_menu_get_n_entries (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), 0);
  return self->entries->len;
}

YardBootEntry *
yard_boot_menu_get_entry (YardBootMenu *self,
                          guint         position)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);

  if (position >= self->entries->len)
    return NULL;
  return g_ptr_array_index (self->entries, position);
}

YardBootEntry *
yard_boot_menu_find_entry (YardBootMenu *self,
                           const char   *id)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);

  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->entries->len; i++)
    {
      YardBootEntry *entry = g_ptr_array_index (self->entries, i);
      YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);

      if (g_strcmp0 (yard_boot_entry_get_id (entry), id) == 0)
        return entry;
      if (submenu != NULL)
        {
          YardBootEntry *found = yard_boot_menu_find_entry (submenu, id);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

int
yard_boot_menu_get_position (YardBootMenu *self,
                             const char   *id)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), -1);

  for (guint i = 0; i < self->entries->len; i++)
    {
      if (g_strcmp0 (yard_boot_entry_get_id (g_ptr_array_index (self->entries, i)), id) == 0)
        return i;
    }
  return -1;
}

YardBootMenu *
yard_boot_menu_get_parent (YardBootMenu *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);
  return self->parent;
}

YardBootMenu *
_yard_boot_menu_get_root (YardBootMenu *self)
{
  while (self->parent != NULL)
    self = self->parent;
  return self;
}

char *
_yard_boot_menu_id_from_text (const char *base)
{
  g_autoptr(GString) id = g_string_new (NULL);

  /* Keep [A-Za-z0-9._-], turn runs of anything else into one '-'. */
  for (const char *p = base != NULL ? base : ""; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '-')
        g_string_append_c (id, *p);
      else if (id->len > 0 && id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }
  while (id->len > 0 && (id->str[0] == '-' || id->str[0] == '.'))
    g_string_erase (id, 0, 1);
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  if (id->len > YARD_BOOT_ENTRY_ID_MAX - 6)
    g_string_truncate (id, YARD_BOOT_ENTRY_ID_MAX - 6);
  if (id->len == 0)
    g_string_assign (id, "entry");
  return g_string_free (g_steal_pointer (&id), FALSE);
}

char *
_yard_boot_menu_make_unique_id (YardBootMenu *root,
                                const char   *base)
{
  g_autofree char *text = _yard_boot_menu_id_from_text (base);
  g_autoptr(GString) id = g_string_new (text);
  gsize base_len;

  base_len = id->len;
  for (guint n = 2; yard_boot_menu_find_entry (root, id->str) != NULL; n++)
    {
      g_string_truncate (id, base_len);
      g_string_append_printf (id, "-%u", n);
    }
  return g_string_free (g_steal_pointer (&id), FALSE);
}

static void
attach_entry (YardBootMenu  *self,
              YardBootEntry *entry,
              guint          position)
{
  YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);

  g_ptr_array_insert (self->entries, position, g_object_ref (entry));
  _yard_boot_entry_set_menu (entry, self);
  if (submenu != NULL)
    submenu->parent = self;
}

void
_yard_boot_menu_append_parsed (YardBootMenu  *self,
                               YardBootEntry *entry)
{
  attach_entry (self, entry, self->entries->len);
}

gboolean
yard_boot_menu_add_entry (YardBootMenu   *self,
                          YardBootEntry  *entry,
                          int             position,
                          char          **field,
                          GError        **error)
{
  YardBootMenu *root;
  guint pos;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), FALSE);
  g_return_val_if_fail (_yard_boot_entry_get_menu (entry) == NULL, FALSE);

  if (!yard_boot_entry_validate (entry, field, error))
    return FALSE;

  root = _yard_boot_menu_get_root (self);
  if (yard_boot_entry_get_id (entry) == NULL)
    {
      g_autofree char *id = _yard_boot_menu_make_unique_id (root, yard_boot_entry_get_label (entry));

      _yard_boot_entry_force_id (entry, id);
    }
  else if (yard_boot_menu_find_entry (root, yard_boot_entry_get_id (entry)) != NULL)
    {
      if (field != NULL)
        {
          g_free (*field);
          *field = g_strdup ("id");
        }
      g_set_error (error, YARD_ERROR, YARD_ERROR_EXISTS,
                   _("The menu already has an entry “%s”: choose another id, or leave it out to get one"),
                   yard_boot_entry_get_id (entry));
      return FALSE;
    }

  pos = (position < 0 || (guint)position > self->entries->len) ? self->entries->len : (guint)position;
  attach_entry (self, entry, pos);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
  emit_changed (self);
  return TRUE;
}

static YardBootEntry *
find_editable (YardBootMenu  *self,
               const char    *id,
               GError       **error)
{
  YardBootEntry *entry = yard_boot_menu_find_entry (self, id);

  if (entry == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND,
                   _("There is no menu entry “%s”: list the entries to see their ids"), id);
      return NULL;
    }
  if (yard_boot_entry_get_read_only (entry))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("Entry “%s” is read-only here (it comes from an included file, or is a submenu "
                     "or an entry Bootyard cannot describe): edit the pxelinux file"), id);
      return NULL;
    }
  return entry;
}

gboolean
yard_boot_menu_remove_entry (YardBootMenu  *self,
                             const char    *id,
                             GError       **error)
{
  YardBootEntry *entry;
  YardBootMenu *level;
  int pos;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  entry = find_editable (self, id, error);
  if (entry == NULL)
    return FALSE;
  level = _yard_boot_entry_get_menu (entry);
  pos = yard_boot_menu_get_position (level, id);
  g_assert (pos >= 0);

  if (g_strcmp0 (level->default_id, id) == 0)
    g_clear_pointer (&level->default_id, g_free);
  g_ptr_array_remove_index (level->entries, pos);
  g_list_model_items_changed (G_LIST_MODEL (level), pos, 1, 0);
  emit_changed (self);
  return TRUE;
}

gboolean
yard_boot_menu_move_entry (YardBootMenu  *self,
                           const char    *id,
                           guint          position,
                           GError       **error)
{
  YardBootEntry *entry;
  YardBootMenu *level;
  int pos;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  entry = find_editable (self, id, error);
  if (entry == NULL)
    return FALSE;
  level = _yard_boot_entry_get_menu (entry);
  pos = yard_boot_menu_get_position (level, id);
  g_assert (pos >= 0);
  position = MIN (position, level->entries->len - 1);
  if ((guint)pos == position)
    return TRUE;

  /* steal hands the array's reference to us, insert gives it back */
  g_ptr_array_steal_index (level->entries, pos);
  g_ptr_array_insert (level->entries, position, entry);
  g_list_model_items_changed (G_LIST_MODEL (level), MIN ((guint)pos, position),
                              ABS ((int)position - pos) + 1, ABS ((int)position - pos) + 1);
  emit_changed (self);
  return TRUE;
}

gboolean
yard_boot_menu_update_entry_from_json (YardBootMenu  *self,
                                       const char    *id,
                                       JsonObject    *object,
                                       char         **field,
                                       GError       **error)
{
  YardBootEntry *entry;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);

  entry = yard_boot_menu_find_entry (self, id);
  if (entry == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND,
                   _("There is no menu entry “%s”: list the entries to see their ids"), id);
      return FALSE;
    }
  if (!yard_boot_entry_update_from_json (entry, object, field, error))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

void
_yard_boot_menu_set_origin (YardBootMenu   *self,
                            gpointer        origin,
                            GDestroyNotify  destroy)
{
  if (self->origin != NULL && self->origin_destroy != NULL)
    self->origin_destroy (self->origin);
  self->origin = origin;
  self->origin_destroy = destroy;
}

gpointer
_yard_boot_menu_get_origin (YardBootMenu *self)
{
  return self->origin;
}

/* JSON */

JsonNode *
yard_boot_menu_to_json (YardBootMenu *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title != NULL ? self->title : "");
  json_builder_set_member_name (builder, "timeout");
  json_builder_add_int_value (builder, yard_boot_menu_get_timeout (self));
  json_builder_set_member_name (builder, "default");
  if (self->default_id != NULL)
    json_builder_add_string_value (builder, self->default_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "serial");
  if (self->serial)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->serial_port);
      json_builder_set_member_name (builder, "baud");
      json_builder_add_int_value (builder, self->serial_baud);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    json_builder_add_value (builder, yard_boot_entry_to_json (g_ptr_array_index (self->entries, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
menu_field_error (char       **field,
                  GError     **error,
                  const char  *name,
                  const char  *message)
{
  if (field != NULL)
    {
      g_free (*field);
      *field = g_strdup (name);
    }
  g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

typedef struct
{
  gboolean    has_title;
  const char *title;
  gboolean    has_timeout;
  guint       timeout;
  gboolean    has_default;
  const char *default_id;
  gboolean    has_serial;
  gboolean    serial;
  guint       port;
  guint       baud;
  JsonArray  *entries;
} MenuFields;

/* Checks types and ranges of the menu's own members; entries are left to the caller. */
static gboolean
read_menu_fields (YardBootMenu *self,
                  JsonObject  *object,
                  gboolean     allow_entries,
                  MenuFields  *out,
                  char       **field,
                  GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  memset (out, 0, sizeof *out);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);

      if (strcmp (name, "title") == 0)
        {
          out->has_title = TRUE;
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return menu_field_error (field, error, name, "“title” must be a string");
          out->title = json_node_get_string (node);
          /* A title read from a file (Debian's starts with a BEL) may be sent back as it is. */
          if (g_strcmp0 (out->title, self->title) == 0)
            continue;
          for (const guchar *p = (const guchar *)out->title; *p; p++)
            {
              if (*p < 0x20 || *p == 0x7f)
                return menu_field_error (field, error, name,
                                         "“title” must be one line without control characters");
            }
          if (!g_utf8_validate (out->title, -1, NULL))
            return menu_field_error (field, error, name, "“title” must be UTF-8 text");
        }
      else if (strcmp (name, "timeout") == 0)
        {
          gint64 value;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
            return menu_field_error (field, error, name, "“timeout” must be a whole number of seconds");
          value = json_node_get_int (node);
          if (value < 0 || value > 3599)
            return menu_field_error (field, error, name,
                                     "“timeout” must be between 0 (wait for the user) and 3599 seconds");
          out->has_timeout = TRUE;
          out->timeout = value;
        }
      else if (strcmp (name, "default") == 0)
        {
          out->has_default = TRUE;
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return menu_field_error (field, error, name, "“default” must be an entry id or null");
          out->default_id = json_node_get_string (node);
        }
      else if (strcmp (name, "serial") == 0)
        {
          JsonObject *serial;
          g_autoptr(GList) serial_members = NULL;
          g_autoptr(GError) local_error = NULL;
          gboolean has_port = FALSE, has_baud = FALSE;

          out->has_serial = TRUE;
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return menu_field_error (field, error, name,
                                     "“serial” must be {\"port\": 0..3, \"baud\": 115200} or null");
          serial = json_node_get_object (node);
          serial_members = json_object_get_members (serial);
          for (const GList *s = serial_members; s != NULL; s = s->next)
            {
              JsonNode *value = json_object_get_member (serial, s->data);
              gint64 number;

              if (strcmp (s->data, "port") != 0 && strcmp (s->data, "baud") != 0)
                return menu_field_error (field, error, "serial",
                                         "“serial” has only “port” and “baud”");
              if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
                return menu_field_error (field, error, "serial",
                                         "“serial” port and baud must be whole numbers");
              number = json_node_get_int (value);
              if (number < 0 || number > G_MAXUINT32)
                number = G_MAXUINT32;
              if (strcmp (s->data, "port") == 0)
                {
                  out->port = number;
                  has_port = TRUE;
                }
              else
                {
                  out->baud = number;
                  has_baud = TRUE;
                }
            }
          if (!has_port || !has_baud)
            return menu_field_error (field, error, "serial",
                                     "“serial” needs both “port” (0..3) and “baud” (e.g. 115200)");
          if (!check_serial (out->port, out->baud, &local_error))
            return menu_field_error (field, error, "serial", local_error->message);
          out->serial = TRUE;
        }
      else if (strcmp (name, "entries") == 0 && allow_entries)
        {
          if (!JSON_NODE_HOLDS_ARRAY (node))
            return menu_field_error (field, error, name, "“entries” must be an array of entries");
          out->entries = json_node_get_array (node);
        }
      else
        {
          g_autofree char *message = NULL;

          if (strcmp (name, "entries") == 0)
            message = g_strdup ("“entries” cannot be changed here: add, move or remove entries one "
                                "by one, or replace the whole menu");
          else
            message = g_strdup_printf (_("Unknown field “%s” in a menu"), name);
          return menu_field_error (field, error, name, message);
        }
    }
  return TRUE;
}

static void
apply_menu_fields (YardBootMenu     *self,
                   const MenuFields *f)
{
  if (f->has_title)
    {
      g_free (self->title);
      self->title = (f->title != NULL && *f->title) ? g_strdup (f->title) : NULL;
    }
  if (f->has_timeout && yard_boot_menu_get_timeout (self) != f->timeout)
    self->timeout_tenths = f->timeout * 10;
  if (f->has_serial)
    _yard_boot_menu_set_serial_unchecked (self, f->serial, f->port, f->baud);
  if (f->has_default)
    _yard_boot_menu_set_default_unchecked (self, f->default_id);
}

static gboolean
check_default (YardBootMenu     *self,
               const MenuFields *f,
               char            **field,
               GError          **error)
{
  if (f->has_default && f->default_id != NULL && yard_boot_menu_get_position (self, f->default_id) < 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("There is no entry “%s” to make the default: use the id of a top-level entry"),
                         f->default_id);
      return menu_field_error (field, error, "default", message);
    }
  return TRUE;
}

gboolean
yard_boot_menu_update_from_json (YardBootMenu  *self,
                                 JsonObject    *object,
                                 char         **field,
                                 GError       **error)
{
  MenuFields f;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  if (!read_menu_fields (self, object, FALSE, &f, field, error) ||
      !check_default (self, &f, field, error))
    return FALSE;
  apply_menu_fields (self, &f);
  emit_changed (self);
  return TRUE;
}

static char *
entry_field (guint       index,
             const char *name)
{
  return g_strdup_printf ("entries[%u].%s", index, name != NULL ? name : "");
}

/* Builds the list of entries that PUT would leave in self, checking everything first. */
static GPtrArray *
plan_entries (YardBootMenu  *self,
              JsonArray     *array,
              char         **field,
              GError       **error)
{
  g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(YardBootMenu) scratch = yard_boot_menu_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *id_node;
      const char *id = NULL;
      g_autofree char *sub_field = NULL;
      YardBootEntry *existing = NULL;
      g_autoptr(YardBootEntry) entry = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          if (field != NULL)
            *field = entry_field (i, NULL);
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       _("Entry %u of “entries” must be an object"), i);
          return NULL;
        }
      object = json_node_get_object (node);
      id_node = json_object_get_member (object, "id");
      if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node) &&
          json_node_get_value_type (id_node) == G_TYPE_STRING)
        id = json_node_get_string (id_node);
      if (id != NULL)
        existing = yard_boot_menu_find_entry (self, id);

      if (id != NULL && g_hash_table_contains (seen, id))
        {
          if (field != NULL)
            *field = entry_field (i, "id");
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       _("Entry “%s” is listed twice in “entries”"), id);
          return NULL;
        }

      if (existing != NULL && _yard_boot_entry_get_menu (existing) != self)
        {
          if (field != NULL)
            *field = entry_field (i, "id");
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       _("Entry “%s” belongs to a submenu and cannot move to the top level"), id);
          return NULL;
        }

      if (existing != NULL && yard_boot_entry_get_read_only (existing))
        entry = g_object_ref (existing);
      else if (existing != NULL)
        {
          /* Check on a copy; apply to the real entry only once everything is valid. */
          g_autoptr(YardBootEntry) copy = yard_boot_entry_copy (existing);

          if (!yard_boot_entry_update_from_json (copy, object, &sub_field, error))
            {
              if (field != NULL)
                *field = entry_field (i, sub_field);
              return NULL;
            }
          entry = g_object_ref (existing);
          g_object_set_data_full (G_OBJECT (entry), "yard-put-update",
                                  json_object_ref (object), (GDestroyNotify)json_object_unref);
        }
      else
        {
          entry = yard_boot_entry_new_from_json (object, &sub_field, error);
          if (entry == NULL)
            {
              if (field != NULL)
                *field = entry_field (i, sub_field);
              return NULL;
            }
          if (yard_boot_entry_get_id (entry) == NULL)
            {
              /* Unique against the current tree and the new entries so far. */
              g_autofree char *base = _yard_boot_menu_make_unique_id (self, yard_boot_entry_get_label (entry));
              g_autofree char *new_id = g_strdup (base);

              for (guint n = 2;
                   yard_boot_menu_find_entry (scratch, new_id) != NULL ||
                   yard_boot_menu_find_entry (self, new_id) != NULL;
                   n++)
                {
                  g_free (new_id);
                  new_id = g_strdup_printf ("%s-%u", base, n);
                }
              _yard_boot_entry_force_id (entry, new_id);
            }
          _yard_boot_menu_append_parsed (scratch, entry);
        }

      g_hash_table_add (seen, (gpointer)yard_boot_entry_get_id (entry));
      g_ptr_array_add (plan, g_steal_pointer (&entry));
    }

  /* Read-only entries must stay. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      YardBootEntry *entry = g_ptr_array_index (self->entries, i);

      if (yard_boot_entry_get_read_only (entry) &&
          !g_hash_table_contains (seen, yard_boot_entry_get_id (entry)))
        {
          if (field != NULL)
            *field = g_strdup ("entries");
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                       _("Entry “%s” is read-only and cannot be removed here: edit the pxelinux file"),
                       yard_boot_entry_get_id (entry));
          return NULL;
        }
    }

  /* Detach new entries from the scratch menu so they can join self. */
  g_ptr_array_set_size (scratch->entries, 0);
  return g_steal_pointer (&plan);
}

gboolean
yard_boot_menu_replace_from_json (YardBootMenu  *self,
                                  JsonObject    *object,
                                  char         **field,
                                  GError       **error)
{
  MenuFields f;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GPtrArray) old = NULL;
  guint old_len;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  if (!read_menu_fields (self, object, TRUE, &f, field, error))
    return FALSE;
  if (f.entries == NULL)
    return menu_field_error (field, error, "entries", "“entries” is required for the whole menu");
  plan = plan_entries (self, f.entries, field, error);
  if (plan == NULL)
    return FALSE;
  if (f.has_default && f.default_id != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < plan->len && !found; i++)
        found = g_strcmp0 (yard_boot_entry_get_id (g_ptr_array_index (plan, i)), f.default_id) == 0;
      if (!found)
        {
          g_autofree char *message =
            g_strdup_printf (_("There is no entry “%s” to make the default"), f.default_id);
          return menu_field_error (field, error, "default", message);
        }
    }

  /* Everything is valid: apply. */
  for (guint i = 0; i < plan->len; i++)
    {
      YardBootEntry *entry = g_ptr_array_index (plan, i);
      JsonObject *update = g_object_get_data (G_OBJECT (entry), "yard-put-update");

      if (update != NULL)
        {
          gboolean ok = yard_boot_entry_update_from_json (entry, update, NULL, NULL);

          g_assert (ok);
          g_object_set_data (G_OBJECT (entry), "yard-put-update", NULL);
        }
    }

  old_len = self->entries->len;
  old = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (old, g_object_ref (g_ptr_array_index (self->entries, i)));
  g_ptr_array_set_size (self->entries, 0);
  for (guint i = 0; i < plan->len; i++)
    attach_entry (self, g_ptr_array_index (plan, i), i);

  if (!f.has_default && self->default_id != NULL && yard_boot_menu_get_position (self, self->default_id) < 0)
    g_clear_pointer (&self->default_id, g_free);
  apply_menu_fields (self, &f);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
  emit_changed (self);
  return TRUE;
}

YardBootMenu *
yard_boot_menu_new_from_json (JsonObject  *object,
                              char       **field,
                              GError     **error)
{
  g_autoptr(YardBootMenu) self = yard_boot_menu_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_boot_menu_replace_from_json (self, object, field, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Answers */

/* The model's own members of a menu object, without the entries (or anything beside the
 * model, such as the server's loader settings). */
static JsonObject *
model_members (JsonObject *object)
{
  static const char * const names[] = { "title", "timeout", "default", "serial" };
  JsonObject *model = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node != NULL)
        json_object_set_member (model, names[i], json_node_copy (node));
    }
  return model;
}

YardBootMenu *
yard_boot_menu_decode_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(YardBootMenu) self = yard_boot_menu_new ();
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *field = NULL;
  JsonNode *entries;
  MenuFields f;

  g_return_val_if_fail (object != NULL, NULL);

  model = model_members (object);
  if (!read_menu_fields (self, model, FALSE, &f, &field, &local_error))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   _("The server sent a menu that does not read (%s): is it a Bootyard server of "
                     "this version?"), local_error->message);
      return NULL;
    }
  apply_menu_fields (self, &f);

  entries = json_object_get_member (object, "entries");
  if (entries == NULL || !JSON_NODE_HOLDS_ARRAY (entries))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   _("The server sent a menu without “entries”: is it a Bootyard server of this "
                     "version?"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (entries)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (entries), i);
      g_autoptr(YardBootEntry) entry = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                       _("Entry %u of the server's menu is not an object: is it a Bootyard server "
                         "of this version?"), i);
          return NULL;
        }
      entry = yard_boot_entry_decode_json (json_node_get_object (node), error);
      if (entry == NULL)
        return NULL;
      attach_entry (self, entry, self->entries->len);
    }
  return g_steal_pointer (&self);
}

/* Equal for a list that shows them: what to_json writes, and the server's verdicts. */
static gboolean
entries_equal (YardBootEntry *a,
               YardBootEntry *b)
{
  g_autoptr(JsonNode) ja = yard_boot_entry_to_json (a);
  g_autoptr(JsonNode) jb = yard_boot_entry_to_json (b);
  const YardBootSupport *sa = yard_boot_entry_get_support (a);
  const YardBootSupport *sb = yard_boot_entry_get_support (b);
  g_autoptr(JsonNode) sja = sa != NULL ? yard_boot_support_to_json (sa) : NULL;
  g_autoptr(JsonNode) sjb = sb != NULL ? yard_boot_support_to_json (sb) : NULL;

  if (!json_node_equal (ja, jb))
    return FALSE;
  if (sja == NULL || sjb == NULL)
    return sja == sjb;
  return json_node_equal (sja, sjb);
}

void
yard_boot_menu_assign (YardBootMenu *self,
                       YardBootMenu *other)
{
  guint n, m, prefix = 0, suffix = 0;

  g_return_if_fail (YARD_IS_BOOT_MENU (self));
  g_return_if_fail (YARD_IS_BOOT_MENU (other));

  if (self == other)
    return;

  g_free (self->title);
  self->title = g_strdup (other->title);
  self->timeout_tenths = other->timeout_tenths;
  _yard_boot_menu_set_serial_unchecked (self, other->serial, other->serial_port,
                                        other->serial_baud);
  _yard_boot_menu_set_default_unchecked (self, other->default_id);

  n = self->entries->len;
  m = other->entries->len;
  while (prefix < n && prefix < m &&
         entries_equal (g_ptr_array_index (self->entries, prefix),
                        g_ptr_array_index (other->entries, prefix)))
    prefix++;
  while (suffix < n - prefix && suffix < m - prefix &&
         entries_equal (g_ptr_array_index (self->entries, n - 1 - suffix),
                        g_ptr_array_index (other->entries, m - 1 - suffix)))
    suffix++;

  if (prefix + suffix < n || prefix + suffix < m)
    {
      g_ptr_array_remove_range (self->entries, prefix, n - prefix - suffix);
      for (guint i = prefix; i < m - suffix; i++)
        {
          g_autoptr(YardBootEntry) copy = yard_boot_entry_copy (g_ptr_array_index (other->entries,
                                                                                   i));
          attach_entry (self, copy, i);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, n - prefix - suffix,
                                  m - prefix - suffix);
    }
  emit_changed (self);
}
