/* test-ipxe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yard-boot-menu.h"
#include "yard-error.h"
#include "yard-ipxe.h"
#include "yard-pxelinux.h"

#include "test-dirs.h"

/* Compares with tests/data/ipxe/NAME; YARD_UPDATE_GOLDEN=1 rewrites the file instead
 * (then read the diff before committing it). */
static void
assert_golden (const char *name,
               const char *text)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "ipxe", name, NULL);
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
every_kind_menu (void)
{
  YardBootMenu *menu = yard_boot_menu_new_starter ("memtest86+x64.bin");
  const char *initrds[] = { "images/debian-12/initrd.gz", NULL };
  YardBootEntry *hidden = yard_boot_entry_new_chain ("hidden", "Hidden", "http://example.org/h.ipxe");
  g_autoptr(GError) error = NULL;

  add (menu, yard_boot_entry_new_linux ("debian", "Debian 12 ^installer", "images/debian-12/linux",
                                        initrds, "console=ttyS0,115200n8 --- quiet"));
  add (menu, yard_boot_entry_new_memdisk ("dos", "MS-DOS 6.22", "images/dos.iso", YARD_MEMDISK_ISO, TRUE));
  add (menu, yard_boot_entry_new_memdisk ("fd", "Floppy", "images/fd.img", YARD_MEMDISK_FLOPPY, FALSE));
  add (menu, yard_boot_entry_new_chain ("xyz", "netboot.xyz", "https://boot.netboot.xyz/?a=1&b=$x"));
  add (menu, yard_boot_entry_new_ipxe_script ("shell", "iPXE shell", "#!ipxe\necho Bootyard ${bootyard_mac}\nshell\n"));
  add (menu, yard_boot_entry_new_com32 ("hdt", "Hardware info", "hdt.c32", NULL));
  yard_boot_entry_set_hidden (hidden, TRUE);
  add (menu, hidden);
  g_assert_true (yard_boot_menu_set_default_id (menu, "debian", &error));
  yard_boot_menu_set_timeout (menu, 7);
  return menu;
}

static void
test_menu_golden (void)
{
  g_autoptr(YardBootMenu) menu = every_kind_menu ();
  g_autoptr(GError) error = NULL;
  g_autofree char *script = yard_ipxe_menu_script (menu, "http://10.0.0.1:8067/boot/", &error);
  g_autofree char *relative = NULL;

  g_assert_no_error (error);
  assert_golden ("menu.ipxe", script);

  relative = yard_ipxe_menu_script (menu, NULL, &error);
  g_assert_no_error (error);
  assert_golden ("menu-relative.ipxe", relative);

  /* A base from a setting the chaining script set. */
  {
    g_autofree char *variable = yard_ipxe_menu_script (menu, "${bootyard_http}/boot", &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (variable, "\nkernel --name kernel ${bootyard_http}/boot/images/debian-12/linux || goto yard:failed\n"));
  }
}

static void
test_submenu_golden (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12",
                                                 "pxelinux.cfg", "default", NULL);
  g_autofree char *base = g_test_build_filename (G_TEST_DIST, "data", "pxelinux", "debian12", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = yard_pxelinux_load_file (base, path, &error);
  g_autofree char *script = NULL;

  g_assert_no_error (error);
  script = yard_ipxe_menu_script (menu, "http://10.0.0.1:8067/boot", &error);
  g_assert_no_error (error);
  assert_golden ("debian12.ipxe", script);
}

static void
test_host_golden (void)
{
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new_starter (NULL);
  static const struct {
    YardIpxeHostMode mode;
    const char *payload;
    const char *golden;
  } cases[] = {
    { YARD_IPXE_HOST_MENU, NULL, "host-menu.ipxe" },
    { YARD_IPXE_HOST_SCRIPT, "#!ipxe\r\ndhcp\nchain http://10.0.0.1:8067/boot/x.ipxe\n", "host-script.ipxe" },
    { YARD_IPXE_HOST_URL, "http://10.0.0.9/install.ipxe?mac=${mac}", "host-url.ipxe" },
    { YARD_IPXE_HOST_DISK, NULL, "host-disk.ipxe" },
    { YARD_IPXE_HOST_IGNORE, NULL, "host-ignore.ipxe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *script = yard_ipxe_host_script ("http://10.0.0.1:8067", "52-54-00-AB-cd-EF",
                                                       cases[i].mode, cases[i].payload, menu,
                                                       "http://10.0.0.1:8067/boot", &error);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (script, "#!ipxe\nset bootyard_server http://10.0.0.1:8067\n"
                                               "set bootyard_mac 52:54:00:ab:cd:ef\n"));
      assert_golden (cases[i].golden, script);
    }
}

static void
test_host_errors (void)
{
  static const struct {
    const char *server;
    const char *mac;
    YardIpxeHostMode mode;
    const char *payload;
  } cases[] = {
    { "http://10.0.0.1:8067", "52:54:00:12:34", YARD_IPXE_HOST_DISK, NULL },
    { "http://10.0.0.1:8067", "52:54:00:12:34:5g", YARD_IPXE_HOST_DISK, NULL },
    { "http://10.0.0.1:8067", "52:54-00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "http://10.0.0.1:8067", "52:54:00:12:34:56\nshell", YARD_IPXE_HOST_DISK, NULL },
    { "http://x\nshell", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "http://${x}", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "ftp://x", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "http://10.0.0.1:8067", "52:54:00:12:34:56", YARD_IPXE_HOST_SCRIPT, "echo no shebang" },
    { "http://10.0.0.1:8067", "52:54:00:12:34:56", YARD_IPXE_HOST_SCRIPT, NULL },
    { "http://10.0.0.1:8067", "52:54:00:12:34:56", YARD_IPXE_HOST_URL, "tftp://x/y" },
    { "http://10.0.0.1:8067", "52:54:00:12:34:56", YARD_IPXE_HOST_URL, NULL },
    { "${x", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "${a b}", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "${}/x", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
    { "${x}/${y}", "52:54:00:12:34:56", YARD_IPXE_HOST_DISK, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *script = yard_ipxe_host_script (cases[i].server, cases[i].mac, cases[i].mode,
                                                       cases[i].payload, NULL, NULL, &error);

      g_assert_null (script);
      g_assert_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT);
    }
}

/* iPXE's view of a script, as src/core/exec.c reads it: per line, the words before a '#'
 * word, and how many command terminators and "${" it has. */
typedef struct
{
  guint lines;
  guint terminators;
  guint expansions;
  guint comment_words;  /* '#' words that start a comment after a command */
  guint continuations;  /* lines ending in '\\', joined with the next by iPXE */
} Shape;

static Shape
shape_of (const char *script)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);
  Shape shape = { 0 };

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", -1);
      gboolean first = TRUE;

      shape.lines++;
      if (g_str_has_suffix (lines[i], "\\"))
        shape.continuations++;
      for (guint j = 0; words[j] != NULL; j++)
        {
          const char *w = words[j];

          if (*w == '\0')
            continue;
          if (w[0] == '#')
            {
              if (!first)
                shape.comment_words++;
              break;
            }
          first = FALSE;
          if (strcmp (w, "||") == 0 || strcmp (w, "&&") == 0 || strcmp (w, ";") == 0)
            shape.terminators++;
          for (const char *p = strstr (w, "${"); p != NULL; p = strstr (p + 2, "${"))
            shape.expansions++;
        }
    }
  return shape;
}

static YardBootMenu *
menu_with (const char *title,
           const char *label,
           const char *path,
           const char *append,
           const char *url)
{
  YardBootMenu *menu = yard_boot_menu_new ();
  const char *initrds[] = { path, NULL };
  YardBootEntry *linux_entry = yard_boot_entry_new_linux ("lin", label, path, initrds, append);
  YardBootEntry *memdisk = yard_boot_entry_new_memdisk ("mem", label, path, YARD_MEMDISK_ISO, FALSE);
  YardBootEntry *chain = yard_boot_entry_new_chain ("chn", label, url);
  YardBootEntry *entries[] = { linux_entry, memdisk, chain };

  yard_boot_menu_set_title (menu, title);
  /* Through the model's own door when it lets them in, else behind its back: the writer
   * must hold even for what a parsed file could contain. */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (!yard_boot_menu_add_entry (menu, entries[i], -1, NULL, NULL))
        {
          g_autoptr(YardBootEntry) safe = NULL;
          const char *safe_initrds[] = { "i", NULL };

          g_assert_true (yard_boot_entry_set_id (entries[i], NULL, NULL));

          safe = yard_boot_entry_copy (entries[i]);
          yard_boot_entry_set_label (safe, "safe");
          yard_boot_entry_set_kernel (safe, yard_boot_entry_get_kernel (safe) != NULL ? "k" : NULL);
          yard_boot_entry_set_initrds (safe, yard_boot_entry_get_initrds (safe)[0] != NULL ? safe_initrds : NULL);
          yard_boot_entry_set_image (safe, yard_boot_entry_get_image (safe) != NULL ? "i" : NULL);
          yard_boot_entry_set_url (safe, yard_boot_entry_get_url (safe) != NULL ? "http://u/" : NULL);
          g_assert_true (yard_boot_menu_add_entry (menu, safe, -1, NULL, NULL));
          yard_boot_entry_set_initrds (safe, yard_boot_entry_get_initrds (entries[i]));
          yard_boot_entry_set_label (safe, label);
          yard_boot_entry_set_kernel (safe, yard_boot_entry_get_kernel (entries[i]));
          yard_boot_entry_set_append (safe, yard_boot_entry_get_append (entries[i]));
          yard_boot_entry_set_url (safe, yard_boot_entry_get_url (entries[i]));
          yard_boot_entry_set_image (safe, yard_boot_entry_get_image (entries[i]));
        }
      g_object_unref (entries[i]);
    }
  return menu;
}

static void
test_injection (void)
{
  g_autoptr(YardBootMenu) benign = menu_with ("Title", "Label", "images/a/linux", "quiet", "http://x/y");
  g_autoptr(GError) error = NULL;
  g_autofree char *benign_script = yard_ipxe_menu_script (benign, "http://h/boot", &error);
  Shape expected = shape_of (benign_script);
  static const char * const evil_texts[] = {
    "a\nshell",
    "a\rshell",
    "x ${net0/mac} y",
    "$${x}{",
    "a || shell",
    "a && shell",
    "a ; shell",
    "#comment",
    "a #rest",
    "--delete",
    "a\tb\v\fc",
    "\xff\xfe bad utf8",
    "ends in a backslash\\",
  };
  static const char * const evil_paths[] = {
    "images/a b/linux",
    "images/${x}/linux",
    "images/a\nshell",
    "images/#x",
    "-name",
    "images/||/x",
    "images/%/x",
    "images/x\\",
  };
  static const char * const evil_urls[] = {
    "http://x/a || shell",
    "http://x/\nshell",
    "http://x/${a b}",
    "http://x/${x\nshell}",
    "http://x/${x",
    "http://x/a\\",
  };
  /* A plain setting reference is what iPXE users put in script URLs: kept, one expansion. */
  static const char * const setting_urls[] = {
    "http://x/boot?mac=${mac}",
    "http://x/${net0/mac:hexhyp}.ipxe",
  };

  g_assert_no_error (error);
  g_test_message ("benign: %u lines, %u terminators, %u expansions", expected.lines,
                  expected.terminators, expected.expansions);

  for (guint i = 0; i < G_N_ELEMENTS (evil_texts); i++)
    {
      g_autoptr(YardBootMenu) menu = menu_with (evil_texts[i], evil_texts[i], "images/a/linux", "quiet", "http://x/y");
      g_autofree char *script = yard_ipxe_menu_script (menu, "http://h/boot", &error);
      Shape shape = shape_of (script);

      g_test_message ("text %s", evil_texts[i]);
      g_assert_no_error (error);
      g_assert_cmpuint (shape.lines, ==, expected.lines);
      g_assert_cmpuint (shape.terminators, ==, expected.terminators);
      g_assert_cmpuint (shape.expansions, ==, expected.expansions);
      g_assert_cmpuint (shape.comment_words, ==, 0);
      g_assert_cmpuint (shape.continuations, ==, 0);
      g_assert_true (g_utf8_validate (script, -1, NULL));
      /* The title is never taken for an option of "menu". */
      g_assert_nonnull (strstr (script, "\nmenu -- "));
    }

  for (guint i = 0; i < G_N_ELEMENTS (evil_paths); i++)
    {
      g_autoptr(YardBootMenu) menu = menu_with ("T", "L", evil_paths[i], "quiet", "http://x/y");
      g_autofree char *script = yard_ipxe_menu_script (menu, NULL, &error);
      Shape shape = shape_of (script);

      g_test_message ("path %s", evil_paths[i]);
      g_assert_no_error (error);
      g_assert_cmpuint (shape.lines, ==, expected.lines);
      g_assert_cmpuint (shape.terminators, ==, expected.terminators);
      g_assert_cmpuint (shape.expansions, ==, expected.expansions);
      g_assert_cmpuint (shape.comment_words, ==, 0);
      g_assert_cmpuint (shape.continuations, ==, 0);
      /* A relative URL never starts with '-' (an option of kernel/initrd). */
      g_assert_null (strstr (script, " -name"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (evil_urls); i++)
    {
      g_autoptr(YardBootMenu) menu = menu_with ("T", "L", "images/a/linux", "quiet", evil_urls[i]);
      g_autofree char *script = yard_ipxe_menu_script (menu, "http://h/boot", &error);
      Shape shape = shape_of (script);

      g_test_message ("url %s", evil_urls[i]);
      g_assert_no_error (error);
      g_assert_cmpuint (shape.lines, ==, expected.lines);
      g_assert_cmpuint (shape.terminators, ==, expected.terminators);
      g_assert_cmpuint (shape.expansions, ==, expected.expansions);
      g_assert_cmpuint (shape.comment_words, ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (setting_urls); i++)
    {
      g_autoptr(YardBootMenu) menu = menu_with ("T", "L", "images/a/linux", "quiet", setting_urls[i]);
      g_autofree char *script = yard_ipxe_menu_script (menu, "http://h/boot", &error);
      Shape shape = shape_of (script);

      g_test_message ("url %s", setting_urls[i]);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (script, setting_urls[i]));
      g_assert_cmpuint (shape.lines, ==, expected.lines);
      g_assert_cmpuint (shape.terminators, ==, expected.terminators);
      g_assert_cmpuint (shape.expansions, ==, expected.expansions + 1);
      g_assert_cmpuint (shape.comment_words, ==, 0);
    }
}

/* Kernel arguments must reach the kernel unchanged: an entry whose arguments iPXE would
 * read as commands is left out, with a comment, instead of being altered. */
static void
test_unsafe_args_left_out (void)
{
  static const char * const evil_args[] = { "quiet || shell", "a && b", "x ; y", "#x", "a=${x}", "a\nshell" };

  for (guint i = 0; i < G_N_ELEMENTS (evil_args); i++)
    {
      g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
      g_autoptr(YardBootEntry) entry = yard_boot_entry_new_linux ("lin", "Linux", "k", NULL, "quiet");
      g_autoptr(GError) error = NULL;
      g_autofree char *script = NULL;
      Shape shape;

      g_assert_true (yard_boot_menu_add_entry (menu, entry, -1, NULL, &error));
      yard_boot_entry_set_append (entry, evil_args[i]);
      script = yard_ipxe_menu_script (menu, NULL, &error);
      g_assert_no_error (error);
      g_assert_null (strstr (script, "item lin"));
      g_assert_null (strstr (script, ":yard-lin"));
      g_assert_nonnull (strstr (script, "# lin left out: its kernel arguments cannot be written safely"));
      shape = shape_of (script);
      g_assert_cmpuint (shape.comment_words, ==, 0);
    }
}

static void
test_sanitize (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "plain text", "plain text" },
    { "  many   spaces ", "many spaces" },
    { "a\nb", "a b" },
    { "${x}", "{x}" },
    { "$${x}{", "{x}{" },
    { "cost $5", "cost $5" },
    { "#1 entry", "1 entry" },
    { "a || b && c ; d", "a | b & c , d" },
    { "trailing \\\\", "trailing" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = yard_ipxe_sanitize_text (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* The server's menu.ipxe leaves out an entry whose files are missing from the boot root
 * (a boot that would fail after the user chose it) and offers it again once they are back. */
static void
test_missing_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = yard_test_make_dir ("ipxe");
  g_autofree char *kernel = NULL;
  g_autofree char *without = NULL;
  g_autofree char *with = NULL;
  g_autofree char *unchecked = NULL;
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
  g_autoptr(YardBootEntry) live = yard_boot_entry_new_linux ("live", "Live", "images/live/vmlinuz",
                                                             NULL, "boot=live");
  g_autoptr(YardBootEntry) local = yard_boot_entry_new_local ("local", "Local disk");

  g_assert_no_error (error);
  g_assert_true (yard_boot_menu_add_entry (menu, local, -1, NULL, NULL));
  g_assert_true (yard_boot_menu_add_entry (menu, live, -1, NULL, NULL));

  without = yard_ipxe_menu_script_for_root (menu, "${bootyard_http}", root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (without, "item local "));
  g_assert_null (strstr (without, "item live "));
  g_assert_nonnull (strstr (without, "# live left out: images/live/vmlinuz is missing\n"));
  /* a menu-mode host's own script is the same menu */
  {
    g_autofree char *host = yard_ipxe_host_script_for_root ("http://10.0.0.1:8067",
                                                            "52:54:00:12:34:56",
                                                            YARD_IPXE_HOST_MENU, NULL, menu,
                                                            "${bootyard_http}", root, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (host, "item local "));
    g_assert_null (strstr (host, "item live "));
  }
  /* without a root nothing is checked: the preview shows every entry */
  unchecked = yard_ipxe_menu_script (menu, "${bootyard_http}", &error);
  g_assert_nonnull (strstr (unchecked, "item live "));

  kernel = g_build_filename (root, "images", "live", "vmlinuz", NULL);
  g_assert_no_errno (g_mkdir_with_parents (root, 0755));
  {
    g_autofree char *dir = g_path_get_dirname (kernel);

    g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  }
  g_assert_true (g_file_set_contents (kernel, "kernel", -1, NULL));
  with = yard_ipxe_menu_script_for_root (menu, "${bootyard_http}", root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (with, "item live "));
  g_assert_null (strstr (with, "left out"));
  {
    g_autofree char *host = yard_ipxe_host_script_for_root ("http://10.0.0.1:8067",
                                                            "52:54:00:12:34:56",
                                                            YARD_IPXE_HOST_MENU, NULL, menu,
                                                            "${bootyard_http}", root, &error);

    g_assert_nonnull (strstr (host, "item live "));
  }
  /* the same script as with no check, once every file is there */
  g_assert_cmpstr (with, ==, unchecked);
}

static void
put_kernel (const char   *root,
            const char   *name,
            const guint8 *data,
            gsize         length)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_set_contents (path, (const char *) data, length, NULL));
}

/* Each client's menu lists what boots on its CPU (${buildarch} on UEFI; BIOS iPXE, an i386
 * build, boots any x86 kernel), and where the default does not boot, the first entry that
 * does is the default: GRUB's rule. */
static void
test_cpu (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = yard_test_make_dir ("ipxe-cpu");
  g_autoptr(YardBootMenu) menu = yard_boot_menu_new ();
  YardBootEntry *arm = yard_boot_entry_new_linux ("arm", "Debian (ARM64)", "images/arm/Image",
                                                  NULL, NULL);
  YardBootEntry *pc = yard_boot_entry_new_linux ("pc", "Debian (PC)", "images/pc/linux", NULL,
                                                 NULL);
  YardBootEntry *local = yard_boot_entry_new_local ("local", "Local disk");
  g_autofree char *script = NULL;
  g_autofree char *same = NULL;
  guint8 arm64[64] = { 0 };
  guint8 bzimage[1024] = { 0 };

  g_assert_no_error (error);
  memcpy (arm64 + 0x38, "ARM\x64", 4);
  bzimage[0x1fe] = 0x55;
  bzimage[0x1ff] = 0xaa;
  memcpy (bzimage + 0x202, "HdrS", 4);
  bzimage[0x206] = 0x06;  /* boot protocol 2.06: no xloadflags, a 64-bit kernel */
  bzimage[0x207] = 0x02;
  put_kernel (root, "images/arm/Image", arm64, sizeof arm64);
  put_kernel (root, "images/pc/linux", bzimage, sizeof bzimage);
  add (menu, arm);
  add (menu, pc);
  add (menu, local);
  g_assert_true (yard_boot_menu_set_default_id (menu, "arm", NULL));

  script = yard_ipxe_menu_script_for_root (menu, "${bootyard_http}", root, &error);
  g_assert_no_error (error);
  assert_golden ("menu-cpu.ipxe", script);
  g_assert_nonnull (strstr (script, "iseq ${bootyard_client} arm64 || goto yard-arm:cpu\n"
                                    "item arm Debian (ARM64)\n:yard-arm:cpu\n"));
  g_assert_nonnull (strstr (script, "iseq ${bootyard_client} pcbios || "
                                    "iseq ${bootyard_client} x86_64 || goto yard-pc:cpu\n"));
  g_assert_nonnull (strstr (script, "--default ${bootyard_default} "));

  /* a default that boots everywhere is everyone's, written as before */
  g_assert_true (yard_boot_menu_set_default_id (menu, "local", NULL));
  same = yard_ipxe_menu_script_for_root (menu, "${bootyard_http}", root, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (same, "bootyard_default"));
  g_assert_nonnull (strstr (same, " --default local selected"));
}

/* The whole script of a host, as the server answers: the mode taken from the host, the
 * settings from the server's URL, and a menu that does not parse said on the screen. */
static void
test_script_for_host (void)
{
  g_autoptr(YardHost) host = yard_host_new ("52:54:00:ab:cd:ef");
  g_autoptr(GError) menu_error = g_error_new_literal (YARD_ERROR, YARD_ERROR_INVALID_CONFIG,
                                                      "line 3: MENU BEGIN without MENU END");
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *url = NULL;
  g_autofree char *lowlevel = NULL;

  broken = yard_ipxe_script_for_host (host, "http://10.0.0.1:8067", NULL, menu_error, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (broken, "#!ipxe\nset bootyard_server http://10.0.0.1:8067\n"
                                           "set bootyard_mac 52:54:00:ab:cd:ef\n"
                                           "set bootyard_http http://10.0.0.1:8067/boot\n"));
  g_assert_nonnull (strstr (broken, "echo Bootyard: the boot menu is broken: line 3: MENU BEGIN"));
  g_assert_true (g_str_has_suffix (broken, yard_ipxe_local_disk_commands ()));

  host->mode = YARD_HOST_MODE_URL;
  host->script_url = g_strdup ("HTTPS://example.org/boot.ipxe");
  url = yard_ipxe_script_for_host (host, "http://10.0.0.1:8067", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lowlevel = yard_ipxe_host_script ("http://10.0.0.1:8067", host->mac, YARD_IPXE_HOST_URL,
                                    host->script_url, NULL, "http://10.0.0.1:8067/boot", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, lowlevel);
  g_assert_nonnull (strstr (url, "chain --autofree https://example.org/boot.ipxe\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yard/ipxe/script-for-host", test_script_for_host);
  g_test_add_func ("/yard/ipxe/menu-golden", test_menu_golden);
  g_test_add_func ("/yard/ipxe/cpu", test_cpu);
  g_test_add_func ("/yard/ipxe/submenu-golden", test_submenu_golden);
  g_test_add_func ("/yard/ipxe/host-golden", test_host_golden);
  g_test_add_func ("/yard/ipxe/host-errors", test_host_errors);
  g_test_add_func ("/yard/ipxe/injection", test_injection);
  g_test_add_func ("/yard/ipxe/missing-files", test_missing_files);
  g_test_add_func ("/yard/ipxe/unsafe-args-left-out", test_unsafe_args_left_out);
  g_test_add_func ("/yard/ipxe/sanitize", test_sanitize);

  return g_test_run ();
}
