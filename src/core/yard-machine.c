/* yard-machine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Anybody on the network may send a report (GET /boot/MAC.machine needs no login, nor does a
 * TFTP read), so every text is checked where a report is made, and again where one is read
 * back from a file: what the app and bootyardctl show is always checked text.
 */

#define G_LOG_DOMAIN "yard-machine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "yard-host-table.h"
#include "yard-json.h"
#include "yard-machine.h"

#define MACHINE_TEXT_MAX 64
#define MACHINE_MEMSIZE_MAX (G_GINT64_CONSTANT (1) << 30)  /* MiB: an exbibyte */

G_DEFINE_BOXED_TYPE (YardMachine, yard_machine, yard_machine_copy, yard_machine_free)

/* The texts, as the JSON names them, with where each lives in the struct. */
static const struct
{
  const char *member;
  const char *param;   /* its name in iPXE's and GRUB's report */
  gsize       offset;
} texts[] = {
  { "manufacturer", "manufacturer", G_STRUCT_OFFSET (YardMachine, manufacturer) },
  { "product", "product", G_STRUCT_OFFSET (YardMachine, product) },
  { "serial", "serial", G_STRUCT_OFFSET (YardMachine, serial) },
  { "uuid", "uuid", G_STRUCT_OFFSET (YardMachine, uuid) },
  { "nic", "chip", G_STRUCT_OFFSET (YardMachine, nic) },
};

#define TEXT_FIELD(machine, i) G_STRUCT_MEMBER (char *, (machine), texts[i].offset)

YardMachine *
yard_machine_copy (const YardMachine *machine)
{
  YardMachine *copy;

  if (machine == NULL)
    return NULL;
  copy = g_new0 (YardMachine, 1);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    TEXT_FIELD (copy, i) = g_strdup (TEXT_FIELD (machine, i));
  copy->reported = g_strdup (machine->reported);
  copy->memory = machine->memory;
  return copy;
}

void
yard_machine_free (YardMachine *machine)
{
  if (machine == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_free (TEXT_FIELD (machine, i));
  g_free (machine->reported);
  g_free (machine);
}

/* UTF-8 text without control characters, trimmed, cut at MACHINE_TEXT_MAX bytes on a
 * character boundary; NULL when nothing is left. */
static char *
machine_text (const char *value)
{
  g_autoptr(GString) out = NULL;

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        continue;
      if (out->len + (g_utf8_next_char (p) - p) > MACHINE_TEXT_MAX)
        break;
      g_string_append_unichar (out, c);
    }
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    return NULL;
  return g_strdup (out->str);
}

static gboolean
is_empty (const YardMachine *machine)
{
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (TEXT_FIELD (machine, i) != NULL)
      return FALSE;
  return machine->memory <= 0;
}

YardMachine *
yard_machine_new_from_query (GHashTable *params)
{
  g_autoptr(YardMachine) machine = NULL;
  const char *memsize;

  if (params == NULL)
    return NULL;
  machine = g_new0 (YardMachine, 1);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    TEXT_FIELD (machine, i) = machine_text (g_hash_table_lookup (params, texts[i].param));
  memsize = g_hash_table_lookup (params, "memsize");
  if (memsize != NULL && *memsize != '\0' && strspn (memsize, "0123456789") == strlen (memsize) &&
      strlen (memsize) <= 10)
    {
      gint64 mib = g_ascii_strtoll (memsize, NULL, 10);

      if (mib > 0 && mib <= MACHINE_MEMSIZE_MAX)
        machine->memory = mib * 1024 * 1024;
    }
  if (is_empty (machine))
    return NULL;
  return g_steal_pointer (&machine);
}

gboolean
yard_machine_from_path (const char   *name,
                        gsize         length,
                        char        **mac,
                        YardMachine **machine)
{
  static const char suffix[] = ".machine";
  g_autofree char *text = NULL;
  g_autofree char *normal = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_auto(GStrv) parts = NULL;
  const char *p;

  g_return_val_if_fail (name != NULL || length == 0, FALSE);
  g_return_val_if_fail (mac != NULL && machine != NULL, FALSE);

  if (memchr (name, '\0', length) != NULL)
    return FALSE;
  text = g_strndup (name, length);
  p = text;
  if (*p == '/')
    p++;
  if (!g_str_has_prefix (p, "boot/"))
    return FALSE;
  p += strlen ("boot/");
  /* MAC ".machine" and the end or a '/' */
  if (strlen (p) < 17 + strlen (suffix) || strncmp (p + 17, suffix, strlen (suffix)) != 0 ||
      (p[17 + strlen (suffix)] != '\0' && p[17 + strlen (suffix)] != '/'))
    return FALSE;
  {
    g_autofree char *mac_text = g_strndup (p, 17);

    normal = yard_mac_normalize (mac_text, NULL);
  }
  if (normal == NULL)
    return FALSE;
  p += 17 + strlen (suffix);

  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parts = g_strsplit (p, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');

      if (eq == NULL || eq == parts[i])
        continue;
      g_hash_table_replace (params, g_strndup (parts[i], eq - parts[i]), g_strdup (eq + 1));
    }
  *machine = yard_machine_new_from_query (params);
  *mac = g_steal_pointer (&normal);
  return TRUE;
}

YardMachine *
yard_machine_new_from_json (JsonObject *object)
{
  g_autoptr(YardMachine) machine = NULL;
  JsonNode *memory;

  g_return_val_if_fail (object != NULL, NULL);

  machine = g_new0 (YardMachine, 1);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    TEXT_FIELD (machine, i) = machine_text (yard_json_get_string (object, texts[i].member));
  machine->reported = machine_text (yard_json_get_string (object, "reported"));
  memory = json_object_get_member (object, "memory");
  if (memory != NULL && JSON_NODE_HOLDS_VALUE (memory) &&
      json_node_get_value_type (memory) == G_TYPE_INT64 && json_node_get_int (memory) > 0)
    machine->memory = json_node_get_int (memory);
  if (is_empty (machine))
    return NULL;
  return g_steal_pointer (&machine);
}

JsonObject *
yard_machine_to_json (const YardMachine *machine)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (machine != NULL, object);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (TEXT_FIELD (machine, i) != NULL)
      json_object_set_string_member (object, texts[i].member, TEXT_FIELD (machine, i));
  if (machine->memory > 0)
    json_object_set_int_member (object, "memory", machine->memory);
  if (machine->reported != NULL)
    json_object_set_string_member (object, "reported", machine->reported);
  return object;
}

char *
yard_machine_dup_title (const YardMachine *machine)
{
  g_autoptr(GString) text = NULL;
  const char *maker;
  const char *product;

  if (machine == NULL)
    return NULL;
  maker = machine->manufacturer;
  product = machine->product;
  text = g_string_new (NULL);
  if (maker != NULL && (product == NULL || !g_str_has_prefix (product, maker)))
    g_string_append (text, maker);
  if (product != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", product);
  if (machine->serial != NULL)
    {
      /* TRANSLATORS: a machine's serial number as its firmware reports it, e.g. "serial PC1ABCDE" */
      g_autofree char *words = g_strdup_printf (_("serial %s"), machine->serial);

      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", words);
    }
  if (machine->memory > 0)
    {
      g_autofree char *size = g_format_size_full (machine->memory, G_FORMAT_SIZE_IEC_UNITS);

      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", size);
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}
