/* sanitize-check.c: a program built with ASan and UBSan that does one thing wrong on purpose,
 * so that test-sanitized.sh can show that sanitized.sh fails a test for each kind of report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *kept;

int
main (int    argc,
      char **argv)
{
  const char *what = argc > 1 ? argv[1] : "";

  if (strcmp (what, "clean") == 0)
    {
      kept = malloc (16); /* reachable at exit: no leak */
      return 0;
    }
  if (strcmp (what, "leak") == 0 || strcmp (what, "late-leak") == 0)
    {
      char *lost = malloc (77);

      if (strcmp (what, "late-leak") == 0)
        sleep (1); /* still running when the test that started it in the background ends */
      lost[0] = 1;
      lost = NULL;
      return 0;
    }
  if (strcmp (what, "overflow") == 0)
    {
      volatile int big = INT_MAX;

      printf ("%d\n", big + argc); /* signed overflow: UBSan */
      return 0;
    }
  if (strcmp (what, "heap-overflow") == 0)
    {
      volatile char *small = malloc (4);

      small[4] = 1;
      free ((void *) small);
      return 0;
    }
  fprintf (stderr, "usage: sanitize-check clean|leak|late-leak|overflow|heap-overflow\n");
  return 2;
}
