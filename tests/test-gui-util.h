/* test-gui-util.h: what the gui tests that run a real server in their own namespaces share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, as test-image-util.h: each test is one executable. Used by test-gui-app.c,
 * test-gui-firstrun.c and test-gui-system-service.c.
 */

#pragma once

#include <gtk/gtk.h>

#define WAIT_TIMEOUT_MS 30000  /* a loaded 2-core CI machine */

/* Iterates the main context until @cond holds; a test that waits longer fails, naming it. */
#define WAIT_UNTIL(cond)                                                          \
  G_STMT_START {                                                                  \
    gint64 _deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * 1000;          \
    while (!(cond))                                                               \
      {                                                                           \
        if (g_get_monotonic_time () > _deadline)                                  \
          g_error ("Timed out waiting for: %s", #cond);                           \
        g_main_context_iteration (NULL, FALSE);                                   \
        g_usleep (2000);                                                          \
      }                                                                           \
  } G_STMT_END

/* Runs @command (a shell-free command line); FALSE, with what it said, when it fails. */
G_GNUC_UNUSED static gboolean
run (const char *command)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (command, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

/* @widget as PNG in the build's tests/ directory: the README's screenshots come from here. */
G_GNUC_UNUSED static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width;
  int height;

  WAIT_UNTIL (gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0);
  for (gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  while (node == NULL)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        g_main_context_iteration (NULL, FALSE);
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}
