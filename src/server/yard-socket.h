/* yard-socket.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib-unix.h>

G_BEGIN_DECLS

GSocket *yard_udp_socket_new            (const char  *address,
                                         guint16      port,
                                         const char  *service,
                                         const char  *port_option,
                                         GError     **error);
GError  *yard_socket_explain_bind_error (const GError *error,
                                         const char   *service,
                                         guint16       port,
                                         const char   *port_option);
guint    yard_fd_watch_add              (int                fd,
                                         GUnixFDSourceFunc  func,
                                         gpointer           user_data,
                                         const char        *name);

G_END_DECLS
