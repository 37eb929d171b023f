/* yard-privileges.h: the commands that let a normal user's server use ports below 1024
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written once: the server's bind errors, the app's buttons that copy them and the README say
 * the same command.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "sudo setcap cap_net_bind_service,cap_net_raw=+ep PROGRAM": the low ports, and binding
 * ProxyDHCP to one interface. PROGRAM is quoted for a shell when it needs it. */
char *yard_privileges_setcap_command (const char *program) G_GNUC_WARN_UNUSED_RESULT;

/* "sudo sysctl net.ipv4.ip_unprivileged_port_start=PORT": every program may use PORT and
 * above (until a reboot). */
char *yard_privileges_sysctl_command (guint16 lowest_port) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
