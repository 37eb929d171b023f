/* yard-preferences-window-private.h: the preferences' parts, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-preferences-window.h"

G_BEGIN_DECLS

GtkSwitch   *_yard_preferences_window_get_remote_switch (YardPreferencesWindow *self);
AdwEntryRow *_yard_preferences_window_get_url_row       (YardPreferencesWindow *self);
GtkLabel    *_yard_preferences_window_get_problem_label (YardPreferencesWindow *self);
AdwActionRow *_yard_preferences_window_get_root_row     (YardPreferencesWindow *self);
AdwEntryRow *_yard_preferences_window_get_port_row      (YardPreferencesWindow *self,
                                                         const char            *key);
GtkLabel    *_yard_preferences_window_get_ports_problem_label (YardPreferencesWindow *self);

G_END_DECLS
