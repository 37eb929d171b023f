/* yard-api-images.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's images and files: GET /images[/NAME], PUT /images/NAME (streamed to a temporary
 * file, inspected, its entry added), DELETE /images/NAME (with the entries that boot it), and
 * PUT /files/PATH (a kernel or initrd into ROOT/files/).
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

/* Images */

static void
set_modified (JsonObject *object,
              gint64      mtime)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (mtime);
  g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (object, "modified", iso);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Whether text names the image as a URL does (".../images/ESCAPED" then the end, a space,
 * a quote or a line end): sanboot scripts, chain URLs and fetch=/url= arguments. */
static gboolean
text_names_image_url (const char *text,
                      const char *needle)
{
  gsize len = strlen (needle);

  for (const char *p = text ? strstr (text, needle) : NULL; p != NULL;
       p = strstr (p + 1, needle))
    if (p[len] == '\0' || strchr (" \t\r\n\"'", p[len]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
path_names_image (const char *path,
                  const char *file,
                  const char *dir)
{
  return path != NULL && (g_str_equal (path, file) || g_str_has_prefix (path, dir));
}

/* The menu entries (in submenus too) that boot from the image NAME: its file, what was
 * copied out of it (images/STEM/), or its URL. Adds borrowed entries to found. */
static void
collect_entries_using_image (YardBootMenu *menu,
                             const char   *file,
                             const char   *dir,
                             const char   *url,
                             GPtrArray    *found)
{
  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char * const *initrds = yard_boot_entry_get_initrds (entry);
      gboolean uses;

      if (yard_boot_entry_get_submenu (entry) != NULL)
        {
          collect_entries_using_image (yard_boot_entry_get_submenu (entry), file, dir, url,
                                       found);
          continue;
        }
      uses = path_names_image (yard_boot_entry_get_kernel (entry), file, dir) ||
             path_names_image (yard_boot_entry_get_image (entry), file, dir) ||
             text_names_image_url (yard_boot_entry_get_url (entry), url) ||
             text_names_image_url (yard_boot_entry_get_script (entry), url) ||
             text_names_image_url (yard_boot_entry_get_append (entry), url);
      for (guint j = 0; !uses && initrds != NULL && initrds[j] != NULL; j++)
        uses = path_names_image (initrds[j], file, dir);
      if (uses)
        g_ptr_array_add (found, entry);
    }
}

static GPtrArray *
entries_using_image (YardBootMenu *menu,
                     const char   *name)
{
  g_autofree char *stem = yard_image_stem_for_name (name);
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *file = g_strconcat ("images/", name, NULL);
  g_autofree char *dir = g_strconcat ("images/", stem, "/", NULL);
  g_autofree char *url = g_strconcat ("/images/", escaped, NULL);
  GPtrArray *found = g_ptr_array_new ();

  collect_entries_using_image (menu, file, dir, url, found);
  return found;
}

/* The menu entries that boot the image, so that a client can say "already in the menu" and
 * name what a deletion would take. */
static void
add_menu_entries (YardApi       *self,
                  YardImageFile *file)
{
  YardBootMenu *menu = yard_server_get_menu (self->server, NULL);
  g_autoptr(GPtrArray) using = NULL;

  using = menu != NULL ? entries_using_image (menu, file->name) : g_ptr_array_new ();
  for (guint i = 0; i < using->len; i++)
    yard_image_file_add_menu_entry (file, yard_boot_entry_get_id (using->pdata[i]),
                                    yard_boot_entry_get_label (using->pdata[i]));
}

/* "menuEntries" beside an image's inspection (yard-image-file.h writes it) */
static void
set_menu_entries (YardApi    *self,
                  JsonObject *object,
                  const char *name)
{
  g_autoptr(YardImageFile) file = yard_image_file_new (name);

  add_menu_entries (self, file);
  json_object_set_array_member (object, "menuEntries",
                                yard_image_file_menu_entries_to_json (file));
}

static void
handle_image_list (YardApi           *self,
                   SoupServerMessage *msg)
{
  g_autofree char *dir_path = _yard_api_images_dir (self);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *array = json_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autoptr(YardImageFile) file = NULL;
      GStatBuf st;

      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      file = yard_image_file_new (names->pdata[i]);
      file->size = st.st_size;
      file->modified = st.st_mtime;
      /* How it boots, as its inspection says (descriptors only: milliseconds), so that a
       * client shows it for images of earlier sessions too; null for no boot image. */
      {
        g_autoptr(YardImage) image = yard_image_inspect (path, names->pdata[i], NULL);

        if (image != NULL)
          file->image_class = g_strdup (yard_image_method_to_string (yard_image_get_method (image)));
      }
      add_menu_entries (self, file);
      json_array_add_object_element (array, yard_image_file_to_json (file));
    }
  json_object_set_array_member (object, "images", array);
  _yard_api_send_object (msg, SOUP_STATUS_OK, object);
}

/* An image as PUT and GET answer it: name, size, modified, and the inspection with the entry
 * the server suggests (null when there is none). */
static JsonObject *
image_object (YardImage     *image,
              YardBootEntry *entry,
              const char    *root,
              gint64         modified)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) inspection = yard_image_to_json (image);

  json_object_set_string_member (object, "name", yard_image_get_name (image));
  json_object_set_int_member (object, "size", (gint64) yard_image_get_size (image));
  set_modified (object, modified);
  if (JSON_NODE_HOLDS_OBJECT (inspection))
    {
      JsonObject *insp = json_node_get_object (inspection);

      if (entry != NULL)
        {
          JsonNode *entry_json = yard_boot_entry_to_json (entry);

          /* what each firmware makes of it, and the RAM it needs, as for menu entries */
          json_object_set_member (json_node_get_object (entry_json), "support",
                                  yard_boot_entry_support_to_json (entry, root));
          json_object_set_member (insp, "entry", entry_json);
        }
      else if (!json_object_has_member (insp, "entry"))
        json_object_set_null_member (insp, "entry");
    }
  json_object_set_member (object, "inspection", g_steal_pointer (&inspection));
  return object;
}

/* Whether the kernel and initrds a Linux image's entry names are in the root: the import
 * copied them out; a file put into ROOT/images/ by hand has none. */
static gboolean
linux_files_extracted (const char *root,
                       YardImage  *image)
{
  GPtrArray *initrds = yard_image_get_initrds (image);
  g_autofree char *kernel = g_build_filename (root, yard_image_get_kernel (image), NULL);
  gboolean extracted = g_file_test (kernel, G_FILE_TEST_IS_REGULAR);

  for (guint i = 0; extracted && initrds != NULL && i < initrds->len; i++)
    {
      g_autofree char *initrd = g_build_filename (root, initrds->pdata[i], NULL);
      extracted = g_file_test (initrd, G_FILE_TEST_IS_REGULAR);
    }
  return extracted;
}

/* A stored image inspected again (milliseconds: descriptors and directory only), with the
 * entry to suggest, as its upload was answered. A Linux image whose kernel and initrds were
 * never copied out (put into ROOT/images/ by hand) gets no entry and says why; a file that is
 * not a boot image gets "inspection": null and "error". NULL (and a 404 sent) when absent. */
static JsonObject *
stored_image_object (YardApi           *self,
                     SoupServerMessage *msg,
                     const char        *name)
{
  const char *root = yard_server_get_config (self->server)->root_dir;
  g_autofree char *path = g_build_filename (root, "images", name, NULL);
  g_autoptr(YardImage) image = NULL;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *reason = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *text = g_strdup_printf ("There is no image “%s”", name);
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, "name", text);
      return NULL;
    }

  image = yard_image_inspect (path, name, &error);
  if (image == NULL)
    {
      object = json_object_new ();
      json_object_set_string_member (object, "name", name);
      json_object_set_int_member (object, "size", st.st_size);
      set_modified (object, st.st_mtime);
      json_object_set_null_member (object, "inspection");
      json_object_set_string_member (object, "error", error->message);
      set_menu_entries (self, object, name);
      return object;
    }

  entry = yard_image_create_entry (image);
  if (yard_image_get_method (image) == YARD_IMAGE_METHOD_LINUX &&
      !linux_files_extracted (root, image))
    {
      g_clear_object (&entry);
      reason = "Its kernel and initrd were never copied out of it: it was not uploaded through "
               "Bootyard. Upload it again to add it to the menu";
    }
  object = image_object (image, entry, root, st.st_mtime);
  if (reason != NULL)
    json_object_set_string_member (json_object_get_object_member (object, "inspection"),
                                   "reason", reason);
  set_menu_entries (self, object, name);
  return object;
}

/* GET /images/{name} */
static void
handle_image_get (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *name)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  if (!yard_image_name_is_valid (name, &error))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return;
    }
  object = stored_image_object (self, msg, name);
  if (object != NULL)
    _yard_api_send_object (msg, SOUP_STATUS_OK, object);
}

/* What PUT /images/{name} refuses from its head alone: a bad name (400), and a name that is
 * @taken when replace was not asked (409, with what is there, for the client to replace it,
 * keep both under another name, or leave: no silent duplicates). got_headers_cb asks before
 * the body when the client waits for "100 Continue" (curl -T, libyard-client), so no byte of
 * the file is sent for nothing; handle_image_put once the body is read and dropped. TRUE when
 * it answered. */
static gboolean
image_put_refused (YardApi           *self,
                   SoupServerMessage *msg,
                   const char        *name,
                   gboolean           taken)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!yard_image_name_is_valid (name, &error))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return TRUE;
    }
  /* The router ignores a trailing slash, the upload (which streams to disk before this runs)
   * does not: it never started, so say why here instead of a 500. */
  if (g_str_has_suffix (g_uri_get_path (soup_server_message_get_uri (msg)), "/"))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "name",
                  "An image name is a file name: remove the “/” at the end of the URL");
      return TRUE;
    }
  if (!taken)
    return FALSE;

  existing = stored_image_object (self, msg, name);
  /* Removed since the headers came: the body was dropped, so it is uploaded again. */
  if (existing == NULL)
    {
      text = g_strdup_printf ("“%s” was removed during the upload: upload it again", name);
      _yard_api_send_error (msg, SOUP_STATUS_CONFLICT, "name", text);
      return TRUE;
    }
  object = json_object_new ();
  text = g_strdup_printf ("There is already an image “%s”: replace it, or upload it "
                          "under another name", name);
  json_object_set_string_member (object, "error", text);
  json_object_set_string_member (object, "field", "name");
  json_object_set_object_member (object, "image", g_steal_pointer (&existing));
  _yard_api_send_object (msg, SOUP_STATUS_CONFLICT, object);
  return TRUE;
}

/* Why an upload of @length bytes does not fit into @dir, or NULL when it does. */
static char *
upload_no_room (const char *dir,
                const char *name,
                goffset     length)
{
  g_autofree char *size = NULL;
  g_autofree char *room = NULL;
  struct statvfs st;
  guint64 available;

  if (length <= 0 || statvfs (dir, &st) != 0)
    return NULL;
  available = (guint64) st.f_bavail * st.f_frsize;
  if ((guint64) length <= available)
    return NULL;
  size = g_format_size (length);
  room = g_format_size (available);
  return g_strdup_printf ("“%s” is %s, and the server has %s free for images: make room on "
                          "the server (remove images it no longer needs) and upload it again",
                          name, size, room);
}

/* What PUT /files/{path} refuses from its head alone: a path that core refuses (400) and one
 * that is taken without ?replace=true (409). TRUE when it answered. */
static gboolean
file_put_refused (SoupServerMessage *msg,
                  Upload            *upload)
{
  if (upload->refused != NULL)
    {
      _yard_api_send_gerror (msg, "path", upload->refused);
      return TRUE;
    }
  if (upload->relative == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "path",
                  "Give the file's path in the boot root's files folder after /files/, "
                  "percent-encoded, e.g. /api/v1/files/debian/linux");
      return TRUE;
    }
  if (upload->exists)
    {
      g_autofree char *text = g_strdup_printf ("There is already a file “%s”: replace it "
                                               "(?replace=true), or upload it under another "
                                               "path", upload->relative);
      _yard_api_send_error (msg, SOUP_STATUS_CONFLICT, "path", text);
      return TRUE;
    }
  return FALSE;
}

/* PUT /images/NAME and PUT /files/PATH: where the body goes, decided from the head alone
 * (yard-api.c's got_headers_cb calls this for every API request, once @data is set). */
void
_yard_api_upload_start (YardApi           *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        RequestData       *data)
{
  /* PUT /api/v1/files/PATH, from a client with the token: a path that core accepts streams to
   * a temporary file beside its target; the handler answers once the body is read. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_PUT &&
      g_str_has_prefix (path, API_PREFIX "/files/") && _yard_api_is_authorized (self, msg))
    {
      g_autofree char *name = g_uri_unescape_string (path + strlen (API_PREFIX "/files/"), NULL);
      const char *root = yard_server_get_config (self->server)->root_dir;
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      gboolean expect_continue =
        (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE) != 0;
      Upload *upload = g_new0 (Upload, 1);

      upload->fd = -1;
      data->upload = upload;
      if (name == NULL)
        return;
      upload->target = yard_root_prepare_upload (root, name, &upload->relative,
                                                 &upload->refused);
      if (upload->target != NULL && !_yard_api_query_flag (msg, "replace") &&
          g_file_test (upload->target, G_FILE_TEST_EXISTS))
        upload->exists = TRUE;
      /* A client that waits for "100 Continue" gets a refusal before it sends the file. */
      if (expect_continue && file_put_refused (msg, upload))
        return;
      if (upload->target == NULL || upload->exists)
        return;
      {
        g_autofree char *dir = g_path_get_dirname (upload->target);
        g_autofree char *tmpl = g_build_filename (dir, ".upload-XXXXXX", NULL);

        upload->fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
        if (upload->fd < 0)
          upload->error = g_strdup_printf ("Cannot create a file in “%s”: %s", dir,
                                           g_strerror (errno));
        else
          upload->tmp_path = g_steal_pointer (&tmpl);
      }
      return;
    }

  /* PUT /api/v1/images/NAME, from a client with the token and a valid name: stream to a
   * temporary file. Anything else is refused by the handler once the body is read. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_PUT &&
      g_str_has_prefix (path, API_PREFIX "/images/") && _yard_api_is_authorized (self, msg))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      gboolean expect_continue =
        (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE) != 0;
      g_autofree char *name = g_uri_unescape_string (path + strlen (API_PREFIX "/images/"), NULL);
      g_autofree char *dir = _yard_api_images_dir (self);
      g_autofree char *tmpl = NULL;
      g_autofree char *no_room = NULL;
      Upload *upload;
      int fd;

      if (name == NULL)
        return;
      /* A client that waits for "100 Continue" gets the answer to a bad name at once, and
       * sends no body (libsoup sends the 100 when no status is set here). */
      if (expect_continue && image_put_refused (self, msg, name, FALSE))
        return;
      if (!yard_image_name_is_valid (name, NULL))
        return;
      if (g_mkdir_with_parents (dir, 0755) != 0)
        return;

      /* A name already taken is refused (409) before the body when the client waits for
       * "100 Continue", else once the body is read, unless replace was asked: nothing of it
       * is written. */
      {
        g_autofree char *target = g_build_filename (dir, name, NULL);

        if (!_yard_api_query_flag (msg, "replace") && g_file_test (target, G_FILE_TEST_EXISTS))
          {
            if (expect_continue && image_put_refused (self, msg, name, TRUE))
              return;
            upload = g_new0 (Upload, 1);
            upload->fd = -1;
            upload->exists = TRUE;
            upload->name = g_steal_pointer (&name);
            data->upload = upload;
            return;
          }
      }

      /* A file larger than the room left is refused (413) from its Content-Length before the
       * body, when the client waits for "100 Continue": not after the disk is full. (Without
       * it the body is written until the disk is full, and the answer says so.) */
      if (expect_continue &&
          soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        no_room = upload_no_room (dir, name, soup_message_headers_get_content_length (headers));
      if (no_room != NULL)
        {
          _yard_api_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, no_room);
          return;
        }

      tmpl = g_build_filename (dir, ".upload-XXXXXX", NULL);
      fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0644);
      upload = g_new0 (Upload, 1);
      upload->fd = fd;
      upload->name = g_steal_pointer (&name);
      if (fd < 0)
        upload->error = g_strdup_printf ("Cannot create a file in “%s”: %s", dir,
                                         g_strerror (errno));
      else
        upload->tmp_path = g_steal_pointer (&tmpl);
      data->upload = upload;
    }
}

typedef struct
{
  YardApi           *self; /* referenced */
  SoupServerMessage *msg;
  char              *tmp_path;
  YardServer        *server;   /* the boot root, and its menus to refresh */
} UploadReply;

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  UploadReply *reply = user_data;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(YardImage) image = NULL;
  g_autoptr(GError) error = NULL;
  RequestData *data = _yard_api_request_data (reply->msg);
  gboolean replaced = FALSE;

  image = yard_image_import_finish (result, &entry, &replaced, &error);
  /* The import renamed the upload into place, or failed: either way no temporary is left. */
  g_unlink (reply->tmp_path);

  if (data != NULL && !data->finished)
    {
      if (image == NULL)
        {
          if (g_error_matches (error, YARD_ERROR, YARD_ERROR_INVALID_IMAGE) ||
              g_error_matches (error, YARD_ERROR, YARD_ERROR_NOT_BOOTABLE))
            _yard_api_send_error (reply->msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
          else
            _yard_api_send_gerror (reply->msg, "name", error);
        }
      else
        {
          const char *root = yard_server_get_config (reply->server)->root_dir;
          g_autoptr(JsonObject) object = image_object (image, entry, root,
                                                       g_get_real_time () / G_USEC_PER_SEC);
          g_autoptr(GError) menus_error = NULL;

          /* entries left out for want of this image's files come back */
          if (!yard_server_refresh_menus (reply->server, &menus_error))
            g_warning ("%s", menus_error->message);
          set_menu_entries (reply->self, object, yard_image_get_name (image));
          _yard_api_send_object (reply->msg, replaced ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
          g_message ("Imported image %s", yard_image_get_name (image));
        }
      soup_server_message_unpause (reply->msg);
    }

  g_object_unref (reply->msg);
  g_object_unref (reply->self);
  g_free (reply->tmp_path);
  g_clear_object (&reply->server);
  g_free (reply);
}

static void
handle_image_put (YardApi           *self,
                  SoupServerMessage *msg,
                  const char        *name)
{
  RequestData *data = _yard_api_request_data (msg);
  Upload *upload = data ? data->upload : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  UploadReply *reply;

  if (image_put_refused (self, msg, name, upload != NULL && upload->exists))
    return;
  if (upload == NULL || upload->error != NULL || upload->fd < 0)
    {
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                  upload && upload->error ? upload->error
                                          : "The upload could not be stored");
      return;
    }

  /* Data on disk before the name: a crash never leaves a short file under the real name. */
  if (fsync (upload->fd) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot write the image: %s",
                                                  g_strerror (errno));
      _yard_api_upload_discard (upload);
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  _yard_api_upload_close (upload);

  /* The import inspects the complete upload, extracts what a Linux image needs, and renames
   * it to its name only when all of that worked. */
  reply = g_new0 (UploadReply, 1);
  reply->self = g_object_ref (self);
  reply->msg = g_object_ref (msg);
  reply->tmp_path = g_steal_pointer (&upload->tmp_path);
  reply->server = g_object_ref (self->server);
  file = g_file_new_for_path (reply->tmp_path);

  soup_server_message_pause (msg);
  yard_image_import_async (yard_server_get_config (self->server)->root_dir, file, NULL, 0, name,
                           YARD_IMAGE_IMPORT_REPLACE | YARD_IMAGE_IMPORT_MOVE_SOURCE, NULL,
                           NULL, NULL, NULL, import_done_cb, reply);
}

/* PUT /files/{path}: any file (a kernel, an initrd) into ROOT/files/, for menu entries to
 * name; 201 {"path": "files/PATH", "size"} (200 when it replaced one), 409 when the path is
 * taken and ?replace=true was not asked. */
void
_yard_api_handle_file_put (YardApi           *self,
                           SoupServerMessage *msg)
{
  RequestData *data = _yard_api_request_data (msg);
  Upload *upload = data ? data->upload : NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean replaced;

  if (upload == NULL)
    {
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "The upload could not be stored");
      return;
    }
  if (file_put_refused (msg, upload))
    return;
  if (upload->error != NULL || upload->fd < 0)
    {
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                  upload->error ? upload->error : "The upload could not be stored");
      return;
    }

  /* Data on disk before the name: a crash never leaves a short file under the real name. */
  if (fsync (upload->fd) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot write the upload: %s",
                                                  g_strerror (errno));
      _yard_api_upload_discard (upload);
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  _yard_api_upload_close (upload);
  replaced = g_file_test (upload->target, G_FILE_TEST_EXISTS);
  if (g_rename (upload->tmp_path, upload->target) != 0)
    {
      g_autofree char *message = g_strdup_printf ("Cannot store “%s”: %s", upload->relative,
                                                  g_strerror (errno));
      _yard_api_upload_discard (upload);
      _yard_api_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, message);
      return;
    }
  g_clear_pointer (&upload->tmp_path, g_free);
  g_debug ("Stored %s (%" G_GUINT64_FORMAT " bytes)", upload->relative, upload->bytes);

  /* Entries that named the file before it came are no longer left out of the menus. */
  {
    g_autoptr(GError) menus_error = NULL;

    if (!yard_server_refresh_menus (self->server, &menus_error))
      g_warning ("%s", menus_error->message);
  }
  object = json_object_new ();
  json_object_set_string_member (object, "path", upload->relative);
  json_object_set_int_member (object, "size", (gint64) upload->bytes);
  _yard_api_send_object (msg, replaced ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
}

/* DELETE /images/{name}: an image that menu entries boot is refused (409 naming them) unless
 * ?entries=true asks to remove them too; they go first, so no entry is left dangling. */
static void
handle_image_delete (YardApi           *self,
                     SoupServerMessage *msg,
                     const char        *name)
{
  const char *root = yard_server_get_config (self->server)->root_dir;
  g_autoptr(GPtrArray) using = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  YardBootMenu *menu;

  if (!yard_image_name_is_valid (name, &error))
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "name", error->message);
      return;
    }
  path = g_build_filename (root, "images", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = g_strdup_printf ("There is no image “%s”", name);
      _yard_api_send_error (msg, SOUP_STATUS_NOT_FOUND, "name", text);
      return;
    }
  menu = yard_server_get_menu (self->server, &error);
  if (menu == NULL)
    {
      _yard_api_send_gerror (msg, NULL, error);
      return;
    }

  using = entries_using_image (menu, name);
  if (using->len > 0 && !_yard_api_query_flag (msg, "entries"))
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(GString) labels = g_string_new (NULL);
      JsonArray *entries = json_array_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; i < using->len; i++)
        {
          YardBootEntry *entry = using->pdata[i];

          g_string_append_printf (labels, "%s“%s”", i > 0 ? ", " : "",
                                  yard_boot_entry_get_label (entry));
          json_array_add_element (entries, yard_boot_entry_to_json (entry));
        }
      text = g_strdup_printf ("“%s” is booted by the menu entries %s: remove them with it, "
                              "or change them first", name, labels->str);
      json_object_set_string_member (object, "error", text);
      json_object_set_string_member (object, "field", "name");
      json_object_set_array_member (object, "entries", entries);
      _yard_api_send_object (msg, SOUP_STATUS_CONFLICT, object);
      return;
    }

  if (using->len > 0)
    {
      g_auto(GStrv) ids = g_new0 (char *, using->len + 1);

      /* The ids first: removing an entry drops the menu's reference to it. */
      for (guint i = 0; i < using->len; i++)
        ids[i] = g_strdup (yard_boot_entry_get_id (using->pdata[i]));
      g_ptr_array_set_size (using, 0);
      for (guint i = 0; ids[i] != NULL; i++)
        if (!yard_boot_menu_remove_entry (menu, ids[i], &error))
          {
            g_prefix_error (&error, "The image was not deleted: ");
            _yard_api_send_gerror (msg, "entries", error);
            return;
          }
      if (!_yard_api_save_menu (self, msg, menu))
        return;
    }

  if (!yard_image_delete (root, name, &error))
    _yard_api_send_gerror (msg, "name", error);
  else
    {
      g_autoptr(GError) menus_error = NULL;

      /* the UEFI and iPXE menus leave out the entries whose files went with it */
      if (!yard_server_refresh_menus (self->server, &menus_error))
        g_warning ("%s", menus_error->message);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

void
_yard_api_handle_images (YardApi           *self,
                         SoupServerMessage *msg,
                         char             **parts,
                         guint              n_parts)
{
  const char *method = soup_server_message_get_method (msg);

  if (n_parts == 1)
    {
      if (method != SOUP_METHOD_GET)
        _yard_api_send_method_not_allowed (msg, "GET");
      else
        handle_image_list (self, msg);
      return;
    }

  if (n_parts > 2)
    {
      _yard_api_send_error (msg, SOUP_STATUS_BAD_REQUEST, "name",
                  "An image name is a file name: it cannot contain “/”");
      return;
    }

  if (method == SOUP_METHOD_GET)
    handle_image_get (self, msg, parts[1]);
  else if (method == SOUP_METHOD_PUT)
    handle_image_put (self, msg, parts[1]);
  else if (method == SOUP_METHOD_DELETE)
    handle_image_delete (self, msg, parts[1]);
  else
    _yard_api_send_method_not_allowed (msg, "GET, PUT, DELETE");
}
