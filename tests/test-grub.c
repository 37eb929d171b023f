/* test-grub.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Golden files in tests/data/grub/, and every file read back by a small GRUB lexer of our own
 * (the rules of grub-core/script/yylex.l) to see which commands GRUB would run and what words
 * they get; grub-script-check, GRUB's own parser, reads them too when it is installed.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "yard-boot-menu.h"
#include "yard-grub.h"
#include "yard-pxelinux.h"

#include "test-dirs.h"

#define AMD64_KERNEL "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux"
#define ARM64_KERNEL "/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64/linux"

/* Where a variable was expanded in a word our lexer decoded: \1NAME\1 (nothing we write
 * literally has control characters). */
#define VAR(name) "\001" name "\001"

/* Compares with tests/data/grub/NAME; YARD_UPDATE_GOLDEN=1 rewrites the file instead
 * (then read the diff before committing it). */
static void
assert_golden (const char *name,
               const char *text)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "grub", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  if (g_getenv ("YARD_UPDATE_GOLDEN") != NULL)
    {
      g_assert_true (g_file_set_contents (path, text, -1, &error));
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
}

/* ---- GRUB's lexer, as far as we need it ---- */

typedef struct
{
  GPtrArray *words;  /* decoded: quotes gone, expansions as VAR(name) */
  gboolean   block;  /* ended by an unquoted '{' */
} Command;

typedef struct
{
  GPtrArray *commands;
  guint      specials;    /* unquoted | & < > and lone '$': never in what we write */
  gboolean   unbalanced;  /* a quote left open */
} Script;

static void
command_free (gpointer data)
{
  Command *cmd = data;

  g_ptr_array_unref (cmd->words);
  g_free (cmd);
}

static void
script_free (Script *script)
{
  g_ptr_array_unref (script->commands);
  g_free (script);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Script, script_free)

static Command *
command_new (void)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->words = g_ptr_array_new_with_free_func (g_free);
  return cmd;
}

typedef struct
{
  Script  *script;
  Command *cmd;
  GString *word;  /* NULL between words */
} Lexer;

static void
end_word (Lexer *lx)
{
  if (lx->word != NULL)
    g_ptr_array_add (lx->cmd->words, g_string_free (g_steal_pointer (&lx->word), FALSE));
}

static void
end_command (Lexer *lx)
{
  end_word (lx);
  if (lx->cmd->words->len > 0)
    g_ptr_array_add (lx->script->commands, lx->cmd);
  else
    command_free (lx->cmd);
  lx->cmd = command_new ();
}

static GString *
word (Lexer *lx)
{
  if (lx->word == NULL)
    lx->word = g_string_new (NULL);
  return lx->word;
}

/* After a '$': ${name} or $name (yylex.l's VARIABLE); the end of it, or NULL if none. */
static const char *
lex_variable (Lexer      *lx,
              const char *p)
{
  const char *start = p;
  const char *end;

  if (*p == '{')
    {
      start = p + 1;
      end = strchr (start, '}');
      if (end == NULL || end == start)
        return NULL;
      for (const char *q = start; q < end; q++)
        {
          if (!g_ascii_isalnum (*q) && *q != '_')
            return NULL;
        }
      g_string_append_printf (word (lx), "\001%.*s\001", (int) (end - start), start);
      return end + 1;
    }
  end = p;
  while (g_ascii_isalnum (*end) || *end == '_')
    end++;
  if (end == start)
    return NULL;
  g_string_append_printf (word (lx), "\001%.*s\001", (int) (end - start), start);
  return end;
}

static Script *
grub_lex (const char *text)
{
  Script *script = g_new0 (Script, 1);
  Lexer lx = { script, command_new (), NULL };
  const char *p = text;

  script->commands = g_ptr_array_new_with_free_func (command_free);
  while (*p != '\0')
    {
      char c = *p;

      if (c == ' ' || c == '\t')
        {
          end_word (&lx);
          p++;
        }
      else if (c == '\n' || c == ';')
        {
          end_command (&lx);
          p++;
        }
      else if (c == '#' && lx.word == NULL)
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (c == '{')
        {
          end_word (&lx);
          lx.cmd->block = TRUE;
          end_command (&lx);
          p++;
        }
      else if (c == '}')
        {
          end_command (&lx);
          g_ptr_array_add (lx.cmd->words, g_strdup ("}"));
          end_command (&lx);
          p++;
        }
      else if (c == '|' || c == '&' || c == '<' || c == '>')
        {
          script->specials++;
          p++;
        }
      else if (c == '\\')
        {
          if (p[1] == '\0')
            break;
          if (p[1] != '\n')
            g_string_append_c (word (&lx), p[1]);
          p += 2;
        }
      else if (c == '\'')
        {
          const char *end = strchr (p + 1, '\'');

          if (end == NULL)
            {
              script->unbalanced = TRUE;
              break;
            }
          g_string_append_len (word (&lx), p + 1, end - p - 1);
          p = end + 1;
        }
      else if (c == '"')
        {
          word (&lx);
          for (p++; *p != '"'; )
            {
              if (*p == '\0')
                {
                  script->unbalanced = TRUE;
                  break;
                }
              if (*p == '\\' && p[1] != '\0' && strchr ("$\"\\\n", p[1]) != NULL)
                {
                  if (p[1] != '\n')
                    g_string_append_c (lx.word, p[1]);
                  p += 2;
                }
              else if (*p == '$')
                {
                  const char *end = lex_variable (&lx, p + 1);

                  if (end == NULL)
                    {
                      g_string_append_c (lx.word, '$');
                      p++;
                    }
                  else
                    p = end;
                }
              else
                g_string_append_c (lx.word, *p++);
            }
          if (*p == '"')
            p++;
        }
      else if (c == '$')
        {
          const char *end = lex_variable (&lx, p + 1);

          if (end == NULL)
            {
              script->specials++;
              p++;
            }
          else
            p = end;
        }
      else
        {
          g_string_append_c (word (&lx), c);
          p++;
        }
    }
  end_command (&lx);
  command_free (lx.cmd);
  return script;
}

/* One menuentry or submenu as GRUB reads it. */
typedef struct
{
  char      *command;  /* "menuentry" or "submenu" */
  char      *id;
  char      *title;
  char      *cpu;      /* the CPU of the innermost if around it, or NULL */
  guint      ifs;      /* how many ifs on the CPU are around it */
  GPtrArray *body;     /* menuentry: Command* (copies) */
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->command);
  g_free (item->id);
  g_free (item->title);
  g_free (item->cpu);
  g_ptr_array_unref (item->body);
  g_free (item);
}

static const char *
word_at (Command *cmd,
         guint    i)
{
  return i < cmd->words->len ? g_ptr_array_index (cmd->words, i) : NULL;
}

static gboolean
word_is (Command    *cmd,
         guint       i,
         const char *text)
{
  return g_strcmp0 (word_at (cmd, i), text) == 0;
}

/* The machine report every file has (yard_machine_from_path reads its name): written
 * out here in full, so that a change to it is a change to this test. */
#define MACHINE_FIELD(get, key) \
  "  unset bootyard_value\n" \
  "  smbios --type 1 " get " --set bootyard_value\n" \
  "  if regexp '^[-A-Za-z0-9 .,_()+:]+$' \"${bootyard_value}\"; then\n" \
  "    set bootyard_report=\"${bootyard_report}/" key "=${bootyard_value}\"\n" \
  "  fi\n"
static const char machine_report[] =
  "\nif [ -n \"${net_default_mac}\" ]; then\n"
  "  set bootyard_report=\"\"\n"
  MACHINE_FIELD ("--get-string 4", "manufacturer")
  MACHINE_FIELD ("--get-string 5", "product")
  MACHINE_FIELD ("--get-string 7", "serial")
  MACHINE_FIELD ("--get-uuid 8", "uuid")
  "  if [ -n \"${bootyard_report}\" ]; then\n"
  "    source \"(tftp,${net_default_server})/boot/${net_default_mac}.machine${bootyard_report}\"\n"
  "  fi\n"
  "  unset bootyard_report bootyard_value\n"
  "fi\n";

static GPtrArray *check_menu_structure (const char *config);

/* Checks that the file is made of the commands we write, each where it belongs, with only our
 * variables, and returns its entries in order. The machine report is there once, as above. */
static GPtrArray *
check_structure (const char *config)
{
  const char *report = strstr (config, machine_report);
  g_autofree char *rest = NULL;

  g_assert_nonnull (report);
  g_assert_null (strstr (report + strlen (machine_report), "net_default_mac"));
  rest = g_strdup_printf ("%.*s%s", (int) (report - config), config,
                          report + strlen (machine_report));
  return check_menu_structure (rest);
}

static GPtrArray *
check_menu_structure (const char *config)
{
  static const char * const top_commands[] = {
    "set", "export", "serial", "terminal_input", "terminal_output", "if", "then", "else", "fi",
    "menuentry", "submenu", "}", NULL
  };
  static const char * const body_commands[] = { "linux", "initrd", "exit", "}", NULL };
  static const char * const variables[] = {
    VAR ("net_default_server"), VAR ("root"), VAR ("grub_cpu"), VAR ("bootyard_files"),
    VAR ("bootyard_http"), NULL
  };
  g_autoptr(Script) script = grub_lex (config);
  GPtrArray *items = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();  /* Item* of the open blocks */
  g_autoptr(GPtrArray) cpus = g_ptr_array_new_with_free_func (g_free);  /* open ifs */
  Item *body = NULL;

  g_assert_false (script->unbalanced);
  g_assert_cmpuint (script->specials, ==, 0);

  for (guint i = 0; i < script->commands->len; i++)
    {
      Command *cmd = g_ptr_array_index (script->commands, i);
      const char *name = word_at (cmd, 0);

      for (guint j = 0; j < cmd->words->len; j++)
        {
          const char *w = word_at (cmd, j);

          for (const char *v = strchr (w, '\001'); v != NULL; v = strchr (v + 1, '\001'))
            {
              const char *end = strchr (v + 1, '\001');
              gboolean known = FALSE;

              g_assert_nonnull (end);
              for (guint k = 0; variables[k] != NULL; k++)
                known |= strncmp (v, variables[k], end - v + 1) == 0;
              if (!known)
                g_error ("unexpected expansion in “%s”", w);
              v = end;
            }
        }

      if (body != NULL)
        {
          if (!g_strv_contains (body_commands, name))
            g_error ("“%s” in the body of %s", name, body->id);
          if (g_str_equal (name, "}"))
            {
              body = NULL;
              continue;
            }
          g_assert_false (cmd->block);
          {
            Command *copy = command_new ();

            for (guint j = 0; j < cmd->words->len; j++)
              g_ptr_array_add (copy->words, g_strdup (word_at (cmd, j)));
            g_ptr_array_add (body->body, copy);
          }
          continue;
        }

      if (!g_strv_contains (top_commands, name))
        g_error ("unexpected command “%s”", name);
      /* `if ...; then set default=...; fi` on one line */
      if (g_str_equal (name, "then") && cmd->words->len > 1)
        {
          name = word_at (cmd, 1);
          g_assert_cmpstr (name, ==, "set");
          g_assert_cmpuint (cmd->words->len, ==, 3);
          g_assert_true (g_str_has_prefix (word_at (cmd, 2), "default="));
          continue;
        }
      if (g_str_equal (name, "set"))
        {
          static const char * const names[] = {
            "bootyard_server", "bootyard_http", "bootyard_files", "timeout", "default", NULL
          };
          g_auto(GStrv) parts = g_strsplit (word_at (cmd, 1), "=", 2);

          g_assert_cmpuint (cmd->words->len, ==, 2);
          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          g_assert_true (g_strv_contains (names, parts[0]));
          continue;
        }
      if (g_str_equal (name, "}"))
        {
          g_assert_cmpuint (stack->len, >, 0);
          g_ptr_array_remove_index (stack, stack->len - 1);
          continue;
        }
      /* Our ifs are on the CPU: `if [ "$grub_cpu" = "arm64" ]` (then ... fi). */
      if (g_str_equal (name, "if"))
        {
          static const char * const names[] = { "x86_64", "arm64", "i386", NULL };

          g_assert_true (i + 1 < script->commands->len);
          g_assert_cmpstr (word_at (g_ptr_array_index (script->commands, i + 1), 0), ==, "then");
          /* or the test for GRUB's http module: `if [ -e "(http,SERVER:PORT)/" ]` */
          if (word_is (cmd, 2, "-e"))
            {
              g_assert_cmpuint (cmd->words->len, ==, 5);
              g_assert_true (word_is (cmd, 1, "[") && word_is (cmd, 4, "]"));
              g_assert_true (g_str_has_prefix (word_at (cmd, 3),
                                               "(http," VAR ("net_default_server") ":"));
              g_assert_true (g_str_has_suffix (word_at (cmd, 3), ")/"));
              g_ptr_array_add (cpus, NULL);
              continue;
            }
          g_assert_cmpuint (cmd->words->len, ==, 6);
          g_assert_true (word_is (cmd, 1, "[") && word_is (cmd, 2, VAR ("grub_cpu")) &&
                         word_is (cmd, 3, "=") && word_is (cmd, 5, "]"));
          g_assert_true (g_strv_contains (names, word_at (cmd, 4)));
          g_ptr_array_add (cpus, g_strdup (word_at (cmd, 4)));
          continue;
        }
      if (g_str_equal (name, "fi"))
        {
          g_assert_cmpuint (cpus->len, >, 0);
          g_ptr_array_remove_index (cpus, cpus->len - 1);
          continue;
        }
      if (g_str_equal (name, "menuentry") || g_str_equal (name, "submenu"))
        {
          Item *item = g_new0 (Item, 1);
          const char *id = word_at (cmd, 1);

          /* --id=ID -- TITLE {: the title is never read as an option */
          g_assert_true (cmd->block);
          g_assert_cmpuint (cmd->words->len, ==, 4);
          g_assert_true (g_str_has_prefix (id, "--id="));
          g_assert_true (word_is (cmd, 2, "--"));
          item->command = g_strdup (name);
          item->id = g_strdup (id + strlen ("--id="));
          item->title = g_strdup (word_at (cmd, 3));
          for (guint k = 0; k < cpus->len; k++)
            {
              if (g_ptr_array_index (cpus, k) == NULL)
                continue;
              g_free (item->cpu);
              item->cpu = g_strdup (g_ptr_array_index (cpus, k));
              item->ifs++;
            }
          item->body = g_ptr_array_new_with_free_func (command_free);
          g_ptr_array_add (items, item);
          if (g_str_equal (name, "menuentry"))
            body = item;
          else
            g_ptr_array_add (stack, item);
          continue;
        }
      g_assert_false (cmd->block);
    }
  g_assert_null (body);
  g_assert_cmpuint (stack->len, ==, 0);
  g_assert_cmpuint (cpus->len, ==, 0);
  return items;
}

static Item *
lookup_item (GPtrArray  *items,
             const char *id)
{
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->id, id))
        return item;
    }
  return NULL;
}

static gboolean
has_item (GPtrArray  *items,
          const char *id)
{
  return lookup_item (items, id) != NULL;
}

/* Never NULL: a missing entry fails the test here. */
static Item *
find_item (GPtrArray  *items,
           const char *id)
{
  Item *item = lookup_item (items, id);

  if (item == NULL)
    g_error ("no entry “%s” in the file", id);
  return item;
}

/* GRUB's own parser, when it is installed: exit 0 for a file it can read. */
static void
check_with_grub (const char *config)
{
  g_autofree char *checker = g_find_program_in_path ("grub-script-check");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (checker == NULL)
    {
      g_test_message ("grub-script-check is not installed: GRUB's own parser not run");
      return;
    }
  dir = yard_test_make_dir ("grub-check");
  path = g_build_filename (dir, "grub.cfg", NULL);
  g_assert_true (g_file_set_contents (path, config, -1, &error));
  {
    const char *argv[] = { checker, path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("grub-script-check refused the file:\n%s%s\n%s", out, err, config);
}

/* Both checks; the entries as GRUB reads them. */
static GPtrArray *
check_config (const char *config)
{
  g_assert_true (g_str_has_prefix (config, "# GRUB menu"));
  check_with_grub (config);
  return check_structure (config);
}

/* ---- menus ---- */

static void
add (YardBootMenu  *menu,
     YardBootEntry *entry)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (yard_boot_menu_add_entry (menu, entry, -1, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (entry);
}

static YardBootMenu *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  YardBootMenu *menu = yard_pxelinux_parse ("/nonexistent", "pxelinux.cfg/default", text, -1,
                                            &error);

  g_assert_no_error (error);
  g_assert_nonnull (menu);
  return menu;
}

static const char typical_cfg[] =
  "SERIAL 0 115200\n"
  "UI menu.c32\n"
  "PROMPT 0\n"
  "TIMEOUT 100\n"
  "MENU TITLE Bootyard\n"
  "\n"
  "LABEL debian\n"
  "  MENU LABEL ^Debian 12 installer\n"
  "  MENU DEFAULT\n"
  "  KERNEL images/debian-12/linux\n"
  "  INITRD images/debian-12/initrd.gz\n"
  "  APPEND url=${bootyard_http}/preseed.cfg console=ttyS0,115200n8 --- quiet\n"
  "\n"
  "LABEL live\n"
  "  MENU LABEL Debian Live (KDE)\n"
  "  KERNEL images/live/vmlinuz\n"
  "  APPEND initrd=images/live/initrd.img boot=live fetch=${bootyard_http}/images/live.iso\n"
  "\n"
  "LABEL local\n"
  "  MENU LABEL Boot from local disk\n"
  "  LOCALBOOT 0\n"
  "\n"
  "LABEL dos\n"
  "  MENU LABEL MS-DOS 6.22\n"
  "  KERNEL memdisk\n"
  "  APPEND iso raw initrd=images/dos.iso\n"
  "\n"
  "MENU BEGIN tools\n"
  "  MENU LABEL ^Tools\n"
  "  MENU TITLE Tools\n"
  "  LABEL rescue\n"
  "    MENU LABEL Rescue mode\n"
  "    KERNEL images/debian-12/linux\n"
  "    INITRD images/debian-12/initrd.gz\n"
  "    APPEND rescue/enable=true --- quiet\n"
  "  LABEL memtest\n"
  "    MENU LABEL Memory test (BIOS)\n"
  "    LINUX memtest86+x64.bin\n"
  "  LABEL memtest-efi\n"
  "    MENU LABEL Memory test\n"
  "    KERNEL memtest86+x64.efi\n"
  "  LABEL hdt\n"
  "    MENU LABEL Hardware info\n"
  "    COM32 hdt.c32\n"
  "MENU END\n"
  "\n"
  "MENU BEGIN bios\n"
  "  MENU TITLE BIOS only\n"
  "  LABEL floppy\n"
  "    KERNEL memdisk\n"
  "    APPEND floppy initrd=images/fd.img\n"
  "MENU END\n";

static void
add_typical_extras (YardBootMenu *menu)
{
  YardBootEntry *hidden = yard_boot_entry_new_local ("hidden", "Hidden");

  add (menu, yard_boot_entry_new_chain ("xyz", "netboot.xyz", "https://boot.netboot.xyz/"));
  add (menu, yard_boot_entry_new_ipxe_script ("shell", "iPXE shell", "#!ipxe\nshell\n"));
  yard_boot_entry_set_hidden (hidden, TRUE);
  add (menu, hidden);
}

static void
test_typical (void)
{
  YardBootMenu *menu = parse (typical_cfg);
  YardGrubOptions http = { NULL, 8067 };
  YardGrubOptions tftp = { NULL, 0 };
  g_autofree char *config = NULL;
  g_autofree char *tftp_config = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) tftp_items = NULL;
  Item *debian;
  Command *cmd;

  add_typical_extras (menu);
  config = yard_grub_menu_config (menu, &http);
  assert_golden ("typical.cfg", config);
  items = check_config (config);

  /* What GRUB runs for the installer, word by word. */
  debian = find_item (items, "debian");
  g_assert_cmpstr (debian->title, ==, "Debian 12 installer");
  g_assert_cmpuint (debian->body->len, ==, 2);
  cmd = g_ptr_array_index (debian->body, 0);
  g_assert_cmpuint (cmd->words->len, ==, 6);
  g_assert_cmpstr (word_at (cmd, 0), ==, "linux");
  g_assert_cmpstr (word_at (cmd, 1), ==, VAR ("bootyard_files") "/images/debian-12/linux");
  g_assert_cmpstr (word_at (cmd, 2), ==, "url=" VAR ("bootyard_http") "/preseed.cfg");
  g_assert_cmpstr (word_at (cmd, 3), ==, "console=ttyS0,115200n8");
  g_assert_cmpstr (word_at (cmd, 4), ==, "---");
  g_assert_cmpstr (word_at (cmd, 5), ==, "quiet");
  cmd = g_ptr_array_index (debian->body, 1);
  g_assert_cmpuint (cmd->words->len, ==, 2);
  g_assert_cmpstr (word_at (cmd, 1), ==, VAR ("bootyard_files") "/images/debian-12/initrd.gz");

  /* The order of the menu; what GRUB cannot boot is not there. */
  {
    static const char * const expected[] = { "debian", "live", "local", "tools", "rescue",
                                             "memtest-efi", NULL };

    g_assert_cmpuint (items->len, ==, g_strv_length ((GStrv) expected));
    for (guint i = 0; expected[i] != NULL; i++)
      g_assert_cmpstr (((Item *) g_ptr_array_index (items, i))->id, ==, expected[i]);
  }
  g_assert_nonnull (strstr (config, "\nset default='debian'\n"));
  g_assert_nonnull (strstr (config, "\nset timeout=10\n"));
  g_assert_nonnull (strstr (config, "# left out: bios: nothing in it can boot in GRUB\n"));

  /* Over TFTP: the same entries, the placeholder as written. */
  tftp_config = yard_grub_menu_config (menu, &tftp);
  assert_golden ("typical-tftp.cfg", tftp_config);
  tftp_items = check_config (tftp_config);
  g_assert_cmpuint (tftp_items->len, ==, items->len);
  g_assert_null (strstr (tftp_config, "bootyard_http="));
  debian = find_item (tftp_items, "debian");
  cmd = g_ptr_array_index (debian->body, 0);
  g_assert_cmpstr (word_at (cmd, 2), ==, "url=${bootyard_http}/preseed.cfg");

  g_assert_finalize_object (menu);
}

/* Debian's own pxelinux menu (includes, submenus, hidden entries), as the iPXE tests read it. */
static void
test_debian12 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12",
                                                 "pxelinux.cfg", "default", NULL);
  g_autofree char *base = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  YardBootMenu *menu = yard_pxelinux_load_file (base, path, &error);
  g_autofree char *config = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_no_error (error);
  config = yard_grub_menu_config (menu, NULL);
  assert_golden ("debian12.cfg", config);
  items = check_config (config);
  g_assert_cmpuint (items->len, >, 0);
  g_assert_finalize_object (menu);
}

/* ---- a boot root with real kernels ---- */

typedef struct
{
  char *root;
} Fixture;

static void
put_file (Fixture    *f,
          const char *name,
          const char *contents)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
}

/* A copy, not a symlink: the server refuses a symlink that leaves the root, so GRUB would. */
static void
copy_kernel (Fixture    *f,
             const char *source,
             const char *name)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GFile) from = g_file_new_for_path (source);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->root = yard_test_make_dir ("grub");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->root);
}

static gboolean
have_kernels (void)
{
  if (g_file_test (AMD64_KERNEL, G_FILE_TEST_IS_REGULAR) &&
      g_file_test (ARM64_KERNEL, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_test_skip ("needs debian-installer-12-netboot-amd64 and -arm64");
  return FALSE;
}

static const char cpus_cfg[] =
  "TIMEOUT 0\n"
  "LABEL local\n"
  "  MENU LABEL Boot from local disk\n"
  "  LOCALBOOT 0\n"
  "LABEL pc-installer\n"
  "  MENU LABEL Debian 12 installer (PC)\n"
  "  MENU DEFAULT\n"
  "  KERNEL images/amd64/linux\n"
  "  INITRD images/amd64/initrd.gz\n"
  "  APPEND --- quiet\n"
  "LABEL arm-installer\n"
  "  MENU LABEL Debian 12 installer (ARM64)\n"
  "  KERNEL images/arm64/linux\n"
  "  INITRD images/arm64/initrd.gz\n"
  "LABEL tool\n"
  "  MENU LABEL A kernel of no known CPU\n"
  "  KERNEL images/tool/vmlinuz\n"
  "LABEL gone\n"
  "  MENU LABEL Removed image\n"
  "  KERNEL images/gone/vmlinuz\n"
  "LABEL no-initrd\n"
  "  MENU LABEL Initrd removed\n"
  "  KERNEL images/amd64/linux\n"
  "  INITRD images/amd64/missing.gz\n"
  "LABEL outside\n"
  "  MENU LABEL A symlink out of the root\n"
  "  KERNEL images/outside\n"
  "MENU BEGIN arm-tools\n"
  "  MENU LABEL ARM64 tools\n"
  "  LABEL arm-rescue\n"
  "    MENU LABEL Rescue (ARM64)\n"
  "    MENU DEFAULT\n"
  "    KERNEL images/arm64/linux\n"
  "    INITRD images/arm64/initrd.gz\n"
  "    APPEND rescue/enable=true\n"
  "MENU END\n";

static void
fill_root (Fixture *f)
{
  g_autofree char *outside = g_build_filename (f->root, "images", "outside", NULL);

  copy_kernel (f, AMD64_KERNEL, "images/amd64/linux");
  copy_kernel (f, ARM64_KERNEL, "images/arm64/linux");
  put_file (f, "images/amd64/initrd.gz", "initrd");
  put_file (f, "images/arm64/initrd.gz", "initrd");
  put_file (f, "images/tool/vmlinuz", "not a kernel we know");
  g_assert_no_errno (symlink (AMD64_KERNEL, outside));
}

static void
test_cpus (Fixture       *f,
           gconstpointer  data)
{
  YardBootMenu *menu = NULL;
  YardGrubOptions options = { f->root, 8067 };
  g_autofree char *config = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *reason = NULL;

  if (!have_kernels ())
    return;
  fill_root (f);
  menu = parse (cpus_cfg);
  config = yard_grub_menu_config (menu, &options);
  assert_golden ("cpus.cfg", config);
  items = check_config (config);

  g_assert_cmpuint (items->len, ==, 6);
  g_assert_true (has_item (items, "pc-installer"));
  g_assert_true (has_item (items, "arm-installer"));
  g_assert_true (has_item (items, "arm-rescue"));
  g_assert_false (has_item (items, "gone"));
  g_assert_false (has_item (items, "outside"));
  g_assert_cmpstr (find_item (items, "pc-installer")->cpu, ==, "x86_64");
  g_assert_cmpstr (find_item (items, "arm-installer")->cpu, ==, "arm64");
  g_assert_null (find_item (items, "tool")->cpu);
  g_assert_null (find_item (items, "local")->cpu);
  /* A submenu of ARM64 kernels only: the if is around the submenu, not repeated inside. */
  g_assert_cmpstr (find_item (items, "arm-tools")->cpu, ==, "arm64");
  g_assert_cmpstr (find_item (items, "arm-rescue")->cpu, ==, "arm64");
  g_assert_cmpuint (find_item (items, "arm-rescue")->ifs, ==, 1);
  /* and its default is for that CPU, plainly */
  g_assert_nonnull (strstr (config, "  submenu --id='arm-tools' -- 'ARM64 tools' {\n"
                                    "    set default='arm-rescue'\n"));
  /* The default is for x86-64: ARM64 machines get their first entry. */
  g_assert_nonnull (strstr (config, "\nset timeout=-1\n"
                                    "if [ \"$grub_cpu\" = \"x86_64\" ]; then "
                                    "set default='pc-installer'; fi\n"
                                    "if [ \"$grub_cpu\" = \"arm64\" ]; then "
                                    "set default='local'; fi\n"));
  g_assert_nonnull (strstr (config, "# left out: gone: its kernel images/gone/vmlinuz is "
                                    "missing from the boot root\n"));
  g_assert_nonnull (strstr (config, "# left out: no-initrd: its initrd images/amd64/missing.gz "
                                    "is missing from the boot root\n"));
  g_assert_nonnull (strstr (config, "# left out: outside: its kernel images/outside is missing "
                                    "from the boot root\n"));

  reason = yard_grub_entry_unsupported (yard_boot_menu_find_entry (menu, "gone"), f->root);
  g_assert_cmpstr (reason, ==, "its kernel images/gone/vmlinuz is missing from the boot root");
  g_clear_pointer (&reason, g_free);
  reason = yard_grub_entry_unsupported (yard_boot_menu_find_entry (menu, "pc-installer"), f->root);
  g_assert_null (reason);
  /* Without the root nothing is checked. */
  reason = yard_grub_entry_unsupported (yard_boot_menu_find_entry (menu, "gone"), NULL);
  g_assert_null (reason);

  g_assert_finalize_object (menu);
}

/* A default for ARM64 only: ARM64 boots it, x86-64 its first entry there. */
static void
test_cpu_default (Fixture       *f,
                  gconstpointer  data)
{
  YardBootMenu *menu = NULL;
  YardGrubOptions options = { f->root, 8067 };
  g_autofree char *config = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_kernels ())
    return;
  fill_root (f);
  menu = parse (cpus_cfg);
  g_assert_true (yard_boot_menu_set_default_id (menu, "arm-installer", &error));
  g_assert_no_error (error);
  config = yard_grub_menu_config (menu, &options);
  items = check_config (config);
  g_assert_nonnull (strstr (config, "\nif [ \"$grub_cpu\" = \"x86_64\" ]; then "
                                    "set default='local'; fi\n"
                                    "if [ \"$grub_cpu\" = \"arm64\" ]; then "
                                    "set default='arm-installer'; fi\n"));

  /* A default for every CPU after CPU-specific entries: by id, the same everywhere. */
  g_assert_true (yard_boot_menu_set_default_id (menu, "tool", &error));
  g_clear_pointer (&config, g_free);
  config = yard_grub_menu_config (menu, &options);
  g_assert_nonnull (strstr (config, "\nset default='tool'\n\n"));

  g_assert_finalize_object (menu);
}

/* GRUB reads a default "7zip" as the number 7, and takes the first entry whose title or id
 * matches: then the position is written, per CPU when CPU-specific entries come before. */
static void
test_default_by_position (Fixture       *f,
                          gconstpointer  data)
{
  YardBootMenu *menu = NULL;
  YardGrubOptions options = { f->root, 8067 };
  g_autofree char *config = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_kernels ())
    return;
  fill_root (f);
  menu = parse ("LABEL local\n  LOCALBOOT 0\n"
                "LABEL pc\n  KERNEL images/amd64/linux\n"
                "LABEL arm\n  KERNEL images/arm64/linux\n"
                "LABEL 7zip\n  MENU LABEL Seven\n  LOCALBOOT 0\n  MENU DEFAULT\n");
  config = yard_grub_menu_config (menu, &options);
  items = check_config (config);
  /* two entries before it on each CPU, one on a CPU without kernels of its own */
  g_assert_nonnull (strstr (config, "\nset default='1'\n"
                                    "if [ \"$grub_cpu\" = \"x86_64\" ]; then set default='2'; fi\n"
                                    "if [ \"$grub_cpu\" = \"arm64\" ]; then "
                                    "set default='2'; fi\n"));
  g_assert_finalize_object (menu);

  /* A title that is the default's id, on an entry before it. */
  menu = parse ("LABEL first\n  MENU LABEL disk\n  LOCALBOOT 0\n"
                "LABEL disk\n  MENU LABEL The disk\n  LOCALBOOT 0\n  MENU DEFAULT\n");
  g_clear_pointer (&config, g_free);
  config = yard_grub_menu_config (menu, NULL);
  g_assert_nonnull (strstr (config, "\nset default='1'\n"));
  g_assert_finalize_object (menu);

  /* Without one, GRUB's first entry. */
  menu = parse ("LABEL a\n  LOCALBOOT 0\nLABEL b\n  LOCALBOOT 0\n");
  g_clear_pointer (&config, g_free);
  config = yard_grub_menu_config (menu, NULL);
  g_assert_null (strstr (config, "default="));
  g_assert_finalize_object (menu);
}

/* ---- what users and the API can put in ---- */

/* Labels, paths and arguments, and what GRUB must make of them. */
static const struct
{
  const char *label;
  const char *title;  /* what GRUB shows */
} evil_labels[] = {
  { "'; reboot; '", "'; reboot; '" },
  { "$(reboot)", "$(reboot)" },
  { "${prefix} and $root", "${prefix} and $root" },
  { "} menuentry 'x' { reboot", "} menuentry 'x' { reboot" },
  { "a\nreboot", "a reboot" },
  { "a\r\n\treboot\n", "a   reboot" },
  { "back\\slash \\' \\", "back\\slash \\' \\" },
  { "\"double\" 'single'", "\"double\" 'single'" },
  { "Ünïcödé ✓ 日本語", "Ünïcödé ✓ 日本語" },
  { "--id=local", "--id=local" },
  { "--unrestricted", "--unrestricted" },
  { "--", "--" },
  { "#not a comment", "#not a comment" },
  { "a | b && c ; d > e < f", "a | b && c ; d > e < f" },
  { "bad \xff utf-8", "bad \xef\xbf\xbd utf-8" },
  { "\n", NULL },  /* nothing left: the id */
};

#define OVER_HTTP VAR ("bootyard_files") "/"
#define OVER_TFTP "(" VAR ("root") ")/"

static const struct
{
  const char *path;
  const char *grub;  /* the file name GRUB opens */
} evil_paths[] = {
  { "images/a b/linux", OVER_TFTP "images/a b/linux" },
  { "images/'; reboot; '/linux", OVER_TFTP "images/'; reboot; '/linux" },
  { "images/$(x)/${prefix}/linux", OVER_TFTP "images/$(x)/${prefix}/linux" },
  { "images/$x;(y)/linux", OVER_HTTP "images/$x;(y)/linux" },
  { "images/}/menuentry {/linux", OVER_TFTP "images/}/menuentry {/linux" },
  { "images/*/?", OVER_TFTP "images/*/?" },
  { "images/*+/", OVER_HTTP "images/*+" },
  { "images/100%", OVER_TFTP "images/100%" },
  { "-name", OVER_HTTP "-name" },
  { "images\\win\\linux", OVER_HTTP "images/win/linux" },
  { "./images//x", OVER_HTTP "images/x" },
  { "images/ü", OVER_TFTP "images/ü" },
};

static const char * const evil_args[] = {
  "a;reboot", "$(reboot)", "${prefix}", "$root", "}", "{", "menuentry", "x|y&z<w>v", "#word",
  "ü=✓", "*", "?", "--", "-h",
};

static YardBootMenu *
evil_menu (const char *label,
           const char *path,
           const char *append)
{
  YardBootMenu *menu = yard_boot_menu_new ();
  const char *initrds[] = { "images/initrd.gz", NULL };
  YardBootEntry *entry = yard_boot_entry_new_linux ("evil", "safe", "k", initrds, "quiet");
  YardBootEntry *local = yard_boot_entry_new_local ("local", "Local disk");

  add (menu, local);
  add (menu, entry);
  /* Behind the model's back: the writer must hold even for what it would refuse. */
  yard_boot_entry_set_label (entry, label);
  yard_boot_entry_set_kernel (entry, path);
  yard_boot_entry_set_append (entry, append);
  g_assert_true (yard_boot_menu_set_default_id (menu, "evil", NULL));
  return menu;
}

/* One menu with all of it, and a submenu: the golden file, and each word as GRUB reads it. */
static YardBootMenu *
injection_menu (GString *args)
{
  YardBootMenu *menu = yard_boot_menu_new ();
  YardBootEntry *sub = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_SUBMENU, "sub", "Sub");
  const char *initrds[] = { "images/initrd.gz", NULL };
  YardBootEntry *inner = yard_boot_entry_new_linux ("inner", "Inner", "k", initrds, "quiet");

  yard_boot_menu_set_title (menu, "'; reboot; '\n");
  add (menu, yard_boot_entry_new_local ("local", "Local disk"));
  for (guint i = 0; i < G_N_ELEMENTS (evil_labels); i++)
    {
      g_autofree char *id = g_strdup_printf ("label-%u", i);
      YardBootEntry *entry = yard_boot_entry_new_local (id, "safe");

      add (menu, entry);
      /* Behind the model's back: the writer must hold even for what it would refuse. */
      yard_boot_entry_set_label (entry, evil_labels[i].label);
    }
  for (guint i = 0; i < G_N_ELEMENTS (evil_paths); i++)
    {
      g_autofree char *id = g_strdup_printf ("path-%u", i);
      const char *paths[] = { evil_paths[i].path, NULL };
      YardBootEntry *entry = yard_boot_entry_new_linux (id, "Path", "k", NULL, NULL);

      add (menu, entry);
      yard_boot_entry_set_kernel (entry, evil_paths[i].path);
      yard_boot_entry_set_initrds (entry, paths);
    }
  add (menu, yard_boot_entry_new_linux ("args", "Arguments", "k", NULL, "quiet"));
  yard_boot_entry_set_append (yard_boot_menu_find_entry (menu, "args"), args->str);

  add (menu, sub);
  yard_boot_entry_set_label (sub, "} submenu 'x' {\n  reboot");
  add (yard_boot_entry_get_submenu (sub), inner);
  yard_boot_entry_set_label (inner, "'\n}\nreboot\n{'");
  g_assert_true (yard_boot_menu_set_default_id (menu, "label-0", NULL));
  return menu;
}

static void
test_injection (void)
{
  g_autoptr(GString) args = g_string_new (NULL);
  YardBootMenu *menu = NULL;
  YardGrubOptions http = { NULL, 8067 };
  YardGrubOptions tftp = { NULL, 0 };
  g_autofree char *config = NULL;
  g_autofree char *tftp_config = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) tftp_items = NULL;
  Item *item;
  Command *cmd;

  for (guint i = 0; i < G_N_ELEMENTS (evil_args); i++)
    g_string_append_printf (args, "%s%s", i > 0 ? " \t " : "", evil_args[i]);
  menu = injection_menu (args);
  config = yard_grub_menu_config (menu, &http);
  assert_golden ("injection.cfg", config);
  items = check_config (config);
  g_assert_true (g_utf8_validate (config, -1, NULL));
  /* local, the labels, the paths, args, sub, inner: nothing more, nothing less */
  g_assert_cmpuint (items->len, ==, 1 + G_N_ELEMENTS (evil_labels) + G_N_ELEMENTS (evil_paths)
                                    + 3);
  g_assert_nonnull (strstr (config, "\nset default='label-0'\n"));

  for (guint i = 0; i < G_N_ELEMENTS (evil_labels); i++)
    {
      g_autofree char *id = g_strdup_printf ("label-%u", i);

      g_test_message ("label %s", id);
      item = find_item (items, id);
      g_assert_cmpstr (item->title, ==, evil_labels[i].title != NULL ? evil_labels[i].title : id);
      g_assert_cmpuint (item->body->len, ==, 1);
      g_assert_cmpstr (word_at (g_ptr_array_index (item->body, 0), 0), ==, "exit");
    }

  for (guint i = 0; i < G_N_ELEMENTS (evil_paths); i++)
    {
      g_autofree char *id = g_strdup_printf ("path-%u", i);
      const char *expected = evil_paths[i].grub;

      g_test_message ("path %s", evil_paths[i].path);
      item = find_item (items, id);
      g_assert_cmpuint (item->body->len, ==, 2);
      cmd = g_ptr_array_index (item->body, 0);
      g_assert_cmpuint (cmd->words->len, ==, 2);
      g_assert_cmpstr (word_at (cmd, 0), ==, "linux");
      g_assert_cmpstr (word_at (cmd, 1), ==, expected);
      cmd = g_ptr_array_index (item->body, 1);
      g_assert_cmpuint (cmd->words->len, ==, 2);
      g_assert_cmpstr (word_at (cmd, 0), ==, "initrd");
      g_assert_cmpstr (word_at (cmd, 1), ==, expected);
    }

  /* Every argument reaches the kernel as it was, one word each. */
  item = find_item (items, "args");
  cmd = g_ptr_array_index (item->body, 0);
  g_assert_cmpuint (cmd->words->len, ==, 2 + G_N_ELEMENTS (evil_args));
  for (guint i = 0; i < G_N_ELEMENTS (evil_args); i++)
    g_assert_cmpstr (word_at (cmd, 2 + i), ==, evil_args[i]);

  g_assert_cmpstr (find_item (items, "sub")->title, ==, "} submenu 'x' {   reboot");
  g_assert_cmpstr (find_item (items, "sub")->command, ==, "submenu");
  g_assert_cmpstr (find_item (items, "inner")->title, ==, "' } reboot {'");

  /* Over TFTP everything comes from the root, the names as they are. */
  tftp_config = yard_grub_menu_config (menu, &tftp);
  tftp_items = check_config (tftp_config);
  for (guint i = 0; i < G_N_ELEMENTS (evil_paths); i++)
    {
      g_autofree char *id = g_strdup_printf ("path-%u", i);
      const char *grub = evil_paths[i].grub;
      const char *name = grub + (g_str_has_prefix (grub, OVER_TFTP) ? strlen (OVER_TFTP)
                                                                     : strlen (OVER_HTTP));
      /* bootyard_files is (${root}) there */
      g_autofree char *expected = g_strconcat (OVER_HTTP, name, NULL);

      cmd = g_ptr_array_index (find_item (tftp_items, id)->body, 0);
      g_assert_cmpstr (word_at (cmd, 1), ==, expected);
    }

  g_assert_finalize_object (menu);
}

/* Quotes and backslashes would reach the kernel with a backslash before them (GRUB's
 * lib/cmdline.c), control characters would break the file's lines: left out. */
static void
test_unsafe_left_out (void)
{
  static const struct
  {
    const char *path;
    const char *append;
    const char *reason;
  } cases[] = {
    { "k", "a'b", "its kernel arguments contain quotes or backslashes, which GRUB passes to "
                  "the kernel with a backslash added" },
    { "k", "preseed/late_command=\"x y\"", NULL },
    { "k", "a\\b", NULL },
    { "k", "a\nreboot", "its file names or kernel arguments contain control characters" },
    { "k", "a\rb", NULL },
    { "images/a\nreboot", "quiet", NULL },
    { "/boot/vmlinuz", "quiet", "its files must be inside the boot root (a relative path without "
                                "“..”) for GRUB to fetch them" },
    { "images/../../etc/passwd", "quiet", NULL },
    { "k", "initrd=../x", NULL },
  };
  const char *last = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      YardBootMenu *menu = evil_menu ("L", cases[i].path, cases[i].append);
      g_autofree char *config = yard_grub_menu_config (menu, NULL);
      g_autoptr(GPtrArray) items = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *comment = NULL;

      if (cases[i].reason != NULL)
        last = cases[i].reason;
      g_test_message ("path %s, append %s", cases[i].path, cases[i].append);
      items = check_config (config);
      g_assert_false (has_item (items, "evil"));
      reason = yard_grub_entry_unsupported (yard_boot_menu_find_entry (menu, "evil"), NULL);
      g_assert_cmpstr (reason, ==, last);
      comment = g_strdup_printf ("\n# left out: evil: %s\n", reason);
      g_assert_nonnull (strstr (config, comment));
      /* No default left pointing at it. */
      g_assert_null (strstr (config, "default="));
      g_assert_finalize_object (menu);
    }
}

/* Every reason, as yard_grub_entry_unsupported() says it and as the file's comment. */
static void
test_reasons (void)
{
  YardBootMenu *menu = parse (typical_cfg);
  g_autofree char *config = NULL;
  static const struct
  {
    const char *id;
    const char *reason;
  } cases[] = {
    { "debian", NULL },
    { "live", NULL },
    { "local", NULL },
    { "tools", NULL },
    { "rescue", NULL },
    { "memtest-efi", NULL },
    { "dos", "memdisk is a BIOS program" },
    { "floppy", "memdisk is a BIOS program" },
    { "bios", "nothing in it can boot in GRUB" },
    { "memtest", "memtest86+'s .bin is a BIOS program; add its .efi build for UEFI" },
    { "hdt", "COM32 modules run only in syslinux" },
    { "xyz", "it needs iPXE, which is not signed for Secure Boot (choose iPXE as the UEFI "
             "loader to boot it)" },
    { "shell", "it needs iPXE, which is not signed for Secure Boot (choose iPXE as the UEFI "
               "loader to boot it)" },
    { "hidden", "it is hidden, and GRUB 2.06 cannot hide an entry" },
    { "other", "Bootyard cannot tell what a hand-written entry does" },
    { "nokernel", "it has no kernel" },
  };
  YardBootEntry *other = yard_boot_entry_new (YARD_BOOT_ENTRY_KIND_OTHER, "other", "Other");
  YardBootEntry *nokernel = yard_boot_entry_new_linux ("nokernel", "No kernel", "k", NULL, NULL);

  add_typical_extras (menu);
  add (menu, other);
  add (menu, nokernel);
  yard_boot_entry_set_kernel (nokernel, NULL);
  config = yard_grub_menu_config (menu, NULL);
  check_config (config);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      YardBootEntry *entry = yard_boot_menu_find_entry (menu, cases[i].id);
      g_autofree char *reason = NULL;
      g_autofree char *comment = NULL;
      g_autofree char *written = g_strdup_printf ("--id='%s' ", cases[i].id);

      g_test_message ("entry %s", cases[i].id);
      g_assert_nonnull (entry);
      reason = yard_grub_entry_unsupported (entry, NULL);
      g_assert_cmpstr (reason, ==, cases[i].reason);
      if (reason == NULL)
        {
          g_assert_nonnull (strstr (config, written));
          continue;
        }
      g_assert_null (strstr (config, written));
      comment = g_strdup_printf ("# left out: %s: %s\n", cases[i].id, reason);
      g_assert_nonnull (strstr (config, comment));
    }
  g_assert_finalize_object (menu);
}

static void
test_serial_timeout (void)
{
  YardBootMenu *menu = yard_boot_menu_new_starter (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  g_assert_true (yard_boot_menu_set_serial (menu, 1, 9600, &error));
  g_assert_no_error (error);
  yard_boot_menu_set_timeout (menu, 3);
  config = yard_grub_menu_config (menu, NULL);
  check_config (config);
  /* "serial" is x86's name for the 8250 port set up; ARM64's terminals are named per port */
  g_assert_nonnull (strstr (config, "\nif [ \"$grub_cpu\" = \"arm64\" ]; then\n"
                                    "  serial --speed=9600 efi1\n"
                                    "  terminal_input serial_efi1 console\n"
                                    "  terminal_output serial_efi1 console\n"
                                    "else\n"
                                    "  serial --unit=1 --speed=9600\n"
                                    "  terminal_input serial console\n"
                                    "  terminal_output serial console\n"
                                    "fi\n"));
  g_assert_nonnull (strstr (config, "\nset timeout=3\nset default='local'\n"));

  yard_boot_menu_clear_serial (menu);
  yard_boot_menu_set_timeout (menu, 0);
  g_clear_pointer (&config, g_free);
  config = yard_grub_menu_config (menu, NULL);
  /* no serial console (the machine report's "/serial=" is no command) */
  g_assert_null (strstr (config, "serial --"));
  g_assert_null (strstr (config, "terminal_input serial"));
  g_assert_nonnull (strstr (config, "\nset timeout=-1\n"));
  g_assert_finalize_object (menu);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/grub/typical", test_typical);
  g_test_add_func ("/yard/grub/debian12", test_debian12);
  g_test_add ("/yard/grub/cpus", Fixture, NULL, fixture_setup, test_cpus, fixture_teardown);
  g_test_add ("/yard/grub/cpu-default", Fixture, NULL, fixture_setup, test_cpu_default,
              fixture_teardown);
  g_test_add ("/yard/grub/default-by-position", Fixture, NULL, fixture_setup,
              test_default_by_position, fixture_teardown);
  g_test_add_func ("/yard/grub/injection", test_injection);
  g_test_add_func ("/yard/grub/unsafe-left-out", test_unsafe_left_out);
  g_test_add_func ("/yard/grub/reasons", test_reasons);
  g_test_add_func ("/yard/grub/serial-timeout", test_serial_timeout);

  return g_test_run ();
}
