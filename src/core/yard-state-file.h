/* yard-state-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _YardStateFile YardStateFile;

YardStateFile *yard_state_file_new        (const char    *path);
YardStateFile *yard_state_file_ref        (YardStateFile *self);
void           yard_state_file_unref      (YardStateFile *self);
const char    *yard_state_file_get_path   (YardStateFile *self);
void           yard_state_file_save_async (YardStateFile *self,
                                           char          *text);
gboolean       yard_state_file_save       (YardStateFile *self,
                                           const char    *text,
                                           GError       **error);
void           yard_state_file_wait       (YardStateFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YardStateFile, yard_state_file_unref)

G_END_DECLS
