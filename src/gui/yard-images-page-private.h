/* yard-images-page-private.h: the page's state, for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yard-images-page.h"

G_BEGIN_DECLS

void        _yard_images_page_reload           (YardImagesPage *self);
guint       _yard_images_page_get_n_uploads    (YardImagesPage *self);
guint       _yard_images_page_get_n_done       (YardImagesPage *self);
double      _yard_images_page_get_max_fraction (YardImagesPage *self);
GtkListBox *_yard_images_page_get_results      (YardImagesPage *self);
GtkListBox *_yard_images_page_get_images       (YardImagesPage *self);
void        _yard_images_page_cancel_uploads   (YardImagesPage *self);

G_END_DECLS
