/* yard-release-fetch.h: opening a bootloader release's URL, for the boot root's download
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A YardBootRootFetchFunc (yard-boot-root.h): GET url with libsoup, blocking (call it from a
 * worker thread), 60 s timeout. Returns the body stream of a 200 answer; other answers are
 * YARD_ERROR_NOT_FOUND, a bad URL YARD_ERROR_INVALID_ARGUMENT, and every message names the
 * URL. */
GInputStream *yard_release_fetch (const char    *url,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
