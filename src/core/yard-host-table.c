/* yard-host-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hosts table: one JSON file in the state directory, {"hosts": [HOST, ...]}, rewritten
 * whole and atomically after every change (a crash leaves the old file or the new one). A file
 * that does not parse is copied aside before anything can replace it, and the error says where
 * the copy is, so a hand edit gone wrong never loses the table silently.
 *
 * Sightings (ProxyDHCP and script requests, many a second in a busy lab) only change lastSeen
 * and the like: they are written at most once a second, together. Policy changes from the API
 * are written before the call returns.
 *
 * Anybody on the network can make a sighting (GET /boot/MAC.ipxe needs no login), so hosts
 * seen but never set through the API are bounded (MAX_SIGHTINGS): past that the least recently
 * seen go first. A host the API stored is "managed" and never dropped; the file says so
 * ("managed": true), since a host stored with the default policy looks like a sighting.
 *
 * The policy rules live here, not in the API: a MAC in any usual spelling becomes lowercase
 * with colons; a script must start with #!ipxe; a script URL must be http(s); switching a host
 * to disk clears its script, as OVHcloud nulls bootScript when bootId becomes disk.
 */

#define G_LOG_DOMAIN "yard-host-table"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include <glib/gi18n-lib.h>

#include "yard-arch.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-validate.h"
#include "yard-json.h"

#define MAX_SIGHTINGS 4096

struct _YardHostTable
{
  GObject     parent_instance;
  char       *path;
  GHashTable *hosts;      /* mac -> YardHost */
  GHashTable *managed;    /* macs stored through put (owned strings) */
  GQueue      sightings;  /* the other macs (owned), least recently seen first */
  GHashTable *sighting_links; /* mac (the link's) -> its GList link in sightings */
  GError     *load_error; /* why the last load failed, for GET /status */
  guint       save_id;    /* a sighting waits to be written */
};

G_DEFINE_FINAL_TYPE (YardHostTable, yard_host_table, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (YardHost, yard_host, yard_host_copy, yard_host_free)

enum {
  SIGNAL_HOST_SEEN,
  SIGNAL_HOST_CHANGED,
  SIGNAL_HOST_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_str (char       **slot,
         const char  *value)
{
  if (*slot == value)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

static const char * const mode_names[] = {
  [YARD_HOST_MODE_MENU] = "menu",
  [YARD_HOST_MODE_SCRIPT] = "script",
  [YARD_HOST_MODE_URL] = "url",
  [YARD_HOST_MODE_DISK] = "disk",
  [YARD_HOST_MODE_IGNORE] = "ignore",
};

const char *
yard_host_mode_to_string (YardHostMode mode)
{
  g_return_val_if_fail (mode <= YARD_HOST_MODE_IGNORE, NULL);
  return mode_names[mode];
}

gboolean
yard_host_mode_from_string (const char   *text,
                            YardHostMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_strcmp0 (text, mode_names[i]) == 0)
      {
        *mode = (YardHostMode) i;
        return TRUE;
      }
  return FALSE;
}

/* "52:54:00:12:34:56", "52-54-00-12-34-56", any case → "52:54:00:12:34:56". Six groups of
 * two hex digits, one separator used throughout. */
static gboolean
mac_normalize_into (const char *text,
                    char        out[18])
{
  char sep;

  if (text == NULL || strlen (text) != 17 || (text[2] != ':' && text[2] != '-'))
    return FALSE;

  sep = text[2];
  for (guint i = 0; i < 17; i++)
    {
      if (i % 3 == 2)
        {
          if (text[i] != sep)
            return FALSE;
          out[i] = ':';
        }
      else
        {
          if (!g_ascii_isxdigit (text[i]))
            return FALSE;
          out[i] = g_ascii_tolower (text[i]);
        }
    }
  out[17] = '\0';
  return TRUE;
}

/* "52:54:00:12:34:56", "52-54-00-12-34-56", any case → "52:54:00:12:34:56". Six groups of
 * two hex digits, one separator used throughout. */
char *
yard_mac_normalize (const char  *text,
                    GError     **error)
{
  char out[18];

  if (!mac_normalize_into (text, out))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a MAC address: write six pairs of hex digits separated by "
                     "colons or dashes, like 52:54:00:12:34:56"), text ? text : "");
      return NULL;
    }
  return g_strdup (out);
}

YardHost *
yard_host_new (const char *mac)
{
  YardHost *host = g_new0 (YardHost, 1);

  host->mac = g_strdup (mac);
  host->name = g_strdup ("");
  host->mode = YARD_HOST_MODE_MENU;
  return host;
}

YardHost *
yard_host_copy (const YardHost *host)
{
  YardHost *copy;

  g_return_val_if_fail (host != NULL, NULL);

  copy = g_new0 (YardHost, 1);
  copy->mac = g_strdup (host->mac);
  copy->name = g_strdup (host->name ? host->name : "");
  copy->mode = host->mode;
  copy->script = g_strdup (host->script);
  copy->script_url = g_strdup (host->script_url);
  copy->once = host->once;
  copy->arch = g_strdup (host->arch);
  copy->last_seen = host->last_seen;
  copy->address = g_strdup (host->address);
  copy->vendor_class = g_strdup (host->vendor_class);
  copy->uuid = g_strdup (host->uuid);
  copy->machine = yard_machine_copy (host->machine);
  return copy;
}

void
yard_host_free (YardHost *host)
{
  if (host == NULL)
    return;
  g_free (host->mac);
  g_free (host->name);
  g_free (host->script);
  g_free (host->script_url);
  g_free (host->arch);
  g_free (host->address);
  g_free (host->vendor_class);
  g_free (host->uuid);
  g_clear_pointer (&host->machine, yard_machine_free);
  g_free (host);
}

JsonObject *
yard_host_to_json (const YardHost *host)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (host != NULL, object);

  json_object_set_string_member (object, "mac", host->mac);
  json_object_set_string_member (object, "name", host->name ? host->name : "");
  json_object_set_string_member (object, "mode", yard_host_mode_to_string (host->mode));
  yard_json_set_string_or_null (object, "script", host->script);
  yard_json_set_string_or_null (object, "scriptUrl", host->script_url);
  json_object_set_boolean_member (object, "once", host->once);
  yard_json_set_string_or_null (object, "arch", host->arch);
  if (host->last_seen > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (host->last_seen);
      g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
      json_object_set_string_member (object, "lastSeen", iso);
    }
  else
    json_object_set_null_member (object, "lastSeen");
  yard_json_set_string_or_null (object, "address", host->address);
  yard_json_set_string_or_null (object, "vendorClass", host->vendor_class);
  yard_json_set_string_or_null (object, "uuid", host->uuid);
  if (host->machine != NULL)
    json_object_set_object_member (object, "machine", yard_machine_to_json (host->machine));
  else
    json_object_set_null_member (object, "machine");
  return object;
}

/* On failure *field names the JSON member at fault. */
gboolean
yard_host_validate (const YardHost  *host,
                    const char     **field,
                    GError         **error)
{
  g_autofree char *mac = NULL;
  g_autofree char *url = NULL;
  const char *dummy;

  if (field == NULL)
    field = &dummy;
  *field = NULL;

  mac = yard_mac_normalize (host->mac, error);
  if (mac == NULL)
    {
      *field = "mac";
      return FALSE;
    }
  if (host->mode > YARD_HOST_MODE_IGNORE)
    {
      *field = "mode";
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“mode” must be one of menu, script, url, disk, ignore"));
      return FALSE;
    }
  if (!yard_text_is_clean (host->name, FALSE))
    {
      *field = "name";
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("The name must be one line of text without control characters"));
      return FALSE;
    }
  if (host->script != NULL && !yard_validate_ipxe_script (host->script, NULL))
    {
      *field = "script";
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("The script must be UTF-8 text starting with the line “#!ipxe”"));
      return FALSE;
    }
  if (host->script_url != NULL && (url = yard_validate_url (host->script_url, error)) == NULL)
    {
      *field = "scriptUrl";
      return FALSE;
    }
  if (host->mode == YARD_HOST_MODE_SCRIPT && host->script == NULL)
    {
      *field = "script";
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("Mode “script” needs a script: give one starting with “#!ipxe”"));
      return FALSE;
    }
  if (host->mode == YARD_HOST_MODE_URL && host->script_url == NULL)
    {
      *field = "scriptUrl";
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("Mode “url” needs a scriptUrl: give an http:// or https:// URL"));
      return FALSE;
    }
  return TRUE;
}

/* A string member, or null to clear it; FALSE for any other type. */
static gboolean
take_nullable_string (JsonObject  *patch,
                      const char  *member,
                      char       **slot)
{
  JsonNode *node = json_object_get_member (patch, member);

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (slot, g_free);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
patch_error (const char  **field,
             GError      **error,
             const char   *member,
             const char   *message)
{
  if (field != NULL)
    *field = member;
  g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

gboolean
yard_host_update_from_json (YardHost     *host,
                            JsonObject   *patch,
                            const char  **field,
                            GError      **error)
{
  static const char * const writable[] = { "name", "mode", "script", "scriptUrl", "once", NULL };
  static const char * const read_only[] = { "mac", "arch", "lastSeen", "address", "vendorClass",
                                            "uuid", "machine", NULL };
  g_autoptr(YardHost) changed = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *node;

  g_return_val_if_fail (host != NULL && patch != NULL, FALSE);

  members = json_object_get_members (patch);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (writable, l->data) && !g_strv_contains (read_only, l->data))
      {
        g_autofree char *message = g_strdup_printf ("Unknown field “%s”: a host has name, mode, "
                                                    "script, scriptUrl and once",
                                                    (const char *) l->data);
        /* the member's name outlives this call: it is the patch's */
        return patch_error (field, error, l->data, message);
      }

  node = json_object_get_member (patch, "mac");
  if (node != NULL)
    {
      g_autofree char *given = NULL;

      if (json_node_get_value_type (node) == G_TYPE_STRING)
        given = yard_mac_normalize (json_node_get_string (node), NULL);
      if (given == NULL || g_strcmp0 (given, host->mac) != 0)
        return patch_error (field, error, "mac",
                            _("“mac” in the body must be the MAC of the path (or be left out)"));
    }

  changed = yard_host_copy (host);
  node = json_object_get_member (patch, "name");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return patch_error (field, error, "name", _("“name” must be a string"));
      g_free (changed->name);
      changed->name = g_strdup (json_node_get_string (node));
    }
  node = json_object_get_member (patch, "mode");
  if (node != NULL && (json_node_get_value_type (node) != G_TYPE_STRING ||
                       !yard_host_mode_from_string (json_node_get_string (node), &changed->mode)))
    return patch_error (field, error, "mode",
                        _("“mode” must be one of menu, script, url, disk, ignore"));
  if (!take_nullable_string (patch, "script", &changed->script))
    return patch_error (field, error, "script", _("“script” must be a string or null"));
  if (!take_nullable_string (patch, "scriptUrl", &changed->script_url))
    return patch_error (field, error, "scriptUrl", _("“scriptUrl” must be a string or null"));
  node = json_object_get_member (patch, "once");
  if (node != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return patch_error (field, error, "once", _("“once” must be true or false"));
      changed->once = json_node_get_boolean (node);
    }
  if (!yard_host_validate (changed, field, error))
    return FALSE;

  /* all or nothing: the checked copy's values go into host */
  g_free (host->name);
  host->name = g_steal_pointer (&changed->name);
  host->mode = changed->mode;
  g_free (host->script);
  host->script = g_steal_pointer (&changed->script);
  g_free (host->script_url);
  host->script_url = g_steal_pointer (&changed->script_url);
  host->once = changed->once;
  return TRUE;
}

static gboolean save_timeout_cb (gpointer user_data);

/* Managed hosts and sightings */

static void
forget_sighting (YardHostTable *self,
                 const char    *mac)
{
  GList *link = g_hash_table_lookup (self->sighting_links, mac);

  if (link == NULL)
    return;
  g_hash_table_remove (self->sighting_links, mac);
  g_queue_unlink (&self->sightings, link);
  g_free (link->data);
  g_list_free_1 (link);
}

/* @mac was just seen: it becomes the most recent sighting. */
static void
touch_sighting (YardHostTable *self,
                const char    *mac)
{
  GList *link = g_hash_table_lookup (self->sighting_links, mac);

  if (link != NULL)
    {
      g_queue_unlink (&self->sightings, link);
      g_queue_push_tail_link (&self->sightings, link);
      return;
    }
  g_queue_push_tail (&self->sightings, g_strdup (mac));
  link = g_queue_peek_tail_link (&self->sightings);
  g_hash_table_insert (self->sighting_links, link->data, link);
}

static void
clear_sightings (YardHostTable *self)
{
  g_hash_table_remove_all (self->sighting_links);
  g_queue_clear_full (&self->sightings, g_free);
}

/* Drops the least recently seen sightings past MAX_SIGHTINGS; TRUE when any went. With
 * @emit, says so to those who listen (the API's event stream). */
static gboolean
trim_sightings (YardHostTable *self,
                gboolean       emit)
{
  gboolean trimmed = FALSE;

  while (self->sightings.length > MAX_SIGHTINGS)
    {
      g_autofree char *mac = g_strdup (g_queue_peek_head (&self->sightings));

      forget_sighting (self, mac);
      g_hash_table_remove (self->hosts, mac);
      g_debug ("Forgot host %s, seen but never set up: more than %u such hosts", mac,
               MAX_SIGHTINGS);
      if (emit)
        g_signal_emit (self, signals[SIGNAL_HOST_REMOVED], 0, mac);
      trimmed = TRUE;
    }
  return trimmed;
}

static int
compare_last_seen (gconstpointer a,
                   gconstpointer b)
{
  const YardHost *ha = *(const YardHost **) a;
  const YardHost *hb = *(const YardHost **) b;

  if (ha->last_seen != hb->last_seen)
    return ha->last_seen < hb->last_seen ? -1 : 1;
  return strcmp (ha->mac, hb->mac);
}

/* A host stored before "managed" was written counts as managed when its policy is not what a
 * sighting gets. */
static gboolean
policy_is_default (const YardHost *host)
{
  return (host->name == NULL || *host->name == '\0') && host->mode == YARD_HOST_MODE_MENU &&
         host->script == NULL && host->script_url == NULL && !host->once;
}

/* Loading */

YardHost *
yard_host_new_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(YardHost) host = NULL;
  g_autofree char *mac = NULL;
  const char *text;
  const char *field;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  mac = yard_mac_normalize (yard_json_get_string (object, "mac"), error);
  if (mac == NULL)
    return NULL;

  host = yard_host_new (mac);
  if ((text = yard_json_get_string (object, "name")) != NULL)
    set_str (&host->name, text);
  text = yard_json_get_string (object, "mode");
  if (text != NULL && !yard_host_mode_from_string (text, &host->mode))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   _("host %s: unknown mode “%s”"), mac, text);
      return NULL;
    }
  host->script = g_strdup (yard_json_get_string (object, "script"));
  host->script_url = g_strdup (yard_json_get_string (object, "scriptUrl"));
  host->once = json_object_get_boolean_member_with_default (object, "once", FALSE);
  host->arch = g_strdup (yard_json_get_string (object, "arch"));
  host->address = g_strdup (yard_json_get_string (object, "address"));
  host->vendor_class = g_strdup (yard_json_get_string (object, "vendorClass"));
  host->uuid = g_strdup (yard_json_get_string (object, "uuid"));
  {
    JsonNode *machine = json_object_get_member (object, "machine");

    /* only the members a report gives, checked again: the file may have been edited */
    if (machine != NULL && JSON_NODE_HOLDS_OBJECT (machine))
      host->machine = yard_machine_new_from_json (json_node_get_object (machine));
  }
  if ((text = yard_json_get_string (object, "lastSeen")) != NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
      if (dt != NULL)
        host->last_seen = g_date_time_to_unix (dt);
    }

  if (!yard_host_validate (host, &field, &local_error))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   _("host %s: %s"), mac, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&host);
}

static YardHost *
host_from_json (JsonNode  *node,
                guint      index,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  YardHost *host;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   _("host %u is not a JSON object"), index + 1);
      return NULL;
    }
  host = yard_host_new_from_json (json_node_get_object (node), &local_error);
  if (host == NULL && local_error->domain == YARD_ERROR &&
      local_error->code == YARD_ERROR_INVALID_CONFIG)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (host == NULL)
    g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                 _("host %u: %s"), index + 1, local_error->message);
  return host;
}

/* Reads the file. A missing file is an empty table. A file that does not parse leaves the
 * table empty, is copied aside (the error names the copy) and will be replaced on the next
 * change: the caller logs the error, and get_load_error() keeps it for GET /status, so the
 * user sees it and can merge the copy back by hand. */
gboolean
yard_host_table_load (YardHostTable  *self,
                      GError        **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) hosts = NULL;
  g_autoptr(GHashTable) managed = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = NULL;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), FALSE);

  g_clear_error (&self->load_error);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_hash_table_remove_all (self->hosts);
          g_hash_table_remove_all (self->managed);
          clear_sightings (self);
          return TRUE;
        }
      g_set_error (&self->load_error, YARD_ERROR, YARD_ERROR_FAILED,
                   _("Cannot read the hosts file: %s. Check the state directory's permissions"),
                   local_error->message);
      if (error != NULL)
        *error = g_error_copy (self->load_error);
      return FALSE;
    }

  hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) yard_host_free);
  managed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The depth is bounded before json-glib recurses: a file nested 200 000 deep would
   * otherwise crash the server at every start. */
  if ((root = yard_json_parse (contents, length, YARD_JSON_MAX_DEPTH, &local_error)) == NULL)
    ;
  else if (!JSON_NODE_HOLDS_OBJECT (root) ||
           (array = json_object_get_array_member (json_node_get_object (root), "hosts")) == NULL)
    g_set_error (&local_error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                 _("expected an object {\"hosts\": [...]}"));
  else
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          YardHost *host = host_from_json (node, i, &local_error);

          if (host == NULL)
            break;
          if (json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                           "managed", FALSE) ||
              !policy_is_default (host))
            g_hash_table_add (managed, g_strdup (host->mac));
          else
            g_hash_table_remove (managed, host->mac);
          g_hash_table_replace (hosts, g_strdup (host->mac), host);
        }
    }

  if (local_error != NULL)
    {
      g_autofree char *aside = yard_json_keep_broken_copy (self->path, contents, length);

      g_hash_table_remove_all (self->hosts);
      g_hash_table_remove_all (self->managed);
      clear_sightings (self);
      g_set_error (&self->load_error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   _("The hosts file “%s” is broken (%s). It was copied to “%s”; the server "
                     "starts with no hosts and will write a new file on the next change. "
                     "Fix the copy and put it back while the server is stopped"),
                   self->path, local_error->message, aside ? aside : "(copy failed)");
      if (error != NULL)
        *error = g_error_copy (self->load_error);
      return FALSE;
    }

  g_clear_pointer (&self->hosts, g_hash_table_unref);
  self->hosts = g_steal_pointer (&hosts);
  g_clear_pointer (&self->managed, g_hash_table_unref);
  self->managed = g_steal_pointer (&managed);

  /* The sightings in the order they were seen, so the oldest go first. */
  clear_sightings (self);
  {
    g_autoptr(GPtrArray) seen = g_ptr_array_new ();
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->hosts);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (!g_hash_table_contains (self->managed, ((YardHost *) value)->mac))
        g_ptr_array_add (seen, value);
    g_ptr_array_sort (seen, compare_last_seen);
    for (guint i = 0; i < seen->len; i++)
      touch_sighting (self, ((YardHost *) g_ptr_array_index (seen, i))->mac);
  }
  /* A file from before the bound: the next write makes it small again. */
  if (trim_sightings (self, FALSE) && self->save_id == 0)
    self->save_id = g_timeout_add (1000, save_timeout_cb, self);
  return TRUE;
}

/* Why the last load failed (the file, what is wrong and what to do), NULL when it did not. */
const GError *
yard_host_table_get_load_error (YardHostTable *self)
{
  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);
  return self->load_error;
}

static int
compare_hosts (gconstpointer a,
               gconstpointer b)
{
  const YardHost *ha = *(const YardHost **) a;
  const YardHost *hb = *(const YardHost **) b;

  return strcmp (ha->mac, hb->mac);
}

static GPtrArray *
sorted_hosts (YardHostTable *self,
              gboolean       copies)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (copies ? (GDestroyNotify) yard_host_free
                                                             : NULL);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (array, copies ? yard_host_copy (value) : value);
  g_ptr_array_sort (array, compare_hosts);
  return array;
}

/* A host as the file has it: the API's fields, and whether the API stored it. */
static JsonObject *
host_to_file_json (YardHostTable  *self,
                   const YardHost *host,
                   gboolean        managed)
{
  JsonObject *object = yard_host_to_json (host);

  if (managed || g_hash_table_contains (self->managed, host->mac))
    json_object_set_boolean_member (object, "managed", TRUE);
  return object;
}

/* Writes the table as it would be with @replace in place of its MAC's host (or without
 * @remove_mac): the caller changes memory only after this succeeded, so a failed write changes
 * nothing. */
static gboolean
save (YardHostTable   *self,
      const YardHost  *replace,
      const char      *remove_mac,
      GError         **error)
{
  g_autoptr(GPtrArray) hosts = sorted_hosts (self, FALSE);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array = json_array_new ();
  JsonObject *object = json_object_new ();
  gboolean replaced = FALSE;

  for (guint i = 0; i < hosts->len; i++)
    {
      const YardHost *host = g_ptr_array_index (hosts, i);

      if (remove_mac != NULL && g_str_equal (host->mac, remove_mac))
        continue;
      if (replace != NULL && g_str_equal (host->mac, replace->mac))
        {
          host = replace;
          replaced = TRUE;
        }
      json_array_add_object_element (array, host_to_file_json (self, host, host == replace));
    }
  if (replace != NULL && !replaced)
    json_array_add_object_element (array, host_to_file_json (self, replace, TRUE));

  json_object_set_int_member (object, "version", 1);
  json_object_set_array_member (object, "hosts", array);
  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (!g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, YARD_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                     ? YARD_ERROR_PERMISSION_DENIED : YARD_ERROR_FAILED,
                   "Cannot save the hosts file: %s. Check the state directory's permissions "
                   "and free space", local_error->message);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
yard_host_table_dup_hosts (YardHostTable *self)
{
  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);
  return sorted_hosts (self, TRUE);
}

YardHost *
yard_host_table_dup_host (YardHostTable *self,
                          const char    *mac)
{
  g_autofree char *normal = NULL;
  const YardHost *host;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);

  normal = yard_mac_normalize (mac, NULL);
  if (normal == NULL)
    return NULL;
  host = g_hash_table_lookup (self->hosts, normal);
  return host ? yard_host_copy (host) : NULL;
}

/* Stores @host (validated; its MAC normalized) in place of the host with that MAC. The
 * read-only fields (arch, last_seen, address, vendor class, uuid) are kept from the stored
 * host when it exists. Switching to disk clears the script. */
gboolean
yard_host_table_put (YardHostTable   *self,
                     const YardHost  *host,
                     gboolean        *created,
                     GError         **error)
{
  g_autoptr(YardHost) copy = NULL;
  const YardHost *old;
  const char *field;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  if (!yard_host_validate (host, &field, error))
    return FALSE;

  copy = yard_host_copy (host);
  g_free (copy->mac);
  copy->mac = yard_mac_normalize (host->mac, NULL);
  if (copy->mode == YARD_HOST_MODE_DISK)
    g_clear_pointer (&copy->script, g_free);

  old = g_hash_table_lookup (self->hosts, copy->mac);
  if (old != NULL)
    {
      set_str (&copy->arch, old->arch);
      set_str (&copy->address, old->address);
      set_str (&copy->vendor_class, old->vendor_class);
      set_str (&copy->uuid, old->uuid);
      copy->last_seen = old->last_seen;
      g_clear_pointer (&copy->machine, yard_machine_free);
      copy->machine = yard_machine_copy (old->machine);
    }

  if (!save (self, copy, NULL, error))
    return FALSE;
  g_clear_handle_id (&self->save_id, g_source_remove); /* written with it */

  if (created != NULL)
    *created = (old == NULL);
  g_hash_table_replace (self->hosts, g_strdup (copy->mac), yard_host_copy (copy));
  g_hash_table_add (self->managed, g_strdup (copy->mac));
  forget_sighting (self, copy->mac);
  g_signal_emit (self, signals[SIGNAL_HOST_CHANGED], 0, copy);
  return TRUE;
}

gboolean
yard_host_table_remove (YardHostTable  *self,
                        const char     *mac,
                        GError        **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), FALSE);

  normal = yard_mac_normalize (mac, error);
  if (normal == NULL)
    return FALSE;
  if (!g_hash_table_contains (self->hosts, normal))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, _("No host with MAC %s"), normal);
      return FALSE;
    }
  if (!save (self, NULL, normal, error))
    return FALSE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_hash_table_remove (self->hosts, normal);
  g_hash_table_remove (self->managed, normal);
  forget_sighting (self, normal);
  g_signal_emit (self, signals[SIGNAL_HOST_REMOVED], 0, normal);
  return TRUE;
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  YardHostTable *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  if (!save (self, NULL, NULL, &error))
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

/* Writes sightings not yet written (the table does so by itself within a second). */
gboolean
yard_host_table_flush (YardHostTable  *self,
                       GError        **error)
{
  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), FALSE);

  if (self->save_id == 0)
    return TRUE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  return save (self, NULL, NULL, error);
}

/* ProxyDHCP and the per-host script call this for every boot request: an unknown MAC becomes
 * a host in "menu" mode. The sighting is written within a second, with others. @arch is DHCP option 93 (-1 when unknown: the stored arch stays);
 * NULL strings keep the stored values. Returns a copy of the host. */
YardHost *
yard_host_table_record_seen (YardHostTable  *self,
                             const char     *mac,
                             int             arch,
                             const char     *address,
                             const char     *vendor_class,
                             const char     *uuid,
                             gboolean       *created,
                             GError        **error)
{
  g_autofree char *normal = NULL;
  g_autoptr(YardHost) host = NULL;
  const YardHost *old;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);

  normal = yard_mac_normalize (mac, error);
  if (normal == NULL)
    return NULL;

  old = g_hash_table_lookup (self->hosts, normal);
  host = old ? yard_host_copy (old) : yard_host_new (normal);
  if (arch >= 0)
    {
      g_free (host->arch);
      host->arch = arch >= 0 ? yard_client_arch_dup_name (arch) : NULL;
    }
  if (address != NULL)
    set_str (&host->address, address);
  if (vendor_class != NULL && g_utf8_validate (vendor_class, -1, NULL))
    set_str (&host->vendor_class, vendor_class);
  if (uuid != NULL)
    set_str (&host->uuid, uuid);
  host->last_seen = g_get_real_time () / G_USEC_PER_SEC;

  if (self->save_id == 0)
    self->save_id = g_timeout_add (1000, save_timeout_cb, self);

  if (created != NULL)
    *created = (old == NULL);
  g_hash_table_replace (self->hosts, g_strdup (normal), yard_host_copy (host));
  if (!g_hash_table_contains (self->managed, normal))
    {
      touch_sighting (self, normal);
      trim_sightings (self, TRUE);
    }
  g_signal_emit (self, signals[SIGNAL_HOST_SEEN], 0, host);
  return g_steal_pointer (&host);
}

gboolean
yard_host_table_record_machine (YardHostTable  *self,
                                const char     *mac,
                                const YardMachine *machine,
                                GError        **error)
{
  g_autofree char *normal = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *reported = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  YardHost *host;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), FALSE);
  g_return_val_if_fail (machine != NULL, FALSE);

  normal = yard_mac_normalize (mac, error);
  if (normal == NULL)
    return FALSE;
  host = g_hash_table_lookup (self->hosts, normal);
  if (host == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, _("No host with MAC %s"), normal);
      return FALSE;
    }
  g_clear_pointer (&host->machine, yard_machine_free);
  host->machine = yard_machine_copy (machine);
  g_free (host->machine->reported);
  host->machine->reported = g_steal_pointer (&reported);
  if (self->save_id == 0)
    self->save_id = g_timeout_add (1000, save_timeout_cb, self);
  g_signal_emit (self, signals[SIGNAL_HOST_CHANGED], 0, host);
  return TRUE;
}

/* The once-switch and "boot from disk now": mode disk, script cleared. */
YardHost *
yard_host_table_switch_to_disk (YardHostTable  *self,
                                const char     *mac,
                                GError        **error)
{
  g_autoptr(YardHost) host = NULL;

  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);

  host = yard_host_table_dup_host (self, mac);
  if (host == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, _("No host with MAC %s"), mac);
      return NULL;
    }
  host->mode = YARD_HOST_MODE_DISK;
  if (!yard_host_table_put (self, host, NULL, error))
    return NULL;
  return yard_host_table_dup_host (self, mac);
}

const char *
yard_host_table_get_path (YardHostTable *self)
{
  g_return_val_if_fail (YARD_IS_HOST_TABLE (self), NULL);
  return self->path;
}

static void
yard_host_table_dispose (GObject *object)
{
  YardHostTable *self = YARD_HOST_TABLE (object);
  g_autoptr(GError) error = NULL;

  if (!yard_host_table_flush (self, &error))
    g_warning ("%s", error->message);

  G_OBJECT_CLASS (yard_host_table_parent_class)->dispose (object);
}

static void
yard_host_table_finalize (GObject *object)
{
  YardHostTable *self = YARD_HOST_TABLE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->hosts, g_hash_table_unref);
  g_clear_pointer (&self->managed, g_hash_table_unref);
  clear_sightings (self);
  g_clear_pointer (&self->sighting_links, g_hash_table_unref);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (yard_host_table_parent_class)->finalize (object);
}

static void
yard_host_table_class_init (YardHostTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_host_table_dispose;
  object_class->finalize = yard_host_table_finalize;

  signals[SIGNAL_HOST_SEEN] =
    g_signal_new ("host-seen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, YARD_TYPE_HOST | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_HOST_CHANGED] =
    g_signal_new ("host-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, YARD_TYPE_HOST | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_HOST_REMOVED] =
    g_signal_new ("host-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
yard_host_table_init (YardHostTable *self)
{
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) yard_host_free);
  self->managed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->sightings);
  self->sighting_links = g_hash_table_new (g_str_hash, g_str_equal);
}

/* @path: the JSON file, usually STATE-DIR/hosts.json. Call yard_host_table_load() next. */
YardHostTable *
yard_host_table_new (const char *path)
{
  YardHostTable *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (YARD_TYPE_HOST_TABLE, NULL);
  self->path = g_strdup (path);
  return self;
}
