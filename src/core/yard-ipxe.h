/* yard-ipxe.h: iPXE scripts from the boot menu, and per-host scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-boot-menu.h"
#include "yard-host-table.h"

G_BEGIN_DECLS

typedef enum
{
  YARD_IPXE_HOST_MENU,    /* the shared menu */
  YARD_IPXE_HOST_SCRIPT,  /* the host's own script (must start with #!ipxe) */
  YARD_IPXE_HOST_URL,     /* chain --autofree to an http(s) URL */
  YARD_IPXE_HOST_DISK,    /* boot the local disk: exit on UEFI, sanboot 0x80 on BIOS */
  YARD_IPXE_HOST_IGNORE,  /* exit */
} YardIpxeHostMode;

/* The whole menu as an iPXE script starting with "#!ipxe". base_url is where the boot root
 * is served (e.g. "http://10.0.0.1:8067/boot"), or one iPXE setting that the chaining script
 * sets, optionally followed by a path ("${bootyard_http}/boot"); paths are percent-encoded
 * below it. NULL leaves URLs relative (iPXE resolves them against the script's own URL).
 * LOCAL: exit on UEFI, sanboot --no-describe --drive 0x80 on BIOS. LINUX: kernel/initrd/
 * imgargs/boot. MEMDISK: on BIOS kernel memdisk + initrd image + imgargs; on UEFI an ISO is
 * sanboot'ed over HTTP, floppy/harddisk images say they need BIOS. CHAIN: chain --autofree.
 * IPXE_SCRIPT: the script inline. COM32 and OTHER entries cannot run in iPXE: left out.
 * Every text is sanitized and every path percent-encoded so that nothing in a label, a file
 * name or an argument can become an iPXE command; an entry whose kernel arguments cannot be
 * written safely (a "||", "&&", ";" or "#..." word, "${", control characters) is left out,
 * with a comment saying so. Fails only on an invalid base_url. */
char *yard_ipxe_menu_script (YardBootMenu      *menu,
                             const char        *base_url,
                             GError           **error);
/* The same, leaving out the entries whose files are missing from root_dir
 * (yard_boot_entry_dup_missing_files()): what the server writes to ROOT/boot/menu.ipxe.
 * A kernel built for one CPU is an item only where it boots: the script sets
 * bootyard_client to "pcbios" on BIOS iPXE (an i386 build that boots any x86 kernel) or to
 * ${buildarch} (x86_64, arm64, i386) on UEFI, and such an item sits behind
 * "iseq ${bootyard_client} ... || goto". Where the default does not boot, the first entry
 * that does is the default (yard_cpu_menu_default, GRUB's rule), set per client. */
char *yard_ipxe_menu_script_for_root (YardBootMenu      *menu,
                                      const char        *base_url,
                                      const char        *root_dir,
                                      GError           **error);

/* GET /boot/<mac>.ipxe: "#!ipxe", "set bootyard_server SERVER_URL", "set bootyard_mac MAC",
 * then by mode: MENU: the menu script (menu and base_url as above, its #!ipxe line dropped);
 * SCRIPT: payload without its #!ipxe line; URL: chain --autofree payload; DISK: local disk;
 * IGNORE: exit. server_url: "http://ADDRESS:PORT"; mac: any case, ':' or '-' separated
 * (written lowercase with ':'). YARD_ERROR_INVALID_ARGUMENT for a bad MAC, server URL, URL
 * payload or a script without #!ipxe. */
char *yard_ipxe_host_script (const char        *server_url,
                             const char        *mac,
                             YardIpxeHostMode   mode,
                             const char        *payload,
                             YardBootMenu      *menu,
                             const char        *base_url,
                             GError           **error);
/* The same, with the MENU leaving out the entries whose files are missing from root_dir: what
 * the server answers. */
char *yard_ipxe_host_script_for_root (const char        *server_url,
                                      const char        *mac,
                                      YardIpxeHostMode   mode,
                                      const char        *payload,
                                      YardBootMenu      *menu,
                                      const char        *base_url,
                                      const char        *root_dir,
                                      GError           **error);

/* The whole script of a host, as the server answers GET /boot/<mac>.ipxe (docs/api.md
 * "Per-host scripts"): the settings (bootyard_server = server_url, "http://ADDRESS:PORT" as
 * the client reached the server; bootyard_http = its /boot; bootyard_mac), the machine
 * report, then by the host's mode. menu: the shared menu for a host in menu mode, its entries
 * whose files are missing from root_dir left out; NULL with menu_error when it does not
 * parse: the script says so on the client's screen, then boots the local disk. */
char *yard_ipxe_script_for_host (const YardHost   *host,
                                 const char       *server_url,
                                 YardBootMenu     *menu,
                                 const GError     *menu_error,
                                 const char       *root_dir,
                                 GError          **error);

/* The local-disk snippet (no #!ipxe line), for other scripts. */
const char *yard_ipxe_local_disk_commands (void);

/* Text safe as words of an iPXE command (menu titles, item texts, echo): control
 * characters become spaces, "${" loses its "$" ... see the .c. Never NULL. */
char *yard_ipxe_sanitize_text (const char *text);

/* Percent-encodes everything but unreserved characters and '/' in path. */
char *yard_ipxe_encode_path   (const char *path);

G_END_DECLS
