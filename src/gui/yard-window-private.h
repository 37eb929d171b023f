/* yard-window-private.h: the window's parts, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-window.h"

G_BEGIN_DECLS

GtkWidget     *_yard_window_get_page            (YardWindow *self,
                                                 const char *name);
GtkSwitch     *_yard_window_get_services_switch (YardWindow *self);
GtkDropTarget *_yard_window_get_drop_target     (YardWindow *self);
GtkWidget     *_yard_window_get_banner_label    (YardWindow *self);
const char    *_yard_window_get_visible_child   (YardWindow *self);
gboolean       _yard_window_is_connected_and_still (YardWindow *self);
GtkLabel      *_yard_window_get_boot_address_label (YardWindow *self);
AdwMessageDialog *_yard_window_get_close_dialog  (YardWindow *self);
GtkPopover    *_yard_window_get_services_popover (YardWindow *self);
const char    *_yard_window_get_banner_command  (YardWindow *self,
                                                 const char *which);
GtkWidget     *_yard_window_get_port_settings_button (YardWindow *self);
GtkWidget     *_yard_window_get_system_service_button (YardWindow *self);
const char    *_yard_window_get_problems_text   (YardWindow *self);

G_END_DECLS
