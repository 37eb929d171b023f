/* yard-socket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binding is where a server meets the user's machine: a port below 1024, another TFTP or DHCP
 * server already running. Every service binds through here so that each failure reads the same
 * way and says what to do.
 */

#define G_LOG_DOMAIN "yard-socket"

#include "config.h"

#include <netinet/in.h>

#include "yard-error.h"
#include "yard-privileges.h"
#include "yard-socket.h"

/* The error carries the port (yard_error_get_port ()), for clients that say it their way. */
GError *
yard_socket_explain_bind_error (const GError *error,
                                const char   *service,
                                guint16       port,
                                const char   *port_option)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  GError *explained;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      g_autofree char *setcap = yard_privileges_setcap_command (exe ? exe : "bootyard-server");
      g_autofree char *sysctl = yard_privileges_sysctl_command (port);

      explained = g_error_new (YARD_ERROR, YARD_ERROR_PERMISSION_DENIED,
                               "%s cannot use port %u: ports below 1024 need privileges. Grant "
                               "them with “%s”, run the bootyard-server systemd unit (it has "
                               "CAP_NET_BIND_SERVICE), or allow low ports with “%s”; or choose "
                               "another port with %s",
                               service, port, setcap, sysctl, port_option);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    explained = g_error_new (YARD_ERROR, YARD_ERROR_ADDRESS_IN_USE,
                             "%s cannot use port %u: another program is using it (see “sudo ss "
                             "-lunpt sport = :%u”). Stop that program (for example dnsmasq or "
                             "tftpd-hpa) or choose another port with %s",
                             service, port, port, port_option);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
           error->domain == G_RESOLVER_ERROR)
    return g_error_new (YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                        "%s cannot listen: the address is not one of this machine's (%s). "
                        "Check --address", service, error->message);
  else
    explained = g_error_new (YARD_ERROR, YARD_ERROR_FAILED, "%s cannot use port %u: %s",
                             service, port, error->message);

  yard_error_set_port (explained, port);
  return explained;
}

GSocket *
yard_udp_socket_new (const char  *address,
                     guint16      port,
                     const char  *service,
                     const char  *port_option,
                     GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "%s: “%s” is not an IPv4 or IPv6 address", service, address);
      return NULL;
    }

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, &local_error);
  if (socket == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", service);
      return NULL;
    }

  /* "::" takes IPv4 clients too (as ::ffff:a.b.c.d), whatever net.ipv6.bindv6only says. */
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 &&
      g_inet_address_get_is_any (inet) &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 0, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", service);
      return NULL;
    }

  sockaddr = g_inet_socket_address_new (inet, port);
  if (!g_socket_bind (socket, sockaddr, FALSE, &local_error))
    {
      g_propagate_error (error, yard_socket_explain_bind_error (local_error, service, port,
                                                                 port_option));
      return NULL;
    }

  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

/* Like g_unix_fd_add (fd, G_IO_IN, ...), for a handler that never iterates the main context.
 * GLib takes the fd of a source that cannot recurse out of the poll set around each of its
 * dispatches, and signals the context's wakeup fd for both changes: two writes and a read,
 * three system calls per wakeup, on every packet or request. A source that may recurse keeps
 * its fd in the set. NAME must be a static string. */
guint
yard_fd_watch_add (int                fd,
                   GUnixFDSourceFunc  func,
                   gpointer           user_data,
                   const char        *name)
{
  GSource *source = g_unix_fd_source_new (fd, G_IO_IN);
  guint id;

  g_source_set_callback (source, G_SOURCE_FUNC (func), user_data, NULL);
  g_source_set_static_name (source, name);
  g_source_set_can_recurse (source, TRUE);
  id = g_source_attach (source, NULL);
  g_source_unref (source);
  return id;
}
