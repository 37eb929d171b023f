/* yard-gui-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widgets stay thin: naming, icons, validation as the user types and the Activity timeline
 * live here, over the JSON objects of docs/api.md, so tests check them without a display. The
 * server validates again; these checks only let the app say what is wrong before it asks.
 */

#define G_LOG_DOMAIN "yard-gui-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-host-table.h"
#include "yard-image-file.h"
#include "yard-json.h"
#include "yard-validate.h"
#include "yard-gui-model.h"

const char * const yard_entry_kinds[] = {
  "localboot", "linux", "memdisk", "chain", "ipxe", NULL
};

void
yard_json_set_string_take (JsonObject *object,
                           const char *member,
                           char       *value)
{
  json_object_set_string_member (object, member, value);
  g_free (value);
}

const char *
yard_entry_kind_icon_name (const char *kind)
{
  if (g_strcmp0 (kind, "localboot") == 0)
    return "drive-harddisk-symbolic";
  if (g_strcmp0 (kind, "linux") == 0)
    return "utilities-terminal-symbolic";
  if (g_strcmp0 (kind, "memdisk") == 0)
    return "media-optical-symbolic";
  if (g_strcmp0 (kind, "chain") == 0)
    return "network-server-symbolic";
  if (g_strcmp0 (kind, "ipxe") == 0)
    return "text-x-generic-symbolic";
  if (g_strcmp0 (kind, "submenu") == 0)
    return "view-list-symbolic";
  return "application-x-executable-symbolic";
}

const char *
yard_entry_kind_title (const char *kind)
{
  if (g_strcmp0 (kind, "localboot") == 0)
    return _("Local Disk");
  if (g_strcmp0 (kind, "linux") == 0)
    return _("Linux Kernel");
  if (g_strcmp0 (kind, "memdisk") == 0)
    return _("Disk Image (memdisk)");
  if (g_strcmp0 (kind, "chain") == 0)
    return _("Chain to URL");
  if (g_strcmp0 (kind, "ipxe") == 0)
    return _("iPXE Script");
  if (g_strcmp0 (kind, "com32") == 0)
    return _("Syslinux Module");
  if (g_strcmp0 (kind, "submenu") == 0)
    return _("Submenu");
  return _("Other");
}

/* The subtitle of an entry's row: what it boots, in a few words. */
char *
yard_entry_dup_summary (YardBootEntry *entry)
{
  YardBootEntryKind kind = yard_boot_entry_get_kind (entry);

  if (kind == YARD_BOOT_ENTRY_KIND_LINUX || kind == YARD_BOOT_ENTRY_KIND_COM32)
    {
      const char *kernel = yard_boot_entry_get_kernel (entry);
      const char *append = yard_boot_entry_get_append (entry);

      if (append != NULL && *append != '\0')
        return g_strdup_printf ("%s %s", kernel ? kernel : "", append);
      return g_strdup (kernel ? kernel : "");
    }
  if (kind == YARD_BOOT_ENTRY_KIND_MEMDISK)
    return g_strdup_printf (_("%s with memdisk"), yard_boot_entry_get_image (entry) ?: "");
  if (kind == YARD_BOOT_ENTRY_KIND_CHAIN)
    return g_strdup (yard_boot_entry_get_url (entry) ?: "");
  if (kind == YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT)
    {
      const char *script = yard_boot_entry_get_script (entry);
      guint lines = 0;

      for (const char *p = script; p != NULL && *p != '\0'; p++)
        if (*p == '\n')
          lines++;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "iPXE script, %u line",
                                           "iPXE script, %u lines", lines), lines);
    }
  return g_strdup (yard_entry_kind_title (yard_boot_entry_kind_to_string (kind)));
}

const char *
yard_entry_get_arch_title (YardBootEntry *entry)
{
  const YardBootSupport *support = yard_boot_entry_get_support (entry);
  const char *arch = support != NULL ? support->arch : NULL;

  if (g_strcmp0 (arch, "x86-64") == 0)
    return C_("CPU architecture", "x86-64");
  if (g_strcmp0 (arch, "arm64") == 0)
    return C_("CPU architecture", "ARM64");
  if (g_strcmp0 (arch, "x86") == 0)
    return C_("CPU architecture", "32-bit x86");
  return NULL;
}

gboolean
yard_entry_needs_secure_boot_off (YardBootEntry *entry)
{
  const YardBootSupport *support = yard_boot_entry_get_support (entry);

  return support != NULL && !support->secure_boot;
}

char *
yard_entry_dup_support_note (YardBootEntry *entry)
{
  static const struct { YardLoader loader; const char *title; } loaders[] = {
    { YARD_LOADER_PXELINUX, N_("BIOS (pxelinux)") },
    { YARD_LOADER_GRUB, N_("UEFI (shim and GRUB)") },
    { YARD_LOADER_SYSLINUX_EFI, N_("UEFI (syslinux)") },
    { YARD_LOADER_IPXE, N_("iPXE") },
  };
  const YardBootSupport *support = yard_boot_entry_get_support (entry);
  g_autoptr(GString) note = g_string_new (NULL);

  if (support == NULL)
    return NULL;
  if (yard_entry_needs_secure_boot_off (entry))
    g_string_append_printf (note, _("Needs Secure Boot off: %s"),
                            support->secure_boot_reason ?: "");
  for (guint i = 0; i < G_N_ELEMENTS (loaders); i++)
    {
      const char *why = support->loaders[loaders[i].loader];

      if (why == NULL)
        continue;
      if (note->len > 0)
        g_string_append_c (note, '\n');
      /* TRANSLATORS: "Not in BIOS (pxelinux): memdisk is a BIOS program" */
      g_string_append_printf (note, _("Not in %s: %s"), _(loaders[i].title), why);
    }
  return note->len > 0 ? g_strdup (note->str) : NULL;
}

/* The entry the entry dialog's fields describe, checked by core's rule for what the API takes,
 * so the app refuses exactly what the server refuses: a new entry (POST /menu/entries) by
 * yard_boot_entry_new_from_json, an edit (PATCH) by yard_boot_entry_update_from_json on a
 * copy of @current, the entry as the server sent it. NULL with core's message and, in @field
 * (owned), the member to fix. */
YardBootEntry *
yard_entry_form_check (YardBootEntry  *current,
                       JsonObject     *fields,
                       char          **field,
                       GError        **error)
{
  g_autoptr(YardBootEntry) entry = NULL;
  char *dummy = NULL;

  g_return_val_if_fail (fields != NULL, NULL);

  if (field == NULL)
    field = &dummy;
  *field = NULL;

  if (current == NULL)
    entry = yard_boot_entry_new_from_json (fields, field, error);
  else if (!yard_boot_entry_update_from_json (entry = yard_boot_entry_copy (current), fields,
                                              field, error))
    g_clear_object (&entry);
  g_free (dummy);
  return g_steal_pointer (&entry);
}

/* The host as the host dialog would send it: @host (NULL: a new one, by @mac) with the form's
 * values, checked by core's rule for a host (yard_mac_normalize, yard_host_validate: what
 * yard_host_update_from_json ends with on the server), so the dialog refuses exactly what
 * PUT /hosts/MAC refuses. The script and the URL change only in their own mode, as the other
 * is kept. NULL with core's message and, in @field, the member to fix. */
YardHost *
yard_host_form_apply (const YardHost  *host,
                      const char      *mac,
                      const char      *name,
                      YardHostMode     mode,
                      const char      *script,
                      const char      *script_url,
                      gboolean         once,
                      const char     **field,
                      GError         **error)
{
  g_autoptr(YardHost) form = NULL;
  const char *dummy;

  if (field == NULL)
    field = &dummy;
  *field = NULL;

  if (host != NULL)
    form = yard_host_copy (host);
  else
    {
      g_autofree char *normal = yard_mac_normalize (mac, error);

      if (normal == NULL)
        {
          *field = "mac";
          return NULL;
        }
      form = yard_host_new (normal);
    }
  g_free (form->name);
  form->name = g_strdup (name ? name : "");
  form->mode = mode;
  form->once = once;
  if (mode == YARD_HOST_MODE_SCRIPT)
    {
      g_free (form->script);
      form->script = g_strdup (script ? script : "");
    }
  if (mode == YARD_HOST_MODE_URL)
    {
      g_free (form->script_url);
      form->script_url = g_strdup (script_url ? script_url : "");
    }
  if (!yard_host_validate (form, field, error))
    return NULL;
  return g_steal_pointer (&form);
}

const char *
yard_host_mode_title (YardHostMode mode)
{
  switch (mode)
    {
    case YARD_HOST_MODE_MENU:
      return _("Boot Menu");
    case YARD_HOST_MODE_SCRIPT:
      return _("Own iPXE Script");
    case YARD_HOST_MODE_URL:
      return _("Script URL");
    case YARD_HOST_MODE_DISK:
      return _("Local Disk");
    case YARD_HOST_MODE_IGNORE:
      return _("Ignored");
    default:
      return _("Unknown");
    }
}

/* inspection.class of PUT /images: how the server will boot the image. */
const char *
yard_image_class_description (const char *image_class)
{
  if (g_strcmp0 (image_class, "memdisk") == 0)
    return _("Boots from memory with memdisk");
  if (g_strcmp0 (image_class, "linux") == 0)
    return _("Boots its Linux kernel, extracted from the image");
  if (g_strcmp0 (image_class, "sanboot") == 0)
    return _("Boots with iPXE sanboot over HTTP");
  return _("Not bootable as it is");
}

const char *
yard_boot_step_title (YardBootStep step)
{
  switch (step)
    {
    case YARD_BOOT_STEP_DHCP:
      return _("DHCP answered");
    case YARD_BOOT_STEP_LOADER:
      return _("Boot file");
    case YARD_BOOT_STEP_CONFIG:
      return _("Configuration");
    case YARD_BOOT_STEP_KERNEL:
      return _("Kernel and initrd");
    case YARD_N_BOOT_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/* What a step is, for its tooltip: every abbreviation the timeline shows, in words. */
const char *
yard_boot_step_description (YardBootStep step)
{
  switch (step)
    {
    case YARD_BOOT_STEP_DHCP:
      return _("DHCP (Dynamic Host Configuration Protocol): the network told the machine "
               "which boot file to fetch, and from where");
    case YARD_BOOT_STEP_LOADER:
      return _("The machine’s firmware fetched its boot loader (PXELINUX, GRUB or iPXE) "
               "over TFTP (Trivial File Transfer Protocol) or HTTP");
    case YARD_BOOT_STEP_CONFIG:
      return _("The boot loader fetched its menu and its modules");
    case YARD_BOOT_STEP_KERNEL:
      return _("The chosen entry’s Linux kernel and its initrd (initial RAM disk), or its "
               "disk image");
    case YARD_N_BOOT_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/* A transfer's protocol ("tftp", "http" in events) for people. */
const char *
yard_transfer_protocol_title (const char *protocol)
{
  if (g_strcmp0 (protocol, "tftp") == 0)
    return _("TFTP (the firmware’s file transfer)");
  if (g_strcmp0 (protocol, "http") == 0)
    return _("HTTP");
  return protocol != NULL ? protocol : _("Unknown protocol");
}

/* The DHCP step's detail: "Offered pxelinux.0 to BIOS firmware"; nothing unexplained when
 * the firmware or the file is not known. */
char *
yard_dhcp_offer_dup_detail (const char *boot_file,
                            const char *arch)
{
  g_autofree char *firmware = yard_client_arch_dup_title (arch);

  if (boot_file == NULL || *boot_file == '\0')
    return firmware != NULL
           /* TRANSLATORS: a DHCP answer with no boot file, e.g. "Answered UEFI x86-64 firmware" */
           ? g_strdup_printf (_("Answered %s firmware"), firmware)
           : g_strdup (_("Answered"));
  if (firmware == NULL)
    /* TRANSLATORS: the boot file a DHCP answer named, e.g. "Offered pxelinux.0" */
    return g_strdup_printf (_("Offered %s"), boot_file);
  /* TRANSLATORS: "Offered pxelinux.0 to BIOS firmware" */
  return g_strdup_printf (_("Offered %s to %s firmware"), boot_file, firmware);
}

char *
yard_format_throughput (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (bytes_per_second < 0)
    bytes_per_second = 0;
  size = g_format_size ((guint64) bytes_per_second);
  /* TRANSLATORS: a transfer speed, e.g. "12.5 MB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

/* @time in words as seen at @now, in @now's time zone: "today at 15:53", "yesterday at
 * 15:53", "2 December at 15:53", with the year when it is not this one. */
char *
yard_format_time (GDateTime *time,
                  GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  int year, month, day;
  int y, m, d;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_timezone (time, g_date_time_get_timezone (now));
  yesterday = g_date_time_add_days (now, -1);
  g_date_time_get_ymd (local, &year, &month, &day);

  g_date_time_get_ymd (now, &y, &m, &d);
  if (year == y && month == m && day == d)
    /* TRANSLATORS: a time today, in g_date_time_format () codes: "today at 15:53" */
    return g_date_time_format (local, _("today at %H:%M"));
  g_date_time_get_ymd (yesterday, &y, &m, &d);
  if (year == y && month == m && day == d)
    /* TRANSLATORS: a time yesterday, in g_date_time_format () codes: "yesterday at 15:53" */
    return g_date_time_format (local, _("yesterday at %H:%M"));
  if (year == g_date_time_get_year (now))
    /* TRANSLATORS: a date this year, in g_date_time_format () codes: "2 December at 15:53" */
    return g_date_time_format (local, _("%-e %B at %H:%M"));
  /* TRANSLATORS: a date in another year, in g_date_time_format () codes:
   * "2 December 2025 at 15:53" */
  return g_date_time_format (local, _("%-e %B %Y at %H:%M"));
}

/* lastSeen (ISO 8601 UTC) in words, or "Never". */
static gboolean
image_listed (GPtrArray  *images,
              const char *name)
{
  for (guint i = 0; images != NULL && i < images->len; i++)
    if (g_strcmp0 (((const YardImageFile *) g_ptr_array_index (images, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* "Keep Both": the first of NAME-2.EXT, NAME-3.EXT... that is not among images (the server's
 * list). A dash and a digit keep the name a portable file name, as the server's extraction
 * directory (its stem) and URLs want. */
char *
yard_image_name_for_copy (const char *name,
                          GPtrArray  *images)
{
  const char *dot;
  g_autofree char *stem = NULL;
  const char *ext;

  g_return_val_if_fail (name != NULL, NULL);

  dot = strrchr (name, '.');
  if (dot == NULL || dot == name)
    dot = name + strlen (name);
  stem = g_strndup (name, dot - name);
  ext = dot;
  for (guint n = 2;; n++)
    {
      g_autofree char *copy = g_strdup_printf ("%s-%u%s", stem, n, ext);

      if (!image_listed (images, copy))
        return g_steal_pointer (&copy);
    }
}

/* lastSeen (ISO 8601 UTC) as local time, or "Never". */
char *
yard_format_last_seen (const char *iso8601)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (iso8601 == NULL || *iso8601 == '\0')
    return g_strdup (_("Never"));
  time = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (time == NULL)
    return g_strdup (iso8601);
  now = g_date_time_new_now_local ();
  return yard_format_time (time, now);
}

/* A client architecture's JSON name (docs/api.md, a host's "arch") for people: "BIOS",
 * "UEFI x86-64"; an unknown code as "Architecture N"; NULL for NULL. */
char *
yard_client_arch_dup_title (const char *arch)
{
  const YardClientArch *known;
  guint code;

  if (arch == NULL || *arch == '\0')
    return NULL;
  if (!yard_client_arch_from_name (arch, &code))
    return g_strdup (arch);
  known = yard_client_arch_lookup (code);
  if (known != NULL)
    return g_strdup (known->display);
  /* TRANSLATORS: a DHCP client architecture (option 93) that has no name, e.g. "Architecture 42" */
  return g_strdup_printf (_("Architecture %u"), code);
}

/* What a host boots, for its row: "Boot Menu", "Own iPXE Script, once", and a "once" policy
 * that has been used (the server switched the host to its disk) says so. */
char *
yard_host_dup_policy_title (const YardHost *host)
{
  YardHostMode mode = host->mode;
  gboolean once = host->once;

  if (once && mode == YARD_HOST_MODE_DISK)
    /* TRANSLATORS: a host whose one-time boot has happened: it boots its disk from now on,
     * e.g. "Local Disk, one-time boot done" */
    return g_strdup_printf (_("%s, one-time boot done"), yard_host_mode_title (mode));
  if (once && mode != YARD_HOST_MODE_IGNORE)
    /* TRANSLATORS: a host's policy that applies to one boot only, e.g. "Own iPXE Script, once" */
    return g_strdup_printf (_("%s, once"), yard_host_mode_title (mode));
  return g_strdup (yard_host_mode_title (mode));
}

void
yard_list_store_sync (GListStore *store,
                      GPtrArray  *shown,
                      GPtrArray  *keys,
                      GPtrArray  *texts)
{
  guint n = texts->len;
  guint old = shown->len;
  guint prefix = 0, suffix = 0;

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (keys->len == texts->len);
  g_return_if_fail (g_list_model_get_n_items (G_LIST_MODEL (store)) == shown->len);

  while (prefix < n && prefix < old &&
         g_str_equal (g_ptr_array_index (texts, prefix), g_ptr_array_index (shown, prefix)))
    prefix++;
  while (suffix < n - prefix && suffix < old - prefix &&
         g_str_equal (g_ptr_array_index (texts, n - 1 - suffix),
                      g_ptr_array_index (shown, old - 1 - suffix)))
    suffix++;
  if (prefix + suffix < n || prefix + suffix < old)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = prefix; i < n - suffix; i++)
        g_ptr_array_add (items, gtk_string_object_new (g_ptr_array_index (keys, i)));
      g_list_store_splice (store, prefix, old - prefix - suffix, items->pdata, items->len);
    }
  g_ptr_array_set_size (shown, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (shown, g_strdup (g_ptr_array_index (texts, i)));
}
