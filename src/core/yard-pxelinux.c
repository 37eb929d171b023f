/* yard-pxelinux.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pxelinux.cfg parser: lines and directives, the files it reads (INCLUDE, MENU BEGIN..END)
 * into a menu that keeps every byte (the PxeDoc in yard-pxelinux-private.h), and loading the
 * root's file. Writing is yard-pxelinux-write.c; the UEFI menu is yard-pxelinux-efi.c.
 */

#define G_LOG_DOMAIN "yard-pxelinux"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "yard-boot-menu-private.h"
#include "yard-error.h"
#include "yard-pxelinux.h"
#include "yard-pxelinux-private.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_MENU_DEPTH 64    /* MENU BEGIN levels: a menu nobody could walk, or an attack */

static void
pxe_file_free (PxeFile *file)
{
  g_free (file->name);
  g_ptr_array_unref (file->lines);
  g_free (file);
}

static void
pxe_block_free (PxeBlock *block)
{
  if (block->entry != NULL)
    {
      if (_yard_boot_entry_get_origin (block->entry) == block)
        _yard_boot_entry_set_origin (block->entry, NULL, NULL);
      g_object_remove_weak_pointer (G_OBJECT (block->entry), (gpointer *)&block->entry);
    }
  g_clear_object (&block->parsed);
  g_free (block->label_name);
  g_free (block);
}

static void
pxe_doc_free (PxeDoc *doc)
{
  g_ptr_array_unref (doc->slots);
  g_ptr_array_unref (doc->blocks);
  g_ptr_array_unref (doc->files);
  g_free (doc->eol);
  g_free (doc->parsed_title);
  g_free (doc->parsed_default);
  g_free (doc->default_value);
  g_free (doc->ontimeout_value);
  g_free (doc);
}

/* Lines */

static GPtrArray *
split_lines (const char *data,
             gsize       length)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = data;
  const char *end = data + length;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl + 1 : end;

      g_ptr_array_add (lines, g_strndup (p, stop - p));
      p = stop;
    }
  return lines;
}

/* The line without its ending. */
char *
_yard_pxelinux_line_body (const char *line)
{
  gsize len = strlen (line);

  if (len > 0 && line[len - 1] == '\n')
    len--;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  return g_strndup (line, len);
}

const char *
_yard_pxelinux_line_eol (const char *line)
{
  gsize len = strlen (line);

  if (len >= 2 && line[len - 2] == '\r' && line[len - 1] == '\n')
    return "\r\n";
  if (len >= 1 && line[len - 1] == '\n')
    return "\n";
  return "";
}

const char *
_yard_pxelinux_skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

const char *
_yard_pxelinux_skip_word (const char *p)
{
  while (*p && *p != ' ' && *p != '\t')
    p++;
  return p;
}

void
_yard_pxelinux_directive_clear (Directive *d)
{
  g_clear_pointer (&d->keyword, g_free);
  g_clear_pointer (&d->arg, g_free);
  g_clear_pointer (&d->indent, g_free);
}

void
_yard_pxelinux_parse_directive (const char *body,
                                Directive  *d)
{
  const char *kw = _yard_pxelinux_skip_space (body);
  const char *kw_end = _yard_pxelinux_skip_word (kw);
  const char *arg;
  g_autofree char *first = g_ascii_strdown (kw, kw_end - kw);
  g_autofree char *trimmed = NULL;

  d->indent = g_strndup (body, kw - body);
  if (*kw == '\0' || *kw == '#')
    {
      d->keyword = g_strdup (*kw == '#' ? "#" : "");
      d->arg = g_strdup (kw);
      d->arg_offset = kw - body;
      return;
    }
  arg = _yard_pxelinux_skip_space (kw_end);
  if (strcmp (first, "menu") == 0 || strcmp (first, "text") == 0)
    {
      const char *sub_end = _yard_pxelinux_skip_word (arg);
      g_autofree char *sub = g_ascii_strdown (arg, sub_end - arg);

      d->keyword = g_strdup_printf ("%s %s", first, sub);
      arg = _yard_pxelinux_skip_space (sub_end);
    }
  else
    d->keyword = g_steal_pointer (&first);
  trimmed = g_strdup (arg);
  g_strchomp (trimmed);
  d->arg = g_steal_pointer (&trimmed);
  d->arg_offset = arg - body;
}

/* A keyword written without an argument ("MENU LABEL") needs a space before a new one. */
const char *
_yard_pxelinux_arg_separator (const char *body,
                              gsize       arg_offset)
{
  if (arg_offset == 0 || body[arg_offset - 1] == ' ' || body[arg_offset - 1] == '\t')
    return "";
  return " ";
}

gboolean
_yard_pxelinux_is_kernel_keyword (const char *kw)
{
  static const char * const kws[] = {
    "kernel", "linux", "boot", "bss", "pxe", "fdimage", "comboot", "com32", NULL
  };
  return g_strv_contains (kws, kw);
}

gboolean
_yard_pxelinux_is_boot_keyword (const char *kw)
{
  return _yard_pxelinux_is_kernel_keyword (kw) || strcmp (kw, "append") == 0 ||
         strcmp (kw, "initrd") == 0 || strcmp (kw, "localboot") == 0;
}

/* Directives that belong to the LABEL above them. */
static gboolean
is_label_directive (const Directive *d,
                    const char      *body)
{
  static const char * const kws[] = {
    "append", "initrd", "localboot", "ipappend", "sysappend", "config", "text help",
    "menu label", "menu hide", "menu default", "menu disable", "menu passwd", "menu indent",
    "menu goto", "menu exit", "menu quit", NULL
  };

  if (strcmp (d->keyword, "#") == 0)
    return g_str_has_prefix (_yard_pxelinux_skip_space (body), IPXE_COMMENT) ||
           g_str_has_prefix (_yard_pxelinux_skip_space (body), DISABLED_COMMENT);
  return _yard_pxelinux_is_kernel_keyword (d->keyword) || g_strv_contains (kws, d->keyword);
}

/* Whether a line of a LABEL block is one of Bootyard's derived lines: the DISABLED_COMMENT
 * line and the MENU LABEL / MENU DISABLE lines right after it. *active carries the state from
 * line to line (FALSE at the block's start). */
gboolean
_yard_pxelinux_is_derived_line (const Directive *d,
                                const char      *body,
                                gboolean        *active)
{
  if (strcmp (d->keyword, "#") == 0 &&
      g_str_has_prefix (_yard_pxelinux_skip_space (body), DISABLED_COMMENT))
    {
      *active = TRUE;
      return TRUE;
    }
  if (*active && (strcmp (d->keyword, "menu label") == 0 ||
                  strcmp (d->keyword, "menu disable") == 0))
    return TRUE;
  *active = FALSE;
  return FALSE;
}

/* Parsing */

typedef struct
{
  PxeDoc       *doc;
  char         *base_dir;
  YardBootMenu *root;
  GHashTable   *open_files; /* names being read, against INCLUDE loops */
  GHashTable   *ids;        /* every entry id given so far (owned) */
  GHashTable   *id_next;    /* id base -> the next "-N" to try for it */
} Parser;

typedef struct
{
  YardBootMenu *menu;
  PxeBlock     *region;  /* for a submenu: its MENU BEGIN block */
  gboolean      seen_label;
  gboolean      top;     /* the root menu */
} Container;

static gboolean
parse_error (GError    **error,
             PxeFile    *file,
             guint       line,
             const char *format,
             ...) G_GNUC_PRINTF (4, 5);

static gboolean
parse_error (GError    **error,
             PxeFile    *file,
             guint       line,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG, "%s:%u: %s",
               file->name, line + 1, message);
  return FALSE;
}

static gboolean
parse_uint (const char *str,
            guint       max,
            guint      *out)
{
  guint64 value;
  char *end = NULL;

  if (str == NULL || !g_ascii_isdigit (*str))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (str, &end, 0);
  if (errno != 0 || end == str || (*end != '\0' && *end != ' ' && *end != '\t') || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
_yard_pxelinux_has_special_extension (const char *path)
{
  static const char * const exts[] = { ".0", ".bin", ".bs", ".bss", ".com", ".cbt", NULL };
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; exts[i] != NULL; i++)
    {
      if (g_str_has_suffix (lower, exts[i]))
        return TRUE;
    }
  return FALSE;
}

static const char *
path_basename (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

/* One past the block's last line that is not derived. Blank and comment lines before a derived
 * line are inside the block only while it is there: a write drops it, and they then lie
 * between blocks, so they are not the entry's (fuzz-pxelinux: "LABEL x", a blank line and a
 * mark gave the entry a blank directive line that its written file did not). */
static guint
block_model_end (PxeBlock *block)
{
  gboolean in_help = FALSE;
  gboolean derived = FALSE;
  guint end = block->start + 1;

  for (guint i = block->start + 1; i < block->end; i++)
    {
      g_autofree char *body = _yard_pxelinux_line_body (g_ptr_array_index (block->file->lines, i));
      g_auto(Directive) d = { 0 };

      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          in_help = g_ascii_strcasecmp (stripped, "endtext") != 0;
          end = i + 1;
          continue;
        }
      _yard_pxelinux_parse_directive (body, &d);
      if (_yard_pxelinux_is_derived_line (&d, body, &derived))
        continue;
      if (is_label_directive (&d, body))
        end = i + 1;
      in_help = strcmp (d.keyword, "text help") == 0;
    }
  return end;
}

/* Turns the directives of a LABEL block into the entry's kind and fields. */
static void
classify_block (PxeBlock      *block,
                YardBootEntry *entry)
{
  g_autofree char *kernel_kw = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *append = NULL;
  g_autoptr(GPtrArray) initrds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) script = NULL;
  g_autoptr(GString) help = NULL;
  g_autoptr(GString) directives = g_string_new (NULL);
  gboolean localboot = FALSE;
  gboolean other = FALSE;
  gboolean in_help = FALSE;
  gboolean derived = FALSE;
  guint help_lines = 0;
  guint model_end = block_model_end (block);

  for (guint i = block->start; i < block->end; i++)
    {
      const char *line = g_ptr_array_index (block->file->lines, i);
      g_autofree char *body = _yard_pxelinux_line_body (line);
      g_auto(Directive) d = { 0 };

      /* The default is modelled on its own: MENU DEFAULT is not part of what is shown. */
      _yard_pxelinux_parse_directive (body, &d);
      if (!in_help && i > block->start && _yard_pxelinux_is_derived_line (&d, body, &derived))
        continue;
      if (i > block->start && i < model_end &&
          (in_help || strcmp (d.keyword, "menu default") != 0))
        g_string_append_printf (directives, "%s\n", body);
      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          if (g_ascii_strcasecmp (stripped, "endtext") == 0)
            in_help = FALSE;
          else
            {
              if (help_lines++ > 0)
                g_string_append_c (help, '\n');
              g_string_append (help, body);
            }
          continue;
        }

      if (strcmp (d.keyword, "#") == 0)
        {
          const char *text = _yard_pxelinux_skip_space (body);

          if (g_str_has_prefix (text, IPXE_COMMENT))
            {
              text += strlen (IPXE_COMMENT);
              if (*text == ' ')
                text++;
              if (script == NULL)
                script = g_string_new (NULL);
              else
                g_string_append_c (script, '\n');
              g_string_append (script, text);
            }
          continue;
        }
      if (_yard_pxelinux_is_kernel_keyword (d.keyword))
        {
          g_free (kernel_kw);
          kernel_kw = g_strdup (d.keyword);
          g_free (kernel);
          kernel = g_strdup (d.arg);
        }
      else if (strcmp (d.keyword, "append") == 0)
        {
          g_free (append);
          append = g_strdup (d.arg);
        }
      else if (strcmp (d.keyword, "initrd") == 0)
        {
          g_auto(GStrv) parts = g_strsplit (d.arg, ",", -1);

          block->initrd_directive = TRUE;
          for (guint j = 0; parts[j] != NULL; j++)
            {
              if (*parts[j] != '\0')
                g_ptr_array_add (initrds, g_strdup (parts[j]));
            }
        }
      else if (strcmp (d.keyword, "localboot") == 0)
        localboot = TRUE;
      else if (strcmp (d.keyword, "menu label") == 0)
        yard_boot_entry_set_label (entry, d.arg);
      else if (strcmp (d.keyword, "menu hide") == 0)
        yard_boot_entry_set_hidden (entry, TRUE);
      else if (strcmp (d.keyword, "text help") == 0)
        {
          in_help = TRUE;
          help = g_string_new (NULL);
        }
      else if (strcmp (d.keyword, "config") == 0 || strcmp (d.keyword, "menu goto") == 0 ||
               strcmp (d.keyword, "menu exit") == 0 || strcmp (d.keyword, "menu quit") == 0)
        other = TRUE;
    }

  if (help != NULL && help->len > 0)
    yard_boot_entry_set_help (entry, help->str);
  _yard_boot_entry_set_directives (entry, directives->str);

  if (other)
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_OTHER);
      return;
    }
  if (script != NULL && kernel == NULL && !localboot)
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT);
      yard_boot_entry_set_script (entry, script->str);
      return;
    }
  if (localboot && kernel == NULL)
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_LOCAL);
      return;
    }
  if (kernel == NULL || *kernel == '\0')
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_OTHER);
      return;
    }

  if (strcmp (kernel_kw, "com32") == 0 ||
      (strcmp (kernel_kw, "kernel") == 0 && g_str_has_suffix (kernel, ".c32")))
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_COM32);
      yard_boot_entry_set_kernel (entry, kernel);
      yard_boot_entry_set_append (entry, append);
      return;
    }
  if (strcmp (kernel_kw, "kernel") != 0 && strcmp (kernel_kw, "linux") != 0)
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_OTHER);
      return;
    }
  if (strcmp (kernel_kw, "kernel") == 0 && _yard_pxelinux_has_special_extension (kernel))
    {
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_OTHER);
      return;
    }

  if (g_ascii_strcasecmp (path_basename (kernel), "ipxe.lkrn") == 0 && append != NULL &&
      g_str_has_prefix (append, "dhcp && chain ") && initrds->len == 0)
    {
      const char *url = append + strlen ("dhcp && chain ");

      if (*url != '\0' && strpbrk (url, " \t") == NULL)
        {
          _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_CHAIN);
          yard_boot_entry_set_url (entry, url);
          return;
        }
    }

  if (g_ascii_strcasecmp (path_basename (kernel), "memdisk") == 0 && initrds->len == 0)
    {
      g_auto(GStrv) words = g_strsplit_set (append != NULL ? append : "", " \t", -1);
      g_autoptr(GString) extra = g_string_new (NULL);
      g_autofree char *image = NULL;
      YardMemdiskType type = YARD_MEMDISK_ISO;
      gboolean type_seen = FALSE;
      gboolean raw = FALSE;
      gboolean ok = TRUE;

      for (guint j = 0; words[j] != NULL; j++)
        {
          const char *w = words[j];

          if (*w == '\0')
            continue;
          if (g_str_has_prefix (w, "initrd="))
            {
              if (image != NULL || strchr (w, ',') != NULL)
                ok = FALSE;
              g_free (image);
              image = g_strdup (w + 7);
            }
          else if (!type_seen && yard_memdisk_type_from_string (w, &type))
            type_seen = TRUE;
          else if (strcmp (w, "raw") == 0 && !raw)
            raw = TRUE;
          else
            {
              if (extra->len > 0)
                g_string_append_c (extra, ' ');
              g_string_append (extra, w);
            }
        }
      if (ok && image != NULL && *image != '\0')
        {
          _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_MEMDISK);
          /* "memdisk" is the default loader: only another path is worth keeping. */
          yard_boot_entry_set_kernel (entry, strcmp (kernel, "memdisk") == 0 ? NULL : kernel);
          yard_boot_entry_set_image (entry, image);
          yard_boot_entry_set_image_type (entry, type);
          yard_boot_entry_set_raw (entry, raw);
          yard_boot_entry_set_append (entry, extra->str);
          return;
        }
      _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_OTHER);
      return;
    }

  /* Linux: initrd= words of APPEND join the INITRD directive's files. */
  {
    g_auto(GStrv) words = g_strsplit_set (append != NULL ? append : "", " \t", -1);
    g_autoptr(GString) rest = g_string_new (NULL);

    for (guint j = 0; words[j] != NULL; j++)
      {
        if (*words[j] == '\0')
          continue;
        if (g_str_has_prefix (words[j], "initrd="))
          {
            g_auto(GStrv) parts = g_strsplit (words[j] + 7, ",", -1);

            for (guint k = 0; parts[k] != NULL; k++)
              {
                if (*parts[k] != '\0')
                  g_ptr_array_add (initrds, g_strdup (parts[k]));
              }
            continue;
          }
        if (rest->len > 0)
          g_string_append_c (rest, ' ');
        g_string_append (rest, words[j]);
      }
    g_ptr_array_add (initrds, NULL);
    _yard_boot_entry_force_kind (entry, YARD_BOOT_ENTRY_KIND_LINUX);
    yard_boot_entry_set_kernel (entry, kernel);
    yard_boot_entry_set_initrds (entry, (const char * const *)initrds->pdata);
    yard_boot_entry_set_append (entry, rest->str);
  }
}

/* A configuration file is text. A NUL (which would merge two lines on the next write) makes it
 * something else, and so does a line with a share of control characters that only binary
 * data has: such a file is refused whole, and so never rewritten. A few control characters
 * are text (Debian's menu title starts with ^G), and so are bytes from 0x80 (Latin-1 labels).
 * The share is counted per line, not over the file: the files Bootyard writes keep or leave
 * out whole lines (the UEFI file leaves out entries), so a share of the whole file could grow
 * past the limit in what was written from a file that was within it (fuzz-pxelinux). */
#define NOT_TEXT "not a configuration file: it holds %s. Bootyard does not change such a " \
                 "file: restore it from a backup, or remove it to get a starter menu"
#define NOT_TEXT_MIN_CONTROLS 8   /* in one line, and more than 1 byte in 32 of it */

static gboolean
check_text (PxeFile     *file,
            const char  *data,
            gsize        length,
            GError     **error)
{
  const char *nul = memchr (data, '\0', length);
  gsize controls = 0;
  gsize line_start = 0;
  guint line = 0;

  for (gsize i = 0; i <= length; i++)
    {
      guchar c = i < length ? (guchar) data[i] : '\n';

      if (nul != NULL && data + i == nul)
        return parse_error (error, file, line, NOT_TEXT, "a NUL byte");
      if (c == '\n')
        {
          gsize line_length = i - line_start;

          if (controls >= NOT_TEXT_MIN_CONTROLS && controls * 32 > line_length)
            {
              g_autofree char *count =
                g_strdup_printf ("%" G_GSIZE_FORMAT " control characters in a line of %"
                                 G_GSIZE_FORMAT " bytes, as binary data does",
                                 controls, line_length);
              return parse_error (error, file, line, NOT_TEXT, count);
            }
          line++;
          line_start = i + 1;
          controls = 0;
        }
      else if (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != 0x1a && c != 0x1b)
        controls++;
    }
  return TRUE;
}

/* What _yard_boot_menu_make_unique_id gives in the tree being read, from tables: searching
 * the whole tree at each entry, and again for each "-N" tried, made a file with many entries
 * of one name (or many unnamed MENU BEGINs) take cubic time. */
static char *
parser_unique_id (Parser     *parser,
                  const char *text)
{
  g_autofree char *base = _yard_boot_menu_id_from_text (text);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (parser->id_next, base));
  char *id;

  if (n == 0 && !g_hash_table_contains (parser->ids, base))
    id = g_strdup (base);
  else
    {
      for (n = MAX (n, 2); ; n++)
        {
          id = g_strdup_printf ("%s-%u", base, n);
          if (!g_hash_table_contains (parser->ids, id))
            break;
          g_free (id);
        }
      g_hash_table_insert (parser->id_next, g_strdup (base), GUINT_TO_POINTER (n + 1));
    }
  g_hash_table_add (parser->ids, g_strdup (id));
  return id;
}

static gboolean parse_file (Parser     *parser,
                            PxeFile    *file,
                            Container  *container,
                            GPtrArray  *stack,
                            guint       depth,
                            GError    **error);

static PxeFile *
read_include (Parser      *parser,
              const char  *name,
              GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  PxeFile *file;

  while (*name == '/')
    name++;
  path = g_build_filename (parser->base_dir, name, NULL);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          /* pxelinux skips a missing INCLUDE silently; Debian's menu relies on that. */
          g_debug ("INCLUDE %s: not there, skipped as pxelinux does", name);
          return NULL;
        }
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                   "%s: %s", name, local_error->message);
      return NULL;
    }

  file = g_new0 (PxeFile, 1);
  file->name = g_strdup (name);
  file->lines = split_lines (contents, length);
  g_ptr_array_add (parser->doc->files, file);
  if (!check_text (file, contents, length, error))
    return NULL;
  return file;
}

static void
record_global (Parser    *parser,
               PxeFile   *file,
               guint      line,
               GlobalLoc *loc)
{
  if (file == g_ptr_array_index (parser->doc->files, 0))
    {
      loc->line = line;
      loc->elsewhere = FALSE;
    }
  else
    {
      loc->line = -1;
      loc->elsewhere = TRUE;
    }
}

static PxeBlock *
new_block (Parser  *parser,
           PxeFile *file,
           guint    start)
{
  PxeBlock *block = g_new0 (PxeBlock, 1);

  block->doc = parser->doc;
  block->file = file;
  block->start = start;
  block->end = start + 1;
  g_ptr_array_add (parser->doc->blocks, block);
  return block;
}

static void
bind_block (PxeBlock      *block,
            YardBootEntry *entry)
{
  block->entry = entry;
  g_object_add_weak_pointer (G_OBJECT (entry), (gpointer *)&block->entry);
  _yard_boot_entry_set_origin (entry, block, NULL);
}

static void
finish_label (Parser    *parser,
              Container *container,
              PxeBlock  *block)
{
  YardBootEntry *entry = block->entry;
  PxeFile *main_file = g_ptr_array_index (parser->doc->files, 0);

  classify_block (block, entry);
  if (block->file != main_file || !container->top ||
      yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_OTHER)
    _yard_boot_entry_set_read_only (entry, TRUE);
  if (block->has_menu_default)
    _yard_boot_menu_set_default_unchecked (container->menu, yard_boot_entry_get_id (entry));
  block->parsed = yard_boot_entry_copy (entry);
  if (block->file == main_file && container->top)
    g_ptr_array_add (parser->doc->slots, block);
}

static gboolean
parse_file (Parser     *parser,
            PxeFile    *file,
            Container  *container,
            GPtrArray  *stack,
            guint       depth,
            GError    **error)
{
  PxeDoc *doc = parser->doc;
  PxeBlock *label = NULL;         /* the LABEL block being read */
  gboolean in_help = FALSE;
  guint help_line = 0;
  guint stack_base = stack->len;  /* submenus opened in this file must close in it */

  if (depth > MAX_INCLUDE_DEPTH)
    return parse_error (error, file, 0, "INCLUDE nested more than %d deep: do files include each other?",
                        MAX_INCLUDE_DEPTH);

  for (guint i = 0; i < file->lines->len; i++)
    {
      const char *line = g_ptr_array_index (file->lines, i);
      g_autofree char *body = _yard_pxelinux_line_body (line);
      g_auto(Directive) d = { 0 };
      Container *current = stack->len > 0 ? g_ptr_array_index (stack, stack->len - 1) : container;

      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          if (g_ascii_strcasecmp (stripped, "endtext") == 0)
            {
              in_help = FALSE;
              if (label != NULL)
                label->end = i + 1;
            }
          continue;
        }

      _yard_pxelinux_parse_directive (body, &d);

      if (label != NULL && is_label_directive (&d, body))
        {
          label->end = i + 1;
          if (strcmp (d.keyword, "menu default") == 0)
            {
              label->has_menu_default = TRUE;
              if (current->top)
                doc->menu_default_style = TRUE;
            }
          if (strcmp (d.keyword, "text help") == 0)
            {
              in_help = TRUE;
              help_line = i;
            }
          continue;
        }

      if (strcmp (d.keyword, "text help") == 0)
        {
          /* Help outside a label: pxelinux ignores it, but ENDTEXT still ends it. */
          in_help = TRUE;
          help_line = i;
          continue;
        }

      if (strcmp (d.keyword, "label") == 0 || strcmp (d.keyword, "menu begin") == 0 ||
          strcmp (d.keyword, "menu end") == 0 || strcmp (d.keyword, "include") == 0 ||
          strcmp (d.keyword, "menu include") == 0)
        {
          if (label != NULL)
            finish_label (parser, current, label);
          label = NULL;
        }

      if (strcmp (d.keyword, "label") == 0)
        {
          g_autoptr(YardBootEntry) entry = NULL;
          g_autofree char *id = NULL;

          if (*d.arg == '\0')
            return parse_error (error, file, i, "LABEL needs a name");
          if (yard_boot_entry_id_is_valid (d.arg) && !g_hash_table_contains (parser->ids, d.arg))
            {
              id = g_strdup (d.arg);
              g_hash_table_add (parser->ids, g_strdup (id));
            }
          else
            id = parser_unique_id (parser, d.arg);
          entry = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_LINUX, id, NULL);
          label = new_block (parser, file, i);
          label->label_name = g_strdup (d.arg);
          bind_block (label, entry);
          _yard_boot_menu_append_parsed (current->menu, entry);
          current->seen_label = TRUE;
        }
      else if (strcmp (d.keyword, "menu begin") == 0)
        {
          g_autoptr(YardBootEntry) entry = NULL;
          g_autofree char *id = NULL;
          PxeBlock *region;
          Container *sub;

          if (stack->len >= MAX_MENU_DEPTH)
            return parse_error (error, file, i, "MENU BEGIN nested more than %d levels deep: "
                                "close submenus with MENU END", MAX_MENU_DEPTH);
          id = parser_unique_id (parser, *d.arg ? d.arg : "submenu");
          entry = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_SUBMENU, id, NULL);
          region = new_block (parser, file, i);
          region->region = TRUE;
          region->label_name = g_strdup (d.arg);
          bind_block (region, entry);
          _yard_boot_menu_append_parsed (current->menu, entry);
          current->seen_label = TRUE;

          sub = g_new0 (Container, 1);
          sub->menu = yard_boot_entry_get_submenu (entry);
          sub->region = region;
          g_ptr_array_add (stack, sub);
        }
      else if (strcmp (d.keyword, "menu end") == 0)
        {
          Container *sub;
          PxeBlock *region;
          PxeFile *main_file = g_ptr_array_index (doc->files, 0);

          if (stack->len <= stack_base)
            return parse_error (error, file, i, "MENU END without MENU BEGIN: remove it or add "
                                "the MENU BEGIN it closes");
          sub = g_ptr_array_index (stack, stack->len - 1);
          region = sub->region;
          region->end = i + 1;
          {
            YardBootEntry *entry = region->entry;
            Container *parent = stack->len - 1 > 0 ? g_ptr_array_index (stack, stack->len - 2) : container;

            region->parsed = yard_boot_entry_copy (entry);
            if (region->file == main_file && parent->top)
              g_ptr_array_add (doc->slots, region);
          }
          g_ptr_array_remove_index (stack, stack->len - 1);
        }
      else if (strcmp (d.keyword, "include") == 0 || strcmp (d.keyword, "menu include") == 0)
        {
          g_auto(GStrv) words = g_strsplit_set (d.arg, " \t", 2);
          PxeFile *included;
          g_autoptr(GError) local_error = NULL;

          if (words[0] == NULL || *words[0] == '\0')
            return parse_error (error, file, i, "INCLUDE needs a file name");
          if (g_hash_table_contains (parser->open_files, words[0]))
            return parse_error (error, file, i, "“%s” includes itself: remove the INCLUDE loop",
                                words[0]);
          included = read_include (parser, words[0], &local_error);
          if (local_error != NULL)
            return parse_error (error, file, i, "cannot read the included file: %s",
                                local_error->message);
          if (included != NULL)
            {
              gboolean ok;

              g_hash_table_add (parser->open_files, included->name);
              ok = parse_file (parser, included, current, stack, depth + 1, error);
              g_hash_table_remove (parser->open_files, included->name);
              if (!ok)
                return FALSE;
            }
        }
      else if (strcmp (d.keyword, "menu title") == 0)
        {
          if (current->top)
            {
              record_global (parser, file, i, &doc->title);
              yard_boot_menu_set_title (current->menu, d.arg);
            }
          else
            yard_boot_menu_set_title (current->menu, d.arg);
        }
      else if (strcmp (d.keyword, "menu label") == 0 && !current->top && !current->seen_label)
        {
          YardBootEntry *entry = current->region->entry;

          yard_boot_entry_set_label (entry, d.arg);
        }
      else if (strcmp (d.keyword, "timeout") == 0)
        {
          guint tenths;

          if (!parse_uint (d.arg, 35996, &tenths))
            return parse_error (error, file, i, "TIMEOUT needs a number of tenths of a second "
                                "(0 to 35996), not “%s”", d.arg);
          record_global (parser, file, i, &doc->timeout);
          _yard_boot_menu_set_timeout_tenths (parser->root, tenths);
        }
      else if (strcmp (d.keyword, "serial") == 0)
        {
          g_auto(GStrv) words = g_strsplit_set (d.arg, " \t", -1);
          guint port = 0, baud = 9600;
          guint n = 0;

          for (guint j = 0; words[j] != NULL; j++)
            {
              if (*words[j] == '\0')
                continue;
              if (n == 0 && !parse_uint (words[j], 0xffff, &port))
                return parse_error (error, file, i, "SERIAL needs a port number, not “%s”", words[j]);
              if (n == 1 && !parse_uint (words[j], 4000000, &baud))
                return parse_error (error, file, i, "SERIAL needs a baud rate, not “%s”", words[j]);
              n++;
            }
          if (n == 0)
            return parse_error (error, file, i, "SERIAL needs a port number (0 for COM1)");
          record_global (parser, file, i, &doc->serial);
          _yard_boot_menu_set_serial_unchecked (parser->root, TRUE, port, baud);
        }
      else if (strcmp (d.keyword, "default") == 0 && current->top)
        {
          record_global (parser, file, i, &doc->deflt);
          g_free (doc->default_value);
          doc->default_value = g_strdup (d.arg);
        }
      else if (strcmp (d.keyword, "ontimeout") == 0 && current->top)
        {
          record_global (parser, file, i, &doc->ontimeout);
          g_free (doc->ontimeout_value);
          doc->ontimeout_value = g_strdup (d.arg);
        }
      else if (strcmp (d.keyword, "ui") == 0 && current->top)
        record_global (parser, file, i, &doc->ui);
      /* Anything else (comments, SAY, DISPLAY, F1..F12, MENU COLOR...) is kept as text. */
    }

  if (in_help)
    return parse_error (error, file, help_line, "TEXT HELP without ENDTEXT: add a line ENDTEXT");
  if (label != NULL)
    {
      Container *current = stack->len > 0 ? g_ptr_array_index (stack, stack->len - 1) : container;

      finish_label (parser, current, label);
    }
  if (stack->len > stack_base)
    {
      Container *sub = g_ptr_array_index (stack, stack->len - 1);

      return parse_error (error, file, sub->region->start,
                          "MENU BEGIN without MENU END: add MENU END where the submenu ends");
    }
  return TRUE;
}

PxeBlock *
_yard_pxelinux_find_label_block (PxeDoc     *doc,
                                 const char *name)
{
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      PxeBlock *block = g_ptr_array_index (doc->blocks, i);

      if (!block->region && g_strcmp0 (block->label_name, name) == 0)
        return block;
    }
  return NULL;
}

YardBootMenu *
yard_pxelinux_parse (const char  *base_dir,
                     const char  *display_name,
                     const char  *data,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) open_files = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) id_next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Container top = { 0 };
  Parser parser = { 0 };
  PxeDoc *doc;
  PxeFile *file;

  g_return_val_if_fail (base_dir != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  doc = g_new0 (PxeDoc, 1);
  doc->files = g_ptr_array_new_with_free_func ((GDestroyNotify)pxe_file_free);
  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify)pxe_block_free);
  doc->slots = g_ptr_array_new ();
  doc->title.line = doc->timeout.line = doc->serial.line = -1;
  doc->deflt.line = doc->ui.line = doc->ontimeout.line = -1;
  _yard_boot_menu_set_origin (menu, doc, (GDestroyNotify)pxe_doc_free);

  file = g_new0 (PxeFile, 1);
  file->name = g_strdup (display_name);
  file->lines = split_lines (data, length);
  g_ptr_array_add (doc->files, file);
  doc->eol = g_strdup (file->lines->len > 0 &&
                       strcmp (_yard_pxelinux_line_eol (g_ptr_array_index (file->lines, 0)),
                               "\r\n") == 0
                       ? "\r\n" : "\n");

  parser.doc = doc;
  parser.base_dir = (char *)base_dir;
  parser.root = menu;
  parser.open_files = open_files;
  parser.ids = ids;
  parser.id_next = id_next;
  g_hash_table_add (open_files, file->name);
  top.menu = menu;
  top.top = TRUE;

  if (!check_text (file, data, length, error) ||
      !parse_file (&parser, file, &top, stack, 0, error))
    return NULL;

  /* The default: MENU DEFAULT (set while parsing), else DEFAULT or ONTIMEOUT naming a label. */
  if (yard_boot_menu_get_default_id (menu) == NULL)
    {
      const char *names[] = { doc->default_value, doc->ontimeout_value };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          PxeBlock *block = names[i] != NULL ? _yard_pxelinux_find_label_block (doc, names[i])
                                             : NULL;

          if (block != NULL && block->entry != NULL &&
              yard_boot_menu_get_position (menu, yard_boot_entry_get_id (block->entry)) >= 0)
            {
              _yard_boot_menu_set_default_unchecked (menu, yard_boot_entry_get_id (block->entry));
              break;
            }
        }
    }

  doc->parsed_title = g_strdup (yard_boot_menu_get_title (menu));
  doc->parsed_timeout = yard_boot_menu_get_timeout_tenths (menu);
  doc->parsed_serial = yard_boot_menu_get_serial (menu, &doc->parsed_port, &doc->parsed_baud);
  doc->parsed_default = g_strdup (yard_boot_menu_get_default_id (menu));

  return g_steal_pointer (&menu);
}

YardBootMenu *
yard_pxelinux_load_file (const char  *base_dir,
                         const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autofree char *canonical_base = NULL;
  g_autofree char *canonical_path = NULL;
  gsize length = 0;

  g_return_val_if_fail (base_dir != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    {
      if (error != NULL && *error != NULL && g_error_matches (*error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_error (error);
          g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND, "%s does not exist", path);
        }
      return NULL;
    }

  canonical_base = g_canonicalize_filename (base_dir, NULL);
  canonical_path = g_canonicalize_filename (path, NULL);
  if (g_str_has_prefix (canonical_path, canonical_base) &&
      canonical_path[strlen (canonical_base)] == '/')
    display = g_strdup (canonical_path + strlen (canonical_base) + 1);
  else
    display = g_strdup (path);

  return yard_pxelinux_parse (base_dir, display, contents, length, error);
}

YardBootMenu *
yard_pxelinux_load_root (const char  *root_dir,
                         GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (root_dir != NULL, NULL);

  path = g_build_filename (root_dir, "pxelinux.cfg", "default", NULL);
  return yard_pxelinux_load_file (root_dir, path, error);
}
