/* yard-images-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "yard-connection.h"

G_BEGIN_DECLS

#define YARD_TYPE_IMAGES_PAGE (yard_images_page_get_type ())
G_DECLARE_FINAL_TYPE (YardImagesPage, yard_images_page, YARD, IMAGES_PAGE, AdwBin)

void yard_images_page_set_connection (YardImagesPage *self,
                                      YardConnection *connection);

void yard_images_page_upload_files  (YardImagesPage *self,
                                     GSList         *files);

G_END_DECLS
