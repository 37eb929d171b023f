/* yard-machine.h: what a host reports of the machine it is (maker, product, serial, memory)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every text is checked when it is made (yard_machine_new_from_query(), _from_path(),
 * _from_json()): UTF-8 without control characters, trimmed, at most 64 bytes, NULL when
 * nothing is left. docs/api.md "machine" is its JSON. */
typedef struct
{
  char   *manufacturer;
  char   *product;
  char   *serial;
  char   *uuid;       /* SMBIOS UUID */
  char   *nic;        /* its network chip, as iPXE names it */
  char   *reported;   /* when the server kept it, ISO 8601 UTC; NULL in a fresh report */
  gint64  memory;     /* bytes; 0 when not reported */
} YardMachine;

#define YARD_TYPE_MACHINE (yard_machine_get_type ())
GType        yard_machine_get_type       (void) G_GNUC_CONST;
YardMachine *yard_machine_copy           (const YardMachine *machine);
void         yard_machine_free           (YardMachine       *machine);

/* What a host's iPXE script reports (GET /boot/MAC.machine?..., iPXE's settings):
 * "manufacturer", "product", "serial", "uuid" and "chip" (as nic) are text; "memsize" (MiB)
 * becomes memory in bytes. Empty and unknown parameters are left out; NULL when nothing is
 * left. */
YardMachine *yard_machine_new_from_query (GHashTable        *params);
/* The same report as a file name, for GRUB (its smbios command; Debian 12's signed GRUB
 * fetches over TFTP only and has no URL encoding): "boot/MAC.machine" (a leading '/' allowed)
 * then "/KEY=VALUE" parts, KEY as above, VALUE up to the next '/' (GRUB's script leaves out a
 * value with a '/' or any byte outside [-A-Za-z0-9 .,_()+:]); the same checks. FALSE when
 * @name is no report; else *mac is the normalized MAC and *machine what is left (NULL when
 * nothing is). */
gboolean     yard_machine_from_path      (const char        *name,
                                          gsize              length,
                                          char             **mac,
                                          YardMachine      **machine);
/* A "machine" object as yard_machine_to_json() writes it (hosts.json, the API's answers),
 * checked again as a report is (the file may have been edited); NULL when nothing is left. */
YardMachine *yard_machine_new_from_json  (JsonObject        *object);
JsonObject  *yard_machine_to_json        (const YardMachine *machine);

/* One line for people, as a host's row shows it: "Dell Inc. OptiPlex 7080 · serial 5CG1234 ·
 * 16 GiB"; the maker is left out when the product starts with it. NULL when @machine is NULL
 * or says nothing of these. */
char        *yard_machine_dup_title      (const YardMachine *machine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardMachine, yard_machine_free)

G_END_DECLS
