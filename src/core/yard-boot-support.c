/* yard-boot-support.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writers decide what they leave out of their files; this asks each of them, so that
 * what the API and the app say of an entry is what the clients' menus hold.
 */

#define G_LOG_DOMAIN "yard-boot-support"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-error.h"
#include "yard-grub.h"
#include "yard-image.h"
#include "yard-json.h"
#include "yard-pxelinux.h"

const char *
yard_loader_to_string (YardLoader loader)
{
  static const char *names[YARD_N_LOADERS] = {
    [YARD_LOADER_PXELINUX] = "pxelinux",
    [YARD_LOADER_SYSLINUX_EFI] = "syslinux",
    [YARD_LOADER_GRUB] = "grub",
    [YARD_LOADER_IPXE] = "ipxe",
  };

  g_return_val_if_fail (loader < YARD_N_LOADERS, NULL);
  return names[loader];
}

/* The kernel of a LINUX entry, read from the root; FALSE when there is none to read. */
static gboolean
read_kernel (YardBootEntry  *entry,
             const char     *root_dir,
             YardKernelInfo *info)
{
  const char *kernel = yard_boot_entry_get_kernel (entry);
  g_autofree char *path = NULL;

  if (root_dir == NULL || kernel == NULL ||
      yard_boot_entry_get_kind (entry) != YARD_BOOT_ENTRY_KIND_LINUX ||
      g_path_is_absolute (kernel))
    return FALSE;
  path = g_build_filename (root_dir, kernel, NULL);
  return yard_kernel_info_from_file (path, info, NULL);
}

YardCpu
yard_boot_entry_get_cpu (YardBootEntry *entry,
                         const char    *root_dir)
{
  YardKernelInfo info;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), YARD_CPU_UNKNOWN);

  return read_kernel (entry, root_dir, &info) ? info.cpu : YARD_CPU_UNKNOWN;
}

char *
yard_boot_entry_bios_only_reason (YardBootEntry *entry)
{
  const char *kernel = yard_boot_entry_get_kernel (entry);
  g_autofree char *base = NULL;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      return g_strdup (_("memdisk is a BIOS program"));
    case YARD_BOOT_ENTRY_KIND_LINUX:
      base = kernel != NULL ? g_path_get_basename (kernel) : NULL;
      if (base != NULL && g_str_has_prefix (base, "memtest") && !g_str_has_suffix (base, ".efi"))
        return g_strdup (_("memtest86+'s .bin is a BIOS program; add its .efi build for UEFI"));
      return NULL;
    default:
      return NULL;
    }
}

char *
yard_boot_entry_syslinux_only_reason (YardBootEntry *entry)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_COM32:
      return g_strdup (_("COM32 modules run only in syslinux"));
    case YARD_BOOT_ENTRY_KIND_OTHER:
      return g_strdup (_("Bootyard cannot tell what a hand-written entry does"));
    default:
      return NULL;
    }
}

/* pxelinux.cfg/default is the source of truth and keeps every entry: an entry that cannot
 * boot on a BIOS PC stays in the file, and this says so. */
static char *
pxelinux_unsupported (YardBootEntry *entry,
                      const char    *root_dir)
{
  YardKernelInfo info;

  if (!read_kernel (entry, root_dir, &info))
    return NULL;
  if (info.cpu == YARD_CPU_ARM64)
    return g_strdup (_("an ARM64 kernel does not run on a BIOS PC"));
  if (!info.bios)
    return g_strdup (_("the kernel is a UEFI program, not a BIOS one"));
  return NULL;
}

char *
yard_boot_entry_unsupported_by (YardBootEntry *entry,
                                YardLoader     loader,
                                const char    *root_dir)
{
  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  switch (loader)
    {
    case YARD_LOADER_PXELINUX:
      {
        /* pxelinux.cfg/default keeps such an entry, greyed out (yard_pxelinux_to_root_data) */
        g_auto(GStrv) missing = yard_boot_entry_dup_missing_files (entry, root_dir);

        if (missing[0] != NULL)
          return g_strdup_printf (_("%s is missing from the boot root"), missing[0]);
        return pxelinux_unsupported (entry, root_dir);
      }
    case YARD_LOADER_SYSLINUX_EFI:
      return yard_pxelinux_efi_entry_unsupported (entry, root_dir);
    case YARD_LOADER_GRUB:
      return yard_grub_entry_unsupported (entry, root_dir);
    case YARD_LOADER_IPXE:
      /* iPXE boots every kind (memdisk on BIOS, sanboot on UEFI) but what only syslinux runs */
      return yard_boot_entry_syslinux_only_reason (entry);
    case YARD_N_LOADERS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
yard_boot_entry_secure_boot_blocker (YardBootEntry *entry,
                                     const char    *root_dir)
{
  YardKernelInfo info;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LOCAL:
    case YARD_BOOT_ENTRY_KIND_SUBMENU:
      return NULL;
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      return g_strdup (_("memdisk and iPXE, which boot disk images, are not signed"));
    case YARD_BOOT_ENTRY_KIND_CHAIN:
    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      return g_strdup (_("iPXE is not signed"));
    case YARD_BOOT_ENTRY_KIND_COM32:
      return g_strdup (_("syslinux is not signed"));
    case YARD_BOOT_ENTRY_KIND_OTHER:
      return g_strdup (_("Bootyard cannot tell what a hand-written entry does"));
    case YARD_BOOT_ENTRY_KIND_LINUX:
    default:
      break;
    }
  if (!read_kernel (entry, root_dir, &info))
    return g_strdup (_("Bootyard cannot read the kernel to see whether it is signed"));
  if (!info.pe)
    return g_strdup (_("the kernel is not an EFI program"));
  if (!info.signed_)
    return g_strdup (_("the kernel is not signed"));
  return NULL;
}

GStrv
yard_boot_entry_dup_missing_files (YardBootEntry *entry,
                                   const char    *root_dir)
{
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  YardBootEntryKind kind;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  kind = yard_boot_entry_get_kind (entry);
  if (kind == YARD_BOOT_ENTRY_KIND_LINUX)
    {
      g_ptr_array_add (files, (gpointer) yard_boot_entry_get_kernel (entry));
      for (const char * const *initrd = yard_boot_entry_get_initrds (entry);
           initrd != NULL && *initrd != NULL; initrd++)
        g_ptr_array_add (files, (gpointer) *initrd);
    }
  else if (kind == YARD_BOOT_ENTRY_KIND_MEMDISK)
    {
      /* memdisk itself is the boot root's (yard-boot-root installs it) */
      g_ptr_array_add (files, (gpointer) yard_boot_entry_get_image (entry));
    }

  for (guint i = 0; root_dir != NULL && i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *path = NULL;

      /* a path outside the root is the writers' own refusal, not a missing file */
      if (file == NULL || *file == '\0' || g_path_is_absolute (file) ||
          strstr (file, "..") != NULL)
        continue;
      path = g_build_filename (root_dir, file, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_strv_builder_add (missing, file);
    }
  return g_strv_builder_end (missing);
}

/* iPXE's EFI build (Debian's ipxe.efi, snponly.efi) starts only EFI programs: a kernel
 * without the EFI stub, and memdisk, are for its BIOS build. */
static char *
ipxe_uefi_unsupported (YardBootEntry *entry,
                       const char    *root_dir)
{
  char *reason = yard_boot_entry_unsupported_by (entry, YARD_LOADER_IPXE, root_dir);
  YardKernelInfo info;

  if (reason != NULL)
    return reason;
  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_LINUX:
      if (read_kernel (entry, root_dir, &info))
        {
          if (info.cpu == YARD_CPU_ARM64 || info.cpu == YARD_CPU_X86)
            return g_strdup (_("the kernel is not built for an x86-64 PC"));
          if (!info.pe)
            return g_strdup (_("the kernel is no EFI program (no EFI stub): UEFI firmware "
                             "cannot start it; it boots on BIOS only"));
        }
      return NULL;
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      if (yard_boot_entry_get_image_type (entry) != YARD_MEMDISK_ISO)
        return g_strdup (_("memdisk is a BIOS program, and a floppy or hard disk image has no "
                         "way in on UEFI"));
      if (root_dir != NULL && yard_boot_entry_get_image (entry) != NULL &&
          !g_path_is_absolute (yard_boot_entry_get_image (entry)))
        {
          /* on UEFI the iPXE menu attaches the ISO with sanboot: its firmware needs an
           * UEFI El Torito record (descriptors only: milliseconds) */
          g_autofree char *path = g_build_filename (root_dir, yard_boot_entry_get_image (entry),
                                                    NULL);
          g_autoptr(YardImage) image = yard_image_inspect (path, NULL, NULL);

          if (image != NULL && !yard_image_boots_on_uefi (image))
            return g_strdup (_("memdisk is a BIOS program, and the image has no UEFI boot "
                             "record for iPXE's sanboot to start"));
        }
      return NULL;
    default:
      return NULL;
    }
}

char *
yard_boot_entry_firmware_unsupported (YardBootEntry *entry,
                                      gboolean       uefi,
                                      const char    *root_dir)
{
  char *syslinux;
  char *grub;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  /* BIOS clients run pxelinux, which reaches iPXE for what only iPXE boots */
  if (!uefi)
    return pxelinux_unsupported (entry, root_dir);

  syslinux = yard_boot_entry_unsupported_by (entry, YARD_LOADER_SYSLINUX_EFI, root_dir);
  grub = yard_boot_entry_unsupported_by (entry, YARD_LOADER_GRUB, root_dir);
  if (syslinux == NULL || grub == NULL)
    {
      g_free (syslinux);
      g_free (grub);
      return NULL;
    }
  g_free (syslinux);
  g_free (grub);
  return ipxe_uefi_unsupported (entry, root_dir);
}

/* The file under the boot root that a kernel argument names by its URL, or NULL for another
 * server's URL. Imported images write ${bootyard_http}/images/...; the server turns that into
 * its own http://ADDRESS:PORT/boot/images/... before it writes pxelinux.cfg/default (pxelinux
 * has no variables), and the menu read back has that form: both name the same file. A URL of
 * that form on another server counts only if the root holds a file at the same path. */
static char *
served_path (const char *root_dir,
             const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *rel = NULL;

  if (g_str_has_prefix (url, YARD_IMAGE_HTTP_PLACEHOLDER "/"))
    rel = g_uri_unescape_string (url + strlen (YARD_IMAGE_HTTP_PLACEHOLDER "/"), "/");
  else if ((uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) != NULL &&
           (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
            g_strcmp0 (g_uri_get_scheme (uri), "https") == 0) &&
           g_str_has_prefix (g_uri_get_path (uri), "/boot/"))
    rel = g_strdup (g_uri_get_path (uri) + strlen ("/boot/"));
  if (rel == NULL || rel[0] == '\0' || rel[0] == '/' || strstr (rel, "..") != NULL)
    return NULL;
  return g_build_filename (root_dir, rel, NULL);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  return st.st_size;
}

/* The root file system a Linux entry's initramfs downloads into RAM, by the distribution's
 * argument: live-boot's fetch=, casper's url=, dracut's root=live:, anaconda's
 * inst.stage2=, archiso's archiso_http_srv= (which fetches BASEDIR/x86_64/airootfs.sfs). */
static guint64
linux_download_size (YardBootEntry *entry,
                     const char    *root_dir)
{
  g_auto(GStrv) args = NULL;
  const char *basedir = "arch";
  guint64 total = 0;

  if (yard_boot_entry_get_append (entry) == NULL)
    return 0;
  args = g_strsplit_set (yard_boot_entry_get_append (entry), " \t", -1);
  for (guint i = 0; args[i] != NULL; i++)
    if (g_str_has_prefix (args[i], "archisobasedir="))
      basedir = args[i] + strlen ("archisobasedir=");
  for (guint i = 0; args[i] != NULL; i++)
    {
      static const char *prefixes[] = { "fetch=", "url=", "root=live:", "inst.stage2=" };
      g_autofree char *path = NULL;

      for (guint j = 0; path == NULL && j < G_N_ELEMENTS (prefixes); j++)
        if (g_str_has_prefix (args[i], prefixes[j]))
          path = served_path (root_dir, args[i] + strlen (prefixes[j]));
      if (path == NULL && g_str_has_prefix (args[i], "archiso_http_srv="))
        {
          g_autofree char *dir = served_path (root_dir, args[i] + strlen ("archiso_http_srv="));

          if (dir != NULL && strstr (basedir, "..") == NULL)
            path = g_build_filename (dir, basedir, "x86_64", "airootfs.sfs", NULL);
        }
      total += file_size (path);
    }
  return total;
}

guint64
yard_boot_entry_memory_needed (YardBootEntry *entry,
                               const char    *root_dir)
{
  guint64 image = 0;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), 0);

  if (root_dir == NULL)
    return 0;
  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      if (yard_boot_entry_get_image (entry) != NULL &&
          !g_path_is_absolute (yard_boot_entry_get_image (entry)))
        {
          g_autofree char *path = g_build_filename (root_dir, yard_boot_entry_get_image (entry),
                                                    NULL);

          image = file_size (path);
        }
      return image > 0 ? image + YARD_MEMDISK_MEMORY_MARGIN : 0;

    case YARD_BOOT_ENTRY_KIND_LINUX:
      image = linux_download_size (entry, root_dir);
      if (image == 0)
        return 0;
      /* the kernel and initrds are in RAM beside it */
      if (yard_boot_entry_get_kernel (entry) != NULL &&
          !g_path_is_absolute (yard_boot_entry_get_kernel (entry)))
        {
          g_autofree char *kernel = g_build_filename (root_dir, yard_boot_entry_get_kernel (entry),
                                                      NULL);

          image += file_size (kernel);
        }
      for (const char * const *initrd = yard_boot_entry_get_initrds (entry);
           initrd != NULL && *initrd != NULL; initrd++)
        if (!g_path_is_absolute (*initrd))
          {
            g_autofree char *path = g_build_filename (root_dir, *initrd, NULL);

            image += file_size (path);
          }
      return image + YARD_LINUX_MEMORY_MARGIN;

    default:
      return 0;
    }
}

G_DEFINE_BOXED_TYPE (YardBootSupport, yard_boot_support, yard_boot_support_copy,
                     yard_boot_support_free)

YardBootSupport *
yard_boot_support_new_for_entry (YardBootEntry *entry,
                                 const char    *root_dir)
{
  YardBootSupport *support;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  support = g_new0 (YardBootSupport, 1);
  support->arch = g_strdup (yard_cpu_to_string (yard_boot_entry_get_cpu (entry, root_dir)));
  support->secure_boot_reason = yard_boot_entry_secure_boot_blocker (entry, root_dir);
  support->secure_boot = support->secure_boot_reason == NULL;
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    support->loaders[i] = yard_boot_entry_unsupported_by (entry, i, root_dir);
  support->firmware_bios = yard_boot_entry_firmware_unsupported (entry, FALSE, root_dir);
  support->firmware_uefi = yard_boot_entry_firmware_unsupported (entry, TRUE, root_dir);
  support->missing = yard_boot_entry_dup_missing_files (entry, root_dir);
  support->memory_needed = yard_boot_entry_memory_needed (entry, root_dir);
  return support;
}

YardBootSupport *
yard_boot_support_copy (const YardBootSupport *support)
{
  YardBootSupport *copy;

  g_return_val_if_fail (support != NULL, NULL);

  copy = g_new0 (YardBootSupport, 1);
  copy->arch = g_strdup (support->arch);
  copy->secure_boot = support->secure_boot;
  copy->secure_boot_reason = g_strdup (support->secure_boot_reason);
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    copy->loaders[i] = g_strdup (support->loaders[i]);
  copy->firmware_bios = g_strdup (support->firmware_bios);
  copy->firmware_uefi = g_strdup (support->firmware_uefi);
  copy->memory_needed = support->memory_needed;
  copy->missing = g_strdupv (support->missing);
  return copy;
}

void
yard_boot_support_free (YardBootSupport *support)
{
  if (support == NULL)
    return;
  g_free (support->arch);
  g_free (support->secure_boot_reason);
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    g_free (support->loaders[i]);
  g_free (support->firmware_bios);
  g_free (support->firmware_uefi);
  g_strfreev (support->missing);
  g_free (support);
}

JsonNode *
yard_boot_support_to_json (const YardBootSupport *support)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) loaders = json_object_new ();
  g_autoptr(JsonObject) firmware = json_object_new ();
  JsonArray *missing;

  g_return_val_if_fail (support != NULL, NULL);

  yard_json_set_string_or_null (object, "arch", support->arch);
  json_object_set_boolean_member (object, "secureBoot", support->secure_boot);
  yard_json_set_string_or_null (object, "secureBootReason", support->secure_boot_reason);
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    yard_json_set_string_or_null (loaders, yard_loader_to_string (i), support->loaders[i]);
  json_object_set_object_member (object, "loaders", g_steal_pointer (&loaders));
  yard_json_set_string_or_null (firmware, "bios", support->firmware_bios);
  yard_json_set_string_or_null (firmware, "uefi", support->firmware_uefi);
  json_object_set_object_member (object, "firmware", g_steal_pointer (&firmware));
  missing = json_array_new ();
  for (guint i = 0; support->missing[i] != NULL; i++)
    json_array_add_string_element (missing, support->missing[i]);
  json_object_set_array_member (object, "missing", missing);
  if (support->memory_needed > 0)
    json_object_set_int_member (object, "memoryNeeded", (gint64) support->memory_needed);
  else
    json_object_set_null_member (object, "memoryNeeded");

  return json_node_init_object (json_node_alloc (), object);
}

/* A string member or null into *out (absent: NULL); FALSE with an error for another type. */
static gboolean
read_nullable_string (JsonObject  *object,
                      const char  *member,
                      const char  *where,
                      char       **out,
                      GError     **error)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_PROTOCOL,
                   "The server's “support.%s%s” is not text or null: is it a Bootyard server "
                   "of this version?", where, member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static JsonObject *
read_object (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

YardBootSupport *
yard_boot_support_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(YardBootSupport) support = g_new0 (YardBootSupport, 1);
  JsonObject *loaders, *firmware;
  JsonNode *node;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (object != NULL, NULL);

  support->missing = g_new0 (char *, 1);
  if (!read_nullable_string (object, "arch", "", &support->arch, error) ||
      !read_nullable_string (object, "secureBootReason", "", &support->secure_boot_reason,
                             error))
    return NULL;
  node = json_object_get_member (object, "secureBoot");
  support->secure_boot = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                         json_node_get_value_type (node) == G_TYPE_BOOLEAN
                         ? json_node_get_boolean (node) : support->secure_boot_reason == NULL;
  loaders = read_object (object, "loaders");
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    if (!read_nullable_string (loaders, yard_loader_to_string (i), "loaders.",
                               &support->loaders[i], error))
      return NULL;
  firmware = read_object (object, "firmware");
  if (!read_nullable_string (firmware, "bios", "firmware.", &support->firmware_bios, error) ||
      !read_nullable_string (firmware, "uefi", "firmware.", &support->firmware_uefi, error))
    return NULL;
  node = json_object_get_member (object, "memoryNeeded");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) > 0)
    support->memory_needed = json_node_get_int (node);
  node = json_object_get_member (object, "missing");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_ptr_array_add (missing, g_strdup (json_node_get_string (item)));
        }
    }
  g_ptr_array_add (missing, NULL);
  g_strfreev (support->missing);
  support->missing = (GStrv) g_ptr_array_steal (missing, NULL);
  return g_steal_pointer (&support);
}

JsonNode *
yard_boot_entry_support_to_json (YardBootEntry *entry,
                                 const char    *root_dir)
{
  g_autoptr(YardBootSupport) support = NULL;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  support = yard_boot_support_new_for_entry (entry, root_dir);
  return yard_boot_support_to_json (support);
}

void
yard_boot_menu_add_support_json (YardBootMenu *menu,
                                 JsonObject   *menu_json,
                                 const char   *root_dir)
{
  JsonArray *entries;

  g_return_if_fail (YARD_IS_BOOT_MENU (menu));
  g_return_if_fail (menu_json != NULL);

  entries = json_object_get_array_member (menu_json, "entries");
  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry_json = json_array_get_object_element (entries, i);
      YardBootEntry *entry = yard_boot_menu_get_entry (menu, i);

      if (entry == NULL || entry_json == NULL)
        break;
      json_object_set_member (entry_json, "support",
                              yard_boot_entry_support_to_json (entry, root_dir));
      if (yard_boot_entry_get_submenu (entry) != NULL)
        yard_boot_menu_add_support_json (yard_boot_entry_get_submenu (entry), entry_json,
                                         root_dir);
    }
}
