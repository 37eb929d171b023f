/* yard-net-interface.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char  *yard_net_interface_dup_default   (void) G_GNUC_WARN_UNUSED_RESULT;
GStrv  yard_net_interface_dup_addresses (const char *name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
