/* yard-validate.h: the rules for values that people give, written once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API, the writers (pxelinux, iPXE, GRUB), the app and the CLI all check with these, so
 * a value one of them accepts is one every writer can write.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An http:// or https:// URL with a host, as iPXE and the API take it: no whitespace, control
 * characters, quotes or backslashes; UTF-8. The scheme may be in any case (RFC 3986); the
 * result has it in lower case, which is what iPXE understands. NULL with
 * YARD_ERROR_INVALID_ARGUMENT otherwise. */
char     *yard_validate_url   (const char  *url,
                               GError     **error);

/* The length of url's "http://" or "https://" in any case, else 0: what every writer takes
 * as a web address (iPXE's writer percent-encodes the rest). */
gsize     yard_url_http_prefix_length (const char *url);

/* An iPXE script as every writer takes it: UTF-8 text whose first line is "#!ipxe" (alone,
 * or followed by whitespace). FALSE with YARD_ERROR_INVALID_ARGUMENT otherwise. */
gboolean  yard_validate_ipxe_script (const char  *script,
                                     GError     **error);

/* Text for people as every writer takes it (a label, a host's name, kernel arguments): UTF-8
 * without control characters; multiline: newlines and tabs allowed (help text, a script).
 * NULL is clean. */
gboolean  yard_text_is_clean (const char *text,
                              gboolean    multiline);

/* A port as people type it: a number from 1 to 65535 (0, "pick any", is for tests' command
 * lines only), spaces around it allowed. FALSE with YARD_ERROR_INVALID_ARGUMENT otherwise. */
gboolean  yard_validate_port (const char  *text,
                              guint16     *port,
                              GError     **error);

G_END_DECLS
