/* yard-pxelinux-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing pxelinux.cfg: a parsed file losslessly (only the lines of what changed), a fresh
 * file from the model (for menus without a file, and for the UEFI tree), the marks of entries
 * that cannot boot on BIOS now, and saving the root's file.
 */

#define G_LOG_DOMAIN "yard-pxelinux"

#include "config.h"

#include <string.h>

#include "yard-boot-menu-private.h"
#include "yard-error.h"
#include "yard-boot-support.h"
#include "yard-pxelinux.h"
#include "yard-pxelinux-private.h"
#include "yard-root-file.h"

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

        if (kernel_kw == NULL || _yard_pxelinux_has_special_extension (kernel))
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
      body = _yard_pxelinux_line_body (line);
      if (in_help)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (body));

          in_help = g_ascii_strcasecmp (stripped, "endtext") != 0;
          g_string_append (out, line);
          continue;
        }
      _yard_pxelinux_parse_directive (body, &d);
      if (i > block->start && _yard_pxelinux_is_derived_line (&d, body, &derived))
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
      body = _yard_pxelinux_line_body (g_ptr_array_index (lines, i));
      _yard_pxelinux_parse_directive (body, &d);
      if (indent == NULL && *d.keyword != '\0')
        indent = g_strdup (d.indent);
      if (kernel_kw == NULL && _yard_pxelinux_is_kernel_keyword (d.keyword) &&
          (strcmp (d.keyword, "kernel") == 0 || strcmp (d.keyword, "linux") == 0) &&
          yard_boot_entry_get_kind (entry) == yard_boot_entry_get_kind (parsed))
        kernel_kw = g_strndup (_yard_pxelinux_skip_space (body),
                               _yard_pxelinux_skip_word (_yard_pxelinux_skip_space (body)) -
                               _yard_pxelinux_skip_space (body));
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
      body = _yard_pxelinux_line_body (line);

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

      _yard_pxelinux_parse_directive (body, &d);
      if (_yard_pxelinux_is_derived_line (&d, body, &derived))
        continue;

      if (strcmp (d.keyword, "menu label") == 0)
        {
          if (!label_changed)
            g_string_append (out, line);
          else if (!label_done && yard_boot_entry_get_label (entry) != NULL)
            append_line (out, eol, "%.*s%s%s", (int)d.arg_offset, body,
                         _yard_pxelinux_arg_separator (body, d.arg_offset),
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
      else if (_yard_pxelinux_is_boot_keyword (d.keyword) ||
               (yard_boot_entry_get_kind (parsed) == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT &&
                (strcmp (d.keyword, "menu disable") == 0 ||
                 g_str_has_prefix (_yard_pxelinux_skip_space (body), IPXE_COMMENT))))
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
      g_autofree char *body = _yard_pxelinux_line_body (g_ptr_array_index (file->lines, i));
      g_auto(Directive) d = { 0 };

      _yard_pxelinux_parse_directive (body, &d);
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
      g_autofree char *body = _yard_pxelinux_line_body (line);
      g_auto(Directive) d = { 0 };

      _yard_pxelinux_parse_directive (body, &d);
      if (value == NULL)
        {
          g_free (line);
          edits->lines->pdata[loc->line] = NULL;
        }
      else
        {
          edits->lines->pdata[loc->line] =
            g_strdup_printf ("%.*s%s%s%s", (int)d.arg_offset, body,
                             _yard_pxelinux_arg_separator (body, d.arg_offset), value,
                             _yard_pxelinux_line_eol (line)[0] ? _yard_pxelinux_line_eol (line)
                                                               : doc->eol);
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
      PxeBlock *old = doc->default_value != NULL
                      ? _yard_pxelinux_find_label_block (doc, doc->default_value) : NULL;

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

/* A whole file from the model: for menus without a file, and for the UEFI tree. */
void
_yard_pxelinux_write_fresh (GString      *out,
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

      if (efi && !_yard_pxelinux_efi_can_boot (entry, root_dir))
        continue;
      g_string_append (out, eol);
      if (efi)
        {
          g_autoptr(YardBootEntry) reachable =
            _yard_pxelinux_efi_entry_with_root_paths (entry, root_dir);

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
    _yard_pxelinux_write_fresh (out, menu, FALSE, root_dir);
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
