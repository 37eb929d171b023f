/* yard-sse-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bytes come from the network in chunks cut anywhere: in a field name, between the CR and the
 * LF of one line end, inside a UTF-8 sequence. The parser keeps the unfinished line and the
 * unfinished event between calls and dispatches each event once its blank line arrives.
 */

#define G_LOG_DOMAIN "yard-sse-parser"

#include "config.h"

#include <string.h>

#include "yard-sse-parser.h"

/* A line longer than this is dropped: no event of ours comes close (JSON bodies are at most
 * 1 MiB), and a broken server must not grow our memory without bound. */
#define MAX_LINE_LENGTH (16 * 1024 * 1024)

struct _YardSseParser
{
  YardSseEventFunc  func;
  gpointer          user_data;
  GString          *line;
  GString          *data;
  char             *kind;       /* NULL: "message" */
  char             *last_id;
  gint64            retry;
  guint             after_cr : 1;   /* an LF right now ends nothing: it completes a CRLF */
  guint             first_line : 1; /* may start with a byte order mark */
  guint             overflow : 1;   /* the current line is too long and is being skipped */
};

YardSseParser *
yard_sse_parser_new (YardSseEventFunc func,
                     gpointer         user_data)
{
  YardSseParser *self = g_new0 (YardSseParser, 1);

  g_return_val_if_fail (func != NULL, NULL);

  self->func = func;
  self->user_data = user_data;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->retry = -1;
  self->first_line = TRUE;
  return self;
}

void
yard_sse_parser_free (YardSseParser *self)
{
  if (self == NULL)
    return;
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->kind);
  g_free (self->last_id);
  g_free (self);
}

/* A new connection: the unfinished line and event are dropped, the last id is kept (it goes
 * back to the server as Last-Event-ID). */
void
yard_sse_parser_reset (YardSseParser *self)
{
  g_return_if_fail (self != NULL);

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_clear_pointer (&self->kind, g_free);
  self->after_cr = FALSE;
  self->first_line = TRUE;
  self->overflow = FALSE;
}

const char *
yard_sse_parser_get_last_id (YardSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_id;
}

gint64
yard_sse_parser_get_retry (YardSseParser *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->retry;
}

static void
dispatch (YardSseParser *self)
{
  g_autofree char *kind = g_steal_pointer (&self->kind);

  if (self->data->len == 0)
    return;

  /* Each data line added a '\n'; the last one is not part of the data. */
  g_string_truncate (self->data, self->data->len - 1);
  self->func (kind != NULL ? kind : "message", self->data->str, self->last_id, self->user_data);
  g_string_truncate (self->data, 0);
}

static gboolean
all_digits (const char *s,
            gsize       len)
{
  if (len == 0 || len > 18)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
process_line (YardSseParser *self)
{
  const char *line = self->line->str;
  gsize len = self->line->len;
  const char *colon;
  gsize name_len;
  const char *value;
  gsize value_len;

  if (self->first_line)
    {
      self->first_line = FALSE;
      if (len >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
        {
          line += 3;
          len -= 3;
        }
    }

  if (len == 0)
    {
      dispatch (self);
      return;
    }

  if (line[0] == ':')
    return;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

#define FIELD_IS(name) (name_len == strlen (name) && memcmp (line, name, name_len) == 0)
  if (FIELD_IS ("event"))
    {
      g_free (self->kind);
      self->kind = g_strndup (value, value_len);
    }
  else if (FIELD_IS ("data"))
    {
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
    }
  else if (FIELD_IS ("id"))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_free (self->last_id);
          self->last_id = g_strndup (value, value_len);
        }
    }
  else if (FIELD_IS ("retry"))
    {
      if (all_digits (value, value_len))
        {
          g_autofree char *digits = g_strndup (value, value_len);
          self->retry = g_ascii_strtoll (digits, NULL, 10);
        }
    }
  /* Other fields are ignored, as the specification says. */
#undef FIELD_IS
}

static void
end_line (YardSseParser *self)
{
  if (!self->overflow)
    process_line (self);
  else
    g_debug ("Dropped an event-stream line longer than %d bytes", MAX_LINE_LENGTH);
  self->overflow = FALSE;
  g_string_truncate (self->line, 0);
}

void
yard_sse_parser_feed (YardSseParser *self,
                      const char    *data,
                      gsize          len)
{
  const char *p = data;
  const char *end = data + len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  while (p < end)
    {
      const char *stop = p;

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              p++;
              continue;
            }
        }

      while (stop < end && *stop != '\r' && *stop != '\n')
        stop++;

      if (!self->overflow)
        {
          if (self->line->len + (stop - p) > MAX_LINE_LENGTH)
            {
              self->overflow = TRUE;
              g_string_truncate (self->line, 0);
            }
          else
            g_string_append_len (self->line, p, stop - p);
        }

      if (stop == end)
        break;

      self->after_cr = (*stop == '\r');
      end_line (self);
      p = stop + 1;
    }
}
