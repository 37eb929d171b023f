/* yard-image-inspection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-image-inspection"

#include "config.h"

#include "yard-image-inspection.h"
#include "yard-json-member.h"

struct _YardImageInspection
{
  GObject        parent_instance;

  char          *format;
  char          *image_class;
  char          *volume_label;
  char          *label;
  char          *distribution;
  gboolean       bootable;
  gboolean       bios;
  gboolean       uefi;
  char          *reason;
  YardBootEntry *entry;  /* NULL: none suggested */
};

G_DEFINE_FINAL_TYPE (YardImageInspection, yard_image_inspection, G_TYPE_OBJECT)

static void
yard_image_inspection_finalize (GObject *object)
{
  YardImageInspection *self = YARD_IMAGE_INSPECTION (object);

  g_free (self->format);
  g_free (self->image_class);
  g_free (self->volume_label);
  g_free (self->label);
  g_free (self->distribution);
  g_free (self->reason);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (yard_image_inspection_parent_class)->finalize (object);
}

static void
yard_image_inspection_class_init (YardImageInspectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yard_image_inspection_finalize;
}

static void
yard_image_inspection_init (YardImageInspection *self)
{
}

#define STRING_GETTER(member)                                                  \
  const char *                                                                 \
  yard_image_inspection_get_##member (YardImageInspection *self)               \
  {                                                                            \
    g_return_val_if_fail (YARD_IS_IMAGE_INSPECTION (self), NULL);              \
    return self->member;                                                       \
  }

#define BOOLEAN_GETTER(member)                                                 \
  gboolean                                                                     \
  yard_image_inspection_get_##member (YardImageInspection *self)               \
  {                                                                            \
    g_return_val_if_fail (YARD_IS_IMAGE_INSPECTION (self), FALSE);             \
    return self->member;                                                       \
  }

STRING_GETTER (format)
STRING_GETTER (image_class)
STRING_GETTER (volume_label)
STRING_GETTER (label)
STRING_GETTER (distribution)
STRING_GETTER (reason)
BOOLEAN_GETTER (bootable)
BOOLEAN_GETTER (bios)
BOOLEAN_GETTER (uefi)

#undef STRING_GETTER
#undef BOOLEAN_GETTER

YardBootEntry *
yard_image_inspection_get_entry (YardImageInspection *self)
{
  g_return_val_if_fail (YARD_IS_IMAGE_INSPECTION (self), NULL);
  return self->entry;
}

YardImageInspection *
yard_image_inspection_new_from_json (JsonObject  *object,
                                     GError     **error)
{
  static const char what[] = "an image inspection";
  g_autoptr(YardImageInspection) self = g_object_new (YARD_TYPE_IMAGE_INSPECTION, NULL);
  g_autoptr(GError) entry_error = NULL;
  JsonObject *entry;

  g_return_val_if_fail (object != NULL, NULL);

  if (!yard_json_member_read_string (object, what, "format", FALSE, &self->format, error) ||
      !yard_json_member_read_string (object, what, "class", FALSE, &self->image_class, error) ||
      !yard_json_member_read_string (object, what, "volumeLabel", FALSE, &self->volume_label,
                                     error) ||
      !yard_json_member_read_string (object, what, "label", FALSE, &self->label, error) ||
      !yard_json_member_read_string (object, what, "distribution", FALSE, &self->distribution,
                                     error) ||
      !yard_json_member_read_boolean (object, what, "bootable", FALSE, &self->bootable, error) ||
      !yard_json_member_read_boolean (object, what, "bios", FALSE, &self->bios, error) ||
      !yard_json_member_read_boolean (object, what, "uefi", FALSE, &self->uefi, error) ||
      !yard_json_member_read_string (object, what, "reason", FALSE, &self->reason, error) ||
      !yard_json_member_read_object (object, what, "entry", &entry, error))
    return NULL;
  /* the suggestion as the server wrote it, its support included: core's entry reader */
  if (entry != NULL && (self->entry = yard_boot_entry_decode_json (entry, &entry_error)) == NULL)
    {
      yard_json_member_error (error, what, "entry");
      g_prefix_error (error, "%s: ", entry_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}
