/* yard-boot-support.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writers decide what they leave out of their files; this asks each of them, so that
 * what the API and the app say of an entry is what the clients' menus hold.
 */

#define G_LOG_DOMAIN "yard-boot-support"

#include "config.h"

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-grub.h"
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
    return g_strdup ("an ARM64 kernel does not run on a BIOS PC");
  if (!info.bios)
    return g_strdup ("the kernel is a UEFI program, not a BIOS one");
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
      return pxelinux_unsupported (entry, root_dir);
    case YARD_LOADER_SYSLINUX_EFI:
      return yard_pxelinux_efi_entry_unsupported (entry, root_dir);
    case YARD_LOADER_GRUB:
      return yard_grub_entry_unsupported (entry, root_dir);
    case YARD_LOADER_IPXE:
      /* iPXE boots every kind (memdisk on BIOS, sanboot on UEFI) but what only syslinux runs */
      if (yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_COM32)
        return g_strdup ("COM32 modules run only in syslinux");
      if (yard_boot_entry_get_kind (entry) == YARD_BOOT_ENTRY_KIND_OTHER)
        return g_strdup ("Bootyard cannot tell what a hand-written entry does");
      return NULL;
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
      return g_strdup ("memdisk and iPXE, which boot disk images, are not signed");
    case YARD_BOOT_ENTRY_KIND_CHAIN:
    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      return g_strdup ("iPXE is not signed");
    case YARD_BOOT_ENTRY_KIND_COM32:
      return g_strdup ("syslinux is not signed");
    case YARD_BOOT_ENTRY_KIND_OTHER:
      return g_strdup ("Bootyard cannot tell what a hand-written entry boots");
    case YARD_BOOT_ENTRY_KIND_LINUX:
    default:
      break;
    }
  if (!read_kernel (entry, root_dir, &info))
    return g_strdup ("Bootyard cannot read the kernel to see whether it is signed");
  if (!info.pe)
    return g_strdup ("the kernel is not an EFI program");
  if (!info.signed_)
    return g_strdup ("the kernel is not signed");
  return NULL;
}

static void
add_nullable (JsonObject *object,
              const char *member,
              char       *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
  g_free (value);
}

JsonNode *
yard_boot_entry_support_to_json (YardBootEntry *entry,
                                 const char    *root_dir)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) loaders = json_object_new ();
  char *blocker;
  YardKernelInfo info;

  g_return_val_if_fail (YARD_IS_BOOT_ENTRY (entry), NULL);

  if (read_kernel (entry, root_dir, &info) && yard_cpu_to_string (info.cpu) != NULL)
    json_object_set_string_member (object, "arch", yard_cpu_to_string (info.cpu));
  else
    json_object_set_null_member (object, "arch");
  blocker = yard_boot_entry_secure_boot_blocker (entry, root_dir);
  json_object_set_boolean_member (object, "secureBoot", blocker == NULL);
  add_nullable (object, "secureBootReason", blocker);
  for (guint i = 0; i < YARD_N_LOADERS; i++)
    add_nullable (loaders, yard_loader_to_string (i),
                  yard_boot_entry_unsupported_by (entry, i, root_dir));
  json_object_set_object_member (object, "loaders", g_steal_pointer (&loaders));

  return json_node_init_object (json_node_alloc (), object);
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
