/* yard-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yard-error.h"

G_DEFINE_QUARK (yard-error-quark, yard_error)
