/* yard-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An extended error domain (GLib 2.68): a YARD_ERROR can carry the port it is about, so that
 * a client that was refused a port (the app) can say so in its own words and offer the fix
 * without reading the message.
 */

#include "config.h"

#include "yard-error.h"

typedef struct
{
  guint16 port;
} YardErrorPrivate;

/* (G_DEFINE_EXTENDED_ERROR's getter may return NULL, for another domain: checked here.) */
static void
yard_error_private_init (YardErrorPrivate *priv)
{
  if (priv != NULL)
    priv->port = 0;
}

static void
yard_error_private_copy (const YardErrorPrivate *src,
                         YardErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL)
    dest->port = src->port;
}

static void
yard_error_private_clear (YardErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (YardError, yard_error)

void
yard_error_set_port (GError  *error,
                     guint16  port)
{
  YardErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == YARD_ERROR);
  priv = yard_error_get_private (error);
  if (priv != NULL)
    priv->port = port;
}

guint16
yard_error_get_port (const GError *error)
{
  YardErrorPrivate *priv;

  if (error == NULL || error->domain != YARD_ERROR)
    return 0;
  priv = yard_error_get_private (error);
  return priv != NULL ? priv->port : 0;
}

/* The names in the API's JSON ("errorCode" of a failed service), in the enum's order. */
static const char *const nicks[] = {
  "failed", "invalid-argument", "invalid-config", "address-in-use", "permission-denied",
  "no-such-interface", "not-found", "unsafe-path", "not-bootable", "invalid-image",
  "protocol", "exists", "unauthorized", "unreachable", "in-use",
};

G_STATIC_ASSERT (G_N_ELEMENTS (nicks) == YARD_ERROR_IN_USE + 1);

const char *
yard_error_code_to_nick (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (nicks))
    return "failed";
  return nicks[code];
}

int
yard_error_code_from_nick (const char *nick)
{
  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (nicks); i++)
    if (g_str_equal (nicks[i], nick))
      return (int) i;
  return YARD_ERROR_FAILED;
}
