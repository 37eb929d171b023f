/* yard-rate-limit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flood (DISCOVERs for a full pool, TFTP requests from one address) must not bury the log
 * under thousands of identical lines, nor hide that it happens: the first message goes out,
 * then at most one per interval, saying how many like it were held back in between.
 */

#include "config.h"

#include "yard-rate-limit.h"

/* TRUE when the caller should log now; *suppressed (may be NULL) is then the number of calls
 * held back since the last message, for the caller to mention. @now and @interval are in any
 * one unit (seconds, microseconds), @now never 0 in practice. */
gboolean
yard_rate_limit_check (YardRateLimit *limit,
                       gint64         now,
                       gint64         interval,
                       guint         *suppressed)
{
  g_return_val_if_fail (limit != NULL, TRUE);

  /* A clock that went back (real time set by hand) starts a new interval. */
  if (limit->last != 0 && now >= limit->last && now - limit->last < interval)
    {
      if (limit->suppressed < G_MAXUINT)
        limit->suppressed++;
      return FALSE;
    }
  if (suppressed != NULL)
    *suppressed = limit->suppressed;
  limit->suppressed = 0;
  limit->last = now;
  return TRUE;
}
