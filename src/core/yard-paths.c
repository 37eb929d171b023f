/* yard-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-paths"

#include "config.h"

#include "yard-paths.h"

/* systemd sets STATE_DIRECTORY for a unit with StateDirectory=; a system service keeps its
 * state there, a user's server in the XDG directories. */
static const char *
system_state_dir (void)
{
  const char *dir = g_getenv ("STATE_DIRECTORY");

  if (dir != NULL && *dir != '\0')
    return dir;
  return NULL;
}

char *
yard_default_state_dir (void)
{
  const char *system = system_state_dir ();

  if (system != NULL)
    return g_strdup (system);
  return g_build_filename (g_get_user_state_dir (), "bootyard", NULL);
}

char *
yard_default_root_dir (void)
{
  const char *system = system_state_dir ();

  if (system != NULL)
    return g_build_filename (system, "root", NULL);
  return g_build_filename (g_get_user_data_dir (), "bootyard", "root", NULL);
}
