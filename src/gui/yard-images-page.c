/* yard-images-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ISOs and disk images, dropped onto the window or chosen, go to the server with
 * PUT /images/{name}; each upload has a progress bar and Cancel. The server inspects what
 * arrived and suggests an entry (memdisk, extracted kernel or sanboot), which goes into the
 * menu at once, with Undo (the entry and the image go). A name already on the server asks:
 * Replace, Keep Both (NAME-2.EXT) or Cancel. An image listed from an earlier session is
 * inspected again (GET /images/{name}) when its Add to Menu is clicked; one already in the
 * menu says so first. Deleting an image that entries boot asks, naming them; the deletion
 * (image and entries) happens when its toast goes, so Undo only has to keep it.
 */

#define G_LOG_DOMAIN "yard-images-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-error.h"
#include "yard-gui-model.h"
#include "yard-images-page-private.h"
#include "yard-window.h"

struct _YardImagesPage
{
  AdwBin                parent_instance;

  YardConnection       *connection;
  GCancellable         *cancellable;
  GPtrArray            *images;    /* YardImageFile, as the server last listed them */
  GListStore           *rows;      /* GtkStringObject: the names shown, bound to images_list */
  GPtrArray            *shown;     /* what each of rows shows (yard_list_store_sync) */
  guint                 n_uploads;
  double                max_fraction;   /* the highest progress shown, for the tests */
  guint                 n_done;
  guint                 n_added;        /* entries added by drops, for the tests */
  GtkFileChooserNative *chooser;
  AdwMessageDialog     *dialog;         /* the question asked now (weak), for the tests */
  char                 *pending_delete; /* the image deleted when its toast goes */
  AdwToast             *pending_toast;  /* that toast (weak) */

  /* template */
  GtkStack             *stack;
  GtkWidget            *uploads_group;
  GtkListBox           *uploads_list;
  GtkWidget            *results_group;
  GtkListBox           *results_list;
  GtkListBox           *images_list;
  GList                *cancellables;   /* of the uploads in progress */
};

G_DEFINE_FINAL_TYPE (YardImagesPage, yard_images_page, ADW_TYPE_BIN)

typedef struct
{
  YardImagesPage *page;         /* weak: the upload ends with the page */
  GtkWidget      *row;
  GtkProgressBar *bar;
  GtkLabel       *detail;
  GCancellable   *cancellable;
  GFile          *file;
  char           *name;
  gint64          started;
} Upload;

static void
upload_free (Upload *upload)
{
  if (upload->page != NULL)
    g_object_remove_weak_pointer (G_OBJECT (upload->page), (gpointer *) &upload->page);
  g_clear_object (&upload->row);
  g_clear_object (&upload->cancellable);
  g_clear_object (&upload->file);
  g_free (upload->name);
  g_free (upload);
}

static YardClient *
get_client (YardImagesPage *self)
{
  return self->connection ? yard_connection_get_client (self->connection) : NULL;
}

static void
toast (YardImagesPage *self,
       const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (YARD_IS_WINDOW (root))
    yard_window_add_toast (YARD_WINDOW (root), adw_toast_new (message));
  else
    g_debug ("%s", message);
}

static void
show_error (YardImagesPage *self,
            const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (YARD_IS_WINDOW (root))
    yard_window_show_error (YARD_WINDOW (root), message);
  else
    g_debug ("%s", message);
}

/* The toast lives in the window's overlay, above the page: an action name would not reach the
 * page's actions from there, so its button activates them on the page. */
static void
undo_clicked_cb (AdwToast       *toast,
                 YardImagesPage *self)
{
  GVariant *target = g_object_get_data (G_OBJECT (toast), "undo-target");

  gtk_widget_activate_action_variant (GTK_WIDGET (self),
                                      g_object_get_data (G_OBJECT (toast), "undo-action"),
                                      target);
}

static void
toast_with_undo (YardImagesPage *self,
                 const char     *message,
                 const char     *action,
                 GVariant       *target,
                 AdwToast      **out)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_button_label (t, _("_Undo"));
  g_object_set_data_full (G_OBJECT (t), "undo-action", g_strdup (action), g_free);
  if (target != NULL)
    g_object_set_data_full (G_OBJECT (t), "undo-target", g_variant_ref_sink (target),
                            (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);
  if (out != NULL)
    *out = t;
  if (YARD_IS_WINDOW (root))
    yard_window_add_toast (YARD_WINDOW (root), t);
  else
    {
      g_debug ("%s", message);
      g_object_ref_sink (t);
      g_object_unref (t);
    }
}

/* A question with Cancel; the caller adds its answers and connects "response". */
static AdwMessageDialog *
ask (YardImagesPage *self,
     const char     *heading,
     const char     *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_default_response (dialog, "cancel");
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  return dialog;
}

/* The image called name in the server's last list, or NULL. */
static const YardImageFile *
listed_image (YardImagesPage *self,
              const char     *name)
{
  for (guint i = 0; self->images != NULL && i < self->images->len; i++)
    {
      const YardImageFile *image = g_ptr_array_index (self->images, i);

      if (g_strcmp0 (image->name, name) == 0)
        return image;
    }
  return NULL;
}

/* "“A”, “B”": the labels of the menu entries that boot the image (its "menuEntries"), or
 * NULL when none does. */
static char *
dup_entry_labels (const YardImageFile *image)
{
  g_autoptr(GString) text = NULL;

  if (image == NULL || image->menu_entries->len == 0)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < image->menu_entries->len; i++)
    {
      const char *label = ((const YardImageEntryRef *) g_ptr_array_index (image->menu_entries,
                                                                          i))->label;

      /* TRANSLATORS: a menu entry's label in a list of them */
      g_string_append_printf (text, i > 0 ? _(", “%s”") : _("“%s”"), label ? label : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_stack (YardImagesPage *self)
{
  gboolean empty = self->n_uploads == 0 &&
                   (self->images == NULL || self->images->len == 0) &&
                   gtk_widget_get_first_child (GTK_WIDGET (self->results_list)) == NULL;

  gtk_widget_set_visible (self->uploads_group, self->n_uploads > 0);
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
entry_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(YardImagesPage) self = user_data;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  entry = yard_client_add_menu_entry_finish (YARD_CLIENT (source), result, NULL, &error);
  if (entry == NULL)
    {
      message = g_strdup_printf (_("Could not add the image to the menu: %s"), error->message);
      show_error (self, message);
      return;
    }
  message = g_strdup_printf (_("“%s” is now in the boot menu"),
                             yard_boot_entry_get_label (entry));
  toast (self, message);
  /* The list says which entries boot each image. */
  _yard_images_page_reload (self);
}

/* the server's suggestion, read by core, sent back as core writes it */
static void
add_entry (YardImagesPage *self,
           YardBootEntry  *entry)
{
  YardClient *client = get_client (self);

  if (client != NULL && entry != NULL)
    yard_client_add_menu_entry_async (client, entry, -1, self->cancellable, entry_added_cb,
                                      g_object_ref (self));
}

/* A listed image: the server inspects it again and suggests its entry (memdisk, extracted
 * kernel or sanboot), as it did when the image was uploaded. */
static void
image_inspected_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(YardImagesPage) self = user_data;
  g_autoptr(YardImageFile) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  YardImageInspection *inspection;
  YardBootEntry *entry;
  const char *reason;

  image = yard_client_get_image_finish (YARD_CLIENT (source), result, &error);
  if (image == NULL)
    {
      message = g_strdup_printf (_("Could not add the image to the menu: %s"), error->message);
      show_error (self, message);
      return;
    }
  inspection = image->inspection;
  entry = inspection != NULL ? yard_image_inspection_get_entry (inspection) : NULL;
  if (entry != NULL)
    {
      add_entry (self, entry);
      return;
    }
  reason = inspection != NULL ? yard_image_inspection_get_reason (inspection) : image->error;
  message = g_strdup_printf (_("“%s” cannot be added to the menu: %s"), image->name,
                             reason ? reason : _("it is not a boot image"));
  show_error (self, message);
}

static void
add_to_menu (YardImagesPage *self,
             YardBootEntry  *entry,
             const char     *name)
{
  YardClient *client = get_client (self);

  if (entry != NULL)
    add_entry (self, entry);
  else if (client != NULL && name != NULL)
    yard_client_get_image_async (client, name, self->cancellable, image_inspected_cb,
                                 g_object_ref (self));
}

static void
add_another_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         YardImagesPage   *self)
{
  if (g_str_equal (response, "add"))
    add_to_menu (self, g_object_get_data (G_OBJECT (dialog), "entry"),
                 g_object_get_data (G_OBJECT (dialog), "image-name"));
}

/* Add to Menu of an image that entries boot already says so and offers another entry. */
static void
add_to_menu_clicked_cb (GtkButton      *button,
                        YardImagesPage *self)
{
  YardBootEntry *entry = g_object_get_data (G_OBJECT (button), "entry");
  const char *name = g_object_get_data (G_OBJECT (button), "image-name");
  g_autofree char *labels = dup_entry_labels (listed_image (self, name));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (labels == NULL)
    {
      add_to_menu (self, entry, name);
      return;
    }
  heading = g_strdup_printf (_("“%s” Is Already in the Menu"), name);
  /* TRANSLATORS: %s is a list of menu entry labels */
  body = g_strdup_printf (_("It boots from %s. Add another entry for it?"), labels);
  dialog = ask (self, heading, body);
  adw_message_dialog_add_response (dialog, "add", _("_Add Another Entry"));
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  if (entry != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "entry", g_object_ref (entry), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "image-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_another_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The button adds @entry, or (NULL) what the server suggests for the image @name. */
static GtkWidget *
add_to_menu_button (YardImagesPage *self,
                    YardBootEntry  *entry,
                    const char     *name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Add to _Menu"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (entry != NULL)
    g_object_set_data_full (G_OBJECT (button), "entry", g_object_ref (entry), g_object_unref);
  g_object_set_data_full (G_OBJECT (button), "image-name", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (add_to_menu_clicked_cb), self);
  return button;
}

static void
image_deleted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YardImagesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!yard_client_delete_image_finish (YARD_CLIENT (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not delete the image: %s"),
                                                  error->message);
      show_error (self, message);
    }
  _yard_images_page_reload (self);
}

static void
pending_delete_dismissed_cb (AdwToast       *toast,
                             YardImagesPage *self)
{
  g_autofree char *name = g_object_get_data (G_OBJECT (toast), "image-name");
  YardClient *client = get_client (self);

  g_object_steal_data (G_OBJECT (toast), "image-name");
  /* Undo cleared it (or another deletion took its place): nothing to do. */
  if (g_strcmp0 (self->pending_delete, name) != 0 || client == NULL)
    return;
  g_clear_pointer (&self->pending_delete, g_free);
  yard_client_delete_image_async (client, name, TRUE, self->cancellable, image_deleted_cb,
                                  g_object_ref (self));
}

static void fill_images (YardImagesPage *self);

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    YardImagesPage   *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "image-name");
  g_autofree char *message = NULL;
  AdwToast *t = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  g_free (self->pending_delete);
  self->pending_delete = g_strdup (name);
  fill_images (self);
  message = g_strdup_printf (_("“%s” and its menu entries deleted"), name);
  toast_with_undo (self, message, "images.undo-delete", NULL, &t);
  if (self->pending_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->pending_toast), (gpointer *) &self->pending_toast);
  self->pending_toast = t;
  g_object_add_weak_pointer (G_OBJECT (t), (gpointer *) &self->pending_toast);
  g_object_set_data_full (G_OBJECT (t), "image-name", g_strdup (name), g_free);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (pending_delete_dismissed_cb), self, 0);
}

/* An image that no entry boots goes at once; one that entries boot asks, naming them. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (widget);
  YardClient *client = get_client (self);
  const char *name = g_variant_get_string (param, NULL);
  g_autofree char *labels = dup_entry_labels (listed_image (self, name));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (client == NULL)
    return;
  if (labels == NULL)
    {
      yard_client_delete_image_async (client, name, FALSE, self->cancellable, image_deleted_cb,
                                      g_object_ref (self));
      return;
    }
  heading = g_strdup_printf (_("Delete “%s”?"), name);
  /* TRANSLATORS: %s is a list of menu entry labels */
  body = g_strdup_printf (_("The menu entries %s boot it: they are removed with it."), labels);
  dialog = ask (self, heading, body);
  adw_message_dialog_add_response (dialog, "delete", _("_Delete"));
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "image-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (widget);

  g_clear_pointer (&self->pending_delete, g_free);
  fill_images (self);
}

/* Undo of a drop: the entry it added and the image go. */
static void
undo_add_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (widget);
  YardClient *client = get_client (self);

  if (client != NULL)
    yard_client_delete_image_async (client, g_variant_get_string (param, NULL), TRUE,
                                    self->cancellable, image_deleted_cb, g_object_ref (self));
}

static GtkWidget *
image_row (YardImagesPage      *self,
           const YardImageFile *image)
{
  const char *name = image->name;
  g_autofree char *size_text = g_format_size (image->size);
  g_autofree char *title = g_markup_escape_text (name ? name : "", -1);
  g_autofree char *labels = dup_entry_labels (image);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *button;

  {
    g_autoptr(GString) text = g_string_new (size_text);

    /* How it boots, from the server's list: the same after a restart. */
    g_string_append_printf (text, " · %s",
                            yard_image_class_description (image->image_class));
    /* TRANSLATORS: after an image's size and how it boots: the entries that boot it */
    if (labels != NULL)
      g_string_append_printf (text, _(" · in the menu as %s"), labels);
    subtitle = g_markup_escape_text (text->str, -1);
  }
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("media-optical-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), add_to_menu_button (self, NULL, name));

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Delete from the Server"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "images.delete");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* gtk_list_box_bind_model's row for one image of rows */
static GtkWidget *
create_image_row_cb (gpointer item,
                     gpointer user_data)
{
  YardImagesPage *self = user_data;
  const char *name = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  const YardImageFile *image = listed_image (self, name);

  /* rows are spliced in only after self->images holds their images (fill_images) */
  if (image == NULL)
    return gtk_list_box_row_new ();
  return image_row (self, image);
}

/* The rows follow the list (the image whose deletion waits for its toast left out): only
 * those of images that changed are made again. */
static void
fill_images (YardImagesPage *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; self->images != NULL && i < self->images->len; i++)
    {
      const YardImageFile *image = g_ptr_array_index (self->images, i);
      g_autoptr(JsonObject) json = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (g_strcmp0 (image->name, self->pending_delete) == 0)
        continue;
      json = yard_image_file_to_json (image);
      node = json_node_init_object (json_node_alloc (), json);
      g_ptr_array_add (keys, image->name);
      g_ptr_array_add (texts, json_to_string (node, FALSE));
    }
  yard_list_store_sync (self->rows, self->shown, keys, texts);
  update_stack (self);
}

static void
images_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YardImagesPage) self = user_data;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  images = yard_client_list_images_finish (YARD_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (images == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not list the images: %s"),
                                                  error->message);
      show_error (self, message);
      return;
    }
  g_clear_pointer (&self->images, g_ptr_array_unref);
  self->images = g_steal_pointer (&images);
  fill_images (self);
}

void
_yard_images_page_reload (YardImagesPage *self)
{
  YardClient *client = get_client (self);

  if (client != NULL)
    yard_client_list_images_async (client, self->cancellable, images_loaded_cb,
                                   g_object_ref (self));
}

static void
add_result (YardImagesPage      *self,
            const YardImageFile *image,
            gboolean             offer_add)
{
  YardImageInspection *inspection = image->inspection;
  YardBootEntry *entry = inspection != NULL ? yard_image_inspection_get_entry (inspection) : NULL;
  const char *name = image->name;
  g_autofree char *size_text = g_format_size (image->size);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = g_markup_escape_text (name ? name : "", -1);
  const char *label = NULL;
  const char *image_class = NULL;
  const char *reason = NULL;
  gboolean bootable = FALSE;
  GtkWidget *row = adw_action_row_new ();

  if (inspection != NULL)
    {
      label = yard_image_inspection_get_volume_label (inspection);
      image_class = yard_image_inspection_get_image_class (inspection);
      reason = yard_image_inspection_get_reason (inspection);
      bootable = yard_image_inspection_get_bootable (inspection);
    }

  {
    g_autoptr(GString) text = g_string_new (NULL);

    if (label != NULL && *label != '\0')
      g_string_append_printf (text, "%s · ", label);
    g_string_append (text, size_text);
    g_string_append (text, " · ");
    g_string_append (text, bootable ? yard_image_class_description (image_class)
                                    : yard_image_class_description (NULL));
    if (reason != NULL && *reason != '\0')
      g_string_append_printf (text, " (%s)", reason);
    subtitle = g_markup_escape_text (text->str, -1);
  }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (bootable ? "emblem-ok-symbolic"
                                                                    : "dialog-warning-symbolic"));
  if (bootable && entry != NULL && offer_add)
    {
      GtkWidget *button = add_to_menu_button (self, entry, name);
      gtk_widget_add_css_class (button, "suggested-action");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_list_box_prepend (self->results_list, row);
  gtk_widget_set_visible (self->results_group, TRUE);
}

typedef struct
{
  YardImagesPage *self;  /* referenced */
  char           *name;  /* the image, for the toast's Undo */
} DroppedEntry;

static void
dropped_entry_added_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  DroppedEntry *dropped = user_data;
  g_autoptr(YardImagesPage) self = dropped->self;
  g_autofree char *name = dropped->name;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_free (dropped);
  entry = yard_client_add_menu_entry_finish (YARD_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entry == NULL)
    {
      message = g_strdup_printf (_("Could not add the image to the menu: %s"), error->message);
      show_error (self, message);
      return;
    }
  self->n_added++;
  message = g_strdup_printf (_("“%s” is now in the boot menu"),
                             yard_boot_entry_get_label (entry));
  toast_with_undo (self, message, "images.undo-add", g_variant_new_string (name), NULL);
  _yard_images_page_reload (self);
}

/* One step: a dropped image's suggested entry goes into the menu at once, unless entries boot
 * it already (a replaced image keeps them). The toast's Undo removes the entry and the image. */
static void
uploaded (YardImagesPage *self,
          YardImageFile  *image)
{
  YardBootEntry *entry = image->inspection != NULL
                         ? yard_image_inspection_get_entry (image->inspection) : NULL;
  /* the upload's answer says which entries boot it as the list does: core reads both */
  g_autofree char *labels = dup_entry_labels (image);
  YardClient *client = get_client (self);
  DroppedEntry *dropped;

  add_result (self, image, entry != NULL && labels == NULL && client == NULL);
  if (labels != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” replaced; it boots from %s"),
                                                  image->name, labels);
      toast (self, message);
      return;
    }
  if (entry == NULL || client == NULL)
    return;
  dropped = g_new0 (DroppedEntry, 1);
  dropped->self = g_object_ref (self);
  dropped->name = g_strdup (image->name);
  yard_client_add_menu_entry_async (client, entry, -1, self->cancellable,
                                    dropped_entry_added_cb, dropped);
}

static void start_upload (YardImagesPage        *self,
                          GFile                 *file,
                          const char            *name,
                          YardClientUploadFlags  flags);

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     YardImagesPage   *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  const char *name = g_object_get_data (G_OBJECT (dialog), "image-name");

  if (g_str_equal (response, "replace"))
    start_upload (self, file, name, YARD_CLIENT_UPLOAD_REPLACE);
  else if (g_str_equal (response, "keep-both"))
    {
      g_autofree char *copy = yard_image_name_for_copy (name, self->images);
      start_upload (self, file, copy, YARD_CLIENT_UPLOAD_NONE);
    }
}

/* No silent duplicates: a name already on the server asks what to do. */
static void
ask_replace (YardImagesPage *self,
             GFile          *file,
             const char     *name)
{
  g_autofree char *heading = g_strdup_printf (_("“%s” Is Already on the Server"), name);
  g_autofree char *copy = yard_image_name_for_copy (name, self->images);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* TRANSLATORS: %s is the name Keep Both gives the new image */
  body = g_strdup_printf (_("Replace it, or keep both, the new one as “%s”?"), copy);
  dialog = ask (self, heading, body);
  adw_message_dialog_add_response (dialog, "keep-both", _("_Keep Both"));
  adw_message_dialog_add_response (dialog, "replace", _("_Replace"));
  adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "image-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
upload_progress_cb (goffset  sent,
                    goffset  total,
                    gpointer user_data)
{
  Upload *upload = user_data;
  double fraction = total > 0 ? (double) sent / (double) total : 0.0;
  double seconds = (g_get_monotonic_time () - upload->started) / (double) G_USEC_PER_SEC;
  g_autofree char *sent_text = g_format_size (sent);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *speed = yard_format_throughput (seconds > 0 ? sent / seconds : 0);
  g_autofree char *detail = NULL;

  gtk_progress_bar_set_fraction (upload->bar, fraction);
  /* TRANSLATORS: upload progress: "12.1 MB of 650.0 MB, 40.2 MB/s" */
  detail = g_strdup_printf (_("%s of %s, %s"), sent_text, total_text, speed);
  gtk_label_set_label (upload->detail, detail);
  if (upload->page != NULL)
    upload->page->max_fraction = MAX (upload->page->max_fraction, fraction);
}

static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Upload *upload = user_data;
  YardImagesPage *self = upload->page;
  g_autoptr(YardImageFile) image = NULL;
  g_autoptr(GError) error = NULL;

  image = yard_client_upload_image_finish (YARD_CLIENT (source), result, NULL, &error);
  if (self == NULL)
    {
      upload_free (upload);
      return;
    }

  gtk_list_box_remove (self->uploads_list, upload->row);
  self->cancellables = g_list_remove (self->cancellables, upload->cancellable);
  self->n_uploads--;
  self->n_done++;

  if (image != NULL)
    uploaded (self, image);
  else if (g_error_matches (error, YARD_ERROR, YARD_ERROR_EXISTS))
    ask_replace (self, upload->file, upload->name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Upload of “%s” cancelled"), upload->name);
      toast (self, message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Could not upload “%s”: %s"), upload->name,
                                                  error->message);
      show_error (self, message);
    }

  upload_free (upload);
  _yard_images_page_reload (self);
  update_stack (self);
}

static void
cancel_clicked_cb (GtkButton *button,
                   GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
start_upload (YardImagesPage        *self,
              GFile                 *file,
              const char            *name,
              YardClientUploadFlags  flags)
{
  YardClient *client = get_client (self);
  Upload *upload;
  GtkWidget *box, *top, *label, *cancel;

  if (client == NULL || name == NULL)
    return;

  upload = g_new0 (Upload, 1);
  upload->page = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &upload->page);
  upload->cancellable = g_cancellable_new ();
  upload->file = g_object_ref (file);
  upload->name = g_strdup (name);
  upload->started = g_get_monotonic_time ();

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (top), label);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (cancel_clicked_cb),
                           upload->cancellable, 0);
  gtk_box_append (GTK_BOX (top), cancel);
  gtk_box_append (GTK_BOX (box), top);
  upload->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (upload->bar));
  upload->detail = GTK_LABEL (gtk_label_new (_("Starting…")));
  gtk_label_set_xalign (upload->detail, 0);
  gtk_widget_add_css_class (GTK_WIDGET (upload->detail), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (upload->detail), "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (upload->detail));

  upload->row = g_object_ref_sink (gtk_list_box_row_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (upload->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (upload->row), box);
  gtk_list_box_append (self->uploads_list, upload->row);
  self->cancellables = g_list_prepend (self->cancellables, upload->cancellable);
  self->n_uploads++;
  update_stack (self);

  yard_client_upload_image_async (client, file, name, flags, upload_progress_cb, upload, NULL,
                                  upload->cancellable, upload_done_cb, upload);
}

/* Uploads each file; the window's drop target and the file chooser both end here. */
void
yard_images_page_upload_files (YardImagesPage *self,
                               GSList         *files)
{
  g_return_if_fail (YARD_IS_IMAGES_PAGE (self));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *name = g_file_get_basename (G_FILE (l->data));
      start_upload (self, G_FILE (l->data), name, YARD_CLIENT_UPLOAD_NONE);
    }
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     YardImagesPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GSList *list = NULL;

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      yard_images_page_upload_files (self, list);
      g_slist_free_full (list, g_object_unref);
    }
  g_clear_object (&self->chooser);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Add Images"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (images, _("Disk Images"));
  gtk_file_filter_add_mime_type (images, "application/x-cd-image");
  gtk_file_filter_add_mime_type (images, "application/x-iso9660-image");
  gtk_file_filter_add_mime_type (images, "application/x-raw-disk-image");
  gtk_file_filter_add_suffix (images, "iso");
  gtk_file_filter_add_suffix (images, "img");
  gtk_file_filter_add_suffix (images, "ima");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
connection_state_cb (YardImagesPage *self)
{
  if (yard_connection_get_state (self->connection) == YARD_CONNECTION_CONNECTED)
    _yard_images_page_reload (self);
}

static void
cancel_uploads (YardImagesPage *self)
{
  for (GList *l = self->cancellables; l != NULL; l = l->next)
    g_cancellable_cancel (l->data);
}

static void
yard_images_page_dispose (GObject *object)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (object);

  /* A deletion waiting for its toast is what the user asked: it happens now. */
  if (self->pending_delete != NULL && get_client (self) != NULL)
    yard_client_delete_image_async (get_client (self), self->pending_delete, TRUE, NULL, NULL,
                                    NULL);
  g_clear_pointer (&self->pending_delete, g_free);
  if (self->pending_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->pending_toast), (gpointer *) &self->pending_toast);
  self->pending_toast = NULL;
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = NULL;
  g_cancellable_cancel (self->cancellable);
  /* Uploads end with the page: the server removes their temporary files. */
  cancel_uploads (self);
  g_clear_pointer (&self->cancellables, g_list_free);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (yard_images_page_parent_class)->dispose (object);
}

static void
yard_images_page_finalize (GObject *object)
{
  YardImagesPage *self = YARD_IMAGES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->images, g_ptr_array_unref);

  G_OBJECT_CLASS (yard_images_page_parent_class)->finalize (object);
}

static void
yard_images_page_class_init (YardImagesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_images_page_dispose;
  object_class->finalize = yard_images_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-images-page.ui");
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, uploads_group);
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, uploads_list);
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, results_list);
  gtk_widget_class_bind_template_child (widget_class, YardImagesPage, images_list);

  gtk_widget_class_install_action (widget_class, "images.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "images.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "images.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "images.undo-add", "s", undo_add_action);
}

static void
yard_images_page_init (YardImagesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->shown = g_ptr_array_new_with_free_func (g_free);
  gtk_list_box_bind_model (self->images_list, G_LIST_MODEL (self->rows), create_image_row_cb,
                           self, NULL);
  update_stack (self);
}

void
yard_images_page_set_connection (YardImagesPage *self,
                                 YardConnection *connection)
{
  g_return_if_fail (YARD_IS_IMAGES_PAGE (self));
  g_return_if_fail (YARD_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (connection_state_cb), self,
                           G_CONNECT_SWAPPED);
  connection_state_cb (self);
}

guint
_yard_images_page_get_n_uploads (YardImagesPage *self)
{
  return self->n_uploads;
}

guint
_yard_images_page_get_n_done (YardImagesPage *self)
{
  return self->n_done;
}

double
_yard_images_page_get_max_fraction (YardImagesPage *self)
{
  return self->max_fraction;
}

guint
_yard_images_page_get_n_added (YardImagesPage *self)
{
  return self->n_added;
}

AdwMessageDialog *
_yard_images_page_get_dialog (YardImagesPage *self)
{
  return self->dialog;
}

AdwToast *
_yard_images_page_get_pending_toast (YardImagesPage *self)
{
  return self->pending_toast;
}

/* What each upload's Cancel button does. */
void
_yard_images_page_cancel_uploads (YardImagesPage *self)
{
  cancel_uploads (self);
}

GtkListBox *
_yard_images_page_get_results (YardImagesPage *self)
{
  return self->results_list;
}

GtkListBox *
_yard_images_page_get_images (YardImagesPage *self)
{
  return self->images_list;
}
