/* yard-release-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boot root (core) downloads missing bootloaders only through the function it is given;
 * this is the one the server gives it, so core stays without sockets.
 */

#define G_LOG_DOMAIN "yard-release-fetch"

#include "config.h"

#include <libsoup/soup.h>

#include "yard-error.h"
#include "yard-release-fetch.h"

GInputStream *
yard_release_fetch (const char    *url,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) in = NULL;
  guint status;

  g_return_val_if_fail (url != NULL, NULL);

  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid download URL", url);
      return NULL;
    }
  session = soup_session_new_with_options ("timeout", 60,
                                           "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                           NULL);
  in = soup_session_send (session, msg, cancellable, error);
  if (in == NULL)
    {
      g_prefix_error (error, "Could not download %s: ", url);
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, YARD_ERROR, YARD_ERROR_NOT_FOUND,
                   "Could not download %s: the server answered %u %s", url, status,
                   soup_message_get_reason_phrase (msg));
      return NULL;
    }
  /* the body is read after we return: it needs its session */
  g_object_set_data_full (G_OBJECT (in), "yard-session", g_steal_pointer (&session),
                          g_object_unref);
  return g_steal_pointer (&in);
}
