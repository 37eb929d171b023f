/* yard-sd-notify.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean yard_sd_notify (const char *state);

G_END_DECLS
