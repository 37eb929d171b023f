/* bootyardctl-private.h: what bootyardctl's command groups share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bootyardctl.c holds the helpers (waiting, errors, option parsing, printing, tables), the
 * command table and main(); each group of commands has a file of its own.
 */

#pragma once

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "yard-arch.h"
#include "yard-boot-support.h"
#include "yard-client.h"
#include "yard-error.h"
#include "yard-event-stream.h"
#include "yard-host-table.h"

G_BEGIN_DECLS

/* Exit codes scripts can tell apart; --help and bootyardctl(1) list them. */
enum {
  EXIT_SERVER_FAILED = 1, /* the server could not do it */
  EXIT_USAGE = 2,         /* bad command line, a value the server rejected, a missing file */
  EXIT_UNREACHABLE = 3,
  EXIT_UNAUTHORIZED = 4,  /* no token file, or the server refused the token */
  EXIT_NOT_FOUND = 5,     /* no such entry, image or host */
  EXIT_BROKEN_MENU = 6,   /* the menu file on the server fails to parse */
  EXIT_CONFLICT = 7,      /* an image of that name is there, or menu entries boot it */
  EXIT_INTERRUPTED = 130, /* Ctrl+C, as shells report SIGINT */
};

typedef struct _Command Command;

typedef struct
{
  YardClient    *client;
  GCancellable  *cancellable;  /* cancelled by SIGINT */
  const Command *command;
  char          *server;       /* --server, global or after the command */
  char          *token_file;
  gboolean       json;
} Ctl;

typedef int (*CommandFunc) (Ctl *ctl, int argc, char **argv);

struct _Command
{
  const char  *group;   /* "menu" for "menu show"; NULL for a command of one word */
  const char  *name;
  const char  *params;  /* positional arguments, for the usage line */
  const char  *summary;
  CommandFunc  func;
};

/* Tables: a header row and rows of cells, columns as wide as their widest cell (in
 * characters), two spaces apart; the last column is not padded. */
typedef struct
{
  guint      n_columns;
  GPtrArray *rows; /* of GStrv */
} Table;

/* bootyardctl.c: waiting, errors, parsing, printing, tables */

void result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data);
GAsyncResult *wait_for (GAsyncResult **slot);
int fail (const GError *error);
int G_GNUC_PRINTF (2, 3) usage_error (Ctl        *ctl,
                                      const char *format,
                                      ...);
int parse_command (Ctl                *ctl,
                   const GOptionEntry *entries,
                   const char         *description,
                   int                *argc,
                   char             ***argv,
                   int                 min_args,
                   int                 max_args);
void print_json_node (JsonNode *node);
void print_json_object (JsonObject *object);
int  print_removed     (Ctl        *ctl,
                        const char *what,
                        const char *member,
                        const char *value);
int print_raw_answer (Ctl        *ctl,
                      const char *method,
                      const char *path,
                      JsonObject *body);
int print_raw_list (Ctl        *ctl,
                    const char *path,
                    const char *member);
char *segment_path (const char *prefix,
                    const char *segment,
                    const char *suffix);
char *text_or_dash (const char *text);
Table *table_new (const char *first_header,
                  ...);
void table_add_row (Table *table,
                    ...);
void table_print_and_free (Table *table);

/* bootyardctl-status.c */

int cmd_status (Ctl   *ctl,
                int    argc,
                char **argv);
int cmd_services_start (Ctl   *ctl,
                        int    argc,
                        char **argv);
int cmd_services_stop (Ctl   *ctl,
                       int    argc,
                       char **argv);

/* bootyardctl-menu.c */

char *entry_details (YardBootEntry *entry);
int cmd_menu_show (Ctl   *ctl,
                   int    argc,
                   char **argv);
gboolean parse_count (const char  *option,
                      const char  *text,
                      guint64      max,
                      guint64     *out,
                      GError     **error);
int cmd_menu_set (Ctl   *ctl,
                  int    argc,
                  char **argv);
int cmd_menu_add (Ctl   *ctl,
                  int    argc,
                  char **argv);
int cmd_menu_rm (Ctl   *ctl,
                 int    argc,
                 char **argv);
int cmd_menu_move (Ctl   *ctl,
                   int    argc,
                   char **argv);

/* bootyardctl-image.c */

int cmd_image_add (Ctl   *ctl,
                   int    argc,
                   char **argv);
int cmd_image_list (Ctl   *ctl,
                    int    argc,
                    char **argv);
int cmd_image_rm (Ctl   *ctl,
                  int    argc,
                  char **argv);

/* bootyardctl-host.c */

gboolean check_mac (const char  *mac,
                    GError     **error);
int cmd_host_list (Ctl   *ctl,
                   int    argc,
                   char **argv);
int cmd_host_show (Ctl   *ctl,
                   int    argc,
                   char **argv);
int cmd_host_set (Ctl   *ctl,
                  int    argc,
                  char **argv);
int cmd_host_rm (Ctl   *ctl,
                 int    argc,
                 char **argv);
int cmd_host_wake (Ctl   *ctl,
                   int    argc,
                   char **argv);

/* bootyardctl-doctor.c */

int cmd_doctor (Ctl   *ctl,
                int    argc,
                char **argv);
int cmd_activity (Ctl   *ctl,
                  int    argc,
                  char **argv);
int cmd_events (Ctl   *ctl,
                int    argc,
                char **argv);

G_END_DECLS
