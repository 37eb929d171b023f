/* yard-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-application.h"

G_BEGIN_DECLS

#define YARD_TYPE_WINDOW (yard_window_get_type ())
G_DECLARE_FINAL_TYPE (YardWindow, yard_window, YARD, WINDOW, AdwApplicationWindow)

YardWindow *yard_window_new         (YardApplication *application);
void        yard_window_add_toast   (YardWindow      *self,
                                     AdwToast        *toast);
void        yard_window_show_error  (YardWindow      *self,
                                     const char      *message);

G_END_DECLS
