/* yard-entry-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adds or edits one boot menu entry. It validates as the user types by core's rule, the
 * server's (yard_entry_form_check): the field in question turns red, a line says what to
 * fix and Save stays off. What the server still refuses is shown in the same line, and the
 * dialog stays open.
 *
 * A Linux entry's kernel and initrds can be chosen from anywhere: a file inside the boot root
 * (of a server on this computer) is named as it is, any other is copied into the boot root's
 * files/ folder through the API (PUT /files/PATH), so that it works with a remote server too.
 */

#define G_LOG_DOMAIN "yard-entry-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-entry-dialog-private.h"
#include "yard-gui-model.h"
#include "yard-json.h"

struct _YardEntryDialog
{
  AdwWindow      parent_instance;

  YardClient    *client;
  YardBootEntry *entry;       /* NULL for a new one */
  char          *kind;
  GCancellable  *cancellable;
  gboolean       saving;
  gboolean       edited;      /* problems show after the first edit, not before */
  GtkFileChooserNative *chooser;
  char          *root;        /* the server's boot root (GET /status), NULL until known */
  guint          copying;     /* files on their way into the boot root: no Save meanwhile */
  GPtrArray     *initrds;     /* the chosen initrds' paths in the root, NULL while copying */
  GString       *copied;      /* the paths copied since the last message, ", " between */

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwComboRow    *kind_row;
  AdwEntryRow    *label_row;
  GtkWidget      *hidden_row;
  GtkSwitch      *hidden_switch;
  GtkWidget      *linux_group;
  AdwEntryRow    *kernel_row;
  AdwEntryRow    *initrds_row;
  AdwEntryRow    *append_row;
  GtkWidget      *memdisk_group;
  AdwEntryRow    *image_row;
  AdwComboRow    *image_type_row;
  GtkWidget      *chain_group;
  AdwEntryRow    *url_row;
  GtkWidget      *script_group;
  GtkTextView    *script_view;
  GtkLabel       *problem_label;
  GtkLabel       *copy_label;
};

G_DEFINE_FINAL_TYPE (YardEntryDialog, yard_entry_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const image_types[] = { "iso", "floppy", "harddisk", NULL };

static char *
dup_script (YardEntryDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->script_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
editable_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The entry as the fields say, with the members that its kind takes. */
JsonObject *
yard_entry_dialog_dup_fields (YardEntryDialog *self)
{
  JsonObject *object = json_object_new ();
  const char *kind = self->kind;

  json_object_set_string_member (object, "kind", kind);
  yard_json_set_string_take (object, "label",
                                      g_strstrip (g_strdup (editable_text (self->label_row))));
  json_object_set_boolean_member (object, "hidden", gtk_switch_get_active (self->hidden_switch));

  if (g_strcmp0 (kind, "linux") == 0 || g_strcmp0 (kind, "com32") == 0)
    {
      g_autofree char *kernel = g_strstrip (g_strdup (editable_text (self->kernel_row)));

      json_object_set_string_member (object, "kernel", kernel);
      json_object_set_string_member (object, "append", editable_text (self->append_row));
      if (g_strcmp0 (kind, "linux") == 0)
        {
          g_auto(GStrv) words = g_strsplit_set (editable_text (self->initrds_row), " \t,", -1);
          JsonArray *initrds = json_array_new ();

          for (guint i = 0; words[i] != NULL; i++)
            if (*words[i] != '\0')
              json_array_add_string_element (initrds, words[i]);
          json_object_set_array_member (object, "initrds", initrds);
        }
    }
  else if (g_strcmp0 (kind, "memdisk") == 0)
    {
      g_autofree char *image = g_strstrip (g_strdup (editable_text (self->image_row)));
      guint type = adw_combo_row_get_selected (self->image_type_row);

      json_object_set_string_member (object, "image", image);
      json_object_set_string_member (object, "imageType",
                                     type < G_N_ELEMENTS (image_types) - 1 ? image_types[type]
                                                                          : "iso");
    }
  else if (g_strcmp0 (kind, "chain") == 0)
    {
      g_autofree char *url = g_strstrip (g_strdup (editable_text (self->url_row)));
      json_object_set_string_member (object, "url", url);
    }
  else if (g_strcmp0 (kind, "ipxe") == 0)
    {
      yard_json_set_string_take (object, "script", dup_script (self));
    }

  return object;
}

static void
set_row_error (GtkWidget  *row,
               const char *row_field,
               const char *field)
{
  if (g_strcmp0 (row_field, field) == 0)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
validate (YardEntryDialog *self)
{
  g_autoptr(JsonObject) fields = yard_entry_dialog_dup_fields (self);
  g_autoptr(YardBootEntry) checked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  const char *problem = NULL;

  checked = yard_entry_form_check (self->entry, fields, &field, &error);
  if (checked == NULL)
    problem = error->message;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save",
                                 problem == NULL && !self->saving && self->copying == 0);
  if (!self->edited)
    {
      problem = NULL;
      g_clear_pointer (&field, g_free);
    }
  gtk_label_set_label (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  set_row_error (GTK_WIDGET (self->label_row), "label", field);
  set_row_error (GTK_WIDGET (self->kernel_row), "kernel", field);
  set_row_error (GTK_WIDGET (self->initrds_row), "initrds", field);
  set_row_error (GTK_WIDGET (self->append_row), "append", field);
  set_row_error (GTK_WIDGET (self->image_row), "image", field);
  set_row_error (GTK_WIDGET (self->url_row), "url", field);
  set_row_error (GTK_WIDGET (self->script_view), "script", field);
}

static void
edited_cb (YardEntryDialog *self)
{
  self->edited = TRUE;
  validate (self);
}

static void
show_kind (YardEntryDialog *self)
{
  gboolean is_linux = g_strcmp0 (self->kind, "linux") == 0;
  gboolean is_com32 = g_strcmp0 (self->kind, "com32") == 0;

  gtk_widget_set_visible (self->linux_group, is_linux || is_com32);
  gtk_widget_set_visible (GTK_WIDGET (self->initrds_row), is_linux);
  gtk_widget_set_visible (self->memdisk_group, g_strcmp0 (self->kind, "memdisk") == 0);
  gtk_widget_set_visible (self->chain_group, g_strcmp0 (self->kind, "chain") == 0);
  gtk_widget_set_visible (self->script_group, g_strcmp0 (self->kind, "ipxe") == 0);
  if (is_com32)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->linux_group),
                                     _("Syslinux Module"));

  /* A new iPXE entry starts as a script that works. */
  if (self->entry == NULL && g_strcmp0 (self->kind, "ipxe") == 0)
    {
      g_autofree char *script = dup_script (self);

      if (*script == '\0')
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->script_view),
                                  "#!ipxe\ndhcp\nchain http://boot.ipxe.org/demo/boot.php\n", -1);
    }
  validate (self);
}

static void
kind_selected_cb (YardEntryDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  if (self->entry != NULL || selected >= g_strv_length ((GStrv) yard_entry_kinds))
    return;
  g_free (self->kind);
  self->kind = g_strdup (yard_entry_kinds[selected]);
  show_kind (self);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(YardEntryDialog) self = user_data;
  g_autoptr(YardBootEntry) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->entry == NULL)
    saved = yard_client_add_menu_entry_finish (YARD_CLIENT (source), result, NULL, &error);
  else
    saved = yard_client_update_menu_entry_finish (YARD_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->saving = FALSE;
  if (saved == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The server did not save the entry: %s"),
                                                  error->message);
      gtk_label_set_label (self->problem_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save", TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, saved);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardEntryDialog *self = YARD_ENTRY_DIALOG (widget);
  g_autoptr(JsonObject) fields = yard_entry_dialog_dup_fields (self);
  g_autoptr(YardBootEntry) entry = NULL;

  if (self->saving || (entry = yard_entry_form_check (self->entry, fields, NULL, NULL)) == NULL)
    return;

  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "dialog.save", FALSE);
  if (self->entry == NULL)
    {
      /* the request is the entry as core reads and writes it */
      yard_client_add_menu_entry_async (self->client, entry, -1, self->cancellable,
                                        save_done_cb, g_object_ref (self));
    }
  else
    {
      /* kind and id cannot change; the rest is sent back whole */
      json_object_remove_member (fields, "kind");
      yard_client_update_menu_entry_async (self->client,
                                           yard_boot_entry_get_id (self->entry),
                                           fields, self->cancellable, save_done_cb,
                                           g_object_ref (self));
    }
}

static void
fill_from_entry (YardEntryDialog *self)
{
  YardBootEntry *entry = self->entry;
  const char *type = yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_MEMDISK
                     ? yard_memdisk_type_to_string (yard_boot_entry_get_image_type (entry))
                     : NULL;
  const char *script = yard_boot_entry_get_script (entry);
  const char * const *initrds = yard_boot_entry_get_initrds (entry);

  gtk_editable_set_text (GTK_EDITABLE (self->label_row), yard_boot_entry_get_label (entry) ?: "");
  gtk_switch_set_active (self->hidden_switch, yard_boot_entry_get_hidden (entry));
  gtk_editable_set_text (GTK_EDITABLE (self->kernel_row),
                         yard_boot_entry_get_kernel (entry) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->append_row),
                         yard_boot_entry_get_append (entry) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->image_row), yard_boot_entry_get_image (entry) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), yard_boot_entry_get_url (entry) ?: "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->script_view), script ?: "", -1);
  for (guint i = 0; image_types[i] != NULL; i++)
    if (g_strcmp0 (type, image_types[i]) == 0)
      adw_combo_row_set_selected (self->image_type_row, i);

  if (initrds != NULL && initrds[0] != NULL)
    {
      g_autofree char *text = g_strjoinv (" ", (GStrv) initrds);

      gtk_editable_set_text (GTK_EDITABLE (self->initrds_row), text);
    }
}

/* Files from anywhere ---------------------------------------------------------------------- */

/* Whether the server runs on this computer, so that a chosen path can be inside its root. */
static gboolean
server_is_here (YardEntryDialog *self)
{
  g_autoptr(GUri) uri = g_uri_parse (yard_client_get_base_url (self->client), G_URI_FLAGS_NONE,
                                     NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0 || g_strcmp0 (host, "localhost") == 0;
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(YardEntryDialog) self = user_data;
  g_autoptr(YardServerStatus) status = yard_client_get_status_finish (YARD_CLIENT (source),
                                                                      result, NULL);

  if (status == NULL)
    return;
  g_free (self->root);
  self->root = g_strdup (status->root);
}

/* The file's name in the boot root, when it is inside it (and the server here); else NULL. */
static char *
dup_name_in_root (YardEntryDialog *self,
                  GFile           *file)
{
  g_autoptr(GFile) root = NULL;

  if (self->root == NULL || !server_is_here (self))
    return NULL;
  root = g_file_new_for_path (self->root);
  return g_file_get_relative_path (root, file);
}

/* Where a copy goes in files/: its folder's name and its own, so that a kernel and an initrd
 * from one folder stay together ("amd64/linux", "amd64/initrd.gz" for Debian's netboot). */
static char *
dup_copy_path (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *folder = parent != NULL ? g_file_get_basename (parent) : NULL;

  if (folder == NULL || g_str_equal (folder, "/") || g_str_equal (folder, "."))
    return g_steal_pointer (&name);
  return g_strdup_printf ("%s/%s", folder, name);
}

static void
show_initrds (YardEntryDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->initrds->len; i++)
    if (self->initrds->pdata[i] != NULL)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "",
                              (char *) self->initrds->pdata[i]);
  gtk_editable_set_text (GTK_EDITABLE (self->initrds_row), text->str);
}

typedef struct
{
  YardEntryDialog *self;
  char            *field;   /* "kernel" or "initrds" */
  guint            index;   /* in self->initrds */
  GPtrArray       *initrds; /* the choice it belongs to: a newer one replaces it */
  char            *name;    /* the file's own, for messages */
} Copy;

static void
copy_free (Copy *copy)
{
  g_object_unref (copy->self);
  g_ptr_array_unref (copy->initrds);
  g_free (copy->field);
  g_free (copy->name);
  g_free (copy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Copy, copy_free)

static void
copy_progress_cb (goffset  sent,
                  goffset  total,
                  gpointer user_data)
{
  Copy *copy = user_data;
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("Copying “%s” into the boot root: %d %%"), copy->name,
                          total > 0 ? (int) (sent * 100 / total) : 0);
  gtk_label_set_label (copy->self->copy_label, text);
  gtk_widget_set_visible (GTK_WIDGET (copy->self->copy_label), TRUE);
}

static void
copy_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  /* Also the progress function's data: the client is done with it before it calls this. */
  g_autoptr(Copy) copy = user_data;
  YardEntryDialog *self = copy->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = yard_client_upload_file_finish (YARD_CLIENT (source), result, NULL,
                                                          &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->copying--;
  if (path == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not copy “%s” into the boot root: %s"), copy->name,
                                 error ? error->message : _("the server said nothing"));
      gtk_widget_set_visible (GTK_WIDGET (self->copy_label), FALSE);
      validate (self);
      gtk_label_set_label (self->problem_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }

  if (g_str_equal (copy->field, "kernel"))
    gtk_editable_set_text (GTK_EDITABLE (self->kernel_row), path);
  else if (copy->initrds == self->initrds)
    {
      g_free (self->initrds->pdata[copy->index]);
      self->initrds->pdata[copy->index] = g_strdup (path);
      show_initrds (self);
    }
  g_string_append_printf (self->copied, "%s%s", self->copied->len > 0 ? ", " : "", path);
  if (self->copying == 0)
    {
      g_autofree char *text = g_strdup_printf (_("Copied into the boot root: %s"),
                                               self->copied->str);

      gtk_label_set_label (self->copy_label, text);
      g_string_truncate (self->copied, 0);
    }
  validate (self);
}

/* What the choosers give: @files (GFile) for the kernel (the first) or the initrds (all, in
 * order, replacing the row's list). */
void
_yard_entry_dialog_take_files (YardEntryDialog *self,
                               const char      *field,
                               GList           *files)
{
  gboolean kernel = g_str_equal (field, "kernel");
  guint index = 0;

  if (files == NULL)
    return;
  if (!kernel)
    {
      g_clear_pointer (&self->initrds, g_ptr_array_unref);
      self->initrds = g_ptr_array_new_with_free_func (g_free);
    }

  for (GList *l = files; l != NULL; l = l->next, index++)
    {
      GFile *file = l->data;
      char *in_root = dup_name_in_root (self, file);
      Copy *copy;
      g_autofree char *path = NULL;

      if (!kernel)
        g_ptr_array_add (self->initrds, in_root);
      if (in_root != NULL)
        {
          if (kernel)
            {
              gtk_editable_set_text (GTK_EDITABLE (self->kernel_row), in_root);
              g_free (in_root);
            }
        }
      else
        {
          copy = g_new0 (Copy, 1);
          copy->self = g_object_ref (self);
          copy->field = g_strdup (field);
          copy->index = index;
          copy->initrds = self->initrds ? g_ptr_array_ref (self->initrds)
                                        : g_ptr_array_new ();
          copy->name = g_file_get_basename (file);
          path = dup_copy_path (file);
          self->copying++;
          yard_client_upload_file_async (self->client, file, path, YARD_CLIENT_UPLOAD_REPLACE,
                                         copy_progress_cb, copy, NULL,
                                         self->cancellable, copy_done_cb, copy);
        }
      if (kernel)
        break;
    }
  if (!kernel)
    show_initrds (self);
  self->edited = TRUE;
  validate (self);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     YardEntryDialog *self)
{
  const char *field = g_object_get_data (G_OBJECT (dialog), "yard-field");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GList *files = NULL;

      for (guint i = g_list_model_get_n_items (chosen); i > 0; i--)
        files = g_list_prepend (files, g_list_model_get_item (chosen, i - 1));
      _yard_entry_dialog_take_files (self, field, files);
      g_list_free_full (files, g_object_unref);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  YardEntryDialog *self = YARD_ENTRY_DIALOG (widget);
  const char *field = g_variant_get_string (param, NULL);
  gboolean kernel = g_str_equal (field, "kernel");

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (kernel ? _("Choose the Kernel")
                                                      : _("Choose the Initrds"),
                                               GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), !kernel);
  g_object_set_data_full (G_OBJECT (self->chooser), "yard-field", g_strdup (field), g_free);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
label_activated_cb (YardEntryDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.save", NULL);
}

static void
yard_entry_dialog_dispose (GObject *object)
{
  YardEntryDialog *self = YARD_ENTRY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (yard_entry_dialog_parent_class)->dispose (object);
}

static void
yard_entry_dialog_finalize (GObject *object)
{
  YardEntryDialog *self = YARD_ENTRY_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->root, g_free);
  g_clear_pointer (&self->initrds, g_ptr_array_unref);
  g_string_free (self->copied, TRUE);

  G_OBJECT_CLASS (yard_entry_dialog_parent_class)->finalize (object);
}

static void
yard_entry_dialog_class_init (YardEntryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_entry_dialog_dispose;
  object_class->finalize = yard_entry_dialog_finalize;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, YARD_TYPE_BOOT_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-entry-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, hidden_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, hidden_switch);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, linux_group);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, initrds_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, append_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, memdisk_group);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, image_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, image_type_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, chain_group);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, script_group);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, script_view);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, YardEntryDialog, copy_label);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-file", "s", choose_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);
}

static void
yard_entry_dialog_init (YardEntryDialog *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->copied = g_string_new (NULL);

  for (guint i = 0; yard_entry_kinds[i] != NULL; i++)
    gtk_string_list_append (kinds, yard_entry_kind_title (yard_entry_kinds[i]));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));

  g_signal_connect_swapped (self->label_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->kernel_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->initrds_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->append_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->image_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->image_type_row, "notify::selected", G_CALLBACK (edited_cb),
                            self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->script_view), "changed",
                            G_CALLBACK (edited_cb), self);
  g_signal_connect_swapped (self->label_row, "entry-activated",
                            G_CALLBACK (label_activated_cb), self);
}

YardEntryDialog *
yard_entry_dialog_new (YardClient    *client,
                       YardBootEntry *entry,
                       const char    *kind)
{
  YardEntryDialog *self;

  g_return_val_if_fail (YARD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (entry != NULL || kind != NULL, NULL);

  self = g_object_new (YARD_TYPE_ENTRY_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->entry = entry ? g_object_ref (entry) : NULL;
  self->kind = g_strdup (entry ? yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (entry))
                               : kind);

  if (entry != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Edit Entry"));
      adw_window_title_set_subtitle (self->window_title, yard_entry_kind_title (self->kind));
      gtk_widget_set_visible (GTK_WIDGET (self->kind_row), FALSE);
      fill_from_entry (self);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Entry"));
      for (guint i = 0; yard_entry_kinds[i] != NULL; i++)
        if (g_str_equal (yard_entry_kinds[i], kind))
          adw_combo_row_set_selected (self->kind_row, i);
      g_signal_connect_swapped (self->kind_row, "notify::selected",
                                G_CALLBACK (kind_selected_cb), self);
    }

  /* Where the boot root is, for files chosen inside it. */
  yard_client_get_status_async (client, self->cancellable, status_cb,
                                g_object_ref (self));
  show_kind (self);
  /* What the dialog filled in itself is no edit: problems show after the user's first. */
  self->edited = FALSE;
  validate (self);
  return self;
}

GtkWidget *
_yard_entry_dialog_get_field (YardEntryDialog *self,
                              const char      *field)
{
  struct { const char *name; gpointer widget; } fields[] = {
    { "label", self->label_row },
    { "kernel", self->kernel_row },
    { "initrds", self->initrds_row },
    { "append", self->append_row },
    { "image", self->image_row },
    { "url", self->url_row },
    { "script", self->script_view },
    { "problem", self->problem_label },
    { "copy", self->copy_label },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, field))
      return fields[i].widget;
  g_return_val_if_reached (NULL);
}

gboolean
_yard_entry_dialog_knows_root (YardEntryDialog *self)
{
  return self->root != NULL;
}
