/* yard-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-validate"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "yard-error.h"
#include "yard-validate.h"

gsize
yard_url_http_prefix_length (const char *url)
{
  if (url != NULL && g_ascii_strncasecmp (url, "http://", 7) == 0)
    return 7;
  if (url != NULL && g_ascii_strncasecmp (url, "https://", 8) == 0)
    return 8;
  return 0;
}

char *
yard_validate_url (const char  *url,
                   GError     **error)
{
  gsize scheme_len = yard_url_http_prefix_length (url);
  const char *rest;
  char *out;

  if (url == NULL)
    url = "";
  if (scheme_len == 0)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: give one that starts with http:// or https://"),
                   url);
      return NULL;
    }
  rest = url + scheme_len;
  scheme_len -= 3;   /* "://" */
  if (*rest == '\0' || *rest == '/' || *rest == ':' || *rest == '?' || *rest == '#')
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“%s” names no server: give the server’s name or address after %.*s://"),
                   url, (int) scheme_len, url);
      return NULL;
    }
  for (const guchar *p = (const guchar *) url; *p; p++)
    if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' || *p == '\\')
      {
        g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                     _("“%s” has a space, a quote, a backslash or a control character: "
                       "percent-encode it (a space is %%20)"), url);
        return NULL;
      }
  if (!g_utf8_validate (url, -1, NULL))
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           _("The URL is not UTF-8 text"));
      return NULL;
    }
  out = g_strdup (url);
  for (gsize i = 0; i < scheme_len; i++)
    out[i] = g_ascii_tolower (out[i]);
  return out;
}

gboolean
yard_validate_ipxe_script (const char  *script,
                           GError     **error)
{
  if (script == NULL || !g_str_has_prefix (script, "#!ipxe") ||
      !(script[6] == '\0' || g_ascii_isspace (script[6])))
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           _("An iPXE script must start with the line “#!ipxe”"));
      return FALSE;
    }
  if (!g_utf8_validate (script, -1, NULL))
    {
      g_set_error_literal (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                           _("An iPXE script must be UTF-8 text"));
      return FALSE;
    }
  return TRUE;
}

gboolean
yard_validate_port (const char  *text,
                    guint16     *port,
                    GError     **error)
{
  guint64 value = 0;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (!g_ascii_string_to_unsigned (stripped, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a port: give a number from 1 to 65535"), stripped);
      return FALSE;
    }
  if (port != NULL)
    *port = (guint16) value;
  return TRUE;
}

gboolean
yard_text_is_clean (const char *text,
                    gboolean    multiline)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if ((*p == '\n' || *p == '\t') && multiline)
        continue;
      if (*p < 0x20 || *p == 0x7f)
        return FALSE;
    }
  return TRUE;
}
