/* yard-privileges.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-privileges.h"

static gboolean
needs_quotes (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/._-+=:,@%", *p) == NULL)
      return TRUE;
  return *word == '\0';
}

char *
yard_privileges_setcap_command (const char *program)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (program != NULL, NULL);

  quoted = needs_quotes (program) ? g_shell_quote (program) : g_strdup (program);
  return g_strdup_printf ("sudo setcap cap_net_bind_service,cap_net_raw=+ep %s", quoted);
}

char *
yard_privileges_sysctl_command (guint16 lowest_port)
{
  return g_strdup_printf ("sudo sysctl net.ipv4.ip_unprivileged_port_start=%u", lowest_port);
}
