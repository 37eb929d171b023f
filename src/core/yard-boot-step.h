/* yard-boot-step.h: where a requested file sits on a client's way to a booted system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The steps of a network boot, in order (the app's Activity timeline, the boot doctor). */
typedef enum
{
  YARD_BOOT_STEP_DHCP,      /* (Proxy)DHCP answered */
  YARD_BOOT_STEP_LOADER,    /* pxelinux.0, syslinux.efi, shimx64.efi, ipxe.efi, ... */
  YARD_BOOT_STEP_CONFIG,    /* pxelinux.cfg/..., grub.cfg, *.ipxe, modules, GRUB itself */
  YARD_BOOT_STEP_KERNEL,    /* kernel, initrd, image */
  YARD_N_BOOT_STEPS
} YardBootStep;

/* The step a file of the boot root belongs to, from its name ("/boot/x" and "x" alike). A
 * GRUB that shim loads counts as configuration: the loader is shim. */
YardBootStep  yard_boot_step_for_file  (const char   *file);

G_END_DECLS
