/* yard-net-interface-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-net-interface.h"

G_BEGIN_DECLS

char *_yard_net_interface_parse_default_route (const char *route_table) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
