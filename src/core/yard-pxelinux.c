/* yard-pxelinux.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-pxelinux"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "yard-boot-menu-private.h"
#include "yard-error.h"
#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-pxelinux.h"
#include "yard-root-file.h"

/*
 * How losslessness works
 *
 * A parsed menu keeps a PxeDoc: every file read (the main file and INCLUDE'd ones) as its
 * lines, byte for byte with their line endings. Each LABEL block (from LABEL to its last
 * label directive) and each MENU BEGIN..MENU END region of the main file's top level is a
 * slot. Writing walks the main file's lines: text between slots is copied (after edits of
 * the global lines we model: MENU TITLE, TIMEOUT, SERIAL, DEFAULT, UI), and each slot gets
 * the next editable top-level entry of the model, in model order. An entry equal to what was
 * parsed is copied verbatim; a changed one gets only its changed directive lines rewritten
 * (unknown lines, comments and indentation kept). New entries go after the last line.
 * Entries from included files and submenus are read-only: included files are never written.
 *
 * Kinds written for entries pxelinux cannot run itself:
 *   CHAIN:        KERNEL ipxe.lkrn / APPEND dhcp && chain URL   (iPXE's lkrn runs its
 *                 command line as a script; the boot root needs ipxe.lkrn)
 *   IPXE_SCRIPT:  MENU DISABLE and the script as "# bootyard-ipxe: " comment lines, so the
 *                 file keeps it (the source of truth) while pxelinux shows it greyed out.
 *
 * Derived lines: an entry that cannot boot on BIOS now (a file it names is missing from the
 * root, an ARM64 or UEFI-only kernel: yard_boot_entry_unsupported_by (PXELINUX)) stays in
 * the file, greyed out, with "# bootyard-disabled: REASON" followed by "MENU LABEL ..." (its
 * label with a suffix) and "MENU DISABLE" at the end of its block. They are state, not the
 * user's: the parser skips them (neither label nor directives), and each write against the
 * root drops them and writes them again only while the reason holds.
 */

#define IPXE_COMMENT "# bootyard-ipxe:"
#define DISABLED_COMMENT "# bootyard-disabled:"
#define MAX_INCLUDE_DEPTH 16
#define MAX_MENU_DEPTH 64    /* MENU BEGIN levels: a menu nobody could walk, or an attack */

typedef struct _PxeDoc PxeDoc;

typedef struct
{
  char      *name;   /* for messages and as the INCLUDE key */
  GPtrArray *lines;  /* char *, each with its line ending */
} PxeFile;

typedef struct
{
  PxeDoc        *doc;
  PxeFile       *file;
  guint          start;        /* first line (LABEL or MENU BEGIN) */
  guint          end;          /* one past the last line */
  YardBootEntry *entry;        /* weak */
  YardBootEntry *parsed;       /* what it was when read */
  char          *label_name;   /* the LABEL argument as written */
  gboolean       has_menu_default; /* a MENU DEFAULT line in the block */
  gboolean       initrd_directive;
  gboolean       region;       /* a MENU BEGIN..END region: always verbatim */
} PxeBlock;

typedef struct
{
  int      line;       /* in the main file, -1 = not there */
  gboolean elsewhere;  /* set in an included file */
} GlobalLoc;

struct _PxeDoc
{
  GPtrArray *files;     /* PxeFile*, [0] is the main file */
  GPtrArray *blocks;    /* PxeBlock*, all of them */
  GPtrArray *slots;     /* PxeBlock*, the main file's top level, in order */
  char      *eol;

  GlobalLoc  title, timeout, serial, deflt, ui, ontimeout;
  char      *parsed_title;
  guint      parsed_timeout;
  gboolean   parsed_serial;
  guint      parsed_port, parsed_baud;
  char      *parsed_default;
  char      *default_value;     /* DEFAULT's argument */
  char      *ontimeout_value;
  gboolean   menu_default_style; /* the default comes from MENU DEFAULT lines */
};

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
static char *
line_body (const char *line)
{
  gsize len = strlen (line);

  if (len > 0 && line[len - 1] == '\n')
    len--;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  return g_strndup (line, len);
}

static const char *
line_eol (const char *line)
{
  gsize len = strlen (line);

  if (len >= 2 && line[len - 2] == '\r' && line[len - 1] == '\n')
    return "\r\n";
  if (len >= 1 && line[len - 1] == '\n')
    return "\n";
  return "";
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static const char *
skip_word (const char *p)
{
  while (*p && *p != ' ' && *p != '\t')
    p++;
  return p;
}

/* A parsed directive: keyword (lowercase; "menu x" for MENU lines), argument (trimmed),
 * and the offset in the body where the argument starts (to keep the prefix on rewrite). */
typedef struct
{
  char *keyword;
  char *arg;
  gsize arg_offset;
  char *indent;
} Directive;

static void
directive_clear (Directive *d)
{
  g_clear_pointer (&d->keyword, g_free);
  g_clear_pointer (&d->arg, g_free);
  g_clear_pointer (&d->indent, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Directive, directive_clear)

static void
parse_directive (const char *body,
                 Directive  *d)
{
  const char *kw = skip_space (body);
  const char *kw_end = skip_word (kw);
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
  arg = skip_space (kw_end);
  if (strcmp (first, "menu") == 0 || strcmp (first, "text") == 0)
    {
      const char *sub_end = skip_word (arg);
      g_autofree char *sub = g_ascii_strdown (arg, sub_end - arg);

      d->keyword = g_strdup_printf ("%s %s", first, sub);
      arg = skip_space (sub_end);
    }
  else
    d->keyword = g_steal_pointer (&first);
  trimmed = g_strdup (arg);
  g_strchomp (trimmed);
  d->arg = g_steal_pointer (&trimmed);
  d->arg_offset = arg - body;
}

/* A keyword written without an argument ("MENU LABEL") needs a space before a new one. */
static const char *
arg_separator (const char *body,
               gsize       arg_offset)
{
  if (arg_offset == 0 || body[arg_offset - 1] == ' ' || body[arg_offset - 1] == '\t')
    return "";
  return " ";
}

static gboolean
is_kernel_keyword (const char *kw)
{
  static const char * const kws[] = {
    "kernel", "linux", "boot", "bss", "pxe", "fdimage", "comboot", "com32", NULL
  };
  return g_strv_contains (kws, kw);
}

static gboolean
is_boot_keyword (const char *kw)
{
  return is_kernel_keyword (kw) || strcmp (kw, "append") == 0 || strcmp (kw, "initrd") == 0 ||
         strcmp (kw, "localboot") == 0;
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
    return g_str_has_prefix (skip_space (body), IPXE_COMMENT) ||
           g_str_has_prefix (skip_space (body), DISABLED_COMMENT);
  return is_kernel_keyword (d->keyword) || g_strv_contains (kws, d->keyword);
}

/* Whether a line of a LABEL block is one of Bootyard's derived lines: the DISABLED_COMMENT
 * line and the MENU LABEL / MENU DISABLE lines right after it. *active carries the state from
 * line to line (FALSE at the block's start). */
static gboolean
is_derived_line (const Directive *d,
                 const char      *body,
                 gboolean        *active)
{
  if (strcmp (d->keyword, "#") == 0 && g_str_has_prefix (skip_space (body), DISABLED_COMMENT))
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

static gboolean
has_special_extension (const char *path)
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
      g_autofree char *body = line_body (g_ptr_array_index (block->file->lines, i));
      g_auto(Directive) d = { 0 };

      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          in_help = g_ascii_strcasecmp (stripped, "endtext") != 0;
          end = i + 1;
          continue;
        }
      parse_directive (body, &d);
      if (is_derived_line (&d, body, &derived))
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
      g_autofree char *body = line_body (line);
      g_auto(Directive) d = { 0 };

      /* The default is modelled on its own: MENU DEFAULT is not part of what is shown. */
      parse_directive (body, &d);
      if (!in_help && i > block->start && is_derived_line (&d, body, &derived))
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
          const char *text = skip_space (body);

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
      if (is_kernel_keyword (d.keyword))
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
  if (strcmp (kernel_kw, "kernel") == 0 && has_special_extension (kernel))
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
      g_autofree char *body = line_body (line);
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

      parse_directive (body, &d);

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

static PxeBlock *
find_label_block (PxeDoc     *doc,
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
  doc->eol = g_strdup (file->lines->len > 0 && strcmp (line_eol (g_ptr_array_index (file->lines, 0)), "\r\n") == 0
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
          PxeBlock *block = names[i] != NULL ? find_label_block (doc, names[i]) : NULL;

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

/* Writing */

static void
append_line (GString    *out,
             const char *eol,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
append_line (GString    *out,
             const char *eol,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append (out, eol);
}

static void
ensure_eol (GString    *out,
            const char *eol)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append (out, eol);
}

static char *
join_initrds (YardBootEntry *entry)
{
  return g_strjoinv (",", (GStrv)yard_boot_entry_get_initrds (entry));
}

static const char *
memdisk_kernel (YardBootEntry *entry)
{
  return yard_boot_entry_get_kernel (entry) != NULL ? yard_boot_entry_get_kernel (entry) : "memdisk";
}

/* The lines that make the entry boot, with the given indent. kernel_kw is the keyword the
 * file used for KERNEL/LINUX, kept when the kind stays. */
static void
write_boot_lines (GString       *out,
                  const char    *eol,
                  const char    *indent,
                  YardBootEntry *entry,
                  const char    *kernel_kw,
                  gboolean       initrd_directive)
{
  const char *append = yard_boot_entry_get_append (entry);
  g_autofree char *initrds = join_initrds (entry);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
      append_line (out, eol, "%sLOCALBOOT 0", indent);
      break;

    case YARD_BOOT_ENTRY_KIND_LINUX:
      {
        const char *kernel = yard_boot_entry_get_kernel (entry);

        if (kernel_kw == NULL || has_special_extension (kernel))
          kernel_kw = "LINUX";
        append_line (out, eol, "%s%s %s", indent, kernel_kw, kernel);
        if (*initrds != '\0' && initrd_directive)
          append_line (out, eol, "%sINITRD %s", indent, initrds);
        if (*initrds != '\0' && !initrd_directive)
          append_line (out, eol, "%sAPPEND initrd=%s%s%s", indent, initrds,
                       append != NULL ? " " : "", append != NULL ? append : "");
        else if (append != NULL)
          append_line (out, eol, "%sAPPEND %s", indent, append);
      }
      break;

    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      append_line (out, eol, "%s%s %s", indent, kernel_kw != NULL ? kernel_kw : "KERNEL",
                   memdisk_kernel (entry));
      append_line (out, eol, "%sAPPEND %s%s initrd=%s%s%s", indent,
                   yard_memdisk_type_to_string (yard_boot_entry_get_image_type (entry)),
                   yard_boot_entry_get_raw (entry) ? " raw" : "",
                   yard_boot_entry_get_image (entry),
                   append != NULL ? " " : "", append != NULL ? append : "");
      break;

    case YARD_BOOT_ENTRY_KIND_COM32:
      append_line (out, eol, "%sCOM32 %s", indent, yard_boot_entry_get_kernel (entry));
      if (append != NULL)
        append_line (out, eol, "%sAPPEND %s", indent, append);
      break;

    case YARD_BOOT_ENTRY_KIND_CHAIN:
      append_line (out, eol, "%sKERNEL ipxe.lkrn", indent);
      append_line (out, eol, "%sAPPEND dhcp && chain %s", indent, yard_boot_entry_get_url (entry));
      break;

    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      {
        g_auto(GStrv) lines = g_strsplit (yard_boot_entry_get_script (entry), "\n", -1);

        append_line (out, eol, "%sMENU DISABLE", indent);
        for (guint i = 0; lines[i] != NULL; i++)
          {
            g_strchomp (lines[i]);
            if (lines[i + 1] == NULL && *lines[i] == '\0')
              break; /* a final newline */
            append_line (out, eol, "%s" IPXE_COMMENT " %s", indent, lines[i]);
          }
      }
      break;

    case YARD_BOOT_ENTRY_KIND_SUBMENU:
    case YARD_BOOT_ENTRY_KIND_OTHER:
    default:
      g_assert_not_reached ();
    }
}

static void
write_help (GString    *out,
            const char *eol,
            const char *indent,
            const char *help)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);

  append_line (out, eol, "%sTEXT HELP", indent);
  for (guint i = 0; lines[i] != NULL; i++)
    append_line (out, eol, "%s", lines[i]);
  append_line (out, eol, "%sENDTEXT", indent);
}

/* Text for one line of the file: control characters (a newline above all) as spaces. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "");

  for (char *p = copy; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        *p = ' ';
    }
  return copy;
}

/* The derived lines (see the top) for an entry pxelinux cannot boot from root_dir now; none
 * without root_dir, for an entry that boots, and for an iPXE script (disabled by its kind). */
static void
write_disabled_mark (GString       *out,
                     const char    *eol,
                     const char    *indent,
                     YardBootEntry *entry,
                     const char    *label_name,
                     const char    *root_dir)
{
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  g_auto(GStrv) missing = NULL;

  if (root_dir == NULL || yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT)
    return;
  reason = yard_boot_entry_unsupported_by (entry, YARD_LOADER_PXELINUX, root_dir);
  if (reason == NULL)
    return;
  missing = yard_boot_entry_dup_missing_files (entry, root_dir);
  text = one_line (reason);
  label = one_line (yard_boot_entry_get_label (entry) != NULL ? yard_boot_entry_get_label (entry)
                                                              : label_name);
  ensure_eol (out, eol);
  append_line (out, eol, "%s" DISABLED_COMMENT " %s (Bootyard removes these lines once it "
               "can boot)", indent, text);
  /* the file's own words, whatever the server's locale: pxelinux shows no UTF-8 */
  append_line (out, eol, "%sMENU LABEL %s (%s)", indent, label,
               missing[0] != NULL ? "file missing" : "not for BIOS");
  append_line (out, eol, "%sMENU DISABLE", indent);
}

/* A new entry (or one from a model without a file). */
static void
write_new_entry (GString       *out,
                 const char    *eol,
                 YardBootEntry *entry,
                 gboolean       is_default,
                 const char    *root_dir)
{
  const char *indent = "  ";
  const char *label = yard_boot_entry_get_label (entry);

  append_line (out, eol, "LABEL %s", yard_boot_entry_get_id (entry));
  if (label != NULL)
    append_line (out, eol, "%sMENU LABEL %s", indent, label);
  if (is_default)
    append_line (out, eol, "%sMENU DEFAULT", indent);
  if (yard_boot_entry_get_hidden (entry))
    append_line (out, eol, "%sMENU HIDE", indent);
  write_boot_lines (out, eol, indent, entry, NULL, FALSE);
  if (yard_boot_entry_get_help (entry) != NULL)
    write_help (out, eol, indent, yard_boot_entry_get_help (entry));
  write_disabled_mark (out, eol, indent, entry, yard_boot_entry_get_id (entry), root_dir);
}

static gboolean
block_unchanged (PxeBlock      *block,
                 YardBootEntry *entry,
                 gboolean       want_default)
{
  YardBootEntry *parsed = block->parsed;

  if (block->region)
    return TRUE;
  /* OTHER entries cannot be edited, but their MENU DEFAULT line follows the default. */
  return g_strcmp0 (yard_boot_entry_get_label (entry), yard_boot_entry_get_label (parsed)) == 0 &&
         yard_boot_entry_get_hidden (entry) == yard_boot_entry_get_hidden (parsed) &&
         g_strcmp0 (yard_boot_entry_get_help (entry), yard_boot_entry_get_help (parsed)) == 0 &&
         _yard_boot_entry_boot_equal (entry, parsed) &&
         want_default == block->has_menu_default;
}

/* Copies the block's lines but its derived ones. */
static void
copy_block (GString   *out,
            GPtrArray *lines,
            PxeBlock  *block)
{
  gboolean in_help = FALSE;
  gboolean derived = FALSE;

  for (guint i = block->start; i < block->end; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *body = NULL;
      g_auto(Directive) d = { 0 };

      if (line == NULL)
        continue;
      body = line_body (line);
      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          in_help = g_ascii_strcasecmp (stripped, "endtext") != 0;
          g_string_append (out, line);
          continue;
        }
      parse_directive (body, &d);
      if (i > block->start && is_derived_line (&d, body, &derived))
        continue;
      in_help = strcmp (d.keyword, "text help") == 0;
      g_string_append (out, line);
    }
}

/* Rewrites only the directive lines of the block that changed; root_dir: as for
 * write_disabled_mark(). */
static void
write_block (GString       *out,
             const char    *eol,
             GPtrArray     *lines,
             PxeBlock      *block,
             YardBootEntry *entry,
             gboolean       want_default,
             const char    *root_dir)
{
  YardBootEntry *parsed = block->parsed;
  gboolean label_changed, help_changed, boot_changed;
  gboolean label_done = FALSE, default_done = FALSE, hide_done = FALSE;
  gboolean help_done = FALSE, boot_done = FALSE;
  gboolean in_help = FALSE;
  gboolean derived = FALSE;
  g_autofree char *indent = NULL;
  g_autofree char *kernel_kw = NULL;

  /* The indent of the body, and the kernel keyword as the file spells it. */
  for (guint i = block->start + 1; i < block->end; i++)
    {
      g_autofree char *body = NULL;
      g_auto(Directive) d = { 0 };

      if (g_ptr_array_index (lines, i) == NULL)
        continue;
      body = line_body (g_ptr_array_index (lines, i));
      parse_directive (body, &d);
      if (indent == NULL && *d.keyword != '\0')
        indent = g_strdup (d.indent);
      if (kernel_kw == NULL && is_kernel_keyword (d.keyword) &&
          (strcmp (d.keyword, "kernel") == 0 || strcmp (d.keyword, "linux") == 0) &&
          yard_boot_entry_get_kind (entry) == yard_boot_entry_get_kind (parsed))
        kernel_kw = g_strndup (skip_space (body), skip_word (skip_space (body)) - skip_space (body));
    }
  if (indent == NULL)
    indent = g_strdup ("  ");

  if (block_unchanged (block, entry, want_default))
    {
      copy_block (out, lines, block);
      if (!block->region)
        write_disabled_mark (out, eol, indent, entry, block->label_name, root_dir);
      return;
    }

  label_changed = g_strcmp0 (yard_boot_entry_get_label (entry), yard_boot_entry_get_label (parsed)) != 0;
  help_changed = g_strcmp0 (yard_boot_entry_get_help (entry), yard_boot_entry_get_help (parsed)) != 0;
  boot_changed = !_yard_boot_entry_boot_equal (entry, parsed);

  for (guint i = block->start; i < block->end; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *body = NULL;
      g_auto(Directive) d = { 0 };

      if (line == NULL)
        continue;
      body = line_body (line);

      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          if (g_ascii_strcasecmp (stripped, "endtext") == 0)
            in_help = FALSE;
          if (!help_changed)
            g_string_append (out, line);
          continue;
        }

      if (i == block->start)
        {
          g_string_append (out, line);
          if (!g_str_has_suffix (line, "\n"))
            g_string_append (out, eol);
          /* What did not exist goes right after LABEL. */
          if (label_changed && yard_boot_entry_get_label (parsed) == NULL &&
              yard_boot_entry_get_label (entry) != NULL)
            {
              append_line (out, eol, "%sMENU LABEL %s", indent, yard_boot_entry_get_label (entry));
              label_done = TRUE;
            }
          if (want_default && !block->has_menu_default)
            {
              append_line (out, eol, "%sMENU DEFAULT", indent);
              default_done = TRUE;
            }
          if (yard_boot_entry_get_hidden (entry) && !yard_boot_entry_get_hidden (parsed))
            {
              append_line (out, eol, "%sMENU HIDE", indent);
              hide_done = TRUE;
            }
          continue;
        }

      parse_directive (body, &d);
      if (is_derived_line (&d, body, &derived))
        continue;

      if (strcmp (d.keyword, "menu label") == 0)
        {
          if (!label_changed)
            g_string_append (out, line);
          else if (!label_done && yard_boot_entry_get_label (entry) != NULL)
            append_line (out, eol, "%.*s%s%s", (int)d.arg_offset, body, arg_separator (body, d.arg_offset),
                         yard_boot_entry_get_label (entry));
          label_done = TRUE;
        }
      else if (strcmp (d.keyword, "menu default") == 0)
        {
          if (want_default)
            g_string_append (out, line);
          default_done = TRUE;
        }
      else if (strcmp (d.keyword, "menu hide") == 0)
        {
          if (yard_boot_entry_get_hidden (entry))
            g_string_append (out, line);
          hide_done = TRUE;
        }
      else if (strcmp (d.keyword, "text help") == 0)
        {
          in_help = TRUE;
          if (!help_changed)
            g_string_append (out, line);
          else if (!help_done && yard_boot_entry_get_help (entry) != NULL)
            write_help (out, eol, d.indent, yard_boot_entry_get_help (entry));
          help_done = TRUE;
        }
      else if (is_boot_keyword (d.keyword) ||
               (yard_boot_entry_get_kind (parsed) == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT &&
                (strcmp (d.keyword, "menu disable") == 0 ||
                 g_str_has_prefix (skip_space (body), IPXE_COMMENT))))
        {
          if (!boot_changed)
            g_string_append (out, line);
          else if (!boot_done)
            write_boot_lines (out, eol, d.indent, entry, kernel_kw, block->initrd_directive);
          boot_done = TRUE;
        }
      else
        g_string_append (out, line);
      (void)hide_done;
      (void)default_done;
    }

  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append (out, eol);
  if (help_changed && !help_done && yard_boot_entry_get_help (entry) != NULL)
    write_help (out, eol, indent, yard_boot_entry_get_help (entry));
  if (boot_changed && !boot_done)
    write_boot_lines (out, eol, indent, entry, kernel_kw, block->initrd_directive);
  write_disabled_mark (out, eol, indent, entry, block->label_name, root_dir);
}

/* Whether the block should carry a MENU DEFAULT line. Unless the default changed, blocks
 * keep what they had (a file may hold several; the last one wins in pxelinux). */
static gboolean
want_menu_default (PxeBlock *block,
                   gboolean  is_default,
                   gboolean  default_by_menu,
                   gboolean  default_changed)
{
  if (!default_by_menu || !default_changed)
    return block->has_menu_default;
  return is_default;
}

static gboolean
entry_is_written (YardBootEntry *entry,
                  PxeDoc        *doc)
{
  PxeBlock *block = _yard_boot_entry_get_origin (entry);

  if (block == NULL || block->doc != doc)
    return TRUE; /* new: written by us */
  return block->file == g_ptr_array_index (doc->files, 0);
}

typedef struct
{
  GPtrArray  *lines;    /* working copy, NULL = deleted */
  GPtrArray **inserts;  /* per index, lines inserted before it; [len] = at the end */
  guint       n;
} Edits;

static void
edits_insert (Edits *edits,
              guint  before,
              char  *line)
{
  if (edits->inserts[before] == NULL)
    edits->inserts[before] = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (edits->inserts[before], line);
}

static guint
head_index (PxeDoc *doc)
{
  PxeFile *file = g_ptr_array_index (doc->files, 0);

  for (guint i = 0; i < file->lines->len; i++)
    {
      g_autofree char *body = line_body (g_ptr_array_index (file->lines, i));
      g_auto(Directive) d = { 0 };

      parse_directive (body, &d);
      if (strcmp (d.keyword, "label") == 0 || strcmp (d.keyword, "menu begin") == 0 ||
          strcmp (d.keyword, "include") == 0 || strcmp (d.keyword, "menu include") == 0)
        return i;
    }
  return file->lines->len;
}

/* Replaces the argument of a directive line, keeping its prefix and ending; NULL deletes. */
static void
edit_global (Edits       *edits,
             PxeDoc      *doc,
             GlobalLoc   *loc,
             const char  *keyword,
             const char  *value)
{
  if (loc->line >= 0)
    {
      char *line = g_ptr_array_index (edits->lines, loc->line);
      g_autofree char *body = line_body (line);
      g_auto(Directive) d = { 0 };

      parse_directive (body, &d);
      if (value == NULL)
        {
          g_free (line);
          edits->lines->pdata[loc->line] = NULL;
        }
      else
        {
          edits->lines->pdata[loc->line] =
            g_strdup_printf ("%.*s%s%s%s", (int)d.arg_offset, body, arg_separator (body, d.arg_offset),
                             value, line_eol (line)[0] ? line_eol (line) : doc->eol);
          g_free (line);
        }
    }
  else if (value != NULL)
    {
      /* Absent: before the first LABEL. Set in an included file: at the end, so it wins. */
      guint at = loc->elsewhere ? edits->n : head_index (doc);

      edits_insert (edits, at, g_strdup_printf ("%s %s%s", keyword, value, doc->eol));
    }
}

static void
write_lossless (GString      *out,
                YardBootMenu *menu,
                PxeDoc       *doc,
                const char   *root_dir)
{
  PxeFile *main_file = g_ptr_array_index (doc->files, 0);
  const char *eol = doc->eol;
  Edits edits = { 0 };
  g_autoptr(GPtrArray) written = g_ptr_array_new ();
  g_autoptr(GHashTable) slot_at = g_hash_table_new (NULL, NULL);
  const char *default_id = yard_boot_menu_get_default_id (menu);
  gboolean default_by_menu;
  gboolean default_changed;
  guint port = 0, baud = 0;
  gboolean serial = yard_boot_menu_get_serial (menu, &port, &baud);
  guint next = 0;

  edits.n = main_file->lines->len;
  edits.lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < edits.n; i++)
    g_ptr_array_add (edits.lines, g_strdup (g_ptr_array_index (main_file->lines, i)));
  edits.inserts = g_new0 (GPtrArray *, edits.n + 1);

  /* Globals */
  if (g_strcmp0 (yard_boot_menu_get_title (menu), doc->parsed_title) != 0)
    edit_global (&edits, doc, &doc->title, "MENU TITLE", yard_boot_menu_get_title (menu));
  if (yard_boot_menu_get_timeout_tenths (menu) != doc->parsed_timeout)
    {
      g_autofree char *value = g_strdup_printf ("%u", yard_boot_menu_get_timeout_tenths (menu));

      edit_global (&edits, doc, &doc->timeout, "TIMEOUT", value);
    }
  if (serial != doc->parsed_serial || (serial && (port != doc->parsed_port || baud != doc->parsed_baud)))
    {
      g_autofree char *value = serial ? g_strdup_printf ("%u %u", port, baud) : NULL;

      if (doc->serial.line < 0 && value != NULL)
        edits_insert (&edits, 0, g_strdup_printf ("SERIAL %s%s", value, eol)); /* must come first */
      else
        edit_global (&edits, doc, &doc->serial, "SERIAL", value);

      /* vesamenu draws on the screen only; menu.c32 speaks on the serial line too. */
      if (serial)
        {
          GlobalLoc *locs[] = { &doc->ui, &doc->deflt };

          for (guint i = 0; i < G_N_ELEMENTS (locs); i++)
            {
              char *line;
              char *found;

              if (locs[i]->line < 0)
                continue;
              line = g_ptr_array_index (edits.lines, locs[i]->line);
              found = line != NULL ? strstr (line, "vesamenu.c32") : NULL;
              if (found != NULL)
                {
                  char *replaced = g_strdup_printf ("%.*smenu.c32%s", (int)(found - line), line,
                                                    found + strlen ("vesamenu.c32"));

                  g_free (line);
                  edits.lines->pdata[locs[i]->line] = replaced;
                }
            }
        }
    }

  /* The default: MENU DEFAULT lines, or the DEFAULT / ONTIMEOUT line that named a label. */
  default_by_menu = doc->menu_default_style || doc->parsed_default == NULL;
  default_changed = g_strcmp0 (default_id, doc->parsed_default) != 0;
  if (g_strcmp0 (default_id, doc->parsed_default) != 0 && !default_by_menu)
    {
      YardBootEntry *entry = default_id != NULL ? yard_boot_menu_find_entry (menu, default_id) : NULL;
      PxeBlock *block = entry != NULL ? _yard_boot_entry_get_origin (entry) : NULL;
      const char *name = block != NULL && block->doc == doc ? block->label_name : default_id;
      PxeBlock *old = doc->default_value != NULL ? find_label_block (doc, doc->default_value) : NULL;

      if (old != NULL && old->entry != NULL &&
          g_strcmp0 (yard_boot_entry_get_id (old->entry), doc->parsed_default) == 0)
        edit_global (&edits, doc, &doc->deflt, "DEFAULT", name);
      else
        edit_global (&edits, doc, &doc->ontimeout, "ONTIMEOUT", name);
    }

  /* Which entries go into the main file's slots, in model order. */
  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);

      if (entry_is_written (entry, doc))
        g_ptr_array_add (written, entry);
    }
  for (guint i = 0; i < doc->slots->len; i++)
    {
      PxeBlock *slot = g_ptr_array_index (doc->slots, i);

      g_hash_table_insert (slot_at, GUINT_TO_POINTER (slot->start + 1), slot);
    }

  for (guint i = 0; i <= edits.n; i++)
    {
      PxeBlock *slot;

      if (edits.inserts[i] != NULL)
        {
          for (guint j = 0; j < edits.inserts[i]->len; j++)
            {
              ensure_eol (out, eol);
              g_string_append (out, g_ptr_array_index (edits.inserts[i], j));
            }
        }
      if (i == edits.n)
        break;

      slot = g_hash_table_lookup (slot_at, GUINT_TO_POINTER (i + 1));
      if (slot != NULL)
        {
          if (next < written->len)
            {
              YardBootEntry *entry = g_ptr_array_index (written, next++);
              PxeBlock *block = _yard_boot_entry_get_origin (entry);
              gboolean is_default = g_strcmp0 (yard_boot_entry_get_id (entry), default_id) == 0;

              if (block != NULL && block->doc == doc)
                write_block (out, eol, edits.lines, block, entry,
                             want_menu_default (block, is_default, default_by_menu, default_changed),
                             root_dir);
              else
                {
                  ensure_eol (out, eol);
                  write_new_entry (out, eol, entry, is_default && default_by_menu, root_dir);
                }
            }
          i = slot->end - 1;
          continue;
        }

      if (g_ptr_array_index (edits.lines, i) != NULL)
        g_string_append (out, g_ptr_array_index (edits.lines, i));
    }

  /* New entries (or more entries than slots): at the end. */
  for (; next < written->len; next++)
    {
      YardBootEntry *entry = g_ptr_array_index (written, next);
      PxeBlock *block = _yard_boot_entry_get_origin (entry);
      gboolean is_default = g_strcmp0 (yard_boot_entry_get_id (entry), default_id) == 0;

      ensure_eol (out, eol);
      if (out->len > 0 && !g_str_has_suffix (out->str, "\n\n") && !g_str_has_suffix (out->str, "\r\n\r\n"))
        g_string_append (out, eol);
      if (block != NULL && block->doc == doc)
        write_block (out, eol, edits.lines, block, entry,
                     want_menu_default (block, is_default, default_by_menu, default_changed),
                     root_dir);
      else
        write_new_entry (out, eol, entry, is_default && default_by_menu, root_dir);
    }

  for (guint i = 0; i <= edits.n; i++)
    g_clear_pointer (&edits.inserts[i], g_ptr_array_unref);
  g_free (edits.inserts);
  g_ptr_array_unref (edits.lines);
}

static gboolean
path_is_relative_inside (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL)
    return TRUE;
  if (path[0] == '/' || path[0] == '\\')
    return FALSE;
  parts = g_strsplit_set (path, "/\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (strcmp (parts[i], "..") == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
efi_file_exists (const char *root_dir,
                 const char *path)
{
  g_autofree char *full = NULL;

  if (root_dir == NULL || path == NULL)
    return TRUE;
  full = g_build_filename (root_dir, "efi64", path, NULL);
  return g_file_test (full, G_FILE_TEST_EXISTS);
}

/* memtest86+'s .bin images are BIOS programs; its UEFI build ends in .efi. */
static gboolean
is_bios_memtest (const char *kernel)
{
  g_autofree char *base = kernel ? g_path_get_basename (kernel) : NULL;

  return base != NULL && g_str_has_prefix (base, "memtest") && !g_str_has_suffix (base, ".efi");
}

/* Why syslinux.efi cannot boot @entry (the efi64 menu leaves it out), or NULL. */
char *
yard_pxelinux_efi_entry_unsupported (YardBootEntry *entry,
                                     const char    *root_dir)
{
  const char * const *initrds = yard_boot_entry_get_initrds (entry);
  const char *kernel = yard_boot_entry_get_kernel (entry);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      return g_strdup ("memdisk is a BIOS program");
    case YARD_BOOT_ENTRY_KIND_CHAIN:
      return g_strdup ("syslinux chains a URL through ipxe.lkrn, a BIOS program");
    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      return g_strdup ("only iPXE runs an iPXE script");
    case YARD_BOOT_ENTRY_KIND_COM32:        /* modules are built per firmware: efi64's own */
      if (!path_is_relative_inside (kernel) || !efi_file_exists (root_dir, kernel))
        return g_strdup_printf ("the boot root has no UEFI build of the module, efi64/%s",
                                kernel ? kernel : "");
      return NULL;
    case YARD_BOOT_ENTRY_KIND_LINUX:
      if (is_bios_memtest (kernel))
        return g_strdup ("memtest86+'s .bin is a BIOS program; add its .efi build for UEFI");
      break;
    case YARD_BOOT_ENTRY_KIND_OTHER:
    case YARD_BOOT_ENTRY_KIND_LOCAL:
    case YARD_BOOT_ENTRY_KIND_SUBMENU:
    default:
      break;
    }
  if (!path_is_relative_inside (kernel) ||
      !path_is_relative_inside (yard_boot_entry_get_image (entry)))
    return g_strdup ("its path leaves the boot root");
  for (guint i = 0; initrds[i] != NULL; i++)
    {
      if (!path_is_relative_inside (initrds[i]))
        return g_strdup ("its path leaves the boot root");
    }
  if (root_dir != NULL)
    {
      /* syslinux.efi would fail on it after the user chose it: leave it out until it is back */
      g_auto(GStrv) missing = yard_boot_entry_dup_missing_files (entry, root_dir);

      if (missing[0] != NULL)
        return g_strdup_printf (_("%s is missing from the boot root"), missing[0]);
    }
  if (yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_LINUX && root_dir != NULL &&
      kernel != NULL)
    {
      g_autofree char *path = g_build_filename (root_dir, kernel, NULL);
      YardKernelInfo info;

      /* syslinux.efi is an x86-64 program: an ARM64 kernel is not for it */
      if (yard_kernel_info_from_file (path, &info, NULL) && info.cpu != YARD_CPU_X86_64 &&
          info.cpu != YARD_CPU_UNKNOWN)
        return g_strdup_printf ("syslinux.efi runs only on x86-64 and the kernel is for %s",
                                yard_cpu_to_display (info.cpu));
    }
  return NULL;
}

static gboolean
efi_can_boot (YardBootEntry *entry,
              const char    *root_dir)
{
  g_autofree char *why = yard_pxelinux_efi_entry_unsupported (entry, root_dir);

  return why == NULL;
}

/* syslinux.efi resolves a relative name from its own directory, efi64/ (where the boot root
 * installer links images/); "::name" it passes to the TFTP server unmodified, that is from the
 * root. Files only the root has get the prefix, so no entry is lost for where it lives. */
static char *
efi_path (const char *root_dir,
          const char *path)
{
  if (path == NULL || efi_file_exists (root_dir, path))
    return g_strdup (path);
  return g_strconcat ("::", path, NULL);
}

/* A copy of @entry whose files syslinux.efi can reach, or NULL when it can already. */
static YardBootEntry *
efi_entry_with_root_paths (YardBootEntry *entry,
                           const char    *root_dir)
{
  const char * const *initrds = yard_boot_entry_get_initrds (entry);
  g_autofree char *kernel = efi_path (root_dir, yard_boot_entry_get_kernel (entry));
  g_autoptr(GPtrArray) new_initrds = g_ptr_array_new_with_free_func (g_free);
  gboolean changed = g_strcmp0 (kernel, yard_boot_entry_get_kernel (entry)) != 0;
  YardBootEntry *copy;

  for (guint i = 0; initrds[i] != NULL; i++)
    {
      char *path = efi_path (root_dir, initrds[i]);

      changed |= !g_str_equal (path, initrds[i]);
      g_ptr_array_add (new_initrds, path);
    }
  if (!changed || yard_boot_entry_get_kind (entry) != YARD_BOOT_ENTRY_KIND_LINUX)
    return NULL;

  g_ptr_array_add (new_initrds, NULL);
  copy = yard_boot_entry_copy (entry);
  yard_boot_entry_set_kernel (copy, kernel);
  yard_boot_entry_set_initrds (copy, (const char * const *) new_initrds->pdata);
  return copy;
}

/* A whole file from the model: for menus without a file, and for the UEFI tree. */
static void
write_fresh (GString      *out,
             YardBootMenu *menu,
             gboolean      efi,
             const char   *root_dir)
{
  const char *eol = "\n";
  guint port, baud;
  gboolean serial = yard_boot_menu_get_serial (menu, &port, &baud);
  const char *default_id = yard_boot_menu_get_default_id (menu);
  PxeDoc *doc = _yard_boot_menu_get_origin (menu);
  /* the UEFI file leaves out what it cannot boot: nothing in it to mark */
  const char *marks_root = efi ? NULL : root_dir;

  if (serial)
    append_line (out, eol, "SERIAL %u %u", port, baud);
  if (efi)
    append_line (out, eol, "# Boot menu for UEFI (efi64/), written by Bootyard from "
                 "pxelinux.cfg/default: edit that file, not this one.");
  else
    append_line (out, eol, "# Boot menu written by Bootyard. Edits by hand are kept when Bootyard "
                 "writes it again.");
  /* menu.c32 also speaks on the serial line; vesamenu.c32 only draws on the screen. */
  append_line (out, eol, "UI %s", serial ? "menu.c32" : "vesamenu.c32");
  append_line (out, eol, "PROMPT 0");
  append_line (out, eol, "TIMEOUT %u", yard_boot_menu_get_timeout_tenths (menu));
  if (yard_boot_menu_get_title (menu) != NULL)
    append_line (out, eol, "MENU TITLE %s", yard_boot_menu_get_title (menu));

  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      PxeBlock *block = _yard_boot_entry_get_origin (entry);
      gboolean is_default = g_strcmp0 (yard_boot_entry_get_id (entry), default_id) == 0;

      if (efi && !efi_can_boot (entry, root_dir))
        continue;
      g_string_append (out, eol);
      if (efi)
        {
          g_autoptr(YardBootEntry) reachable = efi_entry_with_root_paths (entry, root_dir);

          if (reachable != NULL)
            {
              write_new_entry (out, eol, reachable, is_default, marks_root);
              continue;
            }
        }
      if (block != NULL && doc != NULL && block->doc == doc)
        {
          write_block (out, eol, block->file->lines, block, entry, is_default, marks_root);
          ensure_eol (out, eol);
        }
      else
        write_new_entry (out, eol, entry, is_default, marks_root);
    }
}

char *
yard_pxelinux_to_data (YardBootMenu *menu)
{
  return yard_pxelinux_to_root_data (menu, NULL);
}

char *
yard_pxelinux_to_root_data (YardBootMenu *menu,
                            const char   *root_dir)
{
  GString *out = g_string_new (NULL);
  PxeDoc *doc;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);

  doc = _yard_boot_menu_get_origin (menu);
  if (doc != NULL)
    write_lossless (out, menu, doc, root_dir);
  else
    write_fresh (out, menu, FALSE, root_dir);
  return g_string_free (out, FALSE);
}

char *
yard_pxelinux_to_efi_data (YardBootMenu *menu,
                           const char   *root_dir)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);

  write_fresh (out, menu, TRUE, root_dir);
  return g_string_free (out, FALSE);
}

gboolean
yard_pxelinux_save_file (YardBootMenu  *menu,
                         const char    *base_dir,
                         const char    *path,
                         GError       **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), FALSE);
  g_return_val_if_fail (base_dir != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(YardBootMenu) current = yard_pxelinux_load_file (base_dir, path, &parse_error);

      if (current == NULL && g_error_matches (parse_error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG))
        {
          g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                       "%s; Bootyard will not overwrite a file it cannot read: fix it by hand first",
                       parse_error->message);
          return FALSE;
        }
      if (current == NULL && !g_error_matches (parse_error, YARD_ERROR, YARD_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&parse_error));
          return FALSE;
        }
    }

  data = yard_pxelinux_to_root_data (menu, base_dir);
  return yard_root_write_file (path, data, -1, error);
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

gboolean
yard_pxelinux_save_root (YardBootMenu  *menu,
                         const char    *root_dir,
                         GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), FALSE);
  g_return_val_if_fail (root_dir != NULL, FALSE);

  path = g_build_filename (root_dir, "pxelinux.cfg", "default", NULL);
  return yard_pxelinux_save_file (menu, root_dir, path, error) &&
         yard_pxelinux_save_efi_root (menu, root_dir, error);
}

gboolean
yard_pxelinux_save_efi_root (YardBootMenu  *menu,
                             const char    *root_dir,
                             GError       **error)
{
  g_autofree char *efi_path = NULL;
  g_autofree char *efi_data = NULL;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), FALSE);
  g_return_val_if_fail (root_dir != NULL, FALSE);

  efi_path = g_build_filename (root_dir, "efi64", "pxelinux.cfg", "default", NULL);
  efi_data = yard_pxelinux_to_efi_data (menu, root_dir);
  return yard_root_write_file (efi_path, efi_data, -1, error);
}

gboolean
yard_pxelinux_refresh_root_marks (const char  *root_dir,
                                  gboolean    *changed,
                                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *data = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (root_dir != NULL, FALSE);

  if (changed != NULL)
    *changed = FALSE;
  path = g_build_filename (root_dir, "pxelinux.cfg", "default", NULL);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* a file that does not parse is never written (its error is the menu's, shown elsewhere) */
  menu = yard_pxelinux_parse (root_dir, "pxelinux.cfg/default", contents, length, NULL);
  if (menu == NULL)
    return TRUE;
  data = yard_pxelinux_to_root_data (menu, root_dir);
  if (strlen (data) == length && memcmp (data, contents, length) == 0)
    return TRUE;
  if (!yard_root_write_file (path, data, -1, error))
    return FALSE;
  if (changed != NULL)
    *changed = TRUE;
  return TRUE;
}
