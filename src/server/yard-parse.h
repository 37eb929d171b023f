/* yard-parse.h: numbers in what clients send (TFTP options, HTTP ranges)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* A decimal number of @len bytes: digits only (no sign, space or suffix), at most 20 of them,
 * and no overflow of 64 bits. */
static inline gboolean
yard_parse_decimal (const char *text,
                    gsize       len,
                    guint64    *out)
{
  guint64 n = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint digit;

      if (text[i] < '0' || text[i] > '9')
        return FALSE;
      digit = (guint) (text[i] - '0');
      if (n > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      n = n * 10 + digit;
    }
  *out = n;
  return TRUE;
}
