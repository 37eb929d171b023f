/* bootyardctl-menu.c: menu show, set, add, rm, move
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bootyardctl"

#include "config.h"

#include "bootyardctl-private.h"

/* menu */

/* What an entry boots, in a few words: the rest of the row after its kind. */
char *
entry_details (YardBootEntry *entry)
{
  YardBootEntryKind kind = yard_boot_entry_get_kind (entry);
  const char *append = yard_boot_entry_get_append (entry);
  GString *s = g_string_new (NULL);

  if (kind == YARD_BOOT_ENTRY_KIND_LINUX || kind == YARD_BOOT_ENTRY_KIND_COM32)
    {
      g_autofree char *initrds = g_strjoinv (",", (GStrv) yard_boot_entry_get_initrds (entry));

      g_string_append (s, yard_boot_entry_get_kernel (entry) ?: "?");
      if (*initrds != '\0')
        g_string_append_printf (s, " initrd=%s", initrds);
      if (append != NULL && *append != '\0')
        g_string_append_printf (s, " %s", append);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_MEMDISK)
    {
      g_string_append_printf (s, "%s (%s)", yard_boot_entry_get_image (entry) ?: "?",
                              yard_memdisk_type_to_string (yard_boot_entry_get_image_type (entry)));
      if (append != NULL && *append != '\0')
        g_string_append_printf (s, " %s", append);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_CHAIN)
    g_string_append (s, yard_boot_entry_get_url (entry) ?: "?");
  else if (kind == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT)
    {
      const char *script = yard_boot_entry_get_script (entry);
      guint lines = 0;
      for (const char *p = script; p != NULL && *p != '\0'; p++)
        lines += (*p == '\n');
      g_string_append_printf (s, "iPXE script, %u lines", lines);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_SUBMENU)
    {
      YardBootMenu *submenu = yard_boot_entry_get_submenu (entry);
      g_string_append_printf (s, "%u entries",
                              submenu ? yard_boot_menu_get_n_entries (submenu) : 0);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_LOCAL)
    g_string_append (s, "the local disk");

  if (yard_boot_entry_get_hidden (entry))
    g_string_append (s, " (hidden)");
  return g_string_free (s, FALSE);
}

static void
print_menu (YardBootMenu *menu,
            const char   *loader,
            const char   *uefi_loader)
{
  const char *default_id = yard_boot_menu_get_default_id (menu);
  guint timeout = yard_boot_menu_get_timeout (menu);
  guint port, baud;
  guint n = yard_boot_menu_get_n_entries (menu);
  Table *table;

  g_print ("Title:    %s\n", yard_boot_menu_get_title (menu) ?: "");
  if (timeout > 0)
    g_print ("Timeout:  %u s\n", timeout);
  else
    g_print ("Timeout:  none (waits for a choice)\n");
  g_print ("Default:  %s\n", default_id ? default_id : "none");
  if (yard_boot_menu_get_serial (menu, &port, &baud))
    g_print ("Serial:   port %u, %u baud\n", port, baud);
  else
    g_print ("Serial:   none\n");
  if (loader != NULL)
    g_print ("Loader:   %s on BIOS, %s on UEFI (what hosts in menu mode boot)\n",
             loader, uefi_loader ? uefi_loader : "?");

  if (n == 0)
    {
      g_print ("\nNo entries: add one with “bootyardctl menu add”.\n");
      return;
    }

  g_print ("\n");
  table = table_new ("POS", "ID", "LABEL", "KIND", "BOOTS", NULL);
  for (guint i = 0; i < n; i++)
    {
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);
      const char *id = yard_boot_entry_get_id (entry);

      table_add_row (table,
                     g_strdup_printf ("%u%s", i, g_strcmp0 (id, default_id) == 0 ? "*" : ""),
                     text_or_dash (id), text_or_dash (yard_boot_entry_get_label (entry)),
                     g_strdup (yard_boot_entry_kind_to_string (yard_boot_entry_get_kind (entry))),
                     entry_details (entry));
    }
  table_print_and_free (table);
  if (default_id != NULL)
    g_print ("(* the default entry)\n");
}

/* The menu a typed call answered with, in words */
static int
finish_menu (YardBootMenu *menu,
             const char   *loader,
             const char   *uefi_loader,
             GError       *error)
{
  if (menu == NULL)
    return fail (error);
  print_menu (menu, loader, uefi_loader);
  return EXIT_SUCCESS;
}

int
cmd_menu_show (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;
  if (ctl->json)
    return print_raw_answer (ctl, "GET", "/menu", NULL);

  yard_client_get_menu_async (ctl->client, ctl->cancellable, result_cb, &result);
  menu = yard_client_get_menu_finish (ctl->client, wait_for (&result), &loader, &uefi_loader,
                                      &error);
  return finish_menu (menu, loader, uefi_loader, error);
}

/* "0,115200" → {"port": 0, "baud": 115200}; "none" → NULL with no error. */
static gboolean
parse_serial (const char  *text,
              JsonNode   **out,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  guint64 port, baud;
  g_autoptr(JsonObject) serial = NULL;

  if (g_str_equal (text, "none") || g_str_equal (text, "off"))
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 3, &port, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 50, 4000000, &baud, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "--serial “%s” is not PORT,BAUD: give a port 0 to 3 and a speed, "
                   "as in --serial 0,115200 (or --serial none)", text);
      return FALSE;
    }

  serial = json_object_new ();
  json_object_set_int_member (serial, "port", port);
  json_object_set_int_member (serial, "baud", baud);
  *out = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (*out, serial);
  return TRUE;
}

gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      max,
             guint64     *out,
             GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "%s “%s” is not a number from 0 to %" G_GUINT64_FORMAT, option, text, max);
      return FALSE;
    }
  return TRUE;
}

int
cmd_menu_set (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader_now = NULL;
  g_autofree char *uefi_loader_now = NULL;
  g_autofree char *title = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *default_id = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  gboolean no_default = FALSE;
  int ret;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The menu's title"), N_("T") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &timeout,
      N_("Seconds before the default entry boots (0: wait for a choice)"), N_("SECONDS") },
    { "default", 0, 0, G_OPTION_ARG_STRING, &default_id,
      N_("The entry that boots when the time is up"), N_("ID") },
    { "no-default", 0, 0, G_OPTION_ARG_NONE, &no_default, N_("Remove the default entry"), NULL },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial,
      N_("Serial console for pxelinux and iPXE, e.g. 0,115200 (“none” removes it)"),
      N_("PORT,BAUD") },
    { "loader", 0, 0, G_OPTION_ARG_STRING, &loader,
      N_("What BIOS hosts in menu mode boot: pxelinux (files over TFTP), lpxelinux (files over "
         "HTTP: faster, some boots stall) or ipxe (which reaches sanboot and chain entries)"),
      N_("pxelinux|lpxelinux|ipxe") },
    { "uefi-loader", 0, 0, G_OPTION_ARG_STRING, &uefi_loader,
      N_("What UEFI hosts in menu mode boot: auto (shim and GRUB with Bootyard's DHCP, "
         "syslinux beside a router), grub (signed: boots with Secure Boot on), syslinux or "
         "ipxe"), N_("auto|grub|syslinux|ipxe") },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;

  if (title != NULL)
    json_object_set_string_member (changes, "title", title);
  if (timeout != NULL)
    {
      guint64 seconds;
      if (!parse_count ("--timeout", timeout, 86400, &seconds, &error))
        return fail (error);
      json_object_set_int_member (changes, "timeout", seconds);
    }
  if (default_id != NULL && no_default)
    return usage_error (ctl, "--default and --no-default exclude each other");
  if (default_id != NULL)
    json_object_set_string_member (changes, "default", default_id);
  if (no_default)
    json_object_set_null_member (changes, "default");
  if (serial != NULL)
    {
      JsonNode *node = NULL;
      if (!parse_serial (serial, &node, &error))
        return fail (error);
      json_object_set_member (changes, "serial", node);
    }
  /* the server checks the values: one rule, in one place */
  if (loader != NULL)
    json_object_set_string_member (changes, "loader", loader);
  if (uefi_loader != NULL)
    json_object_set_string_member (changes, "uefiLoader", uefi_loader);

  if (json_object_get_size (changes) == 0)
    return usage_error (ctl, "nothing to change: give --title, --timeout, --default, --serial, "
                        "--loader or --uefi-loader");

  if (ctl->json)
    return print_raw_answer (ctl, "PATCH", "/menu", changes);
  yard_client_update_menu_async (ctl->client, changes, ctl->cancellable, result_cb, &result);
  menu = yard_client_update_menu_finish (ctl->client, wait_for (&result), &loader_now,
                                         &uefi_loader_now, &error);
  return finish_menu (menu, loader_now, uefi_loader_now, error);
}

int
cmd_menu_add (Ctl   *ctl,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootEntry) entry = NULL;
  g_autoptr(YardBootEntry) added = NULL;
  g_autoptr(JsonObject) added_answer = NULL;
  const char *added_id;
  int position_number = -1;
  g_autofree char *label = NULL;
  g_autofree char *kernel = NULL;
  g_auto(GStrv) initrds = NULL;
  g_autofree char *append = NULL;
  gboolean localboot = FALSE;
  g_autofree char *memdisk = NULL;
  g_autofree char *memdisk_type = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *image = NULL;
  g_autofree char *position = NULL;
  gboolean make_default = FALSE;
  guint kinds;
  int ret;
  const GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("What the menu shows (required)"), N_("L") },
    { "kernel", 0, 0, G_OPTION_ARG_STRING, &kernel,
      N_("Boot a Linux kernel, a path in the boot root"), N_("K") },
    { "initrd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &initrds,
      N_("An initrd for --kernel (repeat for several, in order)"), N_("I") },
    { "append", 0, 0, G_OPTION_ARG_STRING, &append,
      N_("Kernel arguments (or memdisk's, with --memdisk)"), N_("A") },
    { "localboot", 0, 0, G_OPTION_ARG_NONE, &localboot, N_("Boot the local disk"), NULL },
    { "memdisk", 0, 0, G_OPTION_ARG_STRING, &memdisk,
      N_("Boot a disk image with memdisk, a path in the boot root (e.g. images/dos.iso)"),
      N_("IMAGE") },
    { "memdisk-type", 0, 0, G_OPTION_ARG_STRING, &memdisk_type,
      N_("The image's type for --memdisk: iso (default), floppy or harddisk"), N_("TYPE") },
    { "chain", 0, 0, G_OPTION_ARG_STRING, &chain,
      N_("Chain to an iPXE script or image at an http(s) URL"), N_("URL") },
    { "image", 0, 0, G_OPTION_ARG_STRING, &image,
      N_("What the server suggests for an image on it (image list), as after image add"),
      N_("NAME") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position,
      N_("Where to add it, counted from 0 (default: at the end)"), N_("N") },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default,
      N_("Make it the default entry"), NULL },
    { NULL }
  };

  if ((ret = parse_command (ctl, entries, NULL, &argc, &argv, 0, 0)) >= 0)
    return ret;

  kinds = (kernel != NULL) + localboot + (memdisk != NULL) + (chain != NULL) + (image != NULL);
  if (kinds != 1)
    return usage_error (ctl, "give one of --kernel, --localboot, --memdisk, --chain or --image");
  if ((label == NULL || *label == '\0') && image == NULL)
    return usage_error (ctl, "give the entry's --label");
  if (initrds != NULL && kernel == NULL)
    return usage_error (ctl, "--initrd goes with --kernel");
  if (append != NULL && kernel == NULL && memdisk == NULL && image == NULL)
    return usage_error (ctl, "--append goes with --kernel, --memdisk or --image");
  if (memdisk_type != NULL && memdisk == NULL)
    return usage_error (ctl, "--memdisk-type goes with --memdisk");

  if (image != NULL)
    {
      /* The server inspects the image again and suggests its entry (memdisk, the kernel it
       * copied out, or sanboot); --label, --append, --position and --default still apply. */
      g_autoptr(GAsyncResult) got = NULL;
      g_autoptr(YardImageFile) answer = NULL;
      YardBootEntry *suggested;

      yard_client_get_image_async (ctl->client, image, ctl->cancellable, result_cb, &got);
      answer = yard_client_get_image_finish (ctl->client, wait_for (&got), &error);
      if (answer == NULL)
        return fail (error);
      suggested = answer->inspection != NULL
                  ? yard_image_inspection_get_entry (answer->inspection) : NULL;
      if (suggested == NULL)
        {
          const char *why = answer->inspection != NULL
                            ? yard_image_inspection_get_reason (answer->inspection)
                            : answer->error;
          g_printerr ("bootyardctl: the server suggests no menu entry for %s: %s\n", image,
                      why ? why : "it is not a boot image");
          return EXIT_USAGE;
        }
      /* a copy: the entry the request sends gets this command's label and options */
      entry = yard_boot_entry_copy (suggested);
      if (label == NULL || *label == '\0')
        label = g_strdup (yard_boot_entry_get_label (entry));
    }
  /* The request is the entry as core writes it; the server checks it (one rule, its own). */
  else if (kernel != NULL)
    entry = yard_boot_entry_new_linux (NULL, label, kernel, (const char * const *) initrds, NULL);
  else if (localboot)
    entry = yard_boot_entry_new_local (NULL, label);
  else if (memdisk != NULL)
    {
      YardMemdiskType type = YARD_MEMDISK_ISO;

      if (memdisk_type != NULL && !yard_memdisk_type_from_string (memdisk_type, &type))
        return usage_error (ctl, "--memdisk-type “%s” is not one of iso, floppy, harddisk",
                            memdisk_type);
      entry = yard_boot_entry_new_memdisk (NULL, label, memdisk, type, TRUE);
    }
  else
    entry = yard_boot_entry_new_chain (NULL, label, chain);
  yard_boot_entry_set_label (entry, label);
  if (append != NULL)
    yard_boot_entry_set_append (entry, append);
  if (position != NULL)
    {
      guint64 pos;
      if (!parse_count ("--position", position, G_MAXINT32, &pos, &error))
        return fail (error);
      position_number = pos;
    }

  /* --json prints the server's answer as it came */
  yard_client_add_menu_entry_async (ctl->client, entry, position_number, ctl->cancellable,
                                    result_cb, &result);
  added = yard_client_add_menu_entry_finish (ctl->client, wait_for (&result),
                                             ctl->json ? &added_answer : NULL, &error);
  if (added == NULL)
    return fail (error);
  added_id = yard_boot_entry_get_id (added);

  if (make_default && added_id != NULL)
    {
      g_autoptr(GAsyncResult) result2 = NULL;
      g_autoptr(JsonObject) changes = json_object_new ();
      g_autoptr(YardBootMenu) menu = NULL;

      json_object_set_string_member (changes, "default", added_id);
      yard_client_update_menu_async (ctl->client, changes, ctl->cancellable, result_cb, &result2);
      menu = yard_client_update_menu_finish (ctl->client, wait_for (&result2), NULL, NULL,
                                             &error);
      if (menu == NULL)
        {
          g_prefix_error (&error, "Added entry %s, but could not make it the default: ",
                          added_id);
          return fail (error);
        }
    }

  if (ctl->json)
    print_json_object (added_answer);
  else
    g_print ("Added entry %s (“%s”)%s\n", added_id,
             yard_boot_entry_get_label (added) ?: label, make_default ? ", the default" : "");
  return EXIT_SUCCESS;
}

int
cmd_menu_rm (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 1, 1)) >= 0)
    return ret;

  yard_client_remove_menu_entry_async (ctl->client, argv[1], ctl->cancellable, result_cb,
                                       &result);
  if (!yard_client_remove_menu_entry_finish (ctl->client, wait_for (&result), &error))
    return fail (error);

  return print_removed (ctl, "entry", "id", argv[1]);
}

int
cmd_menu_move (Ctl   *ctl,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *uefi_loader = NULL;
  guint64 position;
  int ret;

  if ((ret = parse_command (ctl, NULL, NULL, &argc, &argv, 2, 2)) >= 0)
    return ret;

  if (!parse_count ("POSITION", argv[2], G_MAXINT32, &position, &error))
    return fail (error);

  if (ctl->json)
    {
      g_autofree char *path = segment_path ("/menu/entries/", argv[1], "/move");
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "position", position);
      return print_raw_answer (ctl, "POST", path, body);
    }
  yard_client_move_menu_entry_async (ctl->client, argv[1], position, ctl->cancellable,
                                     result_cb, &result);
  menu = yard_client_move_menu_entry_finish (ctl->client, wait_for (&result), &loader,
                                             &uefi_loader, &error);
  return finish_menu (menu, loader, uefi_loader, error);
}
