/* fuzz-pxelinux.c: libFuzzer harness for the pxelinux.cfg reader and writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pxelinux.cfg/default is the server's source of truth, edited by hand and copied from
 * distributions. This feeds arbitrary bytes to yard_pxelinux_parse() and checks the promise
 * of yard-pxelinux.h: a parsed file written back unchanged gives the same bytes, and what is
 * written parses back to the same model (the same JSON), which writes the same bytes again.
 * The UEFI file made from the model (efi64/pxelinux.cfg/default, written fresh) must parse
 * too, and write itself back byte for byte.
 * INCLUDE names resolve against $YARD_FUZZ_PXELINUX_BASE (run-fuzz.sh points it at the
 * Debian netboot tree in tests/data/pxelinux), or the current directory.
 * See README.md for how to run it.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "yard-boot-menu.h"
#include "yard-pxelinux.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* g_error() traps (SIGTRAP), which libFuzzer does not catch: abort, so that it keeps the input. */
#define fail(...) (g_printerr (__VA_ARGS__), g_printerr ("\n"), abort ())


static char *
menu_json (YardBootMenu *menu)
{
  g_autoptr(JsonNode) node = yard_boot_menu_to_json (menu);

  return json_to_string (node, FALSE);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  const char *base = g_getenv ("YARD_FUZZ_PXELINUX_BASE");
  g_autoptr(GError) error = NULL;
  g_autoptr(YardBootMenu) menu = NULL;
  g_autoptr(YardBootMenu) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *written2 = NULL;
  g_autofree char *model = NULL;
  g_autofree char *model2 = NULL;
  g_autofree char *efi = NULL;
  g_autofree char *efi2 = NULL;
  g_autoptr(YardBootMenu) efi_menu = NULL;

  if (base == NULL)
    base = ".";
  menu = yard_pxelinux_parse (base, "pxelinux.cfg/default", (const char *) data, size, &error);
  g_assert ((menu == NULL) == (error != NULL));
  if (menu == NULL)
    return 0;

  written = yard_pxelinux_to_data (menu);
  /* unchanged: byte for byte, unless the file held derived marks, which to_data drops */
  if (g_strstr_len ((const char *) data, size, "bootyard-disabled") == NULL &&
      (strlen (written) != size || memcmp (written, data, size) != 0))
    fail ("an unchanged menu did not write back byte for byte:\n--- read\n%.*s\n--- written\n%s",
             (int) size, (const char *) data, written);

  again = yard_pxelinux_parse (base, "pxelinux.cfg/default", written, -1, &error);
  if (again == NULL)
    fail ("what was written does not parse (%s):\n%s", error->message, written);
  model = menu_json (menu);
  model2 = menu_json (again);
  if (strcmp (model, model2) != 0)
    fail ("parse → write → parse changed the model:\n first: %s\nsecond: %s", model, model2);
  written2 = yard_pxelinux_to_data (again);
  if (strcmp (written, written2) != 0)
    fail ("the written file wrote back differently:\n--- first\n%s\n--- second\n%s",
             written, written2);

  efi = yard_pxelinux_to_efi_data (menu, NULL);
  efi_menu = yard_pxelinux_parse (base, "efi64/pxelinux.cfg/default", efi, -1, &error);
  if (efi_menu == NULL)
    fail ("the UEFI file does not parse (%s):\n%s", error->message, efi);
  efi2 = yard_pxelinux_to_data (efi_menu);
  if (strcmp (efi, efi2) != 0)
    fail ("the UEFI file wrote back differently:\n--- first\n%s\n--- second\n%s", efi, efi2);
  return 0;
}
