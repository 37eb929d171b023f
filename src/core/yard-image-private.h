/* yard-image-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of YardImage (yard-image.c: the object, inspection, JSON, extraction;
 * -iso9660.c: the ISO 9660 / El Torito reader; -classify.c: how it boots, its name) share.
 */

#pragma once

#include "yard-image.h"

G_BEGIN_DECLS

struct _YardImage
{
  GObject               parent_instance;

  char                 *name;
  guint64               size;
  YardImageFormat       format;
  char                 *volume_label;
  gboolean              joliet;
  gboolean              rock_ridge;
  gboolean              udf;
  GArray               *boot_entries;  /* YardElToritoEntry */
  GPtrArray            *files;         /* char *, ISO paths */
  GHashTable           *metadata;      /* lower-cased ISO path -> GBytes: what names it */
  char                 *label;         /* the name for people; NULL: the file name's stem */

  YardImageMethod       method;
  gboolean              bootable;
  char                 *distribution;
  char                 *reason;
  YardImageMemdiskType  memdisk_type;
  char                 *kernel;        /* relative to the root */
  GPtrArray            *initrds;       /* relative to the root */
  char                 *append;
  GPtrArray            *extract;       /* ISO paths */
};

/* yard-image-iso9660.c */
gboolean        _yard_image_read_at (int      fd,
                                     guint64  offset,
                                     guint8  *buf,
                                     gsize    len,
                                     GError **error);
guint16         _yard_image_le16 (const guint8 *p);
char *          _yard_image_trimmed_label (const guint8 *p,
                                           gsize         len);
gboolean        _yard_image_read_volume_descriptors (YardImage  *self,
                                                     int         fd,
                                                     gboolean   *is_iso,
                                                     GError    **error);
void            _yard_image_detect_rock_ridge (YardImage *self,
                                               int        fd);
gboolean        _yard_image_read_file_list (YardImage  *self,
                                            int         fd,
                                            GError    **error);

/* yard-image-classify.c */
gboolean        _yard_image_classify_disk (YardImage  *self,
                                           int         fd,
                                           GError    **error);
void            _yard_image_classify_optical (YardImage *self);
char *          _yard_image_label_from_metadata (YardImage *self);

G_END_DECLS
