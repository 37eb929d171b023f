/* yard-boot-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-boot-entry"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "yard-boot-entry.h"
#include "yard-boot-menu-private.h"
#include "yard-boot-support.h"
#include "yard-error.h"
#include "yard-validate.h"

struct _YardBootEntry
{
  GObject            parent_instance;

  char              *id;
  YardBootEntryKind  kind;
  char              *label;
  gboolean           hidden;
  char              *help;
  char              *kernel;
  GStrv              initrds;    /* never NULL */
  char              *append;
  char              *image;
  YardMemdiskType    image_type;
  gboolean           raw;
  char              *url;
  char              *script;
  char              *directives; /* OTHER */
  YardBootMenu      *submenu;    /* SUBMENU, owned */
  gboolean           read_only;
  YardBootSupport   *support;    /* the server's verdicts, on a decoded answer */

  YardBootMenu      *menu;       /* the menu level holding us, not owned */
  gpointer           origin;     /* yard-pxelinux.c's block */
  GDestroyNotify     origin_destroy;
};

G_DEFINE_FINAL_TYPE (YardBootEntry, yard_boot_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_LABEL,
  PROP_HIDDEN,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  [YARD_BOOT_ENTRY_KIND_LOCAL] = "localboot",
  [YARD_BOOT_ENTRY_KIND_LINUX] = "linux",
  [YARD_BOOT_ENTRY_KIND_MEMDISK] = "memdisk",
  [YARD_BOOT_ENTRY_KIND_CHAIN] = "chain",
  [YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT] = "ipxe",
  [YARD_BOOT_ENTRY_KIND_COM32] = "com32",
  [YARD_BOOT_ENTRY_KIND_SUBMENU] = "submenu",
  [YARD_BOOT_ENTRY_KIND_OTHER] = "other",
};

static const char * const memdisk_type_names[] = {
  [YARD_MEMDISK_ISO] = "iso",
  [YARD_MEMDISK_FLOPPY] = "floppy",
  [YARD_MEMDISK_HARDDISK] = "harddisk",
};

const char *
yard_boot_entry_kind_to_string (YardBootEntryKind kind)
{
  g_return_val_if_fail (kind <= YARD_BOOT_ENTRY_KIND_OTHER, NULL);
  return kind_names[kind];
}

gboolean
yard_boot_entry_kind_from_string (const char        *str,
                                  YardBootEntryKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
yard_memdisk_type_to_string (YardMemdiskType type)
{
  g_return_val_if_fail (type <= YARD_MEMDISK_HARDDISK, NULL);
  return memdisk_type_names[type];
}

gboolean
yard_memdisk_type_from_string (const char      *str,
                               YardMemdiskType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (memdisk_type_names); i++)
    {
      if (g_strcmp0 (str, memdisk_type_names[i]) == 0)
        {
          *type = i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
yard_boot_entry_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > YARD_BOOT_ENTRY_ID_MAX)
    return FALSE;
  if (id[0] == '-' || id[0] == '.')
    return FALSE;
  for (const char *p = id; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
        return FALSE;
    }
  return TRUE;
}

static void
yard_boot_entry_dispose (GObject *object)
{
  YardBootEntry *self = (YardBootEntry *)object;

  if (self->origin != NULL && self->origin_destroy != NULL)
    self->origin_destroy (self->origin);
  self->origin = NULL;
  self->origin_destroy = NULL;
  g_clear_object (&self->submenu);

  G_OBJECT_CLASS (yard_boot_entry_parent_class)->dispose (object);
}

static void
yard_boot_entry_finalize (GObject *object)
{
  YardBootEntry *self = (YardBootEntry *)object;

  g_free (self->id);
  g_free (self->label);
  g_free (self->help);
  g_free (self->kernel);
  g_strfreev (self->initrds);
  g_free (self->append);
  g_free (self->image);
  g_free (self->url);
  g_free (self->script);
  g_free (self->directives);
  g_clear_pointer (&self->support, yard_boot_support_free);

  G_OBJECT_CLASS (yard_boot_entry_parent_class)->finalize (object);
}

static void
yard_boot_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  YardBootEntry *self = YARD_BOOT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_boot_entry_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  YardBootEntry *self = YARD_BOOT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      yard_boot_entry_set_kind (self, g_value_get_int (value));
      break;
    case PROP_LABEL:
      yard_boot_entry_set_label (self, g_value_get_string (value));
      break;
    case PROP_HIDDEN:
      yard_boot_entry_set_hidden (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
yard_boot_entry_class_init (YardBootEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yard_boot_entry_dispose;
  object_class->finalize = yard_boot_entry_finalize;
  object_class->get_property = yard_boot_entry_get_property;
  object_class->set_property = yard_boot_entry_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* YardBootEntryKind as an int: the enum has no GType (no glib-mkenums in core). */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      0, YARD_BOOT_ENTRY_KIND_OTHER, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIDDEN] =
    g_param_spec_boolean ("hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yard_boot_entry_init (YardBootEntry *self)
{
  self->initrds = g_new0 (char *, 1);
}

YardBootEntry *
yard_boot_entry_new (YardBootEntryKind  kind,
                     const char        *id,
                     const char        *label)
{
  YardBootEntry *self;

  g_return_val_if_fail (kind <= YARD_BOOT_ENTRY_KIND_OTHER, NULL);

  self = g_object_new (YARD_TYPE_BOOT_ENTRY, NULL);
  self->kind = kind;
  self->id = g_strdup (id);
  self->label = g_strdup (label);
  if (kind == YARD_BOOT_ENTRY_KIND_SUBMENU)
    {
      g_autoptr(YardBootMenu) submenu = yard_boot_menu_new ();

      _yard_boot_entry_set_submenu (self, submenu);
    }
  if (kind == YARD_BOOT_ENTRY_KIND_SUBMENU || kind == YARD_BOOT_ENTRY_KIND_OTHER)
    self->read_only = TRUE;
  return self;
}

YardBootEntry *
yard_boot_entry_new_local (const char *id,
                           const char *label)
{
  return yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_LOCAL, id, label);
}

YardBootEntry *
yard_boot_entry_new_linux (const char         *id,
                           const char         *label,
                           const char         *kernel,
                           const char * const *initrds,
                           const char         *append)
{
  YardBootEntry *self = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_LINUX, id, label);

  self->kernel = g_strdup (kernel);
  yard_boot_entry_set_initrds (self, initrds);
  self->append = g_strdup (append);
  return self;
}

YardBootEntry *
yard_boot_entry_new_memdisk (const char      *id,
                             const char      *label,
                             const char      *image,
                             YardMemdiskType  type,
                             gboolean         raw)
{
  YardBootEntry *self = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_MEMDISK, id, label);

  self->image = g_strdup (image);
  self->image_type = type;
  self->raw = !!raw;
  return self;
}

YardBootEntry *
yard_boot_entry_new_chain (const char *id,
                           const char *label,
                           const char *url)
{
  YardBootEntry *self = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_CHAIN, id, label);

  self->url = g_strdup (url);
  return self;
}

YardBootEntry *
yard_boot_entry_new_ipxe_script (const char *id,
                                 const char *label,
                                 const char *script)
{
  YardBootEntry *self = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT, id, label);

  yard_boot_entry_set_script (self, script);
  return self;
}

YardBootEntry *
yard_boot_entry_new_com32 (const char *id,
                           const char *label,
                           const char *module,
                           const char *args)
{
  YardBootEntry *self = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_COM32, id, label);

  self->kernel = g_strdup (module);
  self->append = g_strdup (args);
  return self;
}

/* Copies what the user can see and edit; not the menu, origin or submenu. */
static void
assign_fields (YardBootEntry *dst,
               YardBootEntry *src)
{
  if (dst == src)
    return;

  g_free (dst->id);
  dst->id = g_strdup (src->id);
  dst->kind = src->kind;
  g_free (dst->label);
  dst->label = g_strdup (src->label);
  dst->hidden = src->hidden;
  g_free (dst->help);
  dst->help = g_strdup (src->help);
  g_free (dst->kernel);
  dst->kernel = g_strdup (src->kernel);
  g_strfreev (dst->initrds);
  dst->initrds = g_strdupv (src->initrds);
  g_free (dst->append);
  dst->append = g_strdup (src->append);
  g_free (dst->image);
  dst->image = g_strdup (src->image);
  dst->image_type = src->image_type;
  dst->raw = src->raw;
  g_free (dst->url);
  dst->url = g_strdup (src->url);
  g_free (dst->script);
  dst->script = g_strdup (src->script);
  g_free (dst->directives);
  dst->directives = g_strdup (src->directives);
  dst->read_only = src->read_only;
  g_clear_pointer (&dst->support, yard_boot_support_free);
  if (src->support != NULL)
    dst->support = yard_boot_support_copy (src->support);
}

YardBootEntry *
yard_boot_entry_copy (YardBootEntry *self)
{
  YardBootEntry *copy;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);

  copy = g_object_new (YARD_TYPE_BOOT_ENTRY, NULL);
  assign_fields (copy, self);
  if (self->submenu != NULL)
    {
      g_autoptr(YardBootMenu) sub = yard_boot_menu_new ();

      for (guint i = 0; i < yard_boot_menu_get_n_entries (self->submenu); i++)
        {
          g_autoptr(YardBootEntry) child =
            yard_boot_entry_copy (yard_boot_menu_get_entry (self->submenu, i));
          _yard_boot_menu_append_parsed (sub, child);
        }
      yard_boot_menu_set_title (sub, yard_boot_menu_get_title (self->submenu));
      _yard_boot_menu_set_default_unchecked (sub, yard_boot_menu_get_default_id (self->submenu));
      _yard_boot_entry_set_submenu (copy, sub);
    }
  return copy;
}

#define STRING_ACCESSORS(field)                                         \
const char *                                                            \
yard_boot_entry_get_##field (YardBootEntry *self)                       \
{                                                                       \
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);               \
  return self->field;                                                   \
}                                                                       \
void                                                                    \
yard_boot_entry_set_##field (YardBootEntry *self,                       \
                             const char    *value)                      \
{                                                                       \
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));                         \
  g_free (self->field);                                                 \
  self->field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL; \
}

STRING_ACCESSORS (help)
STRING_ACCESSORS (kernel)
STRING_ACCESSORS (append)
STRING_ACCESSORS (image)
STRING_ACCESSORS (url)

const char *
yard_boot_entry_get_script (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->script;
}

/* Scripts are kept as lines: the text ends with a newline and "\r\n" becomes "\n" (in that
 * order: "shell\r" is "shell\n", not "shell\r\n"), so a script reads back from the pxelinux
 * file exactly as it was set, and setting what was read changes nothing. */
void
yard_boot_entry_set_script (YardBootEntry *self,
                            const char    *script)
{
  GString *normal;

  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));

  g_clear_pointer (&self->script, g_free);
  if (script == NULL || *script == '\0')
    return;
  normal = g_string_new (script);
  if (normal->str[normal->len - 1] != '\n')
    g_string_append_c (normal, '\n');
  g_string_replace (normal, "\r\n", "\n", 0);
  self->script = g_string_free (normal, FALSE);
}

const char *
yard_boot_entry_get_id (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->id;
}

gboolean
yard_boot_entry_set_id (YardBootEntry  *self,
                        const char     *id,
                        GError        **error)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);

  if (g_strcmp0 (id, self->id) == 0)
    return TRUE;
  if (self->menu != NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("The id of entry “%s” cannot change: ids are stable once an entry is in a menu"),
                   self->id);
      return FALSE;
    }
  if (id != NULL && !yard_boot_entry_id_is_valid (id))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid entry id: use 1 to %d letters, digits, “.”, “_” or “-”, "
                     "not starting with “-” or “.”"),
                   id, YARD_BOOT_ENTRY_ID_MAX);
      return FALSE;
    }
  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  return TRUE;
}

void
_yard_boot_entry_force_id (YardBootEntry *self,
                           const char    *id)
{
  g_free (self->id);
  self->id = g_strdup (id);
}

void
_yard_boot_entry_force_kind (YardBootEntry     *self,
                             YardBootEntryKind  kind)
{
  self->kind = kind;
}

YardBootEntryKind
yard_boot_entry_get_kind (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), 0);
  return self->kind;
}

void
yard_boot_entry_set_kind (YardBootEntry     *self,
                          YardBootEntryKind  kind)
{
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));
  g_return_if_fail (kind < YARD_BOOT_ENTRY_KIND_SUBMENU);
  g_return_if_fail (self->kind < YARD_BOOT_ENTRY_KIND_SUBMENU);

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
yard_boot_entry_get_label (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->label;
}

void
yard_boot_entry_set_label (YardBootEntry *self,
                           const char    *label)
{
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));

  if (label != NULL && *label == '\0')
    label = NULL;
  if (g_strcmp0 (label, self->label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

gboolean
yard_boot_entry_get_hidden (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);
  return self->hidden;
}

void
yard_boot_entry_set_hidden (YardBootEntry *self,
                            gboolean       hidden)
{
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));

  hidden = !!hidden;
  if (self->hidden == hidden)
    return;
  self->hidden = hidden;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDDEN]);
}

const char * const *
yard_boot_entry_get_initrds (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return (const char * const *)self->initrds;
}

void
yard_boot_entry_set_initrds (YardBootEntry      *self,
                             const char * const *initrds)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));

  for (guint i = 0; initrds != NULL && initrds[i] != NULL; i++)
    {
      if (*initrds[i] != '\0')
        g_ptr_array_add (list, g_strdup (initrds[i]));
    }
  g_ptr_array_add (list, NULL);
  g_strfreev (self->initrds);
  self->initrds = (GStrv)g_ptr_array_free (g_steal_pointer (&list), FALSE);
}

YardMemdiskType
yard_boot_entry_get_image_type (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), 0);
  return self->image_type;
}

void
yard_boot_entry_set_image_type (YardBootEntry   *self,
                                YardMemdiskType  type)
{
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));
  g_return_if_fail (type <= YARD_MEMDISK_HARDDISK);
  self->image_type = type;
}

gboolean
yard_boot_entry_get_raw (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);
  return self->raw;
}

void
yard_boot_entry_set_raw (YardBootEntry *self,
                         gboolean       raw)
{
  g_return_if_fail (YARD_IS_BOOT_ENTRY (self));
  self->raw = !!raw;
}

YardBootMenu *
yard_boot_entry_get_submenu (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->submenu;
}

const char *
yard_boot_entry_get_directives (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->directives;
}

gboolean
yard_boot_entry_get_read_only (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);
  return self->read_only;
}

/* private */

void
_yard_boot_entry_set_origin (YardBootEntry  *self,
                             gpointer        origin,
                             GDestroyNotify  destroy)
{
  if (self->origin != NULL && self->origin_destroy != NULL)
    self->origin_destroy (self->origin);
  self->origin = origin;
  self->origin_destroy = destroy;
}

gpointer
_yard_boot_entry_get_origin (YardBootEntry *self)
{
  return self->origin;
}

void
_yard_boot_entry_set_read_only (YardBootEntry *self,
                                gboolean       read_only)
{
  self->read_only = !!read_only;
}

void
_yard_boot_entry_set_directives (YardBootEntry *self,
                                 const char    *directives)
{
  g_free (self->directives);
  self->directives = g_strdup (directives);
}

void
_yard_boot_entry_set_submenu (YardBootEntry *self,
                              YardBootMenu  *submenu)
{
  g_clear_object (&self->submenu);
  self->submenu = g_object_ref (submenu);
  /* The submenu's parent is the menu level that holds this entry; set when it is added. */
}

void
_yard_boot_entry_set_menu (YardBootEntry *self,
                           YardBootMenu  *menu)
{
  self->menu = menu;
}

YardBootMenu *
_yard_boot_entry_get_menu (YardBootEntry *self)
{
  return self->menu;
}

gboolean
_yard_boot_entry_boot_equal (YardBootEntry *a,
                             YardBootEntry *b)
{
  guint n_a = g_strv_length (a->initrds);

  if (a->kind != b->kind ||
      g_strcmp0 (a->kernel, b->kernel) != 0 ||
      g_strcmp0 (a->append, b->append) != 0 ||
      g_strcmp0 (a->image, b->image) != 0 ||
      a->image_type != b->image_type ||
      a->raw != b->raw ||
      g_strcmp0 (a->url, b->url) != 0 ||
      g_strcmp0 (a->script, b->script) != 0 ||
      n_a != g_strv_length (b->initrds))
    return FALSE;
  for (guint i = 0; i < n_a; i++)
    {
      if (strcmp (a->initrds[i], b->initrds[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Validation */

static gboolean
set_field_error (char       **field,
                 GError     **error,
                 const char  *name,
                 const char  *format,
                 ...) G_GNUC_PRINTF (4, 5);

static gboolean
set_field_error (char       **field,
                 GError     **error,
                 const char  *name,
                 const char  *format,
                 ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL)
    {
      g_free (*field);
      *field = g_strdup (name);
    }
  g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* NULL, empty or only white space: a menu line with nothing to read. */
static gboolean
text_is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    {
      if (!g_unichar_isspace (g_utf8_get_char (text)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_path (const char  *path,
            const char  *name,
            gboolean     required,
            char       **field,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL)
    {
      if (!required)
        return TRUE;
      return set_field_error (field, error, name, _("“%s” is required for this kind of entry"), name);
    }
  if (!yard_text_is_clean (path, FALSE) || strpbrk (path, " \t,") != NULL)
    return set_field_error (field, error, name,
                            _("“%s” must be a file name without spaces, commas or control characters"),
                            name);
  if (path[0] == '/' || path[0] == '\\')
    return set_field_error (field, error, name,
                            _("“%s” must be relative to the boot root (TFTP refuses absolute paths): "
                              "write “%s” instead of “%s”"), name, path + 1, path);
  parts = g_strsplit_set (path, "/\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (strcmp (parts[i], "..") == 0)
        return set_field_error (field, error, name,
                                _("“%s” must stay inside the boot root: “..” is not allowed"), name);
    }
  return TRUE;
}

/* only: the JSON members to check, or NULL for all of them. */
static gboolean
want (const char * const *only,
      const char         *name)
{
  return only == NULL || g_strv_contains (only, name);
}

static gboolean
validate_fields (YardBootEntry       *self,
                 const char * const  *only,
                 char               **field,
                 GError             **error)
{
  if (want (only, "id") && self->id != NULL && !yard_boot_entry_id_is_valid (self->id))
    return set_field_error (field, error, "id",
                            _("“%s” is not a valid entry id: use 1 to %d letters, digits, “.”, “_” "
                              "or “-”, not starting with “-” or “.”"),
                            self->id, YARD_BOOT_ENTRY_ID_MAX);
  if (want (only, "label") && !yard_text_is_clean (self->label, FALSE))
    return set_field_error (field, error, "label",
                            _("The label must be one line of text without control characters"));
  if (want (only, "label") && text_is_blank (self->label))
    return set_field_error (field, error, "label",
                            _("Give the entry a label: the text the menu shows"));
  if (want (only, "help") && !yard_text_is_clean (self->help, TRUE))
    return set_field_error (field, error, "help",
                            _("The help text must be text without control characters"));
  if (want (only, "help") && self->help != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (self->help, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (lines[i]));

          if (g_ascii_strcasecmp (stripped, "endtext") == 0)
            return set_field_error (field, error, "help",
                                    _("The help text cannot contain a line “endtext”: "
                                      "pxelinux would end the help there"));
        }
    }
  if (want (only, "append") && !yard_text_is_clean (self->append, FALSE))
    return set_field_error (field, error, "append",
                            _("“append” must be one line without control characters"));

  switch (self->kind)
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
    case YARD_BOOT_ENTRY_KIND_SUBMENU:
    case YARD_BOOT_ENTRY_KIND_OTHER:
      break;

    case YARD_BOOT_ENTRY_KIND_LINUX:
      if (want (only, "kernel") && !check_path (self->kernel, "kernel", TRUE, field, error))
        return FALSE;
      for (guint i = 0; want (only, "initrds") && self->initrds[i] != NULL; i++)
        {
          if (!check_path (self->initrds[i], "initrds", TRUE, field, error))
            return FALSE;
        }
      break;

    case YARD_BOOT_ENTRY_KIND_COM32:
      if (want (only, "kernel") && !check_path (self->kernel, "kernel", TRUE, field, error))
        return FALSE;
      break;

    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      if ((want (only, "image") && !check_path (self->image, "image", TRUE, field, error)) ||
          (want (only, "kernel") && !check_path (self->kernel, "kernel", FALSE, field, error)))
        return FALSE;
      break;

    case YARD_BOOT_ENTRY_KIND_CHAIN:
      if (want (only, "url"))
        {
          g_autoptr(GError) url_error = NULL;
          g_autofree char *url = yard_validate_url (self->url, &url_error);

          if (url == NULL)
            return set_field_error (field, error, "url", "%s", url_error->message);
        }
      break;

    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      if (!want (only, "script"))
        break;
      {
        g_autoptr(GError) script_error = NULL;

        if (!yard_validate_ipxe_script (self->script, &script_error))
          return set_field_error (field, error, "script", "%s", script_error->message);
      }
      if (!yard_text_is_clean (self->script, TRUE))
        return set_field_error (field, error, "script",
                                _("The iPXE script must be UTF-8 text without control characters"));
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

gboolean
yard_boot_entry_validate (YardBootEntry  *self,
                          char          **field,
                          GError        **error)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);

  return validate_fields (self, NULL, field, error);
}

/* JSON */

JsonNode *
yard_boot_entry_to_json (YardBootEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_names[self->kind]);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, self->label != NULL ? self->label : "");
  json_builder_set_member_name (builder, "hidden");
  json_builder_add_boolean_value (builder, self->hidden);
  json_builder_set_member_name (builder, "help");
  if (self->help != NULL)
    json_builder_add_string_value (builder, self->help);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "readOnly");
  json_builder_add_boolean_value (builder, self->read_only);

  switch (self->kind)
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
      break;

    case YARD_BOOT_ENTRY_KIND_LINUX:
    case YARD_BOOT_ENTRY_KIND_COM32:
      json_builder_set_member_name (builder, "kernel");
      json_builder_add_string_value (builder, self->kernel);
      if (self->kind == YARD_BOOT_ENTRY_KIND_LINUX)
        {
          json_builder_set_member_name (builder, "initrds");
          json_builder_begin_array (builder);
          for (guint i = 0; self->initrds[i] != NULL; i++)
            json_builder_add_string_value (builder, self->initrds[i]);
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "append");
      json_builder_add_string_value (builder, self->append);
      break;

    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      json_builder_set_member_name (builder, "image");
      json_builder_add_string_value (builder, self->image);
      json_builder_set_member_name (builder, "imageType");
      json_builder_add_string_value (builder, memdisk_type_names[self->image_type]);
      json_builder_set_member_name (builder, "raw");
      json_builder_add_boolean_value (builder, self->raw);
      json_builder_set_member_name (builder, "kernel");
      json_builder_add_string_value (builder, self->kernel);
      json_builder_set_member_name (builder, "append");
      json_builder_add_string_value (builder, self->append);
      break;

    case YARD_BOOT_ENTRY_KIND_CHAIN:
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, self->url);
      break;

    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      json_builder_set_member_name (builder, "script");
      json_builder_add_string_value (builder, self->script);
      break;

    case YARD_BOOT_ENTRY_KIND_SUBMENU:
      json_builder_set_member_name (builder, "entries");
      json_builder_begin_array (builder);
      for (guint i = 0; self->submenu != NULL && i < yard_boot_menu_get_n_entries (self->submenu); i++)
        json_builder_add_value (builder,
                                yard_boot_entry_to_json (yard_boot_menu_get_entry (self->submenu, i)));
      json_builder_end_array (builder);
      break;

    case YARD_BOOT_ENTRY_KIND_OTHER:
      json_builder_set_member_name (builder, "directives");
      json_builder_add_string_value (builder, self->directives);
      break;

    default:
      g_assert_not_reached ();
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

typedef enum {
  FIELD_STRING,
  FIELD_BOOL,
  FIELD_STRV,
  FIELD_OBJECT,
} FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  guint       kinds; /* bit mask of YardBootEntryKind; 0 = every kind */
} FieldSpec;

#define K(x) (1u << YARD_BOOT_ENTRY_KIND_##x)

static const FieldSpec field_specs[] = {
  { "id", FIELD_STRING, 0 },
  { "kind", FIELD_STRING, 0 },
  { "label", FIELD_STRING, 0 },
  { "hidden", FIELD_BOOL, 0 },
  { "help", FIELD_STRING, 0 },
  { "readOnly", FIELD_BOOL, 0 },
  { "support", FIELD_OBJECT, 0 },  /* the server's verdicts (yard-boot-support.h) */
  { "kernel", FIELD_STRING, K (LINUX) | K (COM32) | K (MEMDISK) },
  { "initrds", FIELD_STRV, K (LINUX) },
  { "append", FIELD_STRING, K (LINUX) | K (COM32) | K (MEMDISK) },
  { "image", FIELD_STRING, K (MEMDISK) },
  { "imageType", FIELD_STRING, K (MEMDISK) },
  { "raw", FIELD_BOOL, K (MEMDISK) },
  { "url", FIELD_STRING, K (CHAIN) },
  { "script", FIELD_STRING, K (IPXE_SCRIPT) },
  { "entries", FIELD_STRV, K (SUBMENU) },
  { "directives", FIELD_STRING, K (OTHER) },
};

#undef K

static const FieldSpec *
find_field_spec (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_specs); i++)
    {
      if (strcmp (field_specs[i].name, name) == 0)
        return &field_specs[i];
    }
  return NULL;
}

static gboolean
node_get_string (JsonNode    *node,
                 const char  *name,
                 const char **out,
                 char       **field,
                 GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_field_error (field, error, name, _("“%s” must be a string"), name);
  *out = json_node_get_string (node);
  return TRUE;
}

static YardBootEntry *decode_entry (JsonObject  *object,
                                     char       **field,
                                     GError     **error);

/* An answer's members that a request cannot set: the read-only flag, an OTHER entry's lines,
 * a submenu's entries and the server's support verdicts. */
static gboolean
decode_read_only_member (YardBootEntry  *self,
                         const char     *name,
                         JsonNode       *node,
                         char          **field,
                         GError        **error)
{
  if (strcmp (name, "readOnly") == 0 && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    self->read_only = json_node_get_boolean (node);
  else if (strcmp (name, "directives") == 0 && JSON_NODE_HOLDS_VALUE (node) &&
           json_node_get_value_type (node) == G_TYPE_STRING)
    _yard_boot_entry_set_directives (self, json_node_get_string (node));
  else if (strcmp (name, "support") == 0 && JSON_NODE_HOLDS_OBJECT (node))
    {
      YardBootSupport *support = yard_boot_support_new_from_json (json_node_get_object (node),
                                                                  error);
      if (support == NULL)
        return set_field_error (field, NULL, name, "bad support");
      g_clear_pointer (&self->support, yard_boot_support_free);
      self->support = support;
    }
  else if (strcmp (name, "entries") == 0 && self->kind == YARD_BOOT_ENTRY_KIND_SUBMENU &&
           JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(YardBootMenu) submenu = yard_boot_menu_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autoptr(YardBootEntry) child = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            return set_field_error (field, error, name, _("“entries” must be an array of entries"));
          child = decode_entry (json_node_get_object (item), field, error);
          if (child == NULL)
            return FALSE;
          _yard_boot_menu_append_parsed (submenu, child);
        }
      yard_boot_menu_set_title (submenu, self->label);
      _yard_boot_entry_set_submenu (self, submenu);
    }
  return TRUE;
}

typedef enum
{
  APPLY_UPDATE,  /* a PATCH: the id stays */
  APPLY_CREATE,  /* a new entry: read-only members are refused */
  APPLY_DECODE,  /* an answer: read-only members are what the server has */
} ApplyMode;

/* Applies members of object to self (a scratch copy). Kind-independent checks of types and
 * of which members exist; validity of values is yard_boot_entry_validate()'s job. */
static gboolean
apply_json (YardBootEntry  *self,
            JsonObject     *object,
            ApplyMode       mode,
            char          **field,
            GError        **error)
{
  gboolean creating = mode != APPLY_UPDATE;

  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      const FieldSpec *spec = find_field_spec (name);
      const char *str = NULL;

      if (spec == NULL && mode == APPLY_DECODE)
        continue; /* a newer server's: what this client does not know it does not show */
      if (spec == NULL)
        return set_field_error (field, error, name,
                                _("Unknown field “%s” in a menu entry"), name);

      if (spec->type == FIELD_BOOL && !JSON_NODE_HOLDS_NULL (node) &&
          (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
        return set_field_error (field, error, name, _("“%s” must be true or false"), name);
      if (spec->type == FIELD_STRING && !node_get_string (node, name, &str, field, error))
        return FALSE;
      if (spec->type == FIELD_STRV && !JSON_NODE_HOLDS_NULL (node) && !JSON_NODE_HOLDS_ARRAY (node))
        return set_field_error (field, error, name, _("“%s” must be an array"), name);

      if (spec->type == FIELD_OBJECT && !JSON_NODE_HOLDS_NULL (node) &&
          !JSON_NODE_HOLDS_OBJECT (node))
        return set_field_error (field, error, name, _("“%s” must be an object"), name);

      if (mode == APPLY_DECODE && !JSON_NODE_HOLDS_NULL (node) &&
          !decode_read_only_member (self, name, node, field, error))
        return FALSE;

      /* Read-only members: accepted (so a client can send back what it got) and ignored. */
      if (strcmp (name, "readOnly") == 0 || strcmp (name, "entries") == 0 ||
          strcmp (name, "directives") == 0 || strcmp (name, "support") == 0)
        {
          if (mode == APPLY_DECODE)
            continue;
          if (creating && strcmp (name, "readOnly") != 0 && strcmp (name, "support") != 0)
            return set_field_error (field, error, name,
                                    _("“%s” is read-only: submenus and unknown entries are edited "
                                      "in the pxelinux file"), name);
          continue;
        }

      if (spec->kinds != 0 && !(spec->kinds & (1u << self->kind)))
        {
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          return set_field_error (field, error, name,
                                  _("“%s” does not apply to an entry of kind “%s”"),
                                  name, kind_names[self->kind]);
        }

      if (strcmp (name, "kind") == 0)
        continue; /* handled by the callers */
      else if (strcmp (name, "id") == 0)
        {
          if (creating)
            {
              if (str != NULL && !yard_boot_entry_id_is_valid (str))
                return set_field_error (field, error, "id",
                                        _("“%s” is not a valid entry id: use 1 to %d letters, digits, "
                                          "“.”, “_” or “-”, not starting with “-” or “.”"),
                                        str, YARD_BOOT_ENTRY_ID_MAX);
              g_free (self->id);
              self->id = g_strdup (str);
            }
          else if (g_strcmp0 (str, self->id) != 0)
            return set_field_error (field, error, "id",
                                    _("The id of an entry cannot change (it is “%s”)"), self->id);
        }
      else if (strcmp (name, "label") == 0)
        yard_boot_entry_set_label (self, str);
      else if (strcmp (name, "hidden") == 0)
        self->hidden = JSON_NODE_HOLDS_NULL (node) ? FALSE : json_node_get_boolean (node);
      else if (strcmp (name, "raw") == 0)
        self->raw = JSON_NODE_HOLDS_NULL (node) ? FALSE : json_node_get_boolean (node);
      else if (strcmp (name, "help") == 0)
        yard_boot_entry_set_help (self, str);
      else if (strcmp (name, "kernel") == 0)
        yard_boot_entry_set_kernel (self, str);
      else if (strcmp (name, "append") == 0)
        yard_boot_entry_set_append (self, str);
      else if (strcmp (name, "image") == 0)
        yard_boot_entry_set_image (self, str);
      else if (strcmp (name, "url") == 0)
        yard_boot_entry_set_url (self, str);
      else if (strcmp (name, "script") == 0)
        yard_boot_entry_set_script (self, str);
      else if (strcmp (name, "imageType") == 0)
        {
          if (str == NULL)
            self->image_type = YARD_MEMDISK_ISO;
          else if (!yard_memdisk_type_from_string (str, &self->image_type))
            return set_field_error (field, error, name,
                                    _("“imageType” must be one of iso, floppy, harddisk"));
        }
      else if (strcmp (name, "initrds") == 0)
        {
          g_autoptr(GPtrArray) list = g_ptr_array_new ();
          JsonArray *array = JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_array (node);

          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                return set_field_error (field, error, name, _("“initrds” must be an array of strings"));
              g_ptr_array_add (list, (gpointer)json_node_get_string (item));
            }
          g_ptr_array_add (list, NULL);
          yard_boot_entry_set_initrds (self, (const char * const *)list->pdata);
        }
      else
        g_assert_not_reached ();
    }

  return TRUE;
}

YardBootEntry *
yard_boot_entry_new_from_json (JsonObject  *object,
                               char       **field,
                               GError     **error)
{
  g_autoptr(YardBootEntry) self = NULL;
  JsonNode *kind_node;
  const char *kind_str = NULL;
  YardBootEntryKind kind;

  g_return_val_if_fail (object != NULL, NULL);

  kind_node = json_object_get_member (object, "kind");
  if (kind_node == NULL || JSON_NODE_HOLDS_NULL (kind_node))
    {
      set_field_error (field, error, "kind",
                       _("“kind” is required: one of localboot, linux, memdisk, chain, ipxe, com32"));
      return NULL;
    }
  if (!node_get_string (kind_node, "kind", &kind_str, field, error))
    return NULL;
  if (!yard_boot_entry_kind_from_string (kind_str, &kind) ||
      kind == YARD_BOOT_ENTRY_KIND_SUBMENU || kind == YARD_BOOT_ENTRY_KIND_OTHER)
    {
      set_field_error (field, error, "kind",
                       _("“%s” is not a kind of entry that can be created: use one of localboot, "
                         "linux, memdisk, chain, ipxe, com32"), kind_str);
      return NULL;
    }

  self = yard_boot_entry_new (kind, NULL, NULL);
  /* memdisk's "raw" (real-mode access) is what DOS images and small ISOs need; a new memdisk
   * entry has it unless the request says "raw": false. */
  if (kind == YARD_BOOT_ENTRY_KIND_MEMDISK)
    self->raw = TRUE;
  if (!apply_json (self, object, APPLY_CREATE, field, error))
    return NULL;
  if (!yard_boot_entry_validate (self, field, error))
    return NULL;

  return g_steal_pointer (&self);
}

static YardBootEntry *
decode_entry (JsonObject  *object,
              char       **field,
              GError     **error)
{
  g_autoptr(YardBootEntry) self = NULL;
  JsonNode *kind_node = json_object_get_member (object, "kind");
  const char *kind_str = NULL;
  YardBootEntryKind kind;

  if (kind_node == NULL || !node_get_string (kind_node, "kind", &kind_str, field, error) ||
      !yard_boot_entry_kind_from_string (kind_str, &kind))
    {
      g_clear_error (error);
      set_field_error (field, error, "kind", _("“kind” is not a kind of entry"));
      return NULL;
    }
  self = yard_boot_entry_new (kind, NULL, NULL);
  /* no id: an entry not in a menu yet (an image's suggested entry) */
  if (!apply_json (self, object, APPLY_DECODE, field, error))
    return NULL;
  return g_steal_pointer (&self);
}

YardBootEntry *
yard_boot_entry_decode_json (JsonObject  *object,
                             GError     **error)
{
  g_autofree char *field = NULL;
  g_autoptr(GError) local_error = NULL;
  YardBootEntry *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = decode_entry (object, &field, &local_error);
  if (self == NULL)
    g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                 _("The server sent a menu entry that does not read (%s%s%s): is it a Bootyard "
                   "server of this version?"), local_error ? local_error->message : "",
                 field ? ", field " : "", field ? field : "");
  return self;
}

const YardBootSupport *
yard_boot_entry_get_support (YardBootEntry *self)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), NULL);
  return self->support;
}

gboolean
yard_boot_entry_update_from_json (YardBootEntry  *self,
                                  JsonObject     *object,
                                  char          **field,
                                  GError        **error)
{
  g_autoptr(YardBootEntry) scratch = NULL;
  g_autoptr(GPtrArray) only = g_ptr_array_new ();
  JsonNode *kind_node;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  if (self->read_only)
    return set_field_error (field, error, "id",
                            _("Entry “%s” is read-only here (it comes from an included file, or is a "
                              "submenu or an entry Bootyard cannot describe): edit the pxelinux file"),
                            self->id);

  kind_node = json_object_get_member (object, "kind");
  if (kind_node != NULL && !JSON_NODE_HOLDS_NULL (kind_node))
    {
      const char *kind_str = NULL;

      if (!node_get_string (kind_node, "kind", &kind_str, field, error))
        return FALSE;
      if (g_strcmp0 (kind_str, kind_names[self->kind]) != 0)
        return set_field_error (field, error, "kind",
                                _("The kind of an entry cannot change (it is “%s”): add a new entry "
                                  "instead"), kind_names[self->kind]);
    }

  scratch = g_object_new (YARD_TYPE_BOOT_ENTRY, NULL);
  assign_fields (scratch, self);
  if (!apply_json (scratch, object, APPLY_UPDATE, field, error))
    return FALSE;
  /* Only what the request changes is checked: an entry read from a hand-written file (say
   * with an absolute kernel path) can still get a new label, and be sent back unchanged. */
#define CHANGED_STR(name, member) \
  if (g_strcmp0 (scratch->member, self->member) != 0) \
    g_ptr_array_add (only, (gpointer)name);
  CHANGED_STR ("label", label)
  CHANGED_STR ("help", help)
  CHANGED_STR ("kernel", kernel)
  CHANGED_STR ("append", append)
  CHANGED_STR ("image", image)
  CHANGED_STR ("url", url)
  CHANGED_STR ("script", script)
#undef CHANGED_STR
  if (!g_strv_equal ((const char * const *)scratch->initrds, (const char * const *)self->initrds))
    g_ptr_array_add (only, (gpointer)"initrds");
  g_ptr_array_add (only, NULL);
  if (!validate_fields (scratch, (const char * const *)only->pdata, field, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  yard_boot_entry_set_label (self, scratch->label);
  yard_boot_entry_set_hidden (self, scratch->hidden);
  yard_boot_entry_set_help (self, scratch->help);
  yard_boot_entry_set_kernel (self, scratch->kernel);
  yard_boot_entry_set_initrds (self, (const char * const *)scratch->initrds);
  yard_boot_entry_set_append (self, scratch->append);
  yard_boot_entry_set_image (self, scratch->image);
  self->image_type = scratch->image_type;
  self->raw = scratch->raw;
  yard_boot_entry_set_url (self, scratch->url);
  yard_boot_entry_set_script (self, scratch->script);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}
