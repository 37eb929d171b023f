/* yard-ipxe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-ipxe"

#include "config.h"

#include <string.h>

#include "yard-boot-menu-private.h"
#include "yard-boot-support.h"
#include "yard-error.h"
#include "yard-host-table.h"
#include "yard-validate.h"
#include "yard-ipxe.h"

/*
 * How iPXE reads a script line (src/core/exec.c): it splits the line at whitespace, with no
 * quoting; a word starting with '#' starts a comment; the words "||", "&&" and ";" end a
 * command; then every word has its "${name}" settings expanded, again and again until none
 * is left (so "$${x}{" would expand too). Commands parse options with getopt until the first
 * word that does not start with '-', and "--" ends the options.
 *
 * A line ending in '\\' continues on the next line.
 *
 * So: texts are sanitized (control characters become spaces, a '$' before '{' goes, a word
 * starting with '#' loses its '#', the terminator words become "|", "&", ",", a final '\\'
 * goes); paths and URLs
 * are percent-encoded ('$', '{', '}', spaces...); kernel arguments, which must reach the kernel
 * unchanged, are refused when they cannot be written safely, and their entry is left out.
 * Labels we jump to are "yard-<id>" for entries (ids are [A-Za-z0-9._-]) and contain ':'
 * otherwise ("yard:menu", "yard:failed", "yard-<id>:efi"), so they never collide.
 */

#define LOCAL_DISK_COMMANDS \
  "iseq ${platform} efi && exit ||\n" \
  "sanboot --no-describe --drive 0x80\n"

const char *
yard_ipxe_local_disk_commands (void)
{
  return LOCAL_DISK_COMMANDS;
}

char *
yard_ipxe_sanitize_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p; p++)
    {
      guchar c = *p;

      if (c < 0x20 || c == 0x7f)
        c = ' ';
      if (c == '{')
        {
          /* Never leave "${": drop every '$' right before a '{'. */
          while (out->len > 0 && out->str[out->len - 1] == '$')
            g_string_truncate (out, out->len - 1);
        }
      g_string_append_c (out, c);
    }

  words = g_strsplit (out->str, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];

      while (*w == '#')
        w++;
      if (*w == '\0')
        continue;
      if (strcmp (w, "||") == 0)
        w = "|";
      else if (strcmp (w, "&&") == 0)
        w = "&";
      else if (strcmp (w, ";") == 0)
        w = ",";
      if (joined->len > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, w);
    }
  /* A line ending in '\\' continues on the next one: never end with it. */
  while (joined->len > 0 && joined->str[joined->len - 1] == '\\')
    g_string_truncate (joined, joined->len - 1);
  while (joined->len > 0 && joined->str[joined->len - 1] == ' ')
    g_string_truncate (joined, joined->len - 1);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

char *
yard_ipxe_encode_path (const char *path)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, NULL);

  /* Paths are relative to the boot root, as pxelinux's leading '/' means. */
  while (*path == '/')
    path++;
  for (const guchar *p = (const guchar *)path; *p; p++)
    {
      gboolean keep = g_ascii_isalnum (*p) || *p == '.' || *p == '_' || *p == '~' || *p == '/' ||
                      (*p == '-' && p != (const guchar *)path);

      if (keep)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

/* Length of an iPXE setting reference such as "${mac}" or "${net0/mac:hexhyp}" at @p, or 0:
 * a name of a few safe characters, which iPXE expands into a value and nothing else. */
static gsize
setting_reference_length (const char *p)
{
  gsize n = 2;

  if (p[0] != '$' || p[1] != '{')
    return 0;
  /* strchr () would match the terminating NUL: test for it first. */
  while (p[n] != '\0' && (g_ascii_isalnum (p[n]) || strchr ("_.:/-", p[n]) != NULL))
    n++;
  return (p[n] == '}' && n > 2 && n <= 66) ? n + 1 : 0;
}

/* An http(s) URL as one safe word: anything outside printable ASCII, quotes and backslashes
 * percent-encoded, and "$", "{", "}" too unless they form a plain setting reference: hosting
 * providers' script URLs carry "?mac=${mac}", which iPXE fills in. NULL when it is not an
 * http(s) URL. */
static char *
encode_url (const char *url)
{
  gsize prefix = yard_url_http_prefix_length (url);
  GString *out;

  if (prefix == 0)
    return NULL;
  /* iPXE knows its schemes in lower case only */
  out = g_string_new (prefix == 7 ? "http://" : "https://");
  url += prefix;
  for (const guchar *p = (const guchar *)url; *p; p++)
    {
      gsize ref = setting_reference_length ((const char *) p);

      if (ref > 0)
        {
          g_string_append_len (out, (const char *) p, ref);
          p += ref - 1;
        }
      else if (*p <= 0x20 || *p >= 0x7f || *p == '$' || *p == '{' || *p == '}' || *p == '"' ||
          *p == '\'' || *p == '\\' || *p == '`')
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
file_url (const char *base,
          const char *path)
{
  g_autofree char *encoded = yard_ipxe_encode_path (path);

  if (base == NULL)
    return g_steal_pointer (&encoded);
  return g_strdup_printf ("%s/%s", base, encoded);
}

/* Kernel arguments word by word; NULL when a word cannot be written without changing
 * what iPXE does with it. */
static char *
safe_args (const char *args)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (args == NULL)
    return g_strdup ("");
  for (const guchar *p = (const guchar *)args; *p; p++)
    {
      if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
        return NULL;
    }
  if (strstr (args, "${") != NULL)
    return NULL;
  words = g_strsplit_set (args, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];

      if (*w == '\0')
        continue;
      if (w[0] == '#' || strcmp (w, "||") == 0 || strcmp (w, "&&") == 0 || strcmp (w, ";") == 0)
        return NULL;
      g_string_append_c (out, ' ');
      g_string_append (out, w);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
key_is_safe (const char *key)
{
  return key != NULL && *key != '\0' && *key != '-' && yard_boot_entry_id_is_valid (key);
}

typedef struct
{
  GString    *out;
  const char *base;
  GString    *deferred; /* submenus, written after the menu that holds them */
  const char *root_dir; /* NULL: no file is checked */
} Writer;

static void
write_entry_body (Writer        *w,
                  YardBootEntry *entry,
                  const char    *key)
{
  GString *out = w->out;
  const char *id = yard_boot_entry_get_id (entry);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
      g_string_append_printf (out, ":yard-%s\n", key);
      g_string_append (out, "iseq ${platform} efi && exit ||\n");
      g_string_append (out, "sanboot --no-describe --drive 0x80 || goto yard:failed\n");
      break;

    case YARD_BOOT_ENTRY_KIND_LINUX:
      {
        g_autofree char *args = safe_args (yard_boot_entry_get_append (entry));
        const char * const *initrds = yard_boot_entry_get_initrds (entry);
        g_autofree char *kernel_url = file_url (w->base, yard_boot_entry_get_kernel (entry));
        g_autoptr(GString) initrd_args = g_string_new (NULL);

        if (args == NULL)
          {
            g_string_append_printf (out, "# %s left out: its kernel arguments cannot be written "
                                    "safely in iPXE (\"${\", \"#\", \"||\", \"&&\" or \";\")\n", id);
            return;
          }
        g_string_append_printf (out, ":yard-%s\n", key);
        g_string_append (out, "imgfree\n");
        g_string_append_printf (out, "kernel --name kernel %s || goto yard:failed\n", kernel_url);
        for (guint i = 0; initrds[i] != NULL; i++)
          {
            g_autofree char *url = file_url (w->base, initrds[i]);

            g_string_append_printf (out, "initrd --name initrd%u %s || goto yard:failed\n", i, url);
            g_string_append_printf (initrd_args, " initrd=initrd%u", i);
          }
        /* initrd=NAME lets an EFI stub kernel find the initrds iPXE holds. */
        g_string_append_printf (out, "imgargs kernel%s%s || goto yard:failed\n", initrd_args->str, args);
        g_string_append (out, "boot kernel || goto yard:failed\n");
      }
      break;

    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      {
        g_autofree char *args = safe_args (yard_boot_entry_get_append (entry));
        const char *memdisk = yard_boot_entry_get_kernel (entry);
        g_autofree char *memdisk_url = file_url (w->base, memdisk != NULL ? memdisk : "memdisk");
        g_autofree char *image_url = file_url (w->base, yard_boot_entry_get_image (entry));
        YardMemdiskType type = yard_boot_entry_get_image_type (entry);

        if (args == NULL)
          {
            g_string_append_printf (out, "# %s left out: its memdisk arguments cannot be written "
                                    "safely in iPXE\n", id);
            return;
          }
        g_string_append_printf (out, ":yard-%s\n", key);
        g_string_append (out, "imgfree\n");
        g_string_append_printf (out, "iseq ${platform} efi && goto yard-%s:efi ||\n", key);
        g_string_append_printf (out, "kernel --name memdisk %s || goto yard:failed\n", memdisk_url);
        g_string_append_printf (out, "initrd --name image %s || goto yard:failed\n", image_url);
        g_string_append_printf (out, "imgargs memdisk %s%s%s || goto yard:failed\n",
                                yard_memdisk_type_to_string (type),
                                yard_boot_entry_get_raw (entry) ? " raw" : "", args);
        g_string_append (out, "boot memdisk || goto yard:failed\n");
        /* memdisk is a BIOS program: on UEFI an ISO can still be attached over HTTP. */
        g_string_append_printf (out, ":yard-%s:efi\n", key);
        if (type == YARD_MEMDISK_ISO)
          g_string_append_printf (out, "sanboot %s || goto yard:failed\n", image_url);
        else
          {
            g_string_append (out, "echo -- This disk image needs a BIOS (legacy) machine: memdisk does not run on UEFI\n");
            g_string_append (out, "goto yard:failed\n");
          }
      }
      break;

    case YARD_BOOT_ENTRY_KIND_CHAIN:
      {
        g_autofree char *url = encode_url (yard_boot_entry_get_url (entry));

        if (url == NULL)
          {
            g_string_append_printf (out, "# %s left out: its URL is not http:// or https://\n", id);
            return;
          }
        g_string_append_printf (out, ":yard-%s\n", key);
        g_string_append_printf (out, "chain --autofree %s || goto yard:failed\n", url);
      }
      break;

    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      {
        const char *script = yard_boot_entry_get_script (entry);
        const char *body = script != NULL ? strchr (script, '\n') : NULL;

        g_string_append_printf (out, ":yard-%s\n", key);
        g_string_append_printf (out, "# the script of entry %s\n", id);
        if (body != NULL)
          {
            g_autofree char *text = g_strdup (body + 1);

            g_string_append (out, text);
            if (*text != '\0' && text[strlen (text) - 1] != '\n')
              g_string_append_c (out, '\n');
          }
        g_string_append (out, "goto yard:failed\n");
      }
      break;

    case YARD_BOOT_ENTRY_KIND_COM32:
      g_string_append_printf (out, "# %s left out: COM32 modules run only under pxelinux\n", id);
      break;

    case YARD_BOOT_ENTRY_KIND_OTHER:
      g_string_append_printf (out, "# %s left out: Bootyard cannot tell how it boots\n", id);
      break;

    case YARD_BOOT_ENTRY_KIND_SUBMENU:
      g_string_append_printf (out, ":yard-%s\n", key);
      g_string_append_printf (out, "goto yard:menu:%s\n", key);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
entry_has_item (YardBootEntry *entry)
{
  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_COM32:
    case YARD_BOOT_ENTRY_KIND_OTHER:
      return FALSE;
    case YARD_BOOT_ENTRY_KIND_LINUX:
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      {
        g_autofree char *args = safe_args (yard_boot_entry_get_append (entry));

        return args != NULL;
      }
    case YARD_BOOT_ENTRY_KIND_CHAIN:
      {
        g_autofree char *url = encode_url (yard_boot_entry_get_url (entry));

        return url != NULL;
      }
    default:
      return TRUE;
    }
}

/* pxelinux marks a hotkey with '^' ("^Install"): iPXE gets it as --key. */
static char
label_without_hotkey (const char  *label,
                      char       **plain)
{
  GString *out = g_string_new (NULL);
  char key = 0;

  for (const char *p = label != NULL ? label : ""; *p; p++)
    {
      if (*p == '^' && g_ascii_isalnum (p[1]))
        {
          if (key == 0)
            key = g_ascii_tolower (p[1]);
          continue;
        }
      g_string_append_c (out, *p);
    }
  *plain = g_string_free (out, FALSE);
  return key;
}

/* The clients an iPXE menu tells apart, as ${bootyard_client}: iPXE's ${buildarch} on UEFI,
 * and "pcbios" for BIOS iPXE (undionly.kpxe, ipxe.lkrn: i386 builds, from which a BIOS boots
 * any x86 kernel, 64-bit ones too). */
static const struct
{
  const char *name;
  gboolean    bios;
  YardCpu     cpu;
} ipxe_clients[] = {
  { "pcbios", TRUE,  YARD_CPU_X86 },
  { "x86_64", FALSE, YARD_CPU_X86_64 },
  { "arm64",  FALSE, YARD_CPU_ARM64 },
  { "i386",   FALSE, YARD_CPU_X86 },
};

#define IPXE_ALL_CLIENTS ((1u << G_N_ELEMENTS (ipxe_clients)) - 1)
#define IPXE_SET_CLIENT "iseq ${platform} pcbios && set bootyard_client pcbios || " \
                        "set bootyard_client ${buildarch}\n"

/* Which clients boot the entry, one bit per ipxe_clients[]: on BIOS what a BIOS boots
 * (yard_boot_entry_firmware_unsupported), on UEFI a kernel for iPXE's own CPU
 * (yard_cpu_runs_on, GRUB's rule). Without a root to read kernels in: every client. */
static guint
entry_clients (Writer        *w,
               YardBootEntry *entry)
{
  YardCpu cpu;
  guint mask = 0;

  if (w->root_dir == NULL || yard_boot_entry_get_kind (entry) != YARD_BOOT_ENTRY_KIND_LINUX)
    return IPXE_ALL_CLIENTS;
  cpu = yard_boot_entry_get_cpu (entry, w->root_dir);
  if (cpu == YARD_CPU_UNKNOWN)
    return IPXE_ALL_CLIENTS;
  for (guint i = 0; i < G_N_ELEMENTS (ipxe_clients); i++)
    {
      gboolean boots;

      if (ipxe_clients[i].bios)
        {
          g_autofree char *why = yard_boot_entry_firmware_unsupported (entry, FALSE, w->root_dir);

          boots = why == NULL;
        }
      else
        boots = yard_cpu_runs_on (cpu, ipxe_clients[i].cpu);
      if (boots)
        mask |= 1u << i;
    }
  return mask;
}

static void
write_menu (Writer       *w,
            YardBootMenu *menu,
            const char   *label,      /* "yard:menu" or "yard:menu:<id>" */
            const char   *parent,     /* the label to go back to, or NULL */
            const char   *back_key,
            guint         timeout_ms)
{
  GString *out = w->out;
  g_autofree char *title = yard_ipxe_sanitize_text (yard_boot_menu_get_title (menu));
  const char *default_id = yard_boot_menu_get_default_id (menu);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  guint n = yard_boot_menu_get_n_entries (menu);
  g_autofree guint *clients = g_new0 (guint, MAX (n, 1));  /* 0: no item */
  int default_pos = default_id != NULL ? yard_boot_menu_get_position (menu, default_id) : -1;
  int defaults[G_N_ELEMENTS (ipxe_clients)];
  gboolean per_client = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *id = yard_boot_entry_get_id (yard_boot_menu_get_entry (menu, i));

      g_ptr_array_add (keys, key_is_safe (id) ? g_strdup (id) : g_strdup_printf ("entry%u", i));
    }

  g_string_append_printf (out, "\n:%s\n", label);
  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);

      if (yard_boot_entry_get_hidden (entry) || !entry_has_item (entry))
        continue;
      if (w->root_dir != NULL)
        {
          g_auto(GStrv) missing = yard_boot_entry_dup_missing_files (entry, w->root_dir);

          if (missing[0] != NULL)
            continue;
        }
      clients[i] = entry_clients (w, entry);
      per_client |= clients[i] != IPXE_ALL_CLIENTS;
    }
  /* Per client, the default or the first entry that boots there (GRUB's rule) */
  for (guint c = 0; c < G_N_ELEMENTS (ipxe_clients); c++)
    {
      g_autofree gboolean *boots = g_new0 (gboolean, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        boots[i] = (clients[i] & (1u << c)) != 0;
      defaults[c] = yard_cpu_menu_default (boots, n, default_pos);
    }
  if (per_client)
    g_string_append (out, IPXE_SET_CLIENT);
  if (*title != '\0')
    g_string_append_printf (out, "menu -- %s\n", title);
  else
    g_string_append (out, "menu\n");

  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *text = NULL;
      g_autofree char *plain = NULL;
      char hotkey;

      if (yard_boot_entry_get_hidden (entry) || !entry_has_item (entry))
        continue;
      if (w->root_dir != NULL)
        {
          g_auto(GStrv) missing = yard_boot_entry_dup_missing_files (entry, w->root_dir);

          /* a boot that would fail after the user chose it: left out until its files return */
          if (missing[0] != NULL)
            {
              g_autofree char *file = yard_ipxe_sanitize_text (missing[0]);

              g_string_append_printf (out, "# %s left out: %s is missing\n", key, file);
              continue;
            }
        }
      if (clients[i] == 0)
        {
          g_string_append_printf (out, "# %s left out: its kernel boots on no client iPXE "
                                  "runs on\n", key);
          continue;
        }
      if (clients[i] != IPXE_ALL_CLIENTS)
        {
          /* only where its kernel runs: iseq A || iseq B || goto past the item */
          for (guint c = 0; c < G_N_ELEMENTS (ipxe_clients); c++)
            {
              if ((clients[i] & (1u << c)) != 0)
                g_string_append_printf (out, "iseq ${bootyard_client} %s || ",
                                        ipxe_clients[c].name);
            }
          g_string_append_printf (out, "goto yard-%s:cpu\n", key);
        }
      hotkey = label_without_hotkey (yard_boot_entry_get_label (entry), &plain);
      text = yard_ipxe_sanitize_text (plain);
      if (*text == '\0')
        {
          g_free (text);
          text = g_strdup (key);
        }
      g_string_append (out, "item ");
      if (hotkey != 0)
        g_string_append_printf (out, "--key %c ", hotkey);
      g_string_append_printf (out, "%s %s%s\n", key, text,
                              yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_SUBMENU ? " ..." : "");
      if (clients[i] != IPXE_ALL_CLIENTS)
        g_string_append_printf (out, ":yard-%s:cpu\n", key);
    }
  if (parent != NULL)
    g_string_append_printf (out, "item %s Back\n", back_key);

  /* The default: the model's where it boots; else per client the first entry that does. */
  {
    int first = -1;
    gboolean same = TRUE;

    for (guint c = 0; c < G_N_ELEMENTS (ipxe_clients); c++)
      {
        if (defaults[c] < 0)
          continue;
        if (first < 0)
          first = defaults[c];
        same &= defaults[c] == first;
      }
    if (!same)
      {
        g_string_append_printf (out, "set bootyard_default %s\n",
                                (const char *) g_ptr_array_index (keys, first));
        for (guint c = 0; c < G_N_ELEMENTS (ipxe_clients); c++)
          {
            if (defaults[c] >= 0 && defaults[c] != first)
              g_string_append_printf (out, "iseq ${bootyard_client} %s && set bootyard_default "
                                      "%s ||\n", ipxe_clients[c].name,
                                      (const char *) g_ptr_array_index (keys, defaults[c]));
          }
      }
    g_string_append (out, "choose");
    if (timeout_ms > 0)
      g_string_append_printf (out, " --timeout %u", timeout_ms);
    if (!same)
      g_string_append (out, " --default ${bootyard_default}");
    else if (first >= 0 && (first == default_pos || per_client))
      g_string_append_printf (out, " --default %s", (const char *) g_ptr_array_index (keys, first));
  }
  g_string_append_printf (out, " selected || goto %s\n", parent != NULL ? parent : "yard:exit");
  g_string_append (out, "goto yard-${selected}\n");
  if (parent != NULL)
    g_string_append_printf (out, ":yard-%s\ngoto %s\n", back_key, parent);

  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *key = g_ptr_array_index (keys, i);

      g_string_append_c (out, '\n');
      write_entry_body (w, entry, key);
    }

  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);
      const char *key = g_ptr_array_index (keys, i);

      if (submenu != NULL)
        {
          g_autofree char *sub_label = g_strdup_printf ("yard:menu:%s", key);
          g_autofree char *sub_back = g_strdup_printf (".back:%s", key);

          write_menu (w, submenu, sub_label, label, sub_back, 0);
        }
    }
}

static gboolean
base_url_is_safe (const char *url)
{
  const char *rest = url;

  if (url == NULL)
    return FALSE;
  if (g_str_has_prefix (url, "${"))
    {
      /* One iPXE setting that our own script set, e.g. "${bootyard_http}" for a menu file
       * that does not know the server's address: [A-Za-z0-9_] only, then a plain path. */
      const char *end = strchr (url, '}');

      if (end == NULL || end == url + 2)
        return FALSE;
      for (const char *p = url + 2; p < end; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '_')
            return FALSE;
        }
      rest = end + 1;
    }
  else if (!(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")))
    return FALSE;
  for (const guchar *p = (const guchar *)rest; *p; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f || *p == '$' || *p == '{' || *p == '}' || *p == '#' ||
          *p == '"' || *p == '\'' || *p == '\\')
        return FALSE;
    }
  return TRUE;
}

static char *
check_base_url (const char  *url,
                const char  *what,
                GError     **error)
{
  char *copy;

  if (!base_url_is_safe (url))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "The %s “%s” must be an http:// or https:// URL without spaces, quotes, “$”, "
                   "braces or “#”", what, url != NULL ? url : "");
      return NULL;
    }
  copy = g_strdup (url);
  while (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  return copy;
}

char *
yard_ipxe_menu_script (YardBootMenu  *menu,
                       const char    *base_url,
                       GError       **error)
{
  return yard_ipxe_menu_script_for_root (menu, base_url, NULL, error);
}

char *
yard_ipxe_menu_script_for_root (YardBootMenu  *menu,
                                const char    *base_url,
                                const char    *root_dir,
                                GError       **error)
{
  g_autofree char *base = NULL;
  GString *out;
  Writer w = { 0 };

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);

  if (base_url != NULL)
    {
      base = check_base_url (base_url, "boot files URL", error);
      if (base == NULL)
        return NULL;
    }

  out = g_string_new ("#!ipxe\n");
  g_string_append (out, "# Boot menu written by Bootyard from its shared menu.\n");
  w.out = out;
  w.base = base;
  w.root_dir = root_dir;

  write_menu (&w, menu, "yard:menu", NULL, NULL, yard_boot_menu_get_timeout (menu) * 1000);

  g_string_append (out, "\n:yard:failed\n");
  g_string_append (out, "echo -- Booting ${selected} failed. Press a key to return to the menu.\n");
  g_string_append (out, "prompt --timeout 30000 ||\n");
  g_string_append (out, "goto yard:menu\n");
  g_string_append (out, "\n:yard:exit\n");
  g_string_append (out, "exit 1\n");

  return g_string_free (out, FALSE);
}

#define MACHINE_REPORT_COMMANDS \
  "imgfetch --name bootyard-machine ${bootyard_server}/boot/${bootyard_mac}.machine?" \
  "manufacturer=${manufacturer:uristring}&product=${product:uristring}&" \
  "serial=${serial:uristring}&uuid=${uuid}&memsize=${memsize}&chip=${netX/chip:uristring} " \
  "&& imgfree bootyard-machine ||\n"

/* "#!ipxe" and the settings every host script starts with. */
static GString *
host_script_header (const char  *server_url,
                    const char  *mac,
                    const char  *base_url,
                    GError     **error)
{
  g_autofree char *server = NULL;
  g_autofree char *norm_mac = NULL;
  GString *out;

  server = check_base_url (server_url, "server URL", error);
  if (server == NULL)
    return NULL;
  norm_mac = yard_mac_normalize (mac, error);
  if (norm_mac == NULL)
    return NULL;

  out = g_string_new ("#!ipxe\n");
  g_string_append_printf (out, "set bootyard_server %s\n", server);
  g_string_append_printf (out, "set bootyard_mac %s\n", norm_mac);
  /* Kernel arguments of imported images name the boot root as ${bootyard_http} */
  if (base_url != NULL)
    {
      g_autofree char *boot = check_base_url (base_url, "boot files URL", error);

      if (boot == NULL)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_printf (out, "set bootyard_http %s\n", boot);
    }
  return out;
}

char *
yard_ipxe_host_script (const char        *server_url,
                       const char        *mac,
                       YardIpxeHostMode   mode,
                       const char        *payload,
                       YardBootMenu      *menu,
                       const char        *base_url,
                       GError           **error)
{
  return yard_ipxe_host_script_for_root (server_url, mac, mode, payload, menu, base_url, NULL,
                                         error);
}

char *
yard_ipxe_host_script_for_root (const char        *server_url,
                                const char        *mac,
                                YardIpxeHostMode   mode,
                                const char        *payload,
                                YardBootMenu      *menu,
                                const char        *base_url,
                                const char        *root_dir,
                                GError           **error)
{
  g_autoptr(GString) out = host_script_header (server_url, mac, base_url, error);

  if (out == NULL)
    return NULL;
  /* What the machine is, in one small request (GET /boot/MAC.machine, the Hosts page shows
   * it); a server that does not know it changes nothing. */
  if (mode != YARD_IPXE_HOST_IGNORE)
    g_string_append (out, MACHINE_REPORT_COMMANDS);

  switch (mode)
    {
    case YARD_IPXE_HOST_MENU:
      {
        g_autofree char *script = NULL;

        g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);
        script = yard_ipxe_menu_script_for_root (menu, base_url, root_dir, error);
        if (script == NULL)
          return NULL;
        g_string_append (out, strchr (script, '\n') + 1);
      }
      break;

    case YARD_IPXE_HOST_SCRIPT:
      {
        const char *body;

        if (!yard_validate_ipxe_script (payload, error))
          {
            g_prefix_error (error, "The host's script: ");
            return NULL;
          }
        body = strchr (payload, '\n');
        if (body != NULL)
          {
            g_string_append (out, body + 1);
            if (body[1] != '\0' && !g_str_has_suffix (out->str, "\n"))
              g_string_append_c (out, '\n');
          }
      }
      break;

    case YARD_IPXE_HOST_URL:
      {
        /* the host table's rule: what it accepted is written */
        g_autofree char *valid = yard_validate_url (payload, error);
        g_autofree char *url = valid != NULL ? encode_url (valid) : NULL;

        if (url == NULL)
          {
            g_prefix_error (error, "The host's script URL: ");
            return NULL;
          }
        g_string_append_printf (out, "chain --autofree %s\n", url);
      }
      break;

    case YARD_IPXE_HOST_DISK:
      g_string_append (out, LOCAL_DISK_COMMANDS);
      break;

    case YARD_IPXE_HOST_IGNORE:
      g_string_append (out, "exit\n");
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
yard_ipxe_script_for_host (const YardHost *host,
                           const char     *server_url,
                           YardBootMenu   *menu,
                           const GError   *menu_error,
                           const char     *root_dir,
                           GError        **error)
{
  static const YardIpxeHostMode modes[] = {
    [YARD_HOST_MODE_MENU] = YARD_IPXE_HOST_MENU,
    [YARD_HOST_MODE_SCRIPT] = YARD_IPXE_HOST_SCRIPT,
    [YARD_HOST_MODE_URL] = YARD_IPXE_HOST_URL,
    [YARD_HOST_MODE_DISK] = YARD_IPXE_HOST_DISK,
    [YARD_HOST_MODE_IGNORE] = YARD_IPXE_HOST_IGNORE,
  };
  g_autofree char *boot_url = NULL;
  const char *payload = NULL;

  g_return_val_if_fail (host != NULL && server_url != NULL, NULL);
  g_return_val_if_fail ((guint) host->mode < G_N_ELEMENTS (modes), NULL);

  boot_url = g_strconcat (server_url, "/boot", NULL);
  if (host->mode == YARD_HOST_MODE_MENU && menu == NULL)
    {
      /* Say why on the client's screen, then leave it its disk rather than a loop. */
      g_autofree char *text = yard_ipxe_sanitize_text (menu_error != NULL ? menu_error->message
                                                                          : "no menu");
      GString *out = host_script_header (server_url, host->mac, boot_url, error);

      if (out == NULL)
        return NULL;
      g_string_append_printf (out, "echo Bootyard: the boot menu is broken: %s\n", text);
      g_string_append (out, "sleep 10\n");
      g_string_append (out, LOCAL_DISK_COMMANDS);
      return g_string_free (out, FALSE);
    }
  if (host->mode == YARD_HOST_MODE_SCRIPT)
    payload = host->script;
  else if (host->mode == YARD_HOST_MODE_URL)
    payload = host->script_url;
  return yard_ipxe_host_script_for_root (server_url, host->mac, modes[host->mode], payload,
                                         host->mode == YARD_HOST_MODE_MENU ? menu : NULL,
                                         boot_url, root_dir, error);
}
