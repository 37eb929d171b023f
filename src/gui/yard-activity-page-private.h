/* yard-activity-page-private.h: the page's state, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-activity-page.h"
#include "yard-gui-model.h"

G_BEGIN_DECLS

typedef enum
{
  YARD_ACTIVITY_STEP_PENDING,
  YARD_ACTIVITY_STEP_ACTIVE,
  YARD_ACTIVITY_STEP_DONE,
  YARD_ACTIVITY_STEP_FAILED,
} YardActivityStepState;

guint                 _yard_activity_page_get_n_transfers (YardActivityPage *self);
YardActivityStepState _yard_activity_page_get_step        (YardActivityPage *self,
                                                           const char       *host,
                                                           YardBootStep      step);
const char           *_yard_activity_page_get_verdict     (YardActivityPage *self,
                                                           const char       *host);
char                 *_yard_activity_page_dup_heading     (YardActivityPage *self,
                                                           const char       *host);
const char           *_yard_activity_page_get_detail      (YardActivityPage *self,
                                                           const char       *host);
/* The list's row for host's timeline (the rows are a bound model), or NULL */
GtkWidget            *_yard_activity_page_get_row         (YardActivityPage *self,
                                                           const char       *host);

G_END_DECLS
