/* yard-image-inspection.h: an image's inspection as PUT and GET /images/{name} answer it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "yard-boot-entry.h"

G_BEGIN_DECLS

#define YARD_TYPE_IMAGE_INSPECTION (yard_image_inspection_get_type ())
G_DECLARE_FINAL_TYPE (YardImageInspection, yard_image_inspection, YARD, IMAGE_INSPECTION, GObject)

/* Each NULL / FALSE when the inspection does not say it */
const char         *yard_image_inspection_get_format       (YardImageInspection *self);
/* how it boots: "memdisk", "linux", "sanboot" */
const char         *yard_image_inspection_get_image_class  (YardImageInspection *self);
/* the ISO volume label ("ISOIMAGE"), and the name for people ("Debian GNU/Linux 12.8.0") */
const char         *yard_image_inspection_get_volume_label (YardImageInspection *self);
const char         *yard_image_inspection_get_label        (YardImageInspection *self);
const char         *yard_image_inspection_get_distribution (YardImageInspection *self);
gboolean            yard_image_inspection_get_bootable     (YardImageInspection *self);
gboolean            yard_image_inspection_get_bios         (YardImageInspection *self);
gboolean            yard_image_inspection_get_uefi         (YardImageInspection *self);
/* why it boots as it does, or why it gets no entry */
const char         *yard_image_inspection_get_reason       (YardImageInspection *self);
/* the menu entry the server suggests (with its support), not yet added; NULL when none */
YardBootEntry      *yard_image_inspection_get_entry        (YardImageInspection *self);

/* The "inspection" object the server wrote (yard_image_to_json() with the API's "entry"):
 * YARD_ERROR_PROTOCOL naming the member that does not read. The writer is
 * yard_image_to_json() (yard-image.h). */
YardImageInspection *yard_image_inspection_new_from_json   (JsonObject           *object,
                                                            GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
