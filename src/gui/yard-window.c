/* yard-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "yard-window"

#include "config.h"

#include <glib/gi18n.h>

#include "yard-window.h"

struct _YardWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (YardWindow, yard_window, ADW_TYPE_APPLICATION_WINDOW)

static void
yard_window_class_init (YardWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bootyard/Bootyard/yard-window.ui");
}

static void
yard_window_init (YardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

YardWindow *
yard_window_new (YardApplication *application)
{
  return g_object_new (YARD_TYPE_WINDOW, "application", application, NULL);
}
