/* yard-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define YARD_ERROR (yard_error_quark ())

/* Codes a user can act on; the message always says what to do. */
typedef enum
{
  YARD_ERROR_FAILED,
  YARD_ERROR_INVALID_ARGUMENT,  /* bad option, field or value */
  YARD_ERROR_INVALID_CONFIG,    /* a config file that does not parse: names file and line */
  YARD_ERROR_ADDRESS_IN_USE,    /* a port that another program holds */
  YARD_ERROR_PERMISSION_DENIED, /* a privileged port, a file we may not write */
  YARD_ERROR_NO_SUCH_INTERFACE,
  YARD_ERROR_NOT_FOUND,
  YARD_ERROR_UNSAFE_PATH,       /* a name that would leave the boot root */
  YARD_ERROR_NOT_BOOTABLE,      /* an image we cannot make an entry for */
  YARD_ERROR_INVALID_IMAGE,     /* truncated or not an image at all */
  YARD_ERROR_PROTOCOL,          /* a peer that broke the protocol */
  YARD_ERROR_EXISTS,
  YARD_ERROR_UNAUTHORIZED,
  YARD_ERROR_UNREACHABLE,       /* a client got no answer from the server */
  YARD_ERROR_IN_USE,            /* an image that menu entries boot */
} YardError;

GQuark       yard_error_quark          (void);

/* The port a YARD_ERROR is about (a bind refused), 0 when none or another domain. */
void         yard_error_set_port       (GError       *error,
                                        guint16       port);
guint16      yard_error_get_port       (const GError *error);

/* "permission-denied" for YARD_ERROR_PERMISSION_DENIED...: how the API names a code. An
 * unknown nick is YARD_ERROR_FAILED. */
const char  *yard_error_code_to_nick   (int           code);
int          yard_error_code_from_nick (const char   *nick);

G_END_DECLS
