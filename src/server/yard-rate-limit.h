/* yard-rate-limit.h: repeated log messages, at most one per interval, with a count
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Zero-initialized before the first use; one per kind of message. */
typedef struct
{
  gint64 last;       /* when a message was last let through; 0 = never */
  guint  suppressed; /* calls held back since then */
} YardRateLimit;

gboolean yard_rate_limit_check (YardRateLimit *limit,
                                gint64         now,
                                gint64         interval,
                                guint         *suppressed);

G_END_DECLS
