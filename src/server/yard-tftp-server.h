/* yard-tftp-server.h: the boot root over TFTP (RFC 1350, 2347, 2348, 2349, 7440)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YARD_TYPE_TFTP_SERVER (yard_tftp_server_get_type ())
G_DECLARE_FINAL_TYPE (YardTftpServer, yard_tftp_server, YARD, TFTP_SERVER, GObject)

YardTftpServer *yard_tftp_server_new              (const char      *root_dir);
const char     *yard_tftp_server_get_root_dir     (YardTftpServer  *self);
gboolean        yard_tftp_server_get_allow_upload (YardTftpServer  *self);
void            yard_tftp_server_set_allow_upload (YardTftpServer  *self,
                                                   gboolean         allow_upload);
gboolean        yard_tftp_server_start            (YardTftpServer  *self,
                                                   const char      *address,
                                                   guint16          port,
                                                   GError         **error);
void            yard_tftp_server_stop             (YardTftpServer  *self);
guint16         yard_tftp_server_get_port         (YardTftpServer  *self);
guint           yard_tftp_server_get_n_transfers  (YardTftpServer  *self);

G_END_DECLS
