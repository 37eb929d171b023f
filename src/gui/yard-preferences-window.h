/* yard-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define YARD_TYPE_PREFERENCES_WINDOW (yard_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (YardPreferencesWindow, yard_preferences_window, YARD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

YardPreferencesWindow *yard_preferences_window_new           (GSettings             *settings);
void                   yard_preferences_window_set_boot_root (YardPreferencesWindow *self,
                                                              const char            *root,
                                                              gboolean               is_local);

G_END_DECLS
