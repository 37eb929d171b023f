/* yard-grub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How GRUB 2.06 reads what we write (grub-core/script/yylex.l, execute.c, lib/arg.c,
 * lib/cmdline.c, normal/menu.c, normal/context.c):
 *
 *  - The lexer: single quotes are literal to the next quote, with no escapes (a quote is
 *    written '\''); double quotes expand $name and ${name}; unquoted, a word starting with '#'
 *    is a comment and ; newline { } | & $ < > and blanks are special. Quoted parts next to each
 *    other are one word. So every text we write is single-quoted, and the only expansions are
 *    our own "${bootyard_files}" and "${bootyard_http}", double-quoted: no word splitting, and
 *    quoted text is escaped from the wildcard expansion of the built-in regexp module.
 *  - Options: menuentry and submenu parse --id, --class, --users, --hotkey... anywhere in their
 *    arguments, even in a title; "--" ends the options. So the id comes first (--id='ID', never
 *    read as another option), then "--", then the title.
 *  - Kernel arguments: GRUB joins the words with spaces and puts a '\' before every '\', '\''
 *    and '"' (Linux does not undo it). Arguments with those characters cannot reach the kernel
 *    unchanged: their entry is left out, as the iPXE writer leaves out what it cannot write.
 *  - Files: (http,SERVER:PORT)/NAME or (tftp,SERVER)/NAME. Debian 12's signed grubnetx64.efi
 *    has no http module, so the file tests for it and falls back to TFTP from $root. GRUB's
 *    http module puts NAME into "GET NAME HTTP/1.1" unencoded, TFTP wants it unencoded too:
 *    a name that a request line cannot carry as it is (a space, '%', '?', non-ASCII) is
 *    always fetched over TFTP.
 *  - A submenu runs in a new environment that has only the exported variables: ours are.
 *  - "default": a number (grub_strtoul, so "7zip" is 7) or the first entry whose title or id
 *    equals it. An id that starts with a digit, or that an earlier entry has as its title, is
 *    written as the entry's position instead.
 */

#define G_LOG_DOMAIN "yard-grub"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-grub.h"
#include "yard-image.h"
#include "yard-paths.h"
#include "yard-root-file.h"

/* The CPUs the signed GRUBs run on, as $grub_cpu names them. */
static const struct
{
  YardCpu     cpu;
  const char *grub_cpu;
} grub_cpus[] = {
  { YARD_CPU_X86_64, "x86_64" },
  { YARD_CPU_ARM64,  "arm64" },
  { YARD_CPU_X86,    "i386" },
};

static const char *
grub_cpu_name (YardCpu cpu)
{
  for (guint i = 0; i < G_N_ELEMENTS (grub_cpus); i++)
    {
      if (grub_cpus[i].cpu == cpu)
        return grub_cpus[i].grub_cpu;
    }
  g_assert_not_reached ();
}

typedef struct
{
  const char *root_dir;  /* NULL: no file checks */
  int         root_fd;   /* -1 when root_dir could not be opened: nothing is there */
} Checks;

/* What the writer does with one entry, decided once for the file and for
 * yard_grub_entry_unsupported(). */
typedef struct
{
  YardBootEntry *entry;     /* borrowed */
  char          *reason;    /* why GRUB does not get it (one line), or NULL */
  YardCpu        cpu;       /* the one CPU it boots on; YARD_CPU_UNKNOWN: every CPU */
  char          *kernel;    /* LINUX: the kernel, relative to the root, normalized */
  GPtrArray     *initrds;   /* LINUX: the same for the initrds */
  GPtrArray     *args;      /* LINUX: the kernel arguments, one word each */
  GPtrArray     *children;  /* SUBMENU: a Plan per entry */
} Plan;

static void
plan_free (gpointer data)
{
  Plan *plan = data;

  g_free (plan->reason);
  g_free (plan->kernel);
  g_clear_pointer (&plan->initrds, g_ptr_array_unref);
  g_clear_pointer (&plan->args, g_ptr_array_unref);
  g_clear_pointer (&plan->children, g_ptr_array_unref);
  g_free (plan);
}

static gboolean
plan_boots_on (const Plan *plan,
               YardCpu     cpu)
{
  /* cpu UNKNOWN stands for a CPU that no entry is built for: only entries for all boot. */
  return plan->reason == NULL && yard_cpu_runs_on (plan->cpu, cpu);
}

/* Text on one line: valid UTF-8, control characters (a newline above all, which would end a
 * comment or a command) as spaces. */
static char *
single_line (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_control_characters (const char *text,
                        gboolean    tab_allowed)
{
  for (const guchar *p = (const guchar *) (text != NULL ? text : ""); *p; p++)
    {
      if ((*p < 0x20 && !(tab_allowed && *p == '\t')) || *p == 0x7f)
        return TRUE;
    }
  return FALSE;
}

/* The name the server resolves (yard-root-file: '\' read as '/', "." and empty parts gone),
 * or NULL for an absolute name or one with "..": relative names are what the other writers
 * can follow too (yard-pxelinux-efi.c's path_is_relative_inside), so we take no other. */
static char *
root_relative (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *name;

  if (path[0] == '/' || path[0] == '\\')
    return NULL;
  name = yard_root_normalize_name (path, strlen (path), &error);
  if (name == NULL)
    g_debug ("%s", error->message);
  return name;
}

static gboolean
root_has_file (const Checks *checks,
               const char   *path)
{
  g_autoptr(GError) error = NULL;
  int fd;

  if (checks->root_fd < 0)
    return FALSE;
  /* The rules the TFTP and HTTP servers apply: a symlink out of the root is not there. */
  fd = yard_root_open_file (checks->root_fd, path, strlen (path), NULL, &error);
  if (fd < 0)
    {
      g_debug ("%s", error->message);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static Plan *plan_entry (YardBootEntry *entry,
                         const Checks  *checks);

static char *
decide_linux (Plan         *plan,
              const Checks *checks)
{
  YardBootEntry *entry = plan->entry;
  const char *kernel = yard_boot_entry_get_kernel (entry);
  const char * const *initrds = yard_boot_entry_get_initrds (entry);
  const char *append = yard_boot_entry_get_append (entry);
  char *why;
  g_auto(GStrv) words = NULL;
  gboolean control = FALSE;
  gboolean outside = FALSE;

  if (kernel == NULL || *kernel == '\0')
    return g_strdup (_("it has no kernel"));
  if ((why = yard_boot_entry_bios_only_reason (entry)) != NULL)
    return why;

  control = has_control_characters (kernel, FALSE) || has_control_characters (append, TRUE);
  for (guint i = 0; initrds != NULL && initrds[i] != NULL; i++)
    control |= has_control_characters (initrds[i], FALSE);
  if (control)
    return g_strdup (_("its file names or kernel arguments contain control characters"));
  if (append != NULL && strpbrk (append, "\"'\\") != NULL)
    return g_strdup (_("its kernel arguments contain quotes or backslashes, which GRUB passes "
                       "to the kernel with a backslash added"));

  plan->kernel = root_relative (kernel);
  outside = plan->kernel == NULL;
  plan->initrds = g_ptr_array_new_with_free_func (g_free);
  plan->args = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; initrds != NULL && initrds[i] != NULL; i++)
    {
      char *name = root_relative (initrds[i]);

      outside |= name == NULL;
      g_ptr_array_add (plan->initrds, name);
    }
  /* Split as pxelinux splits APPEND; its initrd= words join the initrds, as when
   * yard-pxelinux.c reads a file, and GRUB's initrd command loads them. */
  words = g_strsplit_set (append != NULL ? append : "", " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (g_str_has_prefix (words[i], "initrd="))
        {
          g_auto(GStrv) parts = g_strsplit (words[i] + strlen ("initrd="), ",", -1);

          for (guint j = 0; parts[j] != NULL; j++)
            {
              char *name;

              if (*parts[j] == '\0')
                continue;
              name = root_relative (parts[j]);
              outside |= name == NULL;
              g_ptr_array_add (plan->initrds, name);
            }
          continue;
        }
      g_ptr_array_add (plan->args, g_strdup (words[i]));
    }
  if (outside)
    return g_strdup (_("its files must be inside the boot root (a relative path without “..”) "
                       "for GRUB to fetch them"));

  if (checks->root_dir != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      YardKernelInfo info;

      if (!root_has_file (checks, plan->kernel))
        return g_strdup_printf (_("its kernel %s is missing from the boot root"), plan->kernel);
      for (guint i = 0; i < plan->initrds->len; i++)
        {
          const char *initrd = g_ptr_array_index (plan->initrds, i);

          if (!root_has_file (checks, initrd))
            return g_strdup_printf (_("its initrd %s is missing from the boot root"), initrd);
        }

      path = g_build_filename (checks->root_dir, plan->kernel, NULL);
      if (yard_kernel_info_from_file (path, &info, &error))
        plan->cpu = info.cpu;
      else
        g_debug ("%s: written for every CPU: %s", yard_boot_entry_get_id (entry), error->message);
    }
  return NULL;
}

static char *
decide_submenu (Plan         *plan,
                const Checks *checks)
{
  YardBootMenu *submenu = yard_boot_entry_get_submenu (plan->entry);
  gboolean any = FALSE;

  plan->children = g_ptr_array_new_with_free_func (plan_free);
  for (guint i = 0; submenu != NULL && i < yard_boot_menu_get_n_entries (submenu); i++)
    {
      Plan *child = plan_entry (yard_boot_menu_get_entry (submenu, i), checks);

      g_ptr_array_add (plan->children, child);
      if (child->reason != NULL)
        continue;
      /* The submenu is for one CPU when everything in it is. */
      if (!any)
        plan->cpu = child->cpu;
      else if (plan->cpu != child->cpu)
        plan->cpu = YARD_CPU_UNKNOWN;
      any = TRUE;
    }
  if (!any)
    return g_strdup (_("nothing in it can boot in GRUB"));
  return NULL;
}

/* The one place that decides what GRUB gets. */
static char *
decide (Plan         *plan,
        const Checks *checks)
{
  YardBootEntry *entry = plan->entry;

  if (yard_boot_entry_get_hidden (entry))
    return g_strdup (_("it is hidden, and GRUB 2.06 cannot hide an entry"));

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
      return NULL;
    case YARD_BOOT_ENTRY_KIND_LINUX:
      return decide_linux (plan, checks);
    case YARD_BOOT_ENTRY_KIND_SUBMENU:
      return decide_submenu (plan, checks);
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      return yard_boot_entry_bios_only_reason (plan->entry);
    case YARD_BOOT_ENTRY_KIND_CHAIN:
    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      return g_strdup (_("it needs iPXE, which is not signed for Secure Boot (choose iPXE as "
                         "the UEFI loader to boot it)"));
    case YARD_BOOT_ENTRY_KIND_COM32:
    case YARD_BOOT_ENTRY_KIND_OTHER:
    default:
      return yard_boot_entry_syslinux_only_reason (plan->entry);
    }
}

static Plan *
plan_entry (YardBootEntry *entry,
            const Checks  *checks)
{
  Plan *plan = g_new0 (Plan, 1);
  g_autofree char *reason = NULL;

  plan->entry = entry;
  plan->cpu = YARD_CPU_UNKNOWN;
  reason = decide (plan, checks);
  /* File names and translations go into a comment line: keep them on it. */
  if (reason != NULL)
    plan->reason = single_line (reason);
  return plan;
}

static GPtrArray *
plan_menu (YardBootMenu *menu,
           const Checks *checks)
{
  GPtrArray *plans = g_ptr_array_new_with_free_func (plan_free);

  for (guint i = 0; i < yard_boot_menu_get_n_entries (menu); i++)
    g_ptr_array_add (plans, plan_entry (yard_boot_menu_get_entry (menu, i), checks));
  return plans;
}

static void
checks_init (Checks     *checks,
             const char *root_dir)
{
  checks->root_dir = root_dir;
  checks->root_fd = -1;
  if (root_dir != NULL)
    {
      checks->root_fd = open (root_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (checks->root_fd < 0)
        g_debug ("Cannot open the boot root %s: %s", root_dir, g_strerror (errno));
    }
}

static void
checks_clear (Checks *checks)
{
  if (checks->root_fd >= 0)
    close (checks->root_fd);
  checks->root_fd = -1;
}

/* What GRUB shows: the label on one line, without pxelinux's '^' hotkey marks; the id when
 * nothing is left. */
static char *
entry_title (YardBootEntry *entry)
{
  const char *label = yard_boot_entry_get_label (entry);
  g_autoptr(GString) plain = g_string_new (NULL);
  char *title;

  for (const char *p = label != NULL ? label : ""; *p; p++)
    {
      if (*p == '^' && g_ascii_isalnum (p[1]))
        continue;
      g_string_append_c (plain, *p);
    }
  title = g_strstrip (single_line (plain->str));
  if (*title == '\0')
    {
      g_free (title);
      title = single_line (yard_boot_entry_get_id (entry));
    }
  return title;
}

typedef struct
{
  GString  *out;
  gboolean  http;  /* files over HTTP, bootyard_http set */
} Writer;

static void
indent (Writer *w,
        guint   level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (w->out, "  ");
}

/* One GRUB word, literally: nothing in it is special inside single quotes but the quote. */
static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* What an HTTP request line carries as it is (RFC 3986's pchar but '%'): GRUB's http module
 * sends the name unencoded, and TFTP wants it unencoded. */
static gboolean
http_can_carry (const char *path)
{
  for (const char *p = path; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._~!$&'()*+,;=:@/", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
append_file (Writer     *w,
             const char *path)
{
  /* A name with a space, '%', '?', non-ASCII...: from the root over TFTP, which every GRUB
   * can, rather than a second, percent-encoded spelling that TFTP would not find. */
  if (w->http && !http_can_carry (path))
    g_string_append (w->out, " \"(${root})\"/");
  else
    g_string_append (w->out, " \"${bootyard_files}\"/");
  append_quoted (w->out, path);
}

/* A kernel argument; over HTTP, the server's URL placeholder is left for GRUB to expand. */
static void
append_arg (Writer     *w,
            const char *word)
{
  g_auto(GStrv) parts = NULL;

  g_string_append_c (w->out, ' ');
  if (!w->http || strstr (word, YARD_IMAGE_HTTP_PLACEHOLDER) == NULL)
    {
      append_quoted (w->out, word);
      return;
    }
  parts = g_strsplit (word, YARD_IMAGE_HTTP_PLACEHOLDER, -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (w->out, "\"" YARD_IMAGE_HTTP_PLACEHOLDER "\"");
      if (*parts[i] != '\0')
        append_quoted (w->out, parts[i]);
    }
}

/* GRUB's "default" value for target, which boots on cpu: its id when GRUB will find that
 * (see the top of the file), else its position among what GRUB has on that CPU. */
static char *
default_value (GPtrArray *plans,
               Plan      *target,
               YardCpu    cpu)
{
  const char *id = yard_boot_entry_get_id (target->entry);
  gboolean by_id = id != NULL && *id != '\0' && !g_ascii_isdigit (*id);
  guint position = 0;
  GString *value;

  for (guint i = 0; i < plans->len && g_ptr_array_index (plans, i) != target; i++)
    {
      Plan *plan = g_ptr_array_index (plans, i);

      if (plan->reason != NULL)
        continue;
      if (by_id)
        {
          g_autofree char *title = entry_title (plan->entry);

          by_id = !g_str_equal (title, id);
        }
      if (plan_boots_on (plan, cpu))
        position++;
    }
  value = g_string_new (NULL);
  if (by_id)
    append_quoted (value, id);
  else
    g_string_append_printf (value, "'%u'", position);
  return g_string_free (value, FALSE);
}

static void
write_default_for_cpu (Writer     *w,
                       guint       level,
                       YardCpu     cpu,
                       const char *value)
{
  indent (w, level);
  g_string_append_printf (w->out, "if [ \"$grub_cpu\" = \"%s\" ]; then set default=%s; fi\n",
                          grub_cpu_name (cpu), value);
}

static gboolean
plans_have_cpu (GPtrArray *plans,
                YardCpu    cpu)
{
  for (guint i = 0; i < plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (plans, i);

      if (plan->reason == NULL && plan->cpu == cpu)
        return TRUE;
    }
  return FALSE;
}

/* What the menu starts on for cpu: target, or the first entry that boots there when target
 * does not (yard_cpu_menu_default, the iPXE menu's rule too); NULL when none does. */
static Plan *
default_on (GPtrArray *plans,
            Plan      *target,
            YardCpu    cpu)
{
  g_autofree gboolean *boots = g_new0 (gboolean, MAX (plans->len, 1));
  int target_pos = -1;
  int pos;

  for (guint i = 0; i < plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (plans, i);

      boots[i] = plan_boots_on (plan, cpu);
      if (plan == target)
        target_pos = (int) i;
    }
  pos = yard_cpu_menu_default (boots, plans->len, target_pos);
  return pos >= 0 ? g_ptr_array_index (plans, pos) : NULL;
}

/* No default (or one GRUB does not get): GRUB's first entry, which is the first that boots on
 * the CPU at hand. A default for one CPU: per CPU, it or the first entry that boots there. */
static void
write_default (Writer       *w,
               YardBootMenu *menu,
               GPtrArray    *plans,
               guint         level,
               YardCpu       enclosing_cpu)
{
  const char *default_id = yard_boot_menu_get_default_id (menu);
  Plan *target = NULL;

  for (guint i = 0; default_id != NULL && i < plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (plans, i);

      if (plan->reason == NULL &&
          g_strcmp0 (yard_boot_entry_get_id (plan->entry), default_id) == 0)
        target = plan;
    }
  if (target == NULL)
    return;

  /* Inside an if on the CPU only that CPU reads it. */
  if (enclosing_cpu != YARD_CPU_UNKNOWN)
    {
      g_autofree char *value = NULL;

      target = default_on (plans, target, enclosing_cpu);
      if (target == NULL)
        return;
      value = default_value (plans, target, enclosing_cpu);
      indent (w, level);
      g_string_append_printf (w->out, "set default=%s\n", value);
      return;
    }

  if (target->cpu == YARD_CPU_UNKNOWN)
    {
      g_autofree char *value = default_value (plans, target, YARD_CPU_UNKNOWN);

      indent (w, level);
      g_string_append_printf (w->out, "set default=%s\n", value);
      /* A position counts the entries of one CPU before it: those CPUs get their own. */
      for (guint i = 0; i < G_N_ELEMENTS (grub_cpus); i++)
        {
          g_autofree char *cpu_value = default_value (plans, target, grub_cpus[i].cpu);

          if (!g_str_equal (cpu_value, value))
            write_default_for_cpu (w, level, grub_cpus[i].cpu, cpu_value);
        }
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (grub_cpus); i++)
    {
      YardCpu cpu = grub_cpus[i].cpu;
      Plan *first;
      g_autofree char *value = NULL;

      /* 32-bit UEFI PCs are rare: only a menu with an IA32 kernel says what they boot. */
      if (cpu == YARD_CPU_X86 && !plans_have_cpu (plans, cpu))
        continue;
      first = default_on (plans, target, cpu);
      if (first == NULL)
        continue;
      value = default_value (plans, first, cpu);
      write_default_for_cpu (w, level, cpu, value);
    }
}

static void write_menu (Writer       *w,
                        YardBootMenu *menu,
                        GPtrArray    *plans,
                        guint         level,
                        YardCpu       enclosing_cpu);

static void
write_menuentry_head (Writer     *w,
                      guint       level,
                      const char *command,
                      Plan       *plan)
{
  g_autofree char *title = entry_title (plan->entry);

  indent (w, level);
  g_string_append_printf (w->out, "%s --id=", command);
  append_quoted (w->out, yard_boot_entry_get_id (plan->entry));
  g_string_append (w->out, " -- ");
  append_quoted (w->out, title);
  g_string_append (w->out, " {\n");
}

static void
write_plan (Writer  *w,
            Plan    *plan,
            guint    level,
            YardCpu  enclosing_cpu)
{
  YardBootEntry *entry = plan->entry;
  gboolean wrap = plan->cpu != YARD_CPU_UNKNOWN && plan->cpu != enclosing_cpu;
  guint inner = wrap ? level + 1 : level;

  if (plan->reason != NULL)
    {
      g_autofree char *id = single_line (yard_boot_entry_get_id (entry));

      indent (w, level);
      g_string_append_printf (w->out, "# left out: %s: %s\n", id, plan->reason);
      /* and what was in it, each with its own reason */
      for (guint i = 0; plan->children != NULL && i < plan->children->len; i++)
        write_plan (w, g_ptr_array_index (plan->children, i), level + 1, enclosing_cpu);
      return;
    }

  if (wrap)
    {
      indent (w, level);
      g_string_append_printf (w->out, "if [ \"$grub_cpu\" = \"%s\" ]; then\n",
                              grub_cpu_name (plan->cpu));
    }

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
      /* Back to the firmware, which boots the next device of its boot order. */
      write_menuentry_head (w, inner, "menuentry", plan);
      indent (w, inner + 1);
      g_string_append (w->out, "exit\n");
      break;

    case YARD_BOOT_ENTRY_KIND_LINUX:
      write_menuentry_head (w, inner, "menuentry", plan);
      indent (w, inner + 1);
      g_string_append (w->out, "linux");
      append_file (w, plan->kernel);
      for (guint i = 0; i < plan->args->len; i++)
        append_arg (w, g_ptr_array_index (plan->args, i));
      g_string_append_c (w->out, '\n');
      if (plan->initrds->len > 0)
        {
          indent (w, inner + 1);
          g_string_append (w->out, "initrd");
          for (guint i = 0; i < plan->initrds->len; i++)
            append_file (w, g_ptr_array_index (plan->initrds, i));
          g_string_append_c (w->out, '\n');
        }
      break;

    case YARD_BOOT_ENTRY_KIND_SUBMENU:
      write_menuentry_head (w, inner, "submenu", plan);
      write_menu (w, yard_boot_entry_get_submenu (entry), plan->children, inner + 1,
                  wrap ? plan->cpu : enclosing_cpu);
      break;

    default:
      g_assert_not_reached ();
    }

  indent (w, inner);
  g_string_append (w->out, "}\n");
  if (wrap)
    {
      indent (w, level);
      g_string_append (w->out, "fi\n");
    }
}

static void
write_menu (Writer       *w,
            YardBootMenu *menu,
            GPtrArray    *plans,
            guint         level,
            YardCpu       enclosing_cpu)
{
  write_default (w, menu, plans, level, enclosing_cpu);
  for (guint i = 0; i < plans->len; i++)
    write_plan (w, g_ptr_array_index (plans, i), level, enclosing_cpu);
}

char *
yard_grub_menu_config (YardBootMenu          *menu,
                       const YardGrubOptions *options)
{
  static const YardGrubOptions defaults = { NULL, YARD_DEFAULT_HTTP_PORT };
  g_autoptr(GPtrArray) plans = NULL;
  GString *out;
  Writer w = { 0 };
  Checks checks;
  guint port, baud;
  guint timeout;

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);

  if (options == NULL)
    options = &defaults;
  checks_init (&checks, options->root_dir);
  plans = plan_menu (menu, &checks);
  checks_clear (&checks);

  out = g_string_new (NULL);
  w.out = out;
  w.http = options->http_port != 0;

  g_string_append (out, "# GRUB menu for UEFI network boot, written by Bootyard from "
                        "pxelinux.cfg/default:\n"
                        "# edit the menu there or in Bootyard, not here (this file is written "
                        "anew each time).\n\n");

  g_string_append (out, "set bootyard_server=\"${net_default_server}\"\n");
  if (w.http)
    {
      g_string_append_printf (out, "set bootyard_http=\"http://${net_default_server}:%u/boot\"\n",
                              options->http_port);
      /* Debian 12's signed grubnetx64.efi has no http module (and Secure Boot loads none):
       * opening the device fails there, with no request sent; then TFTP from the root. */
      g_string_append_printf (out, "if [ -e \"(http,${net_default_server}:%u)/\" ]; then\n"
                                   "  set bootyard_files=\"(http,${net_default_server}:%u)/boot\"\n"
                                   "else\n"
                                   "  set bootyard_files=\"(${root})\"\n"
                                   "fi\n", options->http_port, options->http_port);
      g_string_append (out, "export bootyard_server bootyard_http bootyard_files\n");
    }
  else
    {
      /* Without the HTTP port GRUB cannot know the server's URL: kernel arguments that name
       * it get "${bootyard_http}" as written. */
      g_string_append (out, "set bootyard_files=\"(${root})\"\n");
      g_string_append (out, "export bootyard_server bootyard_files\n");
    }

  /* What the machine is, for the Hosts page, as iPXE reports it over HTTP: Debian 12's signed
   * GRUBs have smbios and regexp built in but no http module nor URL encoding, so the report
   * is a TFTP read of a name the server knows (yard_machine_from_path), answered with an
   * empty file. A value with a byte outside this set (a '/' above all) is left out, so that
   * nothing in it can change the name. */
  g_string_append (out, "\nif [ -n \"${net_default_mac}\" ]; then\n"
                        "  set bootyard_report=\"\"\n");
  {
    static const struct { const char *key; const char *get; } fields[] = {
      { "manufacturer", "--get-string 4" }, { "product", "--get-string 5" },
      { "serial", "--get-string 7" }, { "uuid", "--get-uuid 8" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      g_string_append_printf (out,
                              "  unset bootyard_value\n"
                              "  smbios --type 1 %s --set bootyard_value\n"
                              "  if regexp '^[-A-Za-z0-9 .,_()+:]+$' \"${bootyard_value}\"; then\n"
                              "    set bootyard_report=\"${bootyard_report}/%s=${bootyard_value}\"\n"
                              "  fi\n", fields[i].get, fields[i].key);
  }
  g_string_append (out, "  if [ -n \"${bootyard_report}\" ]; then\n"
                        "    source \"(tftp,${net_default_server})/boot/${net_default_mac}.machine"
                        "${bootyard_report}\"\n"
                        "  fi\n"
                        "  unset bootyard_report bootyard_value\n"
                        "fi\n");

  if (yard_boot_menu_get_serial (menu, &port, &baud))
    {
      /* x86 GRUB names the 8250 ports com0..3, with "serial" for the terminal of the one set
       * up; ARM64's are the firmware's (efi0...), each terminal named after its port. */
      g_string_append_printf (out, "\nif [ \"$grub_cpu\" = \"arm64\" ]; then\n"
                                   "  serial --speed=%u efi%u\n"
                                   "  terminal_input serial_efi%u console\n"
                                   "  terminal_output serial_efi%u console\n"
                                   "else\n"
                                   "  serial --unit=%u --speed=%u\n"
                                   "  terminal_input serial console\n"
                                   "  terminal_output serial console\n"
                                   "fi\n", baud, port, port, port, port, baud);
    }

  /* The model's 0 is "wait for the user", GRUB's -1. */
  timeout = yard_boot_menu_get_timeout (menu);
  if (timeout == 0)
    g_string_append (out, "\nset timeout=-1\n");
  else
    g_string_append_printf (out, "\nset timeout=%u\n", timeout);
  write_default (&w, menu, plans, 0, YARD_CPU_UNKNOWN);

  for (guint i = 0; i < plans->len; i++)
    {
      g_string_append_c (out, '\n');
      write_plan (&w, g_ptr_array_index (plans, i), 0, YARD_CPU_UNKNOWN);
    }

  return g_string_free (out, FALSE);
}

char *
yard_grub_entry_unsupported (YardBootEntry *entry,
                             const char    *root_dir)
{
  Checks checks;
  Plan *plan;
  char *reason;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  checks_init (&checks, root_dir);
  plan = plan_entry (entry, &checks);
  checks_clear (&checks);
  reason = g_steal_pointer (&plan->reason);
  plan_free (plan);
  return reason;
}
