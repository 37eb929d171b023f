/* yard-cleanup.h: at start, the temporary files a crash left behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Younger ones may belong to a write still running (another server on the same root). */
#define YARD_CLEANUP_MIN_AGE_S (5 * 60)

guint yard_cleanup_stale_temporaries (const char *root_dir,
                                      const char *state_dir,
                                      gint64      min_age_s);

G_END_DECLS
