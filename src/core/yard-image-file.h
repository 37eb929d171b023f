/* yard-image-file.h: an image in the boot root as the server lists it (GET /images)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "yard-image-inspection.h"

G_BEGIN_DECLS

/* A menu entry that boots the image */
typedef struct
{
  char *id;
  char *label;
} YardImageEntryRef;

/* The server lists its images with yard_image_file_to_json; a client reads them back with
 * yard_image_file_new_from_json: one codec. */
typedef struct
{
  char      *name;          /* the file's name in images/ */
  guint64    size;          /* bytes */
  gint64     modified;      /* unix time in seconds; 0 = unknown */
  char      *image_class;   /* how it boots: "memdisk", "linux", "sanboot", or NULL (none) */
  GPtrArray *menu_entries;  /* YardImageEntryRef: the entries that boot it */
  /* Only in the answers about one image (PUT and GET /images/{name}), which the list's
   * to_json does not write: */
  YardImageInspection *inspection; /* the server's inspection, or NULL */
  char      *error;         /* why it is no boot image ("inspection" null), or NULL */
} YardImageFile;

#define YARD_TYPE_IMAGE_FILE (yard_image_file_get_type ())
GType          yard_image_file_get_type          (void) G_GNUC_CONST;
YardImageFile *yard_image_file_new               (const char          *name);
YardImageFile *yard_image_file_copy              (const YardImageFile *file);
void           yard_image_file_free              (YardImageFile       *file);
void           yard_image_file_add_menu_entry    (YardImageFile       *file,
                                                  const char          *id,
                                                  const char          *label);
/* {"name", "size", "modified" (ISO 8601 UTC), "class" (string or null), "menuEntries":
 *  [{"id", "label"}]} — docs/api.md */
JsonObject    *yard_image_file_to_json           (const YardImageFile *file) G_GNUC_WARN_UNUSED_RESULT;
/* The "menuEntries" member alone, for the answers that carry it beside an inspection */
JsonArray     *yard_image_file_menu_entries_to_json (const YardImageFile *file) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote, or an answer about one image (with its "inspection" and "error");
 * YARD_ERROR_PROTOCOL naming the member that does not read. */
YardImageFile *yard_image_file_new_from_json     (JsonObject          *object,
                                                  GError             **error) G_GNUC_WARN_UNUSED_RESULT;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardImageFile, yard_image_file_free)

G_END_DECLS
