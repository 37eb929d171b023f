/* yard-pxelinux-efi.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The UEFI tree: which entries syslinux.efi can boot and the paths it reaches them by from
 * efi64/, and efi64/pxelinux.cfg/default, derived from the BIOS menu.
 */

#define G_LOG_DOMAIN "yard-pxelinux"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-pxelinux.h"
#include "yard-pxelinux-private.h"
#include "yard-root-file.h"

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

/* Why syslinux.efi cannot boot @entry (the efi64 menu leaves it out), or NULL. */
char *
yard_pxelinux_efi_entry_unsupported (YardBootEntry *entry,
                                     const char    *root_dir)
{
  const char * const *initrds = yard_boot_entry_get_initrds (entry);
  const char *kernel = yard_boot_entry_get_kernel (entry);
  char *why;

  switch (yard_boot_entry_get_kind (entry))
    {
    case YARD_BOOT_ENTRY_KIND_MEMDISK:
      return yard_boot_entry_bios_only_reason (entry);
    case YARD_BOOT_ENTRY_KIND_CHAIN:
      return g_strdup (_("syslinux chains a URL through ipxe.lkrn, a BIOS program"));
    case YARD_BOOT_ENTRY_KIND_IPXE_SCRIPT:
      return g_strdup (_("only iPXE runs an iPXE script"));
    case YARD_BOOT_ENTRY_KIND_COM32:        /* modules are built per firmware: efi64's own */
      if (!path_is_relative_inside (kernel) || !efi_file_exists (root_dir, kernel))
        return g_strdup_printf (_("the boot root has no UEFI build of the module, efi64/%s"),
                                kernel ? kernel : "");
      return NULL;
    case YARD_BOOT_ENTRY_KIND_LINUX:
      if ((why = yard_boot_entry_bios_only_reason (entry)) != NULL)
        return why;
      break;
    case YARD_BOOT_ENTRY_KIND_OTHER:
    case YARD_BOOT_ENTRY_KIND_LOCAL:
    case YARD_BOOT_ENTRY_KIND_SUBMENU:
    default:
      break;
    }
  if (!path_is_relative_inside (kernel) ||
      !path_is_relative_inside (yard_boot_entry_get_image (entry)))
    return g_strdup (_("its path leaves the boot root"));
  for (guint i = 0; initrds[i] != NULL; i++)
    {
      if (!path_is_relative_inside (initrds[i]))
        return g_strdup (_("its path leaves the boot root"));
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
        return g_strdup_printf (_("syslinux.efi runs only on x86-64 and the kernel is for %s"),
                                yard_cpu_to_display (info.cpu));
    }
  return NULL;
}

gboolean
_yard_pxelinux_efi_can_boot (YardBootEntry *entry,
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
YardBootEntry *
_yard_pxelinux_efi_entry_with_root_paths (YardBootEntry *entry,
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

char *
yard_pxelinux_to_efi_data (YardBootMenu *menu,
                           const char   *root_dir)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (YARD_IS_BOOT_MENU (menu), NULL);

  _yard_pxelinux_write_fresh (out, menu, TRUE, root_dir);
  return g_string_free (out, FALSE);
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
