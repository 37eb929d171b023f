/* yard-sd-notify.c: systemd's readiness protocol without libsystemd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Type=notify units wait for "READY=1" on the datagram socket named by $NOTIFY_SOCKET (a path,
 * or an abstract name starting with "@"). A Raspberry Pi image without libsystemd-dev still
 * builds this.
 */

#define G_LOG_DOMAIN "yard-sd-notify"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "yard-sd-notify.h"

gboolean
yard_sd_notify (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  socklen_t addr_len;
  gsize path_len;
  ssize_t sent;
  int fd;

  if (path == NULL || (path[0] != '/' && path[0] != '@'))
    return FALSE;

  path_len = strlen (path);
  if (path_len >= sizeof addr.sun_path)
    return FALSE;
  memcpy (addr.sun_path, path, path_len);
  if (addr.sun_path[0] == '@')
    addr.sun_path[0] = '\0';
  addr_len = offsetof (struct sockaddr_un, sun_path) + path_len;

  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  sent = sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &addr, addr_len);
  close (fd);
  return sent >= 0;
}
