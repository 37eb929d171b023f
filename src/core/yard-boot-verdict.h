/* yard-boot-verdict.h: the boot doctor's word on where a client's boot stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a verdict says (JSON "verdict"). */
typedef enum
{
  YARD_VERDICT_BOOTED,            /* the kernel and every initrd of its entry went out */
  YARD_VERDICT_NO_REQUEST,        /* offered a boot file, the client asked for nothing */
  YARD_VERDICT_OTHER_SERVER,      /* ... and another boot server is on the network */
  YARD_VERDICT_SECURE_BOOT,       /* a UEFI client took an unsigned loader and started over */
  YARD_VERDICT_UNSUPPORTED_ARCH,  /* no boot file for the client's architecture */
  YARD_VERDICT_LOOP,              /* the same loader again and again */
  YARD_VERDICT_TRANSFER_STOPPED,  /* a TFTP or HTTP transfer that died */
  YARD_VERDICT_MISSING_FILE,      /* the client asked for a kernel/initrd/loader that is not there */
  YARD_VERDICT_LOADER_STALLED,    /* the loader went out, no menu was asked for */
  YARD_VERDICT_INITRD_MISSING,    /* the kernel went out, not every initrd of its entry */
} YardVerdict;

/* "booted", "no-request", ...: how the API names a verdict (docs/api.md "Boot verdicts") */
const char *yard_verdict_to_string   (YardVerdict  verdict);
gboolean    yard_verdict_from_string (const char  *name,
                                      YardVerdict *verdict);

#define YARD_TYPE_BOOT_VERDICT (yard_boot_verdict_get_type ())
G_DECLARE_FINAL_TYPE (YardBootVerdict, yard_boot_verdict, YARD, BOOT_VERDICT, GObject)

/* The doctor makes it (mac, address, arch may be NULL: unknown; advice and file NULL: none;
 * time ISO 8601 UTC) and sends it with yard_boot_verdict_to_json; a client reads it back with
 * yard_boot_verdict_new_from_json: one codec. */
YardBootVerdict *yard_boot_verdict_new           (YardVerdict       verdict,
                                                  const char       *mac,
                                                  const char       *address,
                                                  const char       *arch,
                                                  const char       *title,
                                                  const char       *detail,
                                                  const char       *advice,
                                                  const char       *file,
                                                  const char       *time) G_GNUC_WARN_UNUSED_RESULT;
YardVerdict      yard_boot_verdict_get_verdict   (YardBootVerdict  *self);
/* TRUE for YARD_VERDICT_BOOTED only */
gboolean         yard_boot_verdict_get_ok        (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_mac       (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_address   (YardBootVerdict  *self);
/* yard-arch.h's name ("efi-x64"), or NULL */
const char      *yard_boot_verdict_get_arch      (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_title     (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_detail    (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_advice    (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_file      (YardBootVerdict  *self);
const char      *yard_boot_verdict_get_time      (YardBootVerdict  *self);

/* {"mac", "address", "arch", "verdict", "ok", "title", "detail", "advice", "file", "time"},
 * unknown values null — docs/api.md */
JsonObject      *yard_boot_verdict_to_json       (YardBootVerdict  *self) G_GNUC_WARN_UNUSED_RESULT;
/* What to_json wrote; YARD_ERROR_PROTOCOL naming the member that does not read. */
YardBootVerdict *yard_boot_verdict_new_from_json (JsonObject       *object,
                                                  GError          **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
