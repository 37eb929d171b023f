/* yard-state-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file in the state directory that the server rewrites often (the boot history), written
 * whole and atomically (0600, fsync, rename) by a worker thread: fsync on a Raspberry Pi's SD
 * card can take a good part of a second, which the main loop must not wait for. Saves are
 * numbered when they are asked for, and the newest one asked for wins: a save still queued or
 * in flight never puts an older text over a newer one, whichever thread gets there first, and
 * yard_state_file_save (at stop) is the last word.
 */

#define G_LOG_DOMAIN "yard-state-file"

#include "config.h"

#include <gio/gio.h>

#include "yard-state-file.h"

struct _YardStateFile
{
  gatomicrefcount refs;
  char           *path;
  GMutex          lock;
  GCond           idle;       /* signalled when the last save in flight is done */
  guint64         asked;      /* the number of the newest save asked for */
  guint64         written;    /* the number of the newest text on disk */
  guint           in_flight;  /* saves handed to a thread and not yet done */
};

typedef struct
{
  YardStateFile *file;
  guint64        number;
  char          *text;
} Save;

static void
save_free (gpointer data)
{
  Save *save = data;

  yard_state_file_unref (save->file);
  g_free (save->text);
  g_free (save);
}

YardStateFile *
yard_state_file_new (const char *path)
{
  YardStateFile *self = g_new0 (YardStateFile, 1);

  g_return_val_if_fail (path != NULL, NULL);

  g_atomic_ref_count_init (&self->refs);
  self->path = g_strdup (path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  return self;
}

YardStateFile *
yard_state_file_ref (YardStateFile *self)
{
  g_atomic_ref_count_inc (&self->refs);
  return self;
}

void
yard_state_file_unref (YardStateFile *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->refs))
    return;
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_free (self->path);
  g_free (self);
}

const char *
yard_state_file_get_path (YardStateFile *self)
{
  return self->path;
}

/* Called with the lock held. A text older than the one on disk is dropped. */
static gboolean
write_locked (YardStateFile  *self,
              guint64         number,
              const char     *text,
              GError        **error)
{
  if (number <= self->written)
    return TRUE;
  if (!g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    return FALSE;
  self->written = number;
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  YardStateFile *self = save->file;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  /* A full disk keeps the text in memory (the caller's); the next save tries again. */
  if (!write_locked (self, save->number, save->text, &error))
    g_warning ("Could not save “%s”: %s", self->path, error->message);
  if (--self->in_flight == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (task, TRUE);
}

/* Takes TEXT; returns at once. */
void
yard_state_file_save_async (YardStateFile *self,
                            char          *text)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  Save *save = g_new0 (Save, 1);

  save->file = yard_state_file_ref (self);
  save->text = text;
  g_mutex_lock (&self->lock);
  save->number = ++self->asked;
  self->in_flight++;
  g_mutex_unlock (&self->lock);
  g_task_set_task_data (task, save, save_free);
  g_task_run_in_thread (task, save_thread);
}

/* Writes TEXT now, in this thread; the saves still in flight are older and will not replace
 * it. */
gboolean
yard_state_file_save (YardStateFile  *self,
                      const char     *text,
                      GError        **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = write_locked (self, ++self->asked, text, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* Until no save is in flight (tests, and a caller that must know the file is written). */
void
yard_state_file_wait (YardStateFile *self)
{
  g_mutex_lock (&self->lock);
  while (self->in_flight > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}
