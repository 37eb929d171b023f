/* yard-paths.h: where Bootyard keeps things, shared by the server and its clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Needs no privilege; 8000 + DHCP's 67 is easy to remember. */
#define YARD_DEFAULT_HTTP_PORT 8067
#define YARD_DEFAULT_TFTP_PORT 69
#define YARD_DEFAULT_DHCP_PORT 67
#define YARD_DEFAULT_PXE_PORT  4011
#define YARD_SYSTEM_STATE_DIR  "/var/lib/bootyard"
#define YARD_API_TOKEN_FILE    "api-token"

char *yard_default_root_dir  (void);
char *yard_default_state_dir (void);

G_END_DECLS
