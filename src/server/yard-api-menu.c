/* yard-api-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's menu: GET/PUT/PATCH /menu (the model and the loader settings beside it) and
 * /menu/entries[/ID] (add, edit, move, remove), saved to pxelinux.cfg after each change.
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
#include "yard-boot-support.h"
#include "yard-boot-menu.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-image.h"
#include "yard-image-file.h"
#include "yard-image-import.h"
#include "yard-json.h"
#include "yard-paths.h"
#include "yard-root-file.h"
#include "yard-api-private.h"

/* Menu */

/* The menu object: the model's fields, and the server's loader settings beside them. */
static JsonNode *
menu_to_json (YardApi      *self,
              YardBootMenu *menu)
{
  JsonNode *node = yard_boot_menu_to_json (menu);

  yard_boot_menu_add_support_json (menu, json_node_get_object (node),
                                   yard_server_get_config (self->server)->root_dir);
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    json_object_set_string_member (json_node_get_object (node),
                                   yard_loader_setting_to_string (i),
                                   yard_server_get_loader (self->server, i));
  return node;
}

static void
menu_changed (YardApi      *self,
              YardBootMenu *menu)
{
  g_autoptr(JsonNode) node = menu_to_json (self, menu);
  yard_server_emit_event (self->server, "menu-changed", json_node_get_object (node));
}

/* Saves the menu after a change; on failure the server reloads it from disk, so memory never
 * says what the files do not. */
gboolean
_yard_api_save_menu (YardApi           *self,
                     SoupServerMessage *msg,
                     YardBootMenu      *menu)
{
  g_autoptr(GError) error = NULL;

  if (!yard_server_save_menu (self->server, &error))
    {
      _yard_api_send_gerror (msg, NULL, error);
      return FALSE;
    }
  menu_changed (self, menu);
  return TRUE;
}

static void
send_menu (YardApi           *self,
           SoupServerMessage *msg,
           YardBootMenu      *menu)
{
  g_autoptr(JsonNode) node = menu_to_json (self, menu);
  _yard_api_send_json (msg, SOUP_STATUS_OK, node);
}

/* Takes the loader settings out of a PUT or PATCH body into @loaders (NULL when absent);
 * FALSE (400 sent) when one is not a string. The server checks the value. */
static gboolean
take_loaders (SoupServerMessage  *msg,
              JsonObject         *body,
              char              **loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      const char *member = yard_loader_setting_to_string (i);
      JsonNode *node = json_object_get_member (body, member);

      loaders[i] = NULL;
      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *message = g_strdup_printf ("“%s” must be a string", member);

          _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, member, message);
          return FALSE;
        }
      loaders[i] = g_strdup (json_node_get_string (node));
      json_object_remove_member (body, member);
    }
  return TRUE;
}

/* Puts the loaders back after the rest of a PUT or PATCH failed (NULL: untouched). */
static void
restore_loaders (YardApi     *self,
                 char *const *old_loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      g_autoptr(GError) error = NULL;

      if (old_loaders[i] != NULL &&
          !yard_server_set_loader (self->server, i, old_loaders[i], &error))
        g_warning ("Could not put the menu's %s back to %s: %s",
                   yard_loader_setting_to_string (i), old_loaders[i], error->message);
    }
}

static void
clear_loaders (char **loaders)
{
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    g_clear_pointer (&loaders[i], g_free);
}

void
_yard_api_handle_menu (YardApi           *self,
                       SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *field = NULL;
  char *loaders[YARD_N_LOADER_SETTINGS] = { NULL, };
  char *old_loaders[YARD_N_LOADER_SETTINGS] = { NULL, };
  gboolean any_loader = FALSE;
  YardBootMenu *menu;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_PUT && method != METHOD_PATCH)
    {
      _yard_api_send_method_not_allowed (msg, "GET, PUT, PATCH");
      return;
    }

  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      _yard_api_send_gerror (msg, NULL, error);
      return;
    }

  if (method == SOUP_METHOD_GET)
    {
      send_menu (self, msg, menu);
      return;
    }

  if ((body = _yard_api_body_object (msg, FALSE)) == NULL)
    return;

  /* The loaders are the server's settings (settings.json), not lines of pxelinux.cfg: stored
   * first, and put back when the menu's own fields are refused, so a 400 changes nothing. A
   * PUT without them keeps the current ones. */
  if (!take_loaders (msg, body, loaders))
    {
      clear_loaders (loaders);
      return;
    }
  for (guint i = 0; i < YARD_N_LOADER_SETTINGS; i++)
    {
      g_autofree char *old = NULL;

      if (loaders[i] == NULL)
        continue;
      old = g_strdup (yard_server_get_loader (self->server, i));
      any_loader = TRUE;
      if (!yard_server_set_loader (self->server, i, loaders[i], &error))
        {
          /* those set before this one go back */
          restore_loaders (self, old_loaders);
          _yard_api_send_gerror (msg, yard_loader_setting_to_string (i), error);
          clear_loaders (loaders);
          clear_loaders (old_loaders);
          return;
        }
      old_loaders[i] = g_steal_pointer (&old);
    }
  clear_loaders (loaders);

  if (any_loader && method == METHOD_PATCH && json_object_get_size (body) == 0)
    {
      menu_changed (self, menu);
      send_menu (self, msg, menu);
    }
  else if (method == SOUP_METHOD_PUT ? !yard_boot_menu_replace_from_json (menu, body, &field, &error)
                                     : !yard_boot_menu_update_from_json (menu, body, &field, &error))
    {
      restore_loaders (self, old_loaders);
      _yard_api_send_gerror (msg, field, error);
    }
  else if (_yard_api_save_menu (self, msg, menu))
    send_menu (self, msg, menu);
  else
    restore_loaders (self, old_loaders);
  clear_loaders (old_loaders);
}

/* An entry's place in the menu, as adding and moving take it: {"position": N}, an integer ≥ 0
 * (past the end is the end). FALSE when it is not: the 400 is sent. */
static gboolean
read_position (SoupServerMessage *msg,
               JsonObject        *body,
               int               *position)
{
  JsonNode *node = json_object_get_member (body, "position");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "position",
                            "Give the entry's place as {\"position\": N}, an integer ≥ 0");
      return FALSE;
    }
  *position = (int) MIN (json_node_get_int (node), G_MAXINT);
  return TRUE;
}

/* The entry object, with what boots it where (docs/api.md "support") */
static void
send_entry (YardApi           *self,
            SoupServerMessage *msg,
            guint              status,
            YardBootEntry     *entry)
{
  g_autoptr(JsonNode) node = yard_boot_entry_to_json (entry);

  json_object_set_member (json_node_get_object (node), "support",
                          yard_boot_entry_support_to_json (
                            entry, yard_server_get_config (self->server)->root_dir));
  _yard_api_send_json (msg, status, node);
}

void
_yard_api_handle_menu_entries (YardApi           *self,
                               SoupServerMessage *msg,
                               char             **parts,
                               guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *field = NULL;
  YardBootMenu *menu;

  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      _yard_api_send_gerror (msg, NULL, error);
      return;
    }

  /* POST /menu/entries */
  if (n_parts == 2)
    {
      g_autoptr(YardBootEntry) entry = NULL;
      g_autofree char *location = NULL;
      int position = -1;

      if (method != SOUP_METHOD_POST)
        {
          _yard_api_send_method_not_allowed (msg, "POST");
          return;
        }
      if ((body = _yard_api_body_object (msg, FALSE)) == NULL)
        return;
      if (json_object_has_member (body, "position"))
        {
          if (!read_position (msg, body, &position))
            return;
          json_object_remove_member (body, "position");
        }
      entry = yard_boot_entry_new_from_json (body, &field, &error);
      if (entry == NULL ||
          !yard_boot_menu_add_entry (menu, entry, position, &field, &error))
        {
          _yard_api_send_gerror (msg, field, error);
          return;
        }
      if (!_yard_api_save_menu (self, msg, menu))
        return;
      location = g_strdup_printf (API_PREFIX "/menu/entries/%s", yard_boot_entry_get_id (entry));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    location);
      send_entry (self, msg, SOUP_STATUS_CREATED, entry);
      return;
    }

  /* /menu/entries/{id} */
  if (n_parts == 3)
    {
      const char *id = parts[2];

      if (yard_boot_menu_find_entry (menu, id) == NULL)
        {
          g_autofree char *message = g_strdup_printf ("No menu entry with id “%s”", id);
          _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, "id", message);
          return;
        }

      if (method == SOUP_METHOD_GET)
        {
          send_entry (self, msg, SOUP_STATUS_OK, yard_boot_menu_find_entry (menu, id));
          return;
        }
      if (method == METHOD_PATCH)
        {
          if ((body = _yard_api_body_object (msg, FALSE)) == NULL)
            return;
          if (!yard_boot_menu_update_entry_from_json (menu, id, body, &field, &error))
            {
              _yard_api_send_gerror (msg, field, error);
              return;
            }
          if (_yard_api_save_menu (self, msg, menu))
            send_entry (self, msg, SOUP_STATUS_OK, yard_boot_menu_find_entry (menu, id));
          return;
        }
      if (method == SOUP_METHOD_DELETE)
        {
          if (!yard_boot_menu_remove_entry (menu, id, &error))
            {
              _yard_api_send_gerror (msg, "id", error);
              return;
            }
          if (_yard_api_save_menu (self, msg, menu))
            soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
          return;
        }
      _yard_api_send_method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }

  /* POST /menu/entries/{id}/move */
  if (n_parts == 4 && g_str_equal (parts[3], "move"))
    {
      int place;

      if (method != SOUP_METHOD_POST)
        {
          _yard_api_send_method_not_allowed (msg, "POST");
          return;
        }
      if ((body = _yard_api_body_object (msg, FALSE)) == NULL || !read_position (msg, body, &place))
        return;
      if (json_object_get_size (body) != 1)
        {
          _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "Only “position” is allowed here");
          return;
        }
      if (!yard_boot_menu_move_entry (menu, parts[2], (guint) place, &error))
        {
          _yard_api_send_gerror (msg, "id", error);
          return;
        }
      if (_yard_api_save_menu (self, msg, menu))
        send_menu (self, msg, menu);
      return;
    }

  _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint (see docs/api.md)");
}
