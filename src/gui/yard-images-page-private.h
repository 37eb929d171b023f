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
/* Entries added by drops; the question asked now (replace, delete, add another) or NULL. */
guint       _yard_images_page_get_n_added      (YardImagesPage *self);
AdwMessageDialog *_yard_images_page_get_dialog (YardImagesPage *self);
/* The toast whose going deletes an image (and its entries), or NULL. */
AdwToast   *_yard_images_page_get_pending_toast (YardImagesPage *self);

G_END_DECLS
