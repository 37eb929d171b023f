/* yard-boot-step.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-boot-step"

#include "config.h"

#include <string.h>

#include "yard-boot-step.h"

YardBootStep
yard_boot_step_for_file (const char *file)
{
  g_autofree char *base = NULL;
  g_autofree char *lower = NULL;
  const char *name = file;

  if (name == NULL)
    return YARD_BOOT_STEP_KERNEL;
  while (*name == '/')
    name++;
  base = g_path_get_basename (name);
  lower = g_ascii_strdown (base, -1);

  /* what the menu names lives under images/ (efi64/images for syslinux.efi) */
  if (g_str_has_prefix (name, "images/") || g_str_has_prefix (name, "efi64/images/"))
    return YARD_BOOT_STEP_KERNEL;
  /* shim's second stage, fetched after shim: the menu's side of the boot */
  if (g_str_has_prefix (lower, "grub") && g_str_has_suffix (lower, ".efi"))
    return YARD_BOOT_STEP_CONFIG;
  if (g_str_has_suffix (lower, ".0") || g_str_has_suffix (lower, ".efi") ||
      g_str_has_suffix (lower, ".kpxe") || g_str_has_suffix (lower, ".pxe"))
    return YARD_BOOT_STEP_LOADER;
  if (strstr (name, "pxelinux.cfg/") != NULL || g_str_has_suffix (lower, ".ipxe") ||
      g_str_has_suffix (lower, ".c32") || g_str_has_suffix (lower, ".e64") ||
      g_str_has_suffix (lower, ".cfg") || g_str_has_suffix (lower, ".mod") ||
      g_str_has_suffix (lower, ".lst"))
    return YARD_BOOT_STEP_CONFIG;
  return YARD_BOOT_STEP_KERNEL;
}
