/* yard-menu-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shared boot menu as the server has it: each change goes to the API at once and the page
 * shows the menu the server answers with, so what is on screen is what clients get. Rows move
 * by drag and drop or with Alt+Up/Down ("menu.move-up/down" on the selected row); a deleted
 * entry comes back with the toast's Undo.
 */

#define G_LOG_DOMAIN "yard-menu-page"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-boot-menu.h"
#include "yard-entry-dialog.h"
#include "yard-grub.h"
#include "yard-gui-model.h"
#include "yard-ipxe.h"
#include "yard-paths.h"
#include "yard-pxelinux.h"
#include "yard-menu-page-private.h"
#include "yard-window.h"

struct _YardMenuPage
{
  AdwBin           parent_instance;

  YardConnection  *connection;
  YardBootMenu    *menu;           /* the menu as last answered, bound to entries_list */
  gboolean         loaded;         /* the server answered once */
  char            *loader;         /* the server's loader settings beside it, or NULL */
  char            *uefi_loader;
  GCancellable    *cancellable;
  gboolean         updating;       /* filling widgets from the menu: don't send back */
  guint            timeout_id;     /* debounces the timeout spin button */
  guint            reload_id;      /* debounces menu-changed events */
  guint            n_pending;      /* requests that answer with the menu, in flight */
  guint            n_changes;      /* changes we asked for: a GET sent before one is stale */
  char            *select_id;      /* entry to select after the next rebuild */
  YardBootEntry   *deleted;        /* a copy of the last deleted entry, without its id: Undo */
  AdwToast        *undo_toast;     /* weak: the toast that offers it */
  int              deleted_position;
  gboolean         deleted_default;
  YardEntryDialog *dialog;         /* weak */
  GtkStringList   *default_ids;    /* default_row's model, by id; "" = none */
  GtkStringList   *default_names;

  /* template */
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkListBox      *entries_list;
  AdwEntryRow     *title_row;
  GtkSpinButton   *timeout_spin;
  AdwComboRow     *default_row;
  AdwComboRow     *loader_row;
  AdwComboRow     *uefi_loader_row;
  GtkStack        *preview_stack;
  GtkTextView     *pxelinux_view;
  GtkTextView     *ipxe_view;
  GtkTextView     *grub_view;
};

G_DEFINE_FINAL_TYPE (YardMenuPage, yard_menu_page, ADW_TYPE_BIN)

/* The BIOS loader row's items, in order (the server's "loader" values) */
static const char *bios_loaders[] = { "pxelinux", "ipxe", "lpxelinux" };
/* The UEFI loader row's items, in order (the server's "uefiLoader" values) */
static const char *uefi_loaders[] = { "auto", "grub", "syslinux", "ipxe" };

static void reload (YardMenuPage *self);

static YardClient *
get_client (YardMenuPage *self)
{
  return self->connection ? yard_connection_get_client (self->connection) : NULL;
}

static void
show_error (YardMenuPage *self,
            const char   *what,
            GError       *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* TRANSLATORS: "what failed: why" */
  message = g_strdup_printf (_("%s: %s"), what, error->message);
  if (YARD_IS_WINDOW (root))
    yard_window_show_error (YARD_WINDOW (root), message);
  else
    g_debug ("%s", message);
}

static YardBootEntry *
find_entry (YardMenuPage *self,
            const char   *id,
            int          *position)
{
  int pos = yard_boot_menu_get_position (self->menu, id);

  if (pos < 0)
    return NULL;
  if (position != NULL)
    *position = pos;
  return yard_boot_menu_get_entry (self->menu, pos);
}

static const char *
row_get_id (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "entry-id") : NULL;
}

/* Drag and drop: a row carries its entry's id; dropping it on another row moves it there. */
static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  GValue value = G_VALUE_INIT;
  GdkContentProvider *provider;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, row_get_id (GTK_LIST_BOX_ROW (row)));
  provider = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  return provider;
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, YARD_TYPE_MENU_PAGE);
  const char *id;

  if (page == NULL || !G_VALUE_HOLDS_STRING (value))
    return FALSE;
  id = g_value_get_string (value);
  if (id == NULL || g_strcmp0 (id, row_get_id (GTK_LIST_BOX_ROW (row))) == 0)
    return FALSE;

  _yard_menu_page_move_entry (YARD_MENU_PAGE (page), id,
                              gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
  return TRUE;
}

/* gtk_list_box_bind_model's row for an entry of self->menu */
static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  YardMenuPage *self = user_data;
  YardBootEntry *entry = item;
  const char *id = yard_boot_entry_get_id (entry);
  const char *kind = yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (entry));
  const char *label = yard_boot_entry_get_label (entry);
  gboolean is_default = g_strcmp0 (yard_boot_menu_get_default_id (self->menu), id) == 0;
  g_autofree char *summary = yard_entry_dup_summary (entry);
  g_autofree char *title = g_markup_escape_text (label != NULL && *label ? label : id, -1);
  g_autofree char *subtitle = g_markup_escape_text (summary, -1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (yard_entry_kind_icon_name (kind));
  GtkWidget *button;
  GtkDragSource *source;
  GtkDropTarget *target;

  g_object_set_data_full (G_OBJECT (row), "entry-id", g_strdup (id), g_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (icon, yard_entry_kind_title (kind));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "menu.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);

  if (is_default)
    {
      GtkWidget *marker = gtk_label_new (C_("boot menu entry", "Default"));

      gtk_widget_set_valign (marker, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (marker, "entry-default-marker");
      gtk_widget_set_tooltip_text (marker, _("Boots when the timeout runs out"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), marker);
    }
  if (yard_entry_get_arch_title (entry) != NULL)
    {
      GtkWidget *arch = gtk_label_new (yard_entry_get_arch_title (entry));

      gtk_widget_set_valign (arch, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (arch, "entry-arch-marker");
      gtk_widget_set_tooltip_text (arch, _("The CPU its kernel is for: other clients' menus leave "
                                           "it out"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arch);
    }
  {
    g_autofree char *note = yard_entry_dup_support_note (entry);

    if (note != NULL)
      {
        GtkWidget *mark = gtk_image_new_from_icon_name (
          yard_entry_needs_secure_boot_off (entry) ? "security-low-symbolic"
                                                   : "dialog-information-symbolic");

        gtk_widget_set_tooltip_text (mark, note);
        gtk_accessible_update_property (GTK_ACCESSIBLE (mark),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, note, -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
      }
  }
  if (yard_boot_entry_get_hidden (entry))
    {
      GtkWidget *hidden = gtk_image_new_from_icon_name ("view-conceal-symbolic");

      gtk_widget_set_tooltip_text (hidden, _("Hidden from the menu"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), hidden);
    }

  if (!is_default)
    {
      button = gtk_button_new_from_icon_name ("non-starred-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Make Default"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "menu.make-default");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Delete"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "menu.delete");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  icon = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_set_tooltip_text (icon, _("Drag to move"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));

  return row;
}

static void
set_preview (GtkTextView *view,
             const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

/* The preview is made by the same core writers the server uses, from the menu the server
 * answered with: what a client gets, without fetching /boot/ (which answers 503 while the
 * services are stopped). Lines the model keeps but does not show (comments, INCLUDE) are only
 * in the server's own file. */
static void
refresh_preview (YardMenuPage *self)
{
  YardClient *client = get_client (self);
  g_autoptr(YardBootMenu) menu = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pxelinux = NULL;
  g_autofree char *ipxe = NULL;
  g_autofree char *base_url = NULL;

  if (!self->loaded)
    return;
  menu = g_object_ref (self->menu);

  pxelinux = yard_pxelinux_to_data (menu);
  set_preview (self->pxelinux_view, pxelinux);

  /* The server's files are not here: every CPU, no file checks, its HTTP port */
  {
    g_autoptr(GUri) uri = client ? g_uri_parse (yard_client_get_base_url (client),
                                                G_URI_FLAGS_NONE, NULL) : NULL;
    YardGrubOptions options = {
      .root_dir = NULL,
      .http_port = uri != NULL && g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                                                           : YARD_DEFAULT_HTTP_PORT,
    };
    g_autofree char *grub = yard_grub_menu_config (menu, &options);

    set_preview (self->grub_view, grub);
  }

  base_url = client ? g_strconcat (yard_client_get_base_url (client), "/boot", NULL) : NULL;
  ipxe = yard_ipxe_menu_script (menu, base_url, &error);
  if (ipxe == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("# No preview: %s"), error->message);
      set_preview (self->ipxe_view, text);
      return;
    }
  set_preview (self->ipxe_view, ipxe);
}

/* The widgets beside the list: the default's choices, title, timeout and loaders. */
static void
fill_settings (YardMenuPage *self)
{
  const char *default_id = yard_boot_menu_get_default_id (self->menu);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->menu));
  guint default_pos = 0;

  gtk_string_list_splice (self->default_ids, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->default_ids)), NULL);
  gtk_string_list_splice (self->default_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->default_names)), NULL);
  gtk_string_list_append (self->default_ids, "");
  gtk_string_list_append (self->default_names, _("None (wait for a choice)"));
  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (self->menu, i);
      const char *id = yard_boot_entry_get_id (entry);
      const char *label = yard_boot_entry_get_label (entry);

      gtk_string_list_append (self->default_ids, id);
      gtk_string_list_append (self->default_names, label != NULL && *label ? label : id);
      if (g_strcmp0 (default_id, id) == 0)
        default_pos = i + 1;
    }
  adw_combo_row_set_selected (self->default_row, default_pos);

  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         yard_boot_menu_get_title (self->menu) ?: "");
  gtk_spin_button_set_value (self->timeout_spin, yard_boot_menu_get_timeout (self->menu));
  /* A server without the setting (older than this app) gets no row for it. */
  gtk_widget_set_visible (GTK_WIDGET (self->loader_row), self->loader != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bios_loaders); i++)
    if (g_strcmp0 (self->loader, bios_loaders[i]) == 0)
      adw_combo_row_set_selected (self->loader_row, i);
  gtk_widget_set_visible (GTK_WIDGET (self->uefi_loader_row), self->uefi_loader != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (uefi_loaders); i++)
    if (g_strcmp0 (self->uefi_loader, uefi_loaders[i]) == 0)
      adw_combo_row_set_selected (self->uefi_loader_row, i);
}

/* The row of the entry with that id, or NULL */
static GtkListBoxRow *
row_for_id (YardMenuPage *self,
            const char   *id)
{
  int position = id != NULL ? yard_boot_menu_get_position (self->menu, id) : -1;

  return position >= 0 ? gtk_list_box_get_row_at_index (self->entries_list, position) : NULL;
}

/* An answer from the server: the bound menu takes it over, so only the rows of entries that
 * changed are made again and the others (the selected one among them) stay as they are. */
static void
set_menu (YardMenuPage *self,
          YardBootMenu *menu,
          char         *loader,
          char         *uefi_loader)
{
  g_autofree char *old_default = g_strdup (yard_boot_menu_get_default_id (self->menu));
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->entries_list);
  g_autofree char *selected_id = g_strdup (row_get_id (selected));
  const char *new_default = yard_boot_menu_get_default_id (menu);
  GtkListBoxRow *select;

  self->updating = TRUE;
  g_free (self->loader);
  self->loader = loader;
  g_free (self->uefi_loader);
  self->uefi_loader = uefi_loader;
  yard_boot_menu_assign (self->menu, menu);
  self->loaded = TRUE;

  /* A row shows whether it is the default: the two rows whose mark moved are made again. */
  if (g_strcmp0 (old_default, new_default) != 0)
    {
      const char *ids[] = { old_default, new_default };

      for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
        {
          int position = ids[i] ? yard_boot_menu_get_position (self->menu, ids[i]) : -1;

          if (position >= 0)
            g_list_model_items_changed (G_LIST_MODEL (self->menu), position, 1, 1);
        }
    }

  /* Only a row that was made again (the entry moved or changed) loses the selection; an
   * entry to select (added, restored, moved by us) takes it. */
  select = row_for_id (self, self->select_id != NULL ? self->select_id : selected_id);
  if (select != NULL && select != gtk_list_box_get_selected_row (self->entries_list))
    {
      gtk_list_box_select_row (self->entries_list, select);
      if (self->select_id != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (select));
    }
  g_clear_pointer (&self->select_id, g_free);

  fill_settings (self);
  gtk_stack_set_visible_child_name (self->stack, "menu");
  self->updating = FALSE;
  refresh_preview (self);
}

typedef struct
{
  YardMenuPage *self;
  guint         n_changes;
} Reload;

static void
menu_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Reload *reload_data = user_data;
  g_autoptr(YardMenuPage) self = reload_data->self;
  guint n_changes = reload_data->n_changes;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  g_autoptr(GError) error = NULL;

  g_free (reload_data);
  menu = yard_client_get_menu_finish (YARD_CLIENT (source), result, &loader, &uefi_loader,
                                      &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Requests travel on their own connections: a menu read before our last change may
   * arrive after that change's answer. Ask again rather than show the older menu. */
  if (n_changes != self->n_changes || self->n_pending > 0)
    {
      if (self->n_pending == 0)
        reload (self);
      return;
    }
  if (menu == NULL)
    {
      /* 409: the file on disk does not parse; the server names file and line. */
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  set_menu (self, menu, g_steal_pointer (&loader), g_steal_pointer (&uefi_loader));
}

static void
reload (YardMenuPage *self)
{
  YardClient *client = get_client (self);

  Reload *reload_data;

  if (client == NULL)
    return;
  reload_data = g_new0 (Reload, 1);
  reload_data->self = g_object_ref (self);
  reload_data->n_changes = self->n_changes;
  yard_client_get_menu_async (client, self->cancellable, menu_loaded_cb, reload_data);
}

/* Answers that carry the whole menu (PATCH /menu, move). */
static void
menu_changed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(YardMenuPage) self = user_data;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncReadyCallback tag = g_task_get_source_tag (G_TASK (result));

  self->n_pending--;
  if (tag == (gpointer) yard_client_move_menu_entry_async)
    menu = yard_client_move_menu_entry_finish (YARD_CLIENT (source), result, &loader,
                                               &uefi_loader, &error);
  else
    menu = yard_client_update_menu_finish (YARD_CLIENT (source), result, &loader, &uefi_loader,
                                           &error);

  if (menu == NULL)
    {
      show_error (self, _("The server did not change the menu"), error);
      reload (self);
      return;
    }
  set_menu (self, menu, g_steal_pointer (&loader), g_steal_pointer (&uefi_loader));
}

static void
update_menu (YardMenuPage *self,
             JsonObject   *changes)
{
  YardClient *client = get_client (self);

  if (client == NULL)
    return;
  self->n_pending++;
  self->n_changes++;
  yard_client_update_menu_async (client, changes, self->cancellable, menu_changed_cb,
                                 g_object_ref (self));
}

void
_yard_menu_page_move_entry (YardMenuPage *self,
                            const char   *id,
                            int           position)
{
  YardClient *client = get_client (self);

  g_return_if_fail (YARD_IS_MENU_PAGE (self));

  if (client == NULL || position < 0)
    return;
  g_free (self->select_id);
  self->select_id = g_strdup (id);
  self->n_pending++;
  self->n_changes++;
  yard_client_move_menu_entry_async (client, id, position, self->cancellable, menu_changed_cb,
                                     g_object_ref (self));
}

static void
move_selected (YardMenuPage *self,
               int           delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->entries_list);
  int position;
  guint n;

  if (row == NULL)
    {
      /* Alt+arrow on a focused row that is not selected yet */
      GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
      if (focus != NULL)
        row = GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW));
    }
  if (row == NULL || row_get_id (row) == NULL)
    return;
  /* Positions count in the menu on screen: wait for the last move's answer. */
  if (self->n_pending > 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  position = gtk_list_box_row_get_index (row) + delta;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->menu));
  if (position < 0 || position >= (int) n)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  _yard_menu_page_move_entry (self, row_get_id (row), position);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  move_selected (YARD_MENU_PAGE (widget), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  move_selected (YARD_MENU_PAGE (widget), 1);
}

static void
entry_saved_cb (YardMenuPage  *self,
                YardBootEntry *entry)
{
  self->n_changes++;
  g_free (self->select_id);
  self->select_id = g_strdup (yard_boot_entry_get_id (entry));
  reload (self);
}

static void
open_dialog (YardMenuPage  *self,
             YardBootEntry *entry,
             const char    *kind)
{
  YardClient *client = get_client (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (client == NULL)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  self->dialog = yard_entry_dialog_new (client, entry, kind);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->dialog), GTK_WINDOW (root));
  g_signal_connect_object (self->dialog, "saved", G_CALLBACK (entry_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  open_dialog (YARD_MENU_PAGE (widget), NULL, g_variant_get_string (param, NULL));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  YardMenuPage *self = YARD_MENU_PAGE (widget);
  YardBootEntry *entry = find_entry (self, g_variant_get_string (param, NULL), NULL);

  if (entry == NULL)
    return;
  if (yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_SUBMENU)
    {
      GtkRoot *root = gtk_widget_get_root (widget);

      if (YARD_IS_WINDOW (root))
        yard_window_add_toast (YARD_WINDOW (root),
                               adw_toast_new (_("Submenus are edited in the menu file itself")));
      return;
    }
  open_dialog (self, entry, NULL);
}

static void
make_default_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_autoptr(JsonObject) changes = json_object_new ();

  json_object_set_string_member (changes, "default", g_variant_get_string (param, NULL));
  update_menu (YARD_MENU_PAGE (widget), changes);
}

static void
undo_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(YardMenuPage) self = user_data;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = yard_client_add_menu_entry_finish (YARD_CLIENT (source), result, NULL, &error);
  if (entry == NULL)
    {
      show_error (self, _("Could not restore the entry"), error);
      return;
    }
  g_free (self->select_id);
  self->select_id = g_strdup (yard_boot_entry_get_id (entry));
  if (self->deleted_default)
    {
      g_autoptr(JsonObject) changes = json_object_new ();

      json_object_set_string_member (changes, "default", yard_boot_entry_get_id (entry));
      update_menu (self, changes);
    }
  else
    reload (self);
  self->deleted_default = FALSE;
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _yard_menu_page_undo_delete (YARD_MENU_PAGE (widget));
}

void
_yard_menu_page_undo_delete (YardMenuPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  YardClient *client = get_client (self);
  g_autoptr(YardBootEntry) entry = NULL;

  if (client == NULL || self->deleted == NULL)
    return;

  /* The same entry at the same place; the server gives it an id again from its label. */
  entry = g_steal_pointer (&self->deleted);
  gtk_widget_action_set_enabled (widget, "menu.undo-delete", FALSE);

  self->n_changes++;
  yard_client_add_menu_entry_async (client, entry, self->deleted_position, self->cancellable,
                                    undo_done_cb, g_object_ref (self));
}

static void
delete_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(YardMenuPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!yard_client_remove_menu_entry_finish (YARD_CLIENT (source), result, &error))
    {
      g_clear_object (&self->deleted);
      show_error (self, _("Could not delete the entry"), error);
      reload (self);
      return;
    }

  if (YARD_IS_WINDOW (root) && self->deleted != NULL)
    {
      g_autofree char *title = NULL;
      AdwToast *toast;

      title = g_strdup_printf (_("“%s” deleted"), yard_boot_entry_get_label (self->deleted));
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Undo"));
      /* The toast lives in the window's overlay, outside this page, where "menu." actions
       * cannot be seen: its button calls the page directly. */
      g_signal_connect_object (toast, "button-clicked",
                               G_CALLBACK (_yard_menu_page_undo_delete), self,
                               G_CONNECT_SWAPPED);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_clear_weak_pointer (&self->undo_toast);
      g_set_weak_pointer (&self->undo_toast, toast);
      yard_window_add_toast (YARD_WINDOW (root), toast);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "menu.undo-delete", self->deleted != NULL);
  reload (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  YardMenuPage *self = YARD_MENU_PAGE (widget);
  YardClient *client = get_client (self);
  const char *id = g_variant_get_string (param, NULL);
  YardBootEntry *entry;
  int position = 0;

  entry = find_entry (self, id, &position);
  if (client == NULL || entry == NULL)
    return;

  /* A copy out of the menu, without its id, to be sent back whole by Undo */
  g_clear_object (&self->deleted);
  self->deleted = yard_boot_entry_copy (entry);
  yard_boot_entry_set_id (self->deleted, NULL, NULL);
  self->deleted_position = position;
  self->deleted_default = g_strcmp0 (yard_boot_menu_get_default_id (self->menu), id) == 0;
  self->n_changes++;
  yard_client_remove_menu_entry_async (client, id, self->cancellable, delete_done_cb,
                                       g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  reload (YARD_MENU_PAGE (widget));
}

static void
title_apply_cb (YardMenuPage *self)
{
  g_autoptr(JsonObject) changes = json_object_new ();

  if (self->updating)
    return;
  json_object_set_string_member (changes, "title",
                                 gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  update_menu (self, changes);
}

static gboolean
timeout_send_cb (gpointer user_data)
{
  YardMenuPage *self = user_data;
  g_autoptr(JsonObject) changes = json_object_new ();

  self->timeout_id = 0;
  json_object_set_int_member (changes, "timeout", gtk_spin_button_get_value_as_int (self->timeout_spin));
  update_menu (self, changes);
  return G_SOURCE_REMOVE;
}

static void
timeout_changed_cb (YardMenuPage *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (600, timeout_send_cb, self);
}

static void
default_selected_cb (YardMenuPage *self)
{
  g_autoptr(JsonObject) changes = NULL;
  guint selected = adw_combo_row_get_selected (self->default_row);
  const char *id;

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  id = gtk_string_list_get_string (self->default_ids, selected);
  changes = json_object_new ();
  if (id == NULL || *id == '\0')
    json_object_set_null_member (changes, "default");
  else
    json_object_set_string_member (changes, "default", id);
  update_menu (self, changes);
}

static void
uefi_loader_selected_cb (YardMenuPage *self)
{
  g_autoptr(JsonObject) changes = NULL;
  guint selected = adw_combo_row_get_selected (self->uefi_loader_row);

  if (self->updating || selected >= G_N_ELEMENTS (uefi_loaders))
    return;
  changes = json_object_new ();
  json_object_set_string_member (changes, "uefiLoader", uefi_loaders[selected]);
  update_menu (self, changes);
}

static void
loader_selected_cb (YardMenuPage *self)
{
  g_autoptr(JsonObject) changes = NULL;
  guint selected = adw_combo_row_get_selected (self->loader_row);

  if (self->updating || selected >= G_N_ELEMENTS (bios_loaders))
    return;
  changes = json_object_new ();
  json_object_set_string_member (changes, "loader", bios_loaders[selected]);
  update_menu (self, changes);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  YardMenuPage *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
menu_changed_event_cb (YardMenuPage  *self,
                       YardBootEvent *event)
{
  /* Another client (bootyardctl, a second window) changed the menu. The event may arrive
   * after the answer to our own later change, so ask for the menu as it is now. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add (100, reload_timeout_cb, self);
}

static void
connection_state_cb (YardMenuPage *self)
{
  if (yard_connection_get_state (self->connection) == YARD_CONNECTION_CONNECTED)
    reload (self);
  else if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
}

static void
yard_menu_page_dispose (GObject *object)
{
  YardMenuPage *self = YARD_MENU_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_object (&self->connection);
  g_clear_weak_pointer (&self->undo_toast);

  G_OBJECT_CLASS (yard_menu_page_parent_class)->dispose (object);
}

static void
yard_menu_page_finalize (GObject *object)
{
  YardMenuPage *self = YARD_MENU_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->default_ids);
  g_clear_object (&self->default_names);
  g_clear_object (&self->menu);
  g_clear_pointer (&self->loader, g_free);
  g_clear_pointer (&self->uefi_loader, g_free);
  g_clear_object (&self->deleted);
  g_clear_pointer (&self->select_id, g_free);

  G_OBJECT_CLASS (yard_menu_page_parent_class)->finalize (object);
}

static void
yard_menu_page_class_init (YardMenuPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yard_menu_page_dispose;
  object_class->finalize = yard_menu_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-menu-page.ui");
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, stack);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, entries_list);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, title_row);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, default_row);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, loader_row);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, uefi_loader_row);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, pxelinux_view);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, ipxe_view);
  gtk_widget_class_bind_template_child (widget_class, YardMenuPage, grub_view);

  gtk_widget_class_install_action (widget_class, "menu.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "menu.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "menu.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "menu.make-default", "s", make_default_action);
  gtk_widget_class_install_action (widget_class, "menu.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "menu.move-up", NULL, move_up_action);
  gtk_widget_class_install_action (widget_class, "menu.move-down", NULL, move_down_action);
  gtk_widget_class_install_action (widget_class, "menu.reload", NULL, reload_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "menu.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "menu.move-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "menu.add", "s", "linux");
}

static void
yard_menu_page_init (YardMenuPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->menu = yard_boot_menu_new ();
  gtk_list_box_bind_model (self->entries_list, G_LIST_MODEL (self->menu), create_row_cb, self,
                           NULL);
  self->default_ids = gtk_string_list_new (NULL);
  self->default_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->default_row, G_LIST_MODEL (self->default_names));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "menu.undo-delete", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "menu");

  g_signal_connect_swapped (self->title_row, "apply", G_CALLBACK (title_apply_cb), self);
  g_signal_connect_swapped (self->timeout_spin, "value-changed",
                            G_CALLBACK (timeout_changed_cb), self);
  g_signal_connect_swapped (self->default_row, "notify::selected",
                            G_CALLBACK (default_selected_cb), self);
  g_signal_connect_swapped (self->loader_row, "notify::selected",
                            G_CALLBACK (loader_selected_cb), self);
  g_signal_connect_swapped (self->uefi_loader_row, "notify::selected",
                            G_CALLBACK (uefi_loader_selected_cb), self);
}

void
yard_menu_page_set_connection (YardMenuPage   *self,
                               YardConnection *connection)
{
  g_return_if_fail (YARD_IS_MENU_PAGE (self));
  g_return_if_fail (YARD_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (connection_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "event::menu-changed", G_CALLBACK (menu_changed_event_cb),
                           self, G_CONNECT_SWAPPED);
  if (yard_connection_get_state (connection) == YARD_CONNECTION_CONNECTED)
    reload (self);
}

YardEntryDialog *
_yard_menu_page_get_dialog (YardMenuPage *self)
{
  return self->dialog;
}

YardBootMenu *
_yard_menu_page_get_menu (YardMenuPage *self)
{
  return self->loaded ? self->menu : NULL;
}

const char *
_yard_menu_page_get_loader (YardMenuPage *self,
                            gboolean      uefi)
{
  return uefi ? self->uefi_loader : self->loader;
}

gboolean
_yard_menu_page_is_busy (YardMenuPage *self)
{
  return self->n_pending > 0;
}

GtkListBox *
_yard_menu_page_get_list (YardMenuPage *self)
{
  return self->entries_list;
}

AdwComboRow *
_yard_menu_page_get_loader_row (YardMenuPage *self)
{
  return self->loader_row;
}

AdwComboRow *
_yard_menu_page_get_uefi_loader_row (YardMenuPage *self)
{
  return self->uefi_loader_row;
}

AdwToast *
_yard_menu_page_get_undo_toast (YardMenuPage *self)
{
  return self->undo_toast;
}
